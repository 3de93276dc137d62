package web

import (
	"fmt"
	"net/http"
	"strings"

	"unknot/internal/library"
	"unknot/internal/valid"
)

// apiExercise is an exercise as the API gives it: the library's entry with
// the addresses of its page and picture, and its sources in full.
type apiExercise struct {
	*library.Exercise
	Page    string            `json:"page"`
	Picture string            `json:"picture"`
	Sources []*library.Source `json:"sources"`
}

func (s *Server) apiExerciseOf(e *library.Exercise) apiExercise {
	return apiExercise{Exercise: e, Page: "/exercises/" + e.ID, Picture: "/exercises/" + e.ID + ".svg", Sources: s.exerciseView(e).Sources}
}

// apiExercises mirrors /exercises: the whole library, in the order of its
// kinds.
func (s *Server) apiExercises(w http.ResponseWriter, r *http.Request) {
	list := []apiExercise{}
	for _, k := range kindTitles {
		for _, e := range s.lib.ExercisesByKind(k.kind) {
			list = append(list, s.apiExerciseOf(e))
		}
	}
	w.Header().Set("Cache-Control", "public, max-age=3600")
	writeJSON(w, http.StatusOK, map[string][]apiExercise{"exercises": list})
}

// apiExercise mirrors /exercises/{id}.
func (s *Server) apiExercise(w http.ResponseWriter, r *http.Request) {
	e, ok := s.lib.Exercise(r.PathValue("id"))
	if !ok {
		writeErrors(w, http.StatusNotFound, valid.Errors{{Field: "id", Message: "no exercise has this id"}})
		return
	}
	w.Header().Set("Cache-Control", "public, max-age=3600")
	writeJSON(w, http.StatusOK, s.apiExerciseOf(e))
}

// pictureCSP lets an exercise picture run its own style sheet, the gentle
// animation between the two positions, and nothing else.
const pictureCSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'"

// exerciseFile answers /exercises/{id}.svg with the picture and
// /exercises/{id} with the exercise's page: one pattern, as net/http's
// wildcards take whole path segments.
func (s *Server) exerciseFile(w http.ResponseWriter, r *http.Request) {
	file := r.PathValue("file")
	if strings.HasSuffix(file, ".svg") {
		w.Header().Set("Content-Security-Policy", pictureCSP)
		s.exercisePicture(w, r)
		return
	}
	e, ok := s.lib.Exercise(file)
	if !ok {
		s.notFound(w, r)
		return
	}
	w.Header().Set("Cache-Control", "public, max-age=3600")
	s.render(w, r, http.StatusOK, "exercise.html", s.exerciseView(e))
}

// kindGroup is one kind of exercise on the library page.
type kindGroup struct {
	Kind, Title, About string
	Exercises          []*library.Exercise
}

// kindTitles name the exercise kinds on the pages, in the library's order.
var kindTitles = []struct{ kind, title, about string }{
	{library.Mobility, "Mobility", "Gentle movements that loosen a stiff neck and upper back."},
	{library.Stretch, "Stretches", "Held positions that lengthen tight muscles."},
	{library.Strength, "Strength", "Exercises that build the muscles that hold good posture."},
	{library.Massage, "Self-massage", "Pressure you give yourself, by hand or with a ball or roller."},
	{library.Modality, "Heat and cold", "Warmth or cold to ease pain and tension."},
	{library.Relaxation, "Relaxation", "Calm breathing that lets tense shoulders let go."},
	{library.Aerobic, "Moving more", "Whole-body activity that warms the muscles."},
}

func (s *Server) exercisesPage(w http.ResponseWriter, r *http.Request) {
	var groups []kindGroup
	for _, k := range kindTitles {
		if list := s.lib.ExercisesByKind(k.kind); len(list) > 0 {
			groups = append(groups, kindGroup{Kind: k.kind, Title: k.title, About: k.about, Exercises: list})
		}
	}
	w.Header().Set("Cache-Control", "public, max-age=3600")
	s.render(w, r, http.StatusOK, "exercises.html", groups)
}

// exerciseView is the data of an exercise's page.
type exerciseView struct {
	*library.Exercise
	KindTitle string
	Dose      []string // each part of the dose in words
	Where     string   // the position in words
	Needs     []string // equipment in words; empty when nothing is needed
	Sources   []*library.Source
}

func (s *Server) exerciseView(e *library.Exercise) exerciseView {
	v := exerciseView{Exercise: e, KindTitle: words(e.Kind), Dose: doseWords(e.Dose), Where: positionWords[e.Position]}
	for _, k := range kindTitles {
		if k.kind == e.Kind {
			v.KindTitle = k.title
		}
	}
	if v.Where == "" {
		v.Where = words(e.Position)
	}
	if e.NeedsEquipment() {
		for _, q := range e.Equipment {
			v.Needs = append(v.Needs, words(q))
		}
	}
	for _, id := range e.Sources {
		if src, ok := s.lib.Source(id); ok {
			v.Sources = append(v.Sources, src)
		}
	}
	return v
}

// positionWords say an exercise's position as a sentence fragment.
var positionWords = map[string]string{
	library.Standing:    "Standing",
	library.Sitting:     "Sitting",
	library.LyingBack:   "Lying on your back",
	library.LyingFront:  "Lying face down",
	library.LyingSide:   "Lying on your side",
	library.Kneeling:    "Kneeling",
	library.AllFours:    "On hands and knees",
	library.AnyPosition: "Any comfortable position",
}

// doseWords says a dose's ranges in words, such as "hold 20 to 30 seconds"
// and "8 to 12 times".
func doseWords(d library.Dose) []string {
	var out []string
	add := func(r *library.Range, one, many, format string) {
		if r == nil {
			return
		}
		unit := many
		if r.Max == 1 {
			unit = one
		}
		n := fmt.Sprint(r.Min)
		if r.Max != r.Min {
			n = fmt.Sprintf("%d to %d", r.Min, r.Max)
		}
		out = append(out, fmt.Sprintf(format, n, unit))
	}
	add(d.HoldSeconds, "second", "seconds", "hold %s %s")
	add(d.Reps, "time", "times", "%s %s")
	add(d.Sets, "set", "sets", "%s %s")
	add(d.Minutes, "minute", "minutes", "%s %s")
	switch d.Sides {
	case "each":
		out = append(out, "each side")
	case "both":
		out = append(out, "both sides together")
	}
	return out
}
