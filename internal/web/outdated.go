package web

import (
	"encoding/json"
	"fmt"
	"net/http"

	"unknot/internal/care"
	"unknot/internal/store"
	"unknot/internal/urgency"
	"unknot/internal/valid"
)

// Plans saved under an earlier version of the self-check, whose questions
// missed warning signs, open read-only (ASSESSMENT.md): they read as they
// were saved, with a banner that asks the person to take the check again;
// they take no diary entries, re-checks, settings or finished routines and
// send no reminders; their diary can still be downloaded and deleted.

// outdatedSays tells a person why such a plan is read-only and what to do.
// The banner on its pages and the answer to a refused form say it in these
// words.
const outdatedSays = urgency.OutdatedSays + " It is kept as it was saved and can no longer be added to; " +
	"you can still download your diary or delete it for good."

// outdatedPage is the data of the page that refuses a change to an
// outdated plan.
type outdatedPage struct {
	Token string
}

// refuseOutdated answers a form that would change a plan whose result is
// outdated: 409, with the reason and the way on. It reports whether it
// answered.
func (s *Server) refuseOutdated(w http.ResponseWriter, r *http.Request, token string, result care.Result) bool {
	if !result.Outdated() {
		return false
	}
	s.render(w, r, http.StatusConflict, "outdated.html", outdatedPage{Token: token})
	return true
}

// refuseOutdatedAPI is refuseOutdated for the API: 409 with an error on
// the field version.
func refuseOutdatedAPI(w http.ResponseWriter, result care.Result) bool {
	if !result.Outdated() {
		return false
	}
	writeErrors(w, http.StatusConflict, valid.Errors{{Field: "version", Message: fmt.Sprintf(
		"this plan was saved under version %d of the self-check, which missed warning signs; it is read-only: "+
			"take the self-check again (version %d) to keep a diary", result.Version, care.Version)}})
	return true
}

// savedResult decodes the result saved with a, leniently: a result of an
// earlier version reads as it was saved.
func savedResult(a *store.Assessment) (care.Result, error) {
	var r care.Result
	if err := json.Unmarshal(a.Result, &r); err != nil {
		return r, fmt.Errorf("decoding saved result: %w", err)
	}
	return r, nil
}
