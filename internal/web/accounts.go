package web

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/alexedwards/scs/v2"
	"golang.org/x/time/rate"

	"unknot/internal/secret"
	"unknot/internal/staff"
	"unknot/internal/store"
)

// Accounts is the storage of staff accounts, their sessions and the
// invitations that make therapists' accounts.
type Accounts interface {
	UserByEmail(ctx context.Context, email string) (*store.User, error)
	UserByID(ctx context.Context, id int64) (*store.User, error)
	SetPasswordHash(ctx context.Context, id int64, hash string) error
	FindSession(ctx context.Context, tokenHash []byte, now time.Time) ([]byte, bool, error)
	SaveSession(ctx context.Context, tokenHash, data []byte, expiry time.Time) error
	DeleteSession(ctx context.Context, tokenHash []byte) error
	DeleteExpiredSessions(ctx context.Context, now time.Time) (int64, error)
	CreateInvitation(ctx context.Context, inv store.Invite) error
	InvitationByToken(ctx context.Context, tokenHash []byte) (*store.Invitation, error)
	AcceptInvitation(ctx context.Context, tokenHash []byte, passwordHash string, now time.Time) (*store.User, error)
}

// Session keys: the signed-in account's id, and the name they last signed
// a reply with, offered again for the next.
const (
	sessionUser      = "user"
	sessionReplyName = "reply_name"
)

// Sign-in limits (DESIGN.md, "Roles on the clinic's side"): they slow
// guessing without locking the owner out. Only failures count.
const (
	// signInFailsPerAccount failures of one account from one address,
	// then one more every signInAccountEvery: a guesser at one address
	// gets about 300 tries a day, and the owner elsewhere is not blocked.
	signInFailsPerAccount = 5
	signInAccountEvery    = 5 * time.Minute
	// signInFailsPerAddress failures from one address, of any accounts,
	// then one more every signInAddressEvery: an office behind one
	// address can mistype a few times without waiting.
	signInFailsPerAddress = 10
	signInAddressEvery    = time.Minute
	// knownBrowserFor is how long the cookie of a browser that signed in
	// exempts it from the per-account limit; each sign-in renews it.
	knownBrowserFor = 90 * 24 * time.Hour
)

// knownBrowserCookie is the cookie a browser gets when it signs in, sent
// back only to the sign-in form.
const knownBrowserCookie = "unknot_known"

// accounts is the state of sign-in: the session managers, the sign-in
// limits and the key that signs known browsers' cookies.
type accounts struct {
	// sessions sets cookies without Secure, for plain http on a
	// developer's machine; secureSessions with it, for https.
	sessions, secureSessions *scs.SessionManager
	failsByAccount           *limit // by account and address together
	failsByAddress           *limit
	invites                  *limit // invitations sent, per admin
	welcomes                 *limit // invitation links used, per address
	knownKey                 []byte
}

func newAccounts(cfg Config, st Accounts, lim *limits) *accounts {
	go dummyHash() // ready before the first login, which must not take longer for it
	return &accounts{
		sessions:       newSessions(st, false),
		secureSessions: newSessions(st, true),
		failsByAccount: lim.new("sign-in account", rate.Every(signInAccountEvery), signInFailsPerAccount),
		failsByAddress: lim.new("sign-in address", rate.Every(signInAddressEvery), signInFailsPerAddress),
		invites:        lim.new("invitations", rate.Every(time.Minute), 20),
		welcomes:       lim.new("invitation links", rate.Every(time.Minute), 10),
		knownKey:       deriveKey(cfg.SecretKey, keyKnownBrowser),
	}
}

// newSessions returns the staff session manager: sessions kept in our own
// database by token hash, a cookie sent only to /staff that scripts cannot
// read, and that is sent over https only when secure is set.
func newSessions(st Accounts, secure bool) *scs.SessionManager {
	m := scs.New()
	m.Store = sessionStore{st}
	m.Lifetime = 12 * time.Hour
	m.IdleTimeout = 2 * time.Hour
	m.Cookie.Name = "unknot_staff"
	m.Cookie.Path = "/staff"
	m.Cookie.HttpOnly = true
	m.Cookie.SameSite = http.SameSiteLaxMode
	m.Cookie.Secure = secure
	return m
}

// sessionStore keeps scs sessions in the database under the SHA-256 of
// their token, so that a copy of the table cannot be used to sign in.
type sessionStore struct{ st Accounts }

func (s sessionStore) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	return s.st.FindSession(ctx, secret.Hash(token), time.Now())
}

func (s sessionStore) CommitCtx(ctx context.Context, token string, data []byte, expiry time.Time) error {
	return s.st.SaveSession(ctx, secret.Hash(token), data, expiry)
}

func (s sessionStore) DeleteCtx(ctx context.Context, token string) error {
	return s.st.DeleteSession(ctx, secret.Hash(token))
}

func (s sessionStore) Find(token string) ([]byte, bool, error) {
	return s.FindCtx(context.Background(), token)
}

func (s sessionStore) Commit(token string, data []byte, expiry time.Time) error {
	return s.CommitCtx(context.Background(), token, data, expiry)
}

func (s sessionStore) Delete(token string) error { return s.DeleteCtx(context.Background(), token) }

// sessions returns the session manager for r: the one whose cookie is
// Secure when the site is served over https.
func (s *Server) sessions(r *http.Request) *scs.SessionManager {
	if s.secure(r) {
		return s.accounts.secureSessions
	}
	return s.accounts.sessions
}

// secure reports whether cookies for r must be Secure: the client came
// over https (directly or through a trusted proxy), or the base URL says
// the site is served over https.
func (s *Server) secure(r *http.Request) bool {
	return isHTTPS(r) || strings.HasPrefix(s.cfg.BaseURL, "https://")
}

// withSession loads and saves the staff session around next. Staff pages
// are private: never cached, never indexed.
func (s *Server) withSession(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("X-Robots-Tag", "noindex")
		s.sessions(r).LoadAndSave(next).ServeHTTP(w, r)
	})
}

// signIn starts a session for u in a new token: a token planted before
// (session fixation) is worth nothing afterwards.
func (s *Server) signIn(r *http.Request, u *store.User) error {
	sessions := s.sessions(r)
	if err := sessions.RenewToken(r.Context()); err != nil {
		return err
	}
	sessions.Put(r.Context(), sessionUser, u.ID)
	if _, err := s.store.DeleteExpiredSessions(r.Context(), time.Now()); err != nil {
		s.log.WarnContext(r.Context(), "could not delete expired sessions", "err", err)
	}
	return nil
}

// loginPage is the data of the staff login form.
type loginPage struct {
	Email   string
	Problem string
}

func (s *Server) loginForm(w http.ResponseWriter, r *http.Request) {
	if s.sessions(r).GetInt64(r.Context(), sessionUser) != 0 {
		http.Redirect(w, r, "/staff", http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusOK, "staff_login.html", loginPage{})
}

// dummyHash is checked against when no account has the email given, so
// that a login takes as long whether or not the account exists.
var dummyHash = sync.OnceValue(func() string { return staff.HashPassword("no account has this password", staff.DefaultParams) })

// login signs a staff member in. Every failure says the same thing.
// Each attempt is counted before the password is checked, so that
// attempts sent at once count too, and given back when it succeeds:
// failures count per account and address together (not for a browser
// that signed in to that account before) and per address overall, and a
// success resets the account's count at that address.
func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 8<<10)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "The form could not be read. Please go back and try again.", http.StatusBadRequest)
		return
	}
	ctx := r.Context()
	email := strings.ToLower(strings.TrimSpace(r.PostForm.Get("email")))
	password := r.PostForm.Get("password")
	page := loginPage{Email: email}
	a := s.accounts
	ip := clientIP(r)
	accountKey := email + "\n" + ip
	refundAddress, ok := a.failsByAddress.take(ctx, ip)
	refundAccount := func() {}
	if ok && !s.knownBrowser(r, email, time.Now()) {
		if refundAccount, ok = a.failsByAccount.take(ctx, accountKey); !ok {
			refundAddress()
		}
	}
	if !ok {
		w.Header().Set("Retry-After", strconv.Itoa(int(signInAccountEvery/time.Second)))
		page.Problem = "Too many sign-in attempts. Please wait five minutes and try again."
		s.render(w, r, http.StatusTooManyRequests, "staff_login.html", page)
		return
	}
	u, err := s.store.UserByEmail(ctx, email)
	hash := dummyHash()
	switch {
	case err == nil:
		hash = u.PasswordHash
	case !errors.Is(err, store.ErrNotFound):
		refundAddress()
		refundAccount()
		s.serverError(w, r, err)
		return
	}
	ok, err = staff.CheckPassword(hash, password)
	if err != nil {
		s.log.ErrorContext(ctx, "stored password hash unreadable", "user", u.ID, "err", err)
	}
	if !ok || u == nil {
		page.Problem = "That email and password do not match an account."
		s.render(w, r, http.StatusBadRequest, "staff_login.html", page)
		return
	}
	refundAddress()
	a.failsByAccount.reset(ctx, accountKey)
	if err := s.signIn(r, u); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.rememberBrowser(w, r, email, time.Now())
	if staff.NeedsRehash(u.PasswordHash, staff.DefaultParams) {
		if err := s.store.SetPasswordHash(ctx, u.ID, staff.HashPassword(password, staff.DefaultParams)); err != nil {
			s.log.WarnContext(ctx, "could not strengthen password hash", "user", u.ID, "err", err)
		}
	}
	http.Redirect(w, r, "/staff", http.StatusSeeOther)
}

// knownValue is the known-browser cookie's value for email until
// expires: the expiry and an HMAC of both, so that it proves this browser
// signed in to this account, and nothing about the email can be read.
func (a *accounts) knownValue(email string, expires int64) string {
	m := hmac.New(sha256.New, a.knownKey)
	m.Write([]byte(strconv.FormatInt(expires, 10) + "\n" + email))
	return strconv.FormatInt(expires, 10) + "." + base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// rememberBrowser gives the browser that just signed in to email the
// cookie that exempts it from the per-account sign-in limit.
func (s *Server) rememberBrowser(w http.ResponseWriter, r *http.Request, email string, now time.Time) {
	expires := now.Add(knownBrowserFor)
	http.SetCookie(w, &http.Cookie{
		Name: knownBrowserCookie, Value: s.accounts.knownValue(email, expires.Unix()),
		Path: "/staff/login", Expires: expires, MaxAge: int(knownBrowserFor / time.Second),
		HttpOnly: true, Secure: s.secure(r), SameSite: http.SameSiteLaxMode,
	})
}

// knownBrowser reports whether r carries an unexpired cookie from signing
// in to email before.
func (s *Server) knownBrowser(r *http.Request, email string, now time.Time) bool {
	c, err := r.Cookie(knownBrowserCookie)
	if err != nil {
		return false
	}
	exp, _, ok := strings.Cut(c.Value, ".")
	expires, err := strconv.ParseInt(exp, 10, 64)
	if !ok || err != nil || expires <= now.Unix() {
		return false
	}
	return hmac.Equal([]byte(c.Value), []byte(s.accounts.knownValue(email, expires)))
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	if err := s.sessions(r).Destroy(r.Context()); err != nil {
		s.serverError(w, r, err)
		return
	}
	http.Redirect(w, r, "/", http.StatusSeeOther)
}
