package care

// The questions that introduce the lists which are not Questions (Regions,
// SymptomGroups, ConditionQuestions, Remedies), as pages and the terminal
// ask them, so that both say the same.
const (
	RegionsPrompt    = "Where is the knot or pain?"
	SymptomsPrompt   = "Do you have any of these, now or in the last few days?"
	SymptomsHint     = "They can be signs of something other than a knot, such as a heart, nerve or infection problem."
	ConditionsPrompt = "Which of these would you answer “yes” to?"
	ConditionsHint   = "Some care is not safe with these, so the plan takes them into account."
	TriedPrompt      = "What have you tried so far?"
	// NoneOfThese is the answer that confirms that nothing in a list of
	// warning signs or health background applies, so that a skipped list
	// is never read as "no".
	NoneOfThese = "None of these apply to me"
)
