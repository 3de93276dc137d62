package care

import "testing"

// BenchmarkAssess runs a full self-check with a plan: desk worker, mixed
// pattern, several causes.
func BenchmarkAssess(b *testing.B) {
	a, err := Parse([]byte(full))
	if err != nil {
		b.Fatal(err)
	}
	a.Onset, a.Symptoms, a.Conditions = "after_lifting", Symptoms{}, Conditions{}
	if r := Assess(lib, a); r.Plan == nil {
		b.Fatal("no plan")
	}
	b.ReportAllocs()
	for b.Loop() {
		Assess(lib, a)
	}
}

func BenchmarkParse(b *testing.B) {
	data := []byte(full)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(data); err != nil {
			b.Fatal(err)
		}
	}
}
