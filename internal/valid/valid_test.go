package valid

import (
	"errors"
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
