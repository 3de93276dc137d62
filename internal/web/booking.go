package web

// Booking, the core that the booking API (booking_api.go) and the booking
// pages share; both call these and only answer differently.
//
//   - s.findSlots(ctx, slotQuery{Service, Therapist, Mode, From, To}) lists
//     the offered slots ([]booking.Slot, each Start/End in its location's
//     zone), or a *bookError (400) naming each bad field.
//   - s.book(ctx, bookRequest{…}) books a visit and mails the client and
//     the therapist. It returns the booking's view, its private token
//     (the manage page is managePath(token)), and whether it was made now
//     (false: an earlier request with the same idempotency key made it).
//     Refusals are a *bookError whose Status is 400 (field errors: unknown
//     service or therapist, a start that is not offered, bad contact
//     details…), 422 (plan_token: a doctor comes first, or a version-1
//     self-check; Idempotency-Key used for another request), or 409 (start:
//     the time was taken), decided in that order (BOOKING.md). Any other
//     error is the server's.
//   - s.bookingByToken, s.rescheduleBooking, s.cancelBooking and
//     s.forgetClient act on the booking behind a private link. An unknown link is an error wrapping
//     store.ErrNotFound (s.failed answers 404). Moving answers 400 for a
//     start that is not offered and 409 when the time is taken; both answer
//     409 on start when the booking can no longer be changed online (less
//     than cancel_hours left, or cancelled).
//   - bookingView is the contract's booking JSON plus what pages show (the
//     names, the address, the zone, and until when it can be changed).

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"unknot/internal/booking"
	"unknot/internal/care"
	"unknot/internal/clinic"
	"unknot/internal/mail"
	"unknot/internal/secret"
	"unknot/internal/store"
	"unknot/internal/valid"
)

// Bookings is the storage booking needs.
type Bookings interface {
	Offer(ctx context.Context, service, therapist string) (*store.Offer, error)
	SlotSearch(ctx context.Context, q store.SlotQuery) (*store.SlotSearch, error)
	CreateBooking(ctx context.Context, nb store.NewBooking) (*booking.Booking, bool, error)
	VisitByLink(ctx context.Context, tokenHash []byte) (*store.Visit, error)
	RescheduleBooking(ctx context.Context, c store.Change, start time.Time) (*booking.Booking, error)
	CancelBooking(ctx context.Context, c store.Change) (*booking.Booking, error)
	ForgetVisitClient(ctx context.Context, c store.Change) error
	LooksFree(ctx context.Context, b *booking.Booking) error
	QueueReminders(ctx context.Context, now time.Time, compose store.ReminderMail) (int, error)
	LiveShare(ctx context.Context, tokenHash []byte) (*store.Share, error)
	WithdrawShare(ctx context.Context, tokenHash []byte, now time.Time) (bool, error)
}

// managePath is the page where a client sees, moves or cancels the
// booking behind token.
func managePath(token string) string { return "/bookings/" + token }

// bookError is a booking refused for its input: Status is 400, 409 or 422
// (see book), with a problem for each field.
type bookError struct {
	Status int
	Errors valid.Errors
}

func (e *bookError) Error() string {
	return fmt.Sprintf("booking refused (%d): %v", e.Status, e.Errors)
}

// refuse returns a *bookError with one problem.
func refuse(status int, field, message string) *bookError {
	return &bookError{Status: status, Errors: valid.Errors{{Field: field, Message: message}}}
}

// bookingView is a booking as the API shows it (BOOKING.md: service,
// therapist, location, start, end, mode, status, video_url) and what the
// pages need besides. Start and End are in the location's zone, so they
// encode as RFC 3339 with its offset.
type bookingView struct {
	Service   string         `json:"service"`
	Therapist string         `json:"therapist"`
	Location  string         `json:"location"`
	Start     time.Time      `json:"start"`
	End       time.Time      `json:"end"`
	Mode      clinic.Mode    `json:"mode"`
	Status    booking.Status `json:"status"`
	VideoURL  string         `json:"video_url,omitempty"` // virtual visits only

	ServiceName   string        `json:"-"`
	TherapistName string        `json:"-"`
	LocationName  string        `json:"-"`
	Address       string        `json:"-"`
	TimeZone      string        `json:"-"` // IANA, the location's
	Clinic        clinic.Clinic `json:"-"`
	// ChangeBy is the last moment it can be moved or cancelled online, and
	// Changeable whether that is still ahead (and the booking confirmed).
	ChangeBy   time.Time `json:"-"`
	Changeable bool      `json:"-"`
	// Forgotten is set once the client's details are deleted: the
	// clinic's record of the visit is all that is left.
	Forgotten bool `json:"-"`
}

// viewOf returns the view of b with its offer, at now.
func viewOf(o *store.Offer, b *booking.Booking, now time.Time) *bookingView {
	v := &bookingView{
		Service: b.Service, Therapist: b.Therapist, Location: b.Location,
		Start: b.Start.In(o.Zone), End: b.End.In(o.Zone), Mode: b.Mode, Status: b.Status,
		ServiceName: o.Service.Name, TherapistName: o.Therapist.Name,
		LocationName: o.Location.Name, Address: o.Location.Address, TimeZone: o.Location.TimeZone,
		Clinic:     o.Clinic,
		ChangeBy:   b.Start.Add(-time.Duration(o.Clinic.CancelHours) * time.Hour).In(o.Zone),
		Changeable: booking.CheckChange(o.Clinic, b, now) == nil,
		Forgotten:  b.Name == store.DeletedClient && b.Email == "",
	}
	if b.Mode == clinic.Virtual {
		v.VideoURL = o.Therapist.VideoURL
	}
	return v
}

// recordOnly reports whether the clinic's record is all that is left of
// v: its client's details are deleted and it can no longer be changed
// online (deleting a plan for good keeps its visits booked).
func (v *bookingView) recordOnly() bool { return v.Forgotten && !v.Changeable }

// slotQuery asks for the slots of a service on the dates From to To
// (inclusive), with one therapist or all who give it ("" Therapist), in
// one mode or any ("" Mode).
type slotQuery struct {
	Service   string
	Therapist string
	Mode      clinic.Mode
	From, To  clinic.Date
}

// maxSlotDays is how many days after From a search's To may be.
const maxSlotDays = 61

// findSlots lists the slots q asks for, sorted by start and then by
// therapist, or a *bookError (400) naming each bad field.
func (s *Server) findSlots(ctx context.Context, q slotQuery) ([]booking.Slot, error) {
	var errs valid.Errors
	if q.Service == "" {
		errs.Add("service", "is required")
	}
	if q.Mode != "" && q.Mode != clinic.InPerson && q.Mode != clinic.Virtual {
		errs.Add("mode", "must be in_person or virtual")
	}
	switch {
	case q.From == clinic.Date{}:
		errs.Add("from", "is required: a date YYYY-MM-DD")
	case q.To == clinic.Date{}:
		errs.Add("to", "is required: a date YYYY-MM-DD")
	case q.To.Before(q.From):
		errs.Add("to", "must not be before from")
	case q.From.DaysUntil(q.To) > maxSlotDays:
		errs.Add("to", fmt.Sprintf("must be at most %d days after from", maxSlotDays))
	}
	if len(errs) > 0 {
		return nil, &bookError{Status: 400, Errors: errs}
	}
	// Bookings whose blocked time reaches into the dates in any zone
	// (UTC−12 to UTC+14), buffers (at most 2 hours) included.
	day := func(d clinic.Date) time.Time { return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC) }
	search, err := s.store.SlotSearch(ctx, store.SlotQuery{
		Service: q.Service, Therapist: q.Therapist, Mode: q.Mode,
		From: day(q.From).Add(-17 * time.Hour), To: day(q.To.AddDays(1)).Add(15 * time.Hour),
	})
	if errors.Is(err, store.ErrNotFound) {
		return nil, refuse(400, "service", "is not a service of the clinic")
	}
	if err != nil {
		return nil, err
	}
	if q.Mode != "" && !search.Service.Offers(q.Mode) {
		return nil, refuse(400, "mode", "this service is not offered "+modeWords(q.Mode))
	}
	if q.Therapist != "" && len(search.Therapists) == 0 {
		// Say why: no such therapist, or not this service or mode.
		o, err := s.store.Offer(ctx, q.Service, q.Therapist)
		if err != nil {
			return nil, err
		}
		return nil, therapistRefusal(o, q.Service, q.Mode)
	}
	return booking.Slots(search.Clinic, search.Service, q.From, q.To, time.Now(), search.Calendars), nil
}

// therapistRefusal says why o's therapist cannot be booked for service in
// mode (any mode when ""), or nil when they can.
func therapistRefusal(o *store.Offer, service string, mode clinic.Mode) *bookError {
	t := o.Therapist
	switch {
	case t == nil:
		return refuse(400, "therapist", "is not a therapist of the clinic")
	case !slices.Contains(t.Services, service):
		return refuse(400, "therapist", t.Name+" does not give this service")
	case mode != "" && !t.Offers(service, mode):
		return refuse(400, "mode", t.Name+" does not see clients "+modeWords(mode))
	}
	return nil
}

// modeWords says how a visit in mode m takes place, after "offered" or
// "see clients".
func modeWords(m clinic.Mode) string {
	if m == clinic.Virtual {
		return "online (virtual)"
	}
	return "in person"
}

// bookRequest is a booking asked for (the body of POST /api/v1/bookings,
// or the booking form), with the request's Idempotency-Key.
type bookRequest struct {
	Service, Therapist string
	Start              time.Time
	Mode               clinic.Mode
	Name, Email, Phone string
	Note               string
	// PlanToken is the private link's token of the client's saved
	// self-check, to bring along; SharePlan shares it (and its diary)
	// with the clinic; ClearedByDoctor says a doctor has seen the client,
	// which an urgent self-check needs.
	PlanToken       string
	SharePlan       bool
	ClearedByDoctor bool
	IdempotencyKey  string
}

// Limits of what a client types.
const (
	maxNameRunes  = 100
	maxPhoneRunes = 30
	maxNoteRunes  = 1000
	maxKeyLength  = 100 // Idempotency-Key
)

// book books req (see the comment at the top of this file).
func (s *Server) book(ctx context.Context, req bookRequest) (booked *bookingView, token string, created bool, err error) {
	now := time.Now()
	var errs valid.Errors
	offer, err := s.store.Offer(ctx, req.Service, req.Therapist)
	if errors.Is(err, store.ErrNotFound) {
		offer = &store.Offer{} // no clinic: nothing to book
	} else if err != nil {
		return nil, "", false, err
	}
	switch {
	case req.Service == "":
		errs.Add("service", "is required")
	case offer.Service == nil:
		errs.Add("service", "is not a service of the clinic")
	}
	switch {
	case req.Mode == "":
		errs.Add("mode", "is required: in_person or virtual")
	case req.Mode != clinic.InPerson && req.Mode != clinic.Virtual:
		errs.Add("mode", "must be in_person or virtual")
	case offer.Service != nil && !offer.Service.Offers(req.Mode):
		errs.Add("mode", "this service is not offered "+modeWords(req.Mode))
	}
	if req.Therapist == "" {
		errs.Add("therapist", "is required")
	} else if offer.Service != nil || offer.Therapist == nil {
		mode := req.Mode
		if errs.For("mode") != "" {
			mode = ""
		}
		if e := therapistRefusal(offer, req.Service, mode); e != nil {
			errs = append(errs, e.Errors...)
		}
	}
	bookable := len(errs) == 0
	switch {
	case req.Start.IsZero():
		errs.Add("start", "is required: a time such as 2027-03-29T09:00:00+02:00")
	case bookable:
		if err := booking.Check(offer.Clinic, *offer.Service, offer.Calendar(), req.Start, now); err != nil {
			errs.Add("start", err.Error())
		}
	}
	errs = append(errs, checkContact(&req)...)
	if len(req.IdempotencyKey) > maxKeyLength {
		errs.Add("Idempotency-Key", fmt.Sprintf("must be at most %d characters", maxKeyLength))
	}
	var plan *store.Assessment
	switch {
	case req.PlanToken != "":
		if plan, err = s.planOf(ctx, req.PlanToken); err != nil {
			return nil, "", false, err
		}
		if plan == nil {
			errs.Add("plan_token", noPlanSays)
		}
	case req.SharePlan:
		errs.Add("share_plan", "needs plan_token: the self-check to share")
	}
	if len(errs) > 0 {
		return nil, "", false, &bookError{Status: 400, Errors: errs}
	}
	if plan != nil {
		if err := doctorFirst(plan, req.ClearedByDoctor); err != nil {
			return nil, "", false, err
		}
	}

	token, hash := secret.NewToken()
	b := booking.Booking{
		Service: req.Service, Therapist: req.Therapist, Location: offer.Location.ID, Mode: req.Mode,
		Start: req.Start, End: req.Start.Add(offer.Service.Length()),
		BufferBefore: offer.Service.BufferBefore(), BufferAfter: offer.Service.BufferAfter(),
		Name: req.Name, Email: req.Email, Phone: req.Phone, Note: req.Note,
	}
	if req.IdempotencyKey == "" {
		// Most who lost a race learn it here, before their mail is
		// written and without waiting for the writer.
		if err := s.store.LooksFree(ctx, &b); errors.Is(err, store.ErrConflict) {
			return nil, "", false, refuse(409, "start", takenSays)
		} else if err != nil {
			return nil, "", false, err
		}
	}
	compose, err := s.bookingMail(offer, mailBooked, token, &b, time.Time{})
	if err != nil {
		return nil, "", false, err
	}
	nb := store.NewBooking{Booking: b, TokenHash: hash, SharePlan: req.SharePlan, Mail: compose, Now: now}
	if plan != nil {
		nb.AssessmentID = plan.ID
	}
	if req.IdempotencyKey != "" {
		nb.IdempotencyKey, nb.RequestHash = req.IdempotencyKey, req.hash()
	}
	made, created, err := s.store.CreateBooking(ctx, nb)
	switch {
	case errors.Is(err, store.ErrKeyReused):
		return nil, "", false, refuse(422, "Idempotency-Key", "was used for another booking request; use a new key for a new request")
	case errors.Is(err, store.ErrConflict):
		return nil, "", false, refuse(409, "start", takenSays)
	case errors.Is(err, store.ErrNotFound) && plan != nil:
		// The plan was deleted for good since it was read above.
		return nil, "", false, refuse(400, "plan_token", noPlanSays)
	case err != nil:
		return nil, "", false, err
	}
	return viewOf(offer, made, now), token, created, nil
}

// noPlanSays is the 400 on plan_token when no plan has that link.
const noPlanSays = "is not the link of a saved self-check"

// takenSays is the 409 on start when the time was booked by someone else.
const takenSays = "is no longer free: someone booked this time a moment ago; please choose another time"

// checkContact checks and tidies the client's details in req.
func checkContact(req *bookRequest) valid.Errors {
	var errs valid.Errors
	req.Name = strings.TrimSpace(req.Name)
	switch {
	case req.Name == "":
		errs.Add("name", "is required")
	case utf8.RuneCountInString(req.Name) > maxNameRunes:
		errs.Add("name", fmt.Sprintf("must be at most %d characters", maxNameRunes))
	case strings.ContainsFunc(req.Name, unicode.IsControl):
		errs.Add("name", "must be one line of text")
	}
	if email, err := mail.ParseAddress(req.Email); err != nil {
		errs.Add("email", err.Error())
	} else {
		req.Email = email
	}
	req.Phone = strings.TrimSpace(req.Phone)
	switch {
	case utf8.RuneCountInString(req.Phone) > maxPhoneRunes:
		errs.Add("phone", fmt.Sprintf("must be at most %d characters", maxPhoneRunes))
	case strings.ContainsFunc(req.Phone, func(r rune) bool { return !strings.ContainsRune("0123456789+-()./ ", r) }):
		errs.Add("phone", "may hold digits, spaces and + - ( ) . / only")
	}
	req.Note = strings.TrimSpace(req.Note)
	switch {
	case utf8.RuneCountInString(req.Note) > maxNoteRunes:
		errs.Add("note", fmt.Sprintf("must be at most %d characters", maxNoteRunes))
	case strings.ContainsFunc(req.Note, func(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' }):
		errs.Add("note", "must be plain text")
	}
	return errs
}

// planOf returns the self-check saved under token, or nil when there is
// none.
func (s *Server) planOf(ctx context.Context, token string) (*store.Assessment, error) {
	if !secret.Valid(token) {
		return nil, nil
	}
	a, err := s.store.AssessmentByToken(ctx, secret.Hash(token))
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	return a, err
}

// doctorFirst refuses (422) a booking that brings the self-check a when a
// doctor must see the client first: its result is urgent or an emergency
// and clearedByDoctor is not set, or it was saved under version 1 of the
// self-check, whose questions missed warning signs, whatever the flags.
func doctorFirst(a *store.Assessment, clearedByDoctor bool) error {
	result, err := savedResult(a)
	if err != nil {
		return err
	}
	switch {
	case result.Outdated():
		return refuse(422, "plan_token", fmt.Sprintf("this self-check was saved under version %d, which missed warning signs: "+
			"please take the self-check again (version %d) before you book with it", result.Version, care.Version))
	case (result.Urgency == care.Urgent || result.Urgency == care.Emergency) && !clearedByDoctor:
		return refuse(422, "plan_token", "your self-check says a doctor should see you first: "+
			"book once a doctor has seen you and ruled out a serious cause (cleared_by_doctor)")
	}
	return nil
}

// hash is the hash of the request without its idempotency key, which a
// repeat with the same key must match. Its fields are written in a fixed
// order and the start in UTC, so that the same booking asked for in
// another zone's offset counts as the same request.
func (req bookRequest) hash() []byte {
	canonical, _ := json.Marshal([]any{ // strings, bools and a time always marshal
		req.Service, req.Therapist, req.Start.UTC().Format(time.RFC3339Nano), req.Mode,
		req.Name, req.Email, req.Phone, req.Note, req.PlanToken, req.SharePlan, req.ClearedByDoctor,
	})
	h := sha256.Sum256(canonical)
	return h[:]
}

// bookingByToken returns the booking behind the private link token.
func (s *Server) bookingByToken(ctx context.Context, token string) (*bookingView, error) {
	v, err := s.visit(ctx, token)
	if err != nil {
		return nil, err
	}
	return viewOf(&v.Offer, v.Booking, time.Now()), nil
}

// visit loads the visit behind token, or an error wrapping
// store.ErrNotFound.
func (s *Server) visit(ctx context.Context, token string) (*store.Visit, error) {
	if !secret.Valid(token) {
		return nil, fmt.Errorf("booking link: %w", store.ErrNotFound)
	}
	return s.store.VisitByLink(ctx, secret.Hash(token))
}

// rescheduleBooking moves the booking behind token to start, under the
// same rules as a new booking, and mails the client and the therapist.
func (s *Server) rescheduleBooking(ctx context.Context, token string, start time.Time) (*bookingView, error) {
	v, err := s.visit(ctx, token)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	if start.IsZero() {
		return nil, refuse(400, "start", "is required: a time such as 2027-03-29T09:00:00+02:00")
	}
	if err := booking.Check(v.Clinic, *v.Service, v.Calendar(), start, now); err != nil {
		return nil, refuse(400, "start", err.Error())
	}
	want := *v.Booking
	want.Start, want.End = start, start.Add(v.Booking.End.Sub(v.Booking.Start))
	compose, err := s.bookingMail(&v.Offer, mailMoved, token, &want, v.Booking.Start)
	if err != nil {
		return nil, err
	}
	b, err := s.store.RescheduleBooking(ctx, store.Change{TokenHash: secret.Hash(token), Mail: compose, Now: now}, start)
	if err := changeRefusal(err, v); err != nil {
		return nil, err
	}
	return viewOf(&v.Offer, b, now), nil
}

// cancelBooking cancels the booking behind token, which frees its time,
// and mails the client and the therapist. A cancelled booking stays as it
// is.
func (s *Server) cancelBooking(ctx context.Context, token string) (*bookingView, error) {
	v, err := s.visit(ctx, token)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	want := *v.Booking
	want.Status = booking.Cancelled
	compose, err := s.bookingMail(&v.Offer, mailCancelled, token, &want, time.Time{})
	if err != nil {
		return nil, err
	}
	b, err := s.store.CancelBooking(ctx, store.Change{TokenHash: secret.Hash(token), Mail: compose, Now: now})
	if err := changeRefusal(err, v); err != nil {
		return nil, err
	}
	return viewOf(&v.Offer, b, now), nil
}

// forgetClient deletes the client's details from the booking behind
// token for good (store.ForgetVisitClient). A visit still ahead is
// cancelled, and the therapist is mailed without the client's name; the
// client gets no mail, as their address goes.
func (s *Server) forgetClient(ctx context.Context, token string) error {
	v, err := s.visit(ctx, token)
	if err != nil {
		return err
	}
	want := store.WithoutClient(*v.Booking)
	want.Status = booking.Cancelled
	compose, err := s.bookingMail(&v.Offer, mailCancelled, token, &want, time.Time{})
	if err != nil {
		return err
	}
	return s.store.ForgetVisitClient(ctx, store.Change{TokenHash: secret.Hash(token), Mail: compose, Now: time.Now()})
}

// changeRefusal turns the store's answer to a change of v into a 409 when
// it was refused, and passes other errors on.
func changeRefusal(err error, v *store.Visit) error {
	switch {
	case errors.Is(err, booking.ErrTooLate):
		if v.Booking.Status != booking.Confirmed {
			return refuse(409, "start", "this booking is "+strings.ReplaceAll(string(v.Booking.Status), "_", " ")+
				" and can no longer be changed; please call the clinic"+clinicPhone(&v.Offer))
		}
		return refuse(409, "start", fmt.Sprintf("can no longer be changed online: less than %d hours remain before the visit; "+
			"please call the clinic%s", v.Clinic.CancelHours, clinicPhone(&v.Offer)))
	case errors.Is(err, store.ErrConflict):
		return refuse(409, "start", takenSays)
	}
	return err
}

// clinicPhone is " at PHONE" with the phone of the offer's location, or
// else of the clinic, or "" when neither has one.
func clinicPhone(o *store.Offer) string {
	phone := o.Clinic.Phone
	if o.Location != nil && o.Location.Phone != "" {
		phone = o.Location.Phone
	}
	if phone == "" {
		return ""
	}
	return " at " + phone
}
