package library

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"sync"
)

// The files a library is loaded from, at the root of its file system.
const (
	sourcesFile       = "sources.json"
	exercisesFile     = "exercises.json"
	rulesFile         = "rules.json"
	causesFile        = "causes.json"
	remediesFile      = "remedies.json"
	massageStylesFile = "massage_styles.json"
	adviceFile        = "advice.json"
)

// embedded holds the knowledge shipped inside the binary.
//
//go:embed data/*.json
var embedded embed.FS

// defaultLibrary loads the embedded knowledge the first time it is needed.
var defaultLibrary = sync.OnceValue(func() *Library {
	fsys, err := fs.Sub(embedded, "data")
	if err != nil {
		panic(fmt.Sprintf("library: embedded data: %v", err))
	}
	l, err := Load(fsys)
	if err != nil {
		panic(fmt.Sprintf("library: embedded data is invalid: %v", err))
	}
	return l
})

// Default returns the library embedded in the binary, loaded and validated
// once. The tests keep the embedded data valid, so an invalid library is a
// programming error and Default panics rather than returning it.
func Default() *Library { return defaultLibrary() }

// Load reads the library's JSON files from the root of fsys, decodes them
// strictly (unknown fields and trailing data are errors), indexes them and
// validates the result. Every problem found is reported, each naming its file
// and entry.
func Load(fsys fs.FS) (*Library, error) {
	var l Library
	err := errors.Join(
		decodeFile(fsys, sourcesFile, &l.Sources),
		decodeFile(fsys, exercisesFile, &l.Exercises),
		decodeFile(fsys, rulesFile, &l.Rules),
		decodeFile(fsys, causesFile, &l.Causes),
		decodeFile(fsys, remediesFile, &l.Remedies),
		decodeFile(fsys, massageStylesFile, &l.MassageStyles),
		decodeFile(fsys, adviceFile, &l.Advice),
	)
	if err != nil {
		return nil, fmt.Errorf("load library: %w", err)
	}
	if err := l.Validate(); err != nil {
		return nil, fmt.Errorf("load library: %w", err)
	}
	l.index()
	return &l, nil
}

// decodeFile decodes the JSON array in file name into dst, one entry at a time
// so that an error can say which entry is wrong.
func decodeFile[T any](fsys fs.FS, name string, dst *[]T) error {
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		return err // a *fs.PathError, which names the file
	}
	var raws []json.RawMessage
	if err := decodeStrict(b, &raws); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	entries := make([]T, len(raws))
	var errs []error
	for i, raw := range raws {
		if err := decodeStrict(raw, &entries[i]); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", entryName(name, i, rawKey(raw)), err))
		}
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	*dst = entries
	return nil
}

// decodeStrict decodes exactly one JSON value from b into v, rejecting fields
// v does not have: a misspelt field in the data must not be silently ignored.
func decodeStrict(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("unexpected data after the JSON value")
	}
	return nil
}

// rawKey returns the id or code of an entry that could not be decoded, if it
// has a readable one, so that the error can name it.
func rawKey(raw json.RawMessage) string {
	var key struct {
		ID   string `json:"id"`
		Code string `json:"code"`
	}
	if json.Unmarshal(raw, &key) != nil {
		return ""
	}
	if key.ID != "" {
		return key.ID
	}
	return key.Code
}

// entryName names entry i of file by its key, or by its position (counting
// from 1) when it has no key.
func entryName(file string, i int, key string) string {
	if key == "" {
		return fmt.Sprintf("%s: entry %d", file, i+1)
	}
	return keyName(file, key)
}

// keyName names the entry of file with the given id or code.
func keyName(file, key string) string {
	return fmt.Sprintf("%s: %q", file, key)
}

// index builds the lookup maps. The maps point into the slices, so the
// library must not be changed after it is indexed.
func (l *Library) index() {
	l.sources = indexBy(l.Sources, func(s *Source) string { return s.ID })
	l.exercises = indexBy(l.Exercises, func(e *Exercise) string { return e.ID })
	l.rules = indexBy(l.Rules, func(r *Rule) string { return r.Code })
	l.causes = indexBy(l.Causes, func(c *Cause) string { return c.Code })
	l.remedies = indexBy(l.Remedies, func(r *Remedy) string { return r.ID })
	l.styles = indexBy(l.MassageStyles, func(m *MassageStyle) string { return m.ID })
	l.advice = indexBy(l.Advice, func(a *Advice) string { return a.Code })
}

// indexBy maps each item's key to the item.
func indexBy[T any](items []T, key func(*T) string) map[string]*T {
	m := make(map[string]*T, len(items))
	for i := range items {
		m[key(&items[i])] = &items[i]
	}
	return m
}

// The lookups below work on a library returned by Load or Default. The
// entries they return are shared and must be treated as read-only.

// Exercise returns the exercise with the given id.
func (l *Library) Exercise(id string) (*Exercise, bool) {
	e, ok := l.exercises[id]
	return e, ok
}

// Rule returns the plain-words text of the self-check rule with the given
// code (a rule name of the contract, such as "cardiac").
func (l *Library) Rule(code string) (*Rule, bool) {
	r, ok := l.rules[code]
	return r, ok
}

// SignsAt returns the warning signs of every rule at urgency, in the
// library's words and order, and the sources of those rules: lists of
// "when to get help" built from it cannot drift from the rules.
func (l *Library) SignsAt(urgency string) (signs, sources []string) {
	for _, r := range l.Rules {
		if r.Urgency == urgency {
			signs = append(signs, r.Signs...)
			sources = append(sources, r.Sources...)
		}
	}
	return signs, sources
}

// Cause returns the cause with the given contract cause code.
func (l *Library) Cause(code string) (*Cause, bool) {
	c, ok := l.causes[code]
	return c, ok
}

// Source returns the source with the given id.
func (l *Library) Source(id string) (*Source, bool) {
	s, ok := l.sources[id]
	return s, ok
}

// Remedy returns the remedy with the given id.
func (l *Library) Remedy(id string) (*Remedy, bool) {
	r, ok := l.remedies[id]
	return r, ok
}

// MassageStyle returns the massage style with the given id.
func (l *Library) MassageStyle(id string) (*MassageStyle, bool) {
	m, ok := l.styles[id]
	return m, ok
}

// AdviceFor returns the advice with the given code.
func (l *Library) AdviceFor(code string) (*Advice, bool) {
	a, ok := l.advice[code]
	return a, ok
}

// ExercisesByKind returns the exercises of one kind (Stretch, Massage, …) in
// library order.
func (l *Library) ExercisesByKind(kind string) []*Exercise {
	var out []*Exercise
	for i := range l.Exercises {
		if l.Exercises[i].Kind == kind {
			out = append(out, &l.Exercises[i])
		}
	}
	return out
}

// NeedsEquipment reports whether the exercise needs anything beyond the body
// (its equipment is not just "none"), which rules it out for relief right now.
func (e *Exercise) NeedsEquipment() bool {
	return !(len(e.Equipment) == 1 && e.Equipment[0] == EquipmentNone)
}

// Lying reports whether the exercise is done lying flat on the back or the
// front: the positions that pregnancy rules out (the contract's plan rules),
// since lying on the back lets the womb press on a large blood vessel and
// lying on the front presses on the bump. Lying on the side is not included.
func (e *Exercise) Lying() bool {
	return e.Position == LyingBack || e.Position == LyingFront
}
