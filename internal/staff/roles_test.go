package staff

import (
	"slices"
	"testing"
)

func TestParseRoles(t *testing.T) {
	for _, tc := range []struct {
		in      []string
		want    Roles
		wantErr bool
	}{
		{in: []string{"admin"}, want: Roles{Admin}},
		{in: []string{"coach,admin", "Therapist "}, want: Roles{Admin, Therapist, Coach}},
		{in: []string{"coach", "coach"}, want: Roles{Coach}},
		{in: []string{"staff"}, wantErr: true},
		{in: []string{"admin,"}, wantErr: true},
		{in: []string{"owner"}, wantErr: true},
		{in: nil, wantErr: true},
	} {
		got, err := ParseRoles(tc.in)
		if (err != nil) != tc.wantErr || !slices.Equal(got, tc.want) {
			t.Errorf("ParseRoles(%q) = %v, %v; want %v (error %v)", tc.in, got, err, tc.want, tc.wantErr)
		}
	}
	if s := (Roles{Admin, Coach}).String(); s != "admin,coach" {
		t.Errorf("String = %q", s)
	}
}

// TestCan is DESIGN.md's role table, row by row.
func TestCan(t *testing.T) {
	want := map[Action][3]bool{ // admin, therapist, coach
		OpenDesk:        {true, true, true},
		ManageClinic:    {true, false, false},
		OwnSchedule:     {true, true, false},
		SeeBookings:     {true, true, false},
		SeeClientHealth: {false, true, false},
		TreatClients:    {false, true, false},
		ReadAudit:       {true, false, false},
		ModerateContent: {true, false, true},
	}
	if len(want) != len(access) {
		t.Fatalf("the table has %d actions, the test %d", len(access), len(want))
	}
	for a, row := range want {
		for i, r := range AllRoles {
			if got := Can(Roles{r}, a); got != row[i] {
				t.Errorf("Can(%s, %q) = %v, want %v", r, a, got, row[i])
			}
		}
		if Can(nil, a) {
			t.Errorf("no roles may %q", a)
		}
	}
	if !Can(Roles{Admin, Therapist}, SeeClientHealth) {
		t.Error("an admin who is also a therapist cannot see shared clients")
	}
	if Can(AllRoles, Action("something new")) {
		t.Error("an action missing from the table is allowed")
	}
}

func TestReplyRole(t *testing.T) {
	for rs, want := range map[string]Role{"admin,coach": Admin, "coach,therapist": Coach, "therapist": ""} {
		r, _ := ParseRoles([]string{rs})
		if got := r.ReplyRole(); got != want {
			t.Errorf("%s.ReplyRole() = %q, want %q", rs, got, want)
		}
	}
}

// An admin sees the whole clinic's bookings; a therapist or coach
// without admin does not.
func TestAllBookings(t *testing.T) {
	for _, c := range []struct {
		rs   Roles
		want bool
	}{
		{Roles{Admin}, true},
		{Roles{Therapist, Admin}, true},
		{Roles{Therapist}, false},
		{Roles{Coach}, false},
		{nil, false},
	} {
		if got := AllBookings(c.rs); got != c.want {
			t.Errorf("AllBookings(%v) = %v, want %v", c.rs, got, c.want)
		}
	}
}
