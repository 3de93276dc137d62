package care

// Yes returns the answer paths of the warning signs answered yes in s
// ("symptoms.short_of_breath"), in the contract's order: the red flags
// a therapist reads first, each named in the questionnaire's words by
// Label.
func (s Symptoms) Yes() []string {
	var out []string
	for _, f := range s.fields() {
		if *f.value {
			out = append(out, f.path)
		}
	}
	return out
}
