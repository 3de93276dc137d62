package store

import (
	"context"
	"net"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// silentServer listens on loopback and accepts connections that it never
// answers, as a hung database server does. It returns its address.
func silentServer(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	t.Cleanup(func() { ln.Close(); <-done })
	go func() {
		defer close(done)
		var conns []net.Conn
		defer func() {
			for _, c := range conns {
				c.Close()
			}
		}()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			conns = append(conns, c) // held open, never read or written
		}
	}()
	return ln.Addr().String()
}

// Without a connect timeout, Open against a server that accepts and never
// answers waits for as long as the kernel keeps the socket: this test
// would hang. With it, Open gives up and says so.
func TestOpenGivesUpOnASilentPostgres(t *testing.T) {
	addr := silentServer(t)
	db, err := Open(context.Background(), "postgres://unknot@"+addr+"/test?sslmode=disable")
	if err == nil {
		db.Close()
		t.Fatal("Open of a server that never answers succeeded")
	}
	t.Log(err)
}

func TestWithConnectTimeout(t *testing.T) {
	for _, c := range []struct{ dsn, want string }{
		{"postgres://u:p%40ss@db.example:5432/app", "5"},
		{"postgres://u@db.example/app?sslmode=require", "5"},
		{"postgresql://u@db.example/app?connect_timeout=20&sslmode=disable", "20"},
	} {
		got := withConnectTimeout(c.dsn)
		u, err := url.Parse(got)
		if err != nil {
			t.Fatalf("withConnectTimeout(%q) = %q: %v", c.dsn, got, err)
		}
		if v := u.Query().Get("connect_timeout"); v != c.want {
			t.Errorf("withConnectTimeout(%q) = %q: connect_timeout %q, want %q", c.dsn, got, v, c.want)
		}
		if p, _ := u.User.Password(); c.dsn == "postgres://u:p%40ss@db.example:5432/app" && p != "p@ss" {
			t.Errorf("withConnectTimeout(%q) = %q: password %q", c.dsn, got, p)
		}
	}
}

// freezer is a TCP proxy in front of a database that the test can freeze:
// from then on it forwards nothing, in either direction, on the
// connections open and on new ones, which it accepts and holds, as a
// database server that stops answering does.
type freezer struct {
	ln      net.Listener
	target  string
	frozen  atomic.Bool
	release chan struct{} // closed when the test ends
}

func newFreezer(t *testing.T, target string) *freezer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	f := &freezer{ln: ln, target: target, release: make(chan struct{})}
	var wg sync.WaitGroup
	wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Go(func() { f.serve(c) })
		}
	})
	t.Cleanup(func() { ln.Close(); close(f.release); wg.Wait() })
	return f
}

// serve forwards between c and the database until either side closes,
// or holds c without a word while the freezer is frozen.
func (f *freezer) serve(c net.Conn) {
	defer c.Close()
	if f.frozen.Load() {
		<-f.release
		return
	}
	db, err := net.Dial("tcp", f.target)
	if err != nil {
		return
	}
	defer db.Close()
	done := make(chan struct{}, 2)
	pipe := func(dst, src net.Conn) {
		defer func() { done <- struct{}{} }()
		buf := make([]byte, 32<<10)
		for {
			n, err := src.Read(buf)
			if f.frozen.Load() {
				<-f.release
				return
			}
			if n > 0 {
				if _, err := dst.Write(buf[:n]); err != nil {
					return
				}
			}
			if err != nil {
				return
			}
		}
	}
	go pipe(db, c)
	go pipe(c, db)
	select {
	case <-done:
	case <-f.release:
	}
}

// Against a PostgreSQL server that stops answering, reads, writes and
// pings end at their context's deadline with an error, instead of waiting
// for the connection to die (without the deadline, this test hangs).
func TestQueriesEndAtTheDeadlineOnAHungPostgres(t *testing.T) {
	dsn := postgresDSN(t)
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	f := newFreezer(t, u.Host)
	u.Host = f.ln.Addr().String()
	db := openTest(t, u.String())
	saved := newAssessment()
	if err := db.CreateAssessment(context.Background(), saved); err != nil {
		t.Fatal(err)
	}
	f.frozen.Store(true)

	for name, call := range map[string]func(ctx context.Context) error{
		"ping": db.Ping,
		"read": func(ctx context.Context) error {
			_, err := db.AssessmentByToken(ctx, saved.TokenHash)
			return err
		},
		"write": func(ctx context.Context) error { return db.CreateAssessment(ctx, newAssessment()) },
	} {
		const deadline = 200 * time.Millisecond
		ctx, cancel := context.WithTimeout(context.Background(), deadline)
		start := time.Now()
		err := call(ctx)
		took := time.Since(start)
		cancel()
		// The error need not wrap the deadline: database/sql may answer
		// "bad connection" for a connection the driver gave up on, and a
		// grouped write ends on its batch's deadline, the same instant
		// as its caller's. What matters is that it ends, with an error,
		// when the deadline comes and not before.
		if err == nil || took < deadline {
			t.Errorf("%s on a hung database: %v after %v", name, err, took)
		}
	}
}
