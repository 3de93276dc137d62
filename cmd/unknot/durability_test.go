package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// childArgs, when set in the environment, makes the test binary run the
// command line it holds (arguments separated by newlines) instead of the
// tests: how the durability test starts a real server it can kill.
const childArgs = "UNKNOT_TEST_CHILD_ARGS"

func TestMain(m *testing.M) {
	if args := os.Getenv(childArgs); args != "" {
		os.Exit(run(strings.Split(args, "\n"), os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// createPlan saves a self-check through the API and returns its token.
func createPlan(t testing.TB, base string) string {
	t.Helper()
	resp, err := http.Post(base+"/api/v1/assessments", "application/json", strings.NewReader(deskAnswers))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var created struct{ Token string }
	json.NewDecoder(resp.Body).Decode(&created)
	if resp.StatusCode != http.StatusCreated || created.Token == "" {
		t.Fatalf("creating a plan: %d", resp.StatusCode)
	}
	return created.Token
}

// startServer runs `unknot serve` on db in a child process, with write
// limits off unless extra sets them, and returns it with its base URL once
// it listens. extra are more flags of unknot serve. Its log is shown if
// the test fails.
func startServer(t testing.TB, db string, extra ...string) (*exec.Cmd, string) {
	t.Helper()
	args := append([]string{
		"serve", "--addr", "127.0.0.1:0", "--db", db, "--write-rate", "1000000", "--write-burst", "1000000",
	}, extra...)
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childArgs+"="+strings.Join(args, "\n"))
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var log lockedBuffer
	cmd.Stderr = &log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		if t.Failed() {
			t.Logf("log of unknot serve (pid %d):\n%s", cmd.Process.Pid, log.String())
		}
	})
	ready := regexp.MustCompile(`running at (http://[0-9.:]+)`)
	lines := bufio.NewScanner(out)
	deadline := time.AfterFunc(30*time.Second, func() { cmd.Process.Kill() })
	defer deadline.Stop()
	for lines.Scan() {
		if m := ready.FindStringSubmatch(lines.Text()); m != nil {
			go io.Copy(io.Discard, out)
			return cmd, m[1]
		}
	}
	t.Fatalf("server did not start:\n%s", log.String())
	return nil, ""
}

// lockedBuffer is a bytes.Buffer that a child process and the test may
// use at once.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// Every diary entry the server acknowledged (201) is still there after the
// server is killed with SIGKILL in the middle of a load of writes and
// started again on the same database.
func TestDurabilityUnderSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("starts and kills a server")
	}
	db := filepath.Join(t.TempDir(), "unknot.db")
	server, base := startServer(t, db)
	token := createPlan(t, base)
	entries := base + "/api/v1/plans/" + token + "/entries"

	var (
		mu    sync.Mutex
		acked = map[string]bool{} // notes of acknowledged entries
		wg    sync.WaitGroup
		stop  = make(chan struct{})
	)
	client := &http.Client{Timeout: 5 * time.Second}
	for w := range 8 {
		wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				note := fmt.Sprintf("worker %d entry %d", w, i)
				resp, err := client.Post(entries, "application/json", strings.NewReader(fmt.Sprintf(`{"pain":%d,"note":%q}`, i%11, note)))
				if err != nil {
					return // the server is gone
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode == http.StatusCreated {
					mu.Lock()
					acked[note] = true
					mu.Unlock()
				}
			}
		})
	}
	// Kill once the load is well under way.
	start := time.Now()
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		mu.Lock()
		n := len(acked)
		mu.Unlock()
		if n >= 2000 || time.Now().After(deadline) {
			break
		}
	}
	if err := server.Process.Kill(); err != nil { // SIGKILL
		t.Fatal(err)
	}
	server.Wait()
	elapsed := time.Since(start)
	close(stop)
	wg.Wait()
	if len(acked) < 100 {
		t.Fatalf("only %d entries acknowledged before the kill", len(acked))
	}

	_, base = startServer(t, db)
	// The entries API answers in pages; follow them all.
	found := map[string]bool{}
	total := 0
	for next := base + "/api/v1/plans/" + token + "/entries?limit=1000"; next != ""; {
		resp, err := http.Get(next)
		if err != nil {
			t.Fatal(err)
		}
		var page struct {
			Entries []struct{ Note string }
			Next    string
		}
		err = json.NewDecoder(resp.Body).Decode(&page)
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range page.Entries {
			found[e.Note] = true
		}
		total += len(page.Entries)
		next = page.Next
	}
	lost := 0
	for note := range acked {
		if !found[note] {
			lost++
		}
	}
	t.Logf("%d entries acknowledged in %v before SIGKILL (%.0f writes/s from 8 clients), %d found after restart, %d lost",
		len(acked), elapsed.Round(time.Millisecond), float64(len(acked))/elapsed.Seconds(), total, lost)
	if lost > 0 {
		t.Errorf("%d acknowledged entries lost", lost)
	}
}

// BenchmarkLogEntriesLoopback is the load test of logging diary entries:
// the real server in its own process on SQLite, 8 clients posting entries
// over loopback (goal: 2,000 writes/s or more).
func BenchmarkLogEntriesLoopback(b *testing.B) {
	_, base := startServer(b, filepath.Join(b.TempDir(), "unknot.db"))
	url := base + "/api/v1/plans/" + createPlan(b, base) + "/entries"
	client := &http.Client{Timeout: 5 * time.Second}
	b.SetParallelism(8) // 16 clients on 2 cores
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for i := 0; pb.Next(); i++ {
			resp, err := client.Post(url, "application/json", strings.NewReader(fmt.Sprintf(`{"pain":%d,"regions":["back_of_neck"],"note":"load"}`, i%11)))
			if err != nil {
				b.Error(err)
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusCreated {
				b.Errorf("status %d", resp.StatusCode)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "writes/s")
}
