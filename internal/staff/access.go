package staff

import "time"

// Action is something done on the staff desk that only some roles may do.
// Every desk route names one (internal/web/desk.go), and Can is the one
// place that says who may.
type Action string

// The actions of the role table in DESIGN.md ("Roles on the clinic's
// side"), one per row, plus the desk's own start page.
const (
	// OpenDesk is the desk's start page and one's own account: any role.
	OpenDesk Action = "open the desk"
	// ManageClinic is clinic setup (locations, services, therapists,
	// hours), accounts and invitations: admin.
	ManageClinic Action = "clinic setup, accounts, invitations"
	// OwnSchedule is a therapist's own weekly hours and time off: the
	// therapist, or an admin for anyone's.
	OwnSchedule Action = "own hours and time off"
	// SeeBookings is the bookings: an admin sees all of the clinic's, a
	// therapist their own (the handler narrows to them).
	SeeBookings Action = "bookings"
	// SeeClientHealth is a client's shared self-check, diary and
	// outcomes: therapists only (an admin only if also a therapist),
	// and the handler narrows to clients who booked with them or shared
	// with the clinic.
	SeeClientHealth Action = "a client's shared self-check, diary, outcomes"
	// TreatClients is visit notes and home programs for one's own
	// clients: therapists.
	TreatClients Action = "visit notes, home programs"
	// ReadAudit is the audit log of views of health data: admin.
	ReadAudit Action = "audit log"
	// ModerateContent is articles, comments, replies, feedback and
	// subscribers: admin and coach.
	ModerateContent Action = "articles, comments, replies, feedback, subscribers"
)

// access is DESIGN.md's role table: the roles that may do each action.
// An action missing here is refused to everyone.
var access = map[Action][]Role{
	OpenDesk:        {Admin, Therapist, Coach},
	ManageClinic:    {Admin},
	OwnSchedule:     {Admin, Therapist},
	SeeBookings:     {Admin, Therapist},
	SeeClientHealth: {Therapist},
	TreatClients:    {Therapist},
	ReadAudit:       {Admin},
	ModerateContent: {Admin, Coach},
}

// Can reports whether an account holding rs may do a.
func Can(rs Roles, a Action) bool {
	for _, r := range access[a] {
		if rs.Has(r) {
			return true
		}
	}
	return false
}

// AllBookings reports whether an account holding rs sees the bookings of
// the whole clinic (DESIGN.md: an admin), rather than only those of the
// therapist it is tied to.
func AllBookings(rs Roles) bool { return rs.Has(Admin) }

// InvitationValid is how long an admin's invitation link lets a therapist
// set their password: two days, enough to find the mail after a weekend
// day off, short enough that a forgotten mail is soon worthless.
const InvitationValid = 48 * time.Hour
