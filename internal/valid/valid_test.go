package valid

import (
	"encoding/json"
	"errors"
	"slices"
	"testing"
)

func TestErrors(t *testing.T) {
	var es Errors
	if es.Err() != nil {
		t.Fatal("an empty list is an error")
	}
	es.Add("habits.desk_hours", "must be between 0 and 24")
	es.Add("regions[1]", "repeats regions[0]")
	err := es.Err()
	var got Errors
	if !errors.As(err, &got) || len(got) != 2 {
		t.Fatalf("Err() = %v, want the two problems", err)
	}
	if want := "habits.desk_hours: must be between 0 and 24\nregions[1]: repeats regions[0]"; err.Error() != want {
		t.Errorf("Error() = %q, want %q", err.Error(), want)
	}
	if es.For("regions[1]") != "repeats regions[0]" || es.For("age") != "" {
		t.Errorf("For gives the wrong message")
	}
}

func TestReaderNamesEveryProblemByPath(t *testing.T) {
	var r Reader
	var n *int
	var list []string
	r.Object("", []byte(`{"a":{"b":2.5,"b":1,"c":true},"list":["x",3],"n":null,"bad":"x"}`),
		func(name, path string, v json.RawMessage) bool {
			switch name {
			case "a":
				r.Object(path, v, func(name, path string, v json.RawMessage) bool {
					if name != "b" {
						return false
					}
					r.Whole(path, v)
					return true
				})
			case "list":
				list = r.Strings(path, v)
			case "n":
				n = r.OptWhole(path, v)
			default:
				return false
			}
			return true
		})
	var got []string
	for _, e := range r.Errors {
		got = append(got, e.Error())
	}
	want := []string{
		"a.b: must be a whole number",
		"a.b: is given more than once",
		"a.c: is not a known field",
		"list[1]: must be a string",
		"bad: is not a known field",
	}
	if !slices.Equal(got, want) {
		t.Errorf("problems\n%q\nwant\n%q", got, want)
	}
	if n != nil || len(list) != 2 || list[0] != "x" {
		t.Errorf("n = %v, list = %q", n, list)
	}
	if !r.Reported("a.b") || !r.Reported("list[1].x") || r.Reported("list") {
		t.Error("Reported does not follow the paths of the problems")
	}
	r.Merge(Errors{{Field: "a.b", Message: "must be between 0 and 10"}, {Field: "n", Message: "is required"}})
	if r.Errors[len(r.Errors)-1].Field != "n" || len(r.Errors) != 6 {
		t.Errorf("Merge kept %v", r.Errors)
	}
}
