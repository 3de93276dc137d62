package booking

import (
	"errors"
	"fmt"
	"time"
)

// Why a therapist may not record a visit's outcome.
var (
	// ErrNotStarted: whether the client came is known only once the
	// visit has begun.
	ErrNotStarted = errors.New("booking: the visit has not started yet")
	// ErrCancelled: a cancelled visit has no outcome.
	ErrCancelled = errors.New("booking: the visit was cancelled")
	// ErrNotOutcome: only Attended and NoShow are outcomes.
	ErrNotOutcome = errors.New("booking: not an outcome of a visit")
)

// Outcome reports whether s is what a therapist may record about a visit
// that took place or should have: Attended or NoShow.
func (s Status) Outcome() bool { return s == Attended || s == NoShow }

// Mark returns b's status once its therapist records outcome at now.
// A confirmed visit becomes Attended or NoShow from its start on, not
// before; an outcome already recorded may be corrected to the other one
// (a slip of the finger), and recording the same outcome again changes
// nothing. A cancelled visit has no outcome: the time was freed and may
// have gone to someone else.
func Mark(b *Booking, outcome Status, now time.Time) (Status, error) {
	switch {
	case !outcome.Outcome():
		return b.Status, fmt.Errorf("%w: %q", ErrNotOutcome, outcome)
	case b.Status == Cancelled:
		return b.Status, ErrCancelled
	case now.Before(b.Start):
		return b.Status, ErrNotStarted
	case b.Status != Confirmed && !b.Status.Outcome():
		return b.Status, fmt.Errorf("booking: unknown status %q", b.Status)
	}
	return outcome, nil
}
