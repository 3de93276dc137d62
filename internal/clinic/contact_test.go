package clinic

import (
	"strings"
	"testing"
)

func TestContact(t *testing.T) {
	locs := []Location{{ID: "a", Address: "Invalidenstraße 1\n10115  Berlin"}, {ID: "b", Address: "Elsewhere"}}
	c := Clinic{Name: "Knot Clinic", Phone: "+49 30 1", Email: "desk@knot.example"}
	if got, want := ContactOf(c, locs).Line(), "Knot Clinic · Invalidenstraße 1, 10115 Berlin · +49 30 1 · desk@knot.example"; got != want {
		t.Errorf("without an address of its own: %q, want %q", got, want)
	}
	c.Address, c.Website = "Torstraße 9", "https://knot.example"
	if got, want := ContactOf(c, locs).Line(), "Knot Clinic · Torstraße 9 · +49 30 1 · desk@knot.example · https://knot.example"; got != want {
		t.Errorf("with an address: %q, want %q", got, want)
	}
	if got := ContactOf(Clinic{}, nil).Line(); got != "" {
		t.Errorf("no clinic: %q", got)
	}
}

// The clinic's address is optional in the file, and checked as text.
func TestClinicAddress(t *testing.T) {
	f := Demo()
	f.Clinic.Address = "Torstraße 9\n10119 Berlin"
	if errs := f.Validate(nil); len(errs) > 0 {
		t.Fatalf("an address: %v", errs)
	}
	// And from the file, where it may be given.
	g, err := Parse(edit(t, "clinic.address", "Torstraße 9"))
	if err != nil || g.Clinic.Address != "Torstraße 9" {
		t.Errorf("Parse with an address: %v, %q", err, g.Clinic.Address)
	}
	f.Clinic.Address = strings.Repeat("x", maxText+1)
	if errs := f.Validate(nil); errs.For("clinic.address") == "" {
		t.Errorf("a long address: %v", errs)
	}
}
