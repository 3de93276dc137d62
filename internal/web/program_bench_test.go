package web

import (
	"encoding/json"
	"io"
	"net/http"
	"testing"

	"unknot/internal/care"
	"unknot/internal/library"
	"unknot/internal/program"
	"unknot/internal/secret"
	"unknot/internal/store"
)

// BenchmarkRoutineWithProgram serves today's guided routine of a plan
// whose therapist saved a program of program.MaxItems exercises, changed
// 50 times, against the same plan without one (sub-benchmarks "program"
// and "self-check"): following a program must not make the person's
// pages slower to any degree that matters.
func BenchmarkRoutineWithProgram(b *testing.B) {
	bs := newBookingServer(b, Config{}, "")
	lib := library.Default()
	plan := func(withProgram bool) string {
		var a care.Answers
		if err := json.Unmarshal([]byte(answersAt[care.SelfCare]), &a); err != nil {
			b.Fatal(err)
		}
		raw, _ := json.Marshal(care.Assess(lib, a))
		token, hash := secret.NewToken()
		saved := &store.Assessment{TokenHash: hash, Answers: json.RawMessage(answersAt[care.SelfCare]), Result: raw, Urgency: care.SelfCare}
		if err := bs.db.CreateAssessment(b.Context(), saved); err != nil {
			b.Fatal(err)
		}
		if !withProgram {
			return token
		}
		bs.book(b, bookBody(bs.hoursAhead(48), `"plan_token":"`+token+`","share_plan":true`))
		var p program.Program
		for _, e := range lib.Exercises[:program.MaxItems] {
			p.Items = append(p.Items, program.Item{Item: care.ItemFor(&e, 1), TimesADay: program.MaxTimesADay})
		}
		for range 50 {
			_, err := bs.db.SaveProgram(b.Context(), store.ProgramSave{AssessmentID: saved.ID, Therapist: "ana", By: "desk@clinic.example",
				Check: func(*store.Assessment) (program.Program, error) { return p, nil }})
			if err != nil {
				b.Fatal(err)
			}
		}
		return token
	}
	for _, c := range []struct {
		name    string
		program bool
	}{{"self-check", false}, {"program", true}} {
		url := bs.URL + "/plan/" + plan(c.program) + "/today"
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				resp, err := http.Get(url)
				if err != nil || resp.StatusCode != http.StatusOK {
					b.Fatal(err, resp.StatusCode)
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		})
	}
}
