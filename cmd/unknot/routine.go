package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strings"
	"time"

	"unknot/internal/care"
	"unknot/internal/diary"
	"unknot/internal/library"
	"unknot/internal/program"
	"unknot/internal/routine"
	"unknot/internal/secret"
	"unknot/internal/store"
	"unknot/internal/valid"
)

// exitInterrupted is the exit code after Ctrl-C, as shells report SIGINT.
const exitInterrupted = 130

// cmdRoutine guides through today's routine in the terminal with a live
// countdown: from a saved plan (whose diary then logs it) or from answers
// assessed on the spot.
func cmdRoutine(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := newFlags("routine", stderr)
	planFlag := fs.String("plan", "", "follow the saved plan behind a private link: its `TOKEN` or the whole /plan/… address")
	answersPath := fs.String("answers", "", "assess Answers (JSON) from `FILE`, or - for standard input, and follow that plan")
	dsn := fs.String("db", env("UNKNOT_DB", defaultDB), "SQLite file `PATH`, or a postgres:// URL, of the saved plan (UNKNOT_DB)")
	day := fs.Int("day", 0, "program `day` 1–7 (default: the saved plan's day today, or day 1)")
	speed := fs.Int("speed", 1, "run the countdown `N` times faster, 1–100")
	noWait := fs.Bool("no-wait", false, "print every step and segment without waiting")
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	var problems []string
	if (*planFlag == "") == (*answersPath == "") {
		problems = append(problems, "give either --plan TOKEN or --answers FILE")
	}
	if *day < 0 || *day > 7 {
		problems = append(problems, "--day: must be between 1 and 7")
	}
	if *speed < 1 || *speed > 100 {
		problems = append(problems, "--speed: must be between 1 and 100")
	}
	token := planToken(*planFlag)
	if *planFlag != "" && !secret.Valid(token) {
		problems = append(problems, "--plan: is not the token of a private plan link")
	}
	if len(problems) > 0 {
		for _, p := range problems {
			fmt.Fprintln(stderr, "unknot routine: "+p)
		}
		return exitUsage
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	lib := library.Default()
	var t today
	var err error
	if token != "" {
		t, err = savedToday(ctx, *dsn, token, *day)
	} else {
		t, err = assessedToday(lib, *answersPath, stdin, *day)
	}
	var errs valid.Errors
	switch {
	case errors.As(err, &errs):
		return badInput(stderr, errs)
	case errors.Is(err, store.ErrNotFound):
		fmt.Fprintln(stderr, "unknot routine: --plan: no plan is saved under this link in "+*dsn)
		return exitUsage
	case err != nil:
		fmt.Fprintf(stderr, "unknot routine: %v\n", err)
		return exitFailure
	}
	if t.close != nil {
		defer t.close()
	}
	if t.result.Plan == nil {
		fmt.Fprintf(stdout, "%s\nThere is no routine for now: exercise and massage should wait until a doctor has seen you.\n", t.result.Headline)
		return exitOK
	}

	if from := t.result.Plan.From; from != "" {
		fmt.Fprintf(stdout, "Your home program from %s.\n", from)
	}
	steps := routine.Today(t.result.Plan, t.day, t.phase, lib)
	g := guide{out: stdout, speed: *speed, wait: !*noWait}
	done, err := g.run(ctx, t.day, steps)
	if errors.Is(err, context.Canceled) {
		fmt.Fprintln(stdout, "\nStopped. Nothing was logged; you can start again at any time.")
		return exitInterrupted
	}
	if err != nil {
		fmt.Fprintf(stderr, "unknot routine: %v\n", err)
		return exitFailure
	}
	if t.log != nil {
		ctx, cancel := cliContext()
		defer cancel()
		if err := t.log(ctx, done); err != nil {
			fmt.Fprintf(stderr, "unknot routine: logging it in your diary: %v\n", err)
			return exitFailure
		}
		fmt.Fprintln(stdout, "It is in your diary.")
	}
	return exitOK
}

// today is the routine to follow: the result with its plan, the program
// day and phase, and, for a saved plan, how to log it when finished.
type today struct {
	result care.Result
	day    int
	phase  string
	log    func(ctx context.Context, done []string) error
	close  func() error
}

// planToken takes the token out of a private link, or returns v as it is.
func planToken(v string) string {
	if _, rest, ok := strings.Cut(v, "/plan/"); ok {
		v, _, _ = strings.Cut(rest, "/")
	}
	return strings.TrimSpace(v)
}

// savedToday loads the plan saved under token with its diary; its
// progress sets today's day (unless day overrides it) and phase.
func savedToday(ctx context.Context, dsn, token string, day int) (today, error) {
	db, err := store.Open(ctx, dsn)
	if err != nil {
		return today{}, err
	}
	// The plan as its pages read it (store.PlanDiary: the diary summed
	// up, not every entry), under the command's deadline.
	now := time.Now()
	readCtx, cancel := cliContext()
	defer cancel()
	x, err := db.PlanDiary(readCtx, secret.Hash(token), 0, now)
	if err != nil {
		db.Close()
		return today{}, err
	}
	var t today
	var answers care.Answers
	if err := errors.Join(json.Unmarshal(x.Assessment.Result, &t.result), json.Unmarshal(x.Assessment.Answers, &answers)); err != nil {
		db.Close()
		return today{}, fmt.Errorf("reading the saved plan: %w", err)
	}
	created := x.Assessment.CreatedAt
	p := diary.AssessSummary(created.AddDate(0, 0, -answers.DurationDays), created, x.Summary, x.Rechecks, x.Settings.Location(), now)
	t.day = p.ProgramDay
	current, therapist := x.Program.Followed() // a therapist's home program takes the routine's place
	t.result.Plan, t.phase = program.Follow(&t.result, current, therapist, p.Phase, p.LatestPain, answers.PainNow)
	if day > 0 {
		t.day = day
	}
	t.log = func(ctx context.Context, done []string) error {
		e := diary.RoutineEntry(time.Now(), t.day, done)
		return db.AddEntry(ctx, x.Assessment.ID, &e)
	}
	t.close = db.Close
	return t, nil
}

// assessedToday runs the self-check on answers from a file or stdin; the
// phase follows the program day as a new plan's does.
func assessedToday(lib *library.Library, path string, stdin io.Reader, day int) (today, error) {
	answers, err := readAnswers(path, stdin)
	if err != nil {
		return today{}, err
	}
	t := today{result: care.Assess(lib, answers), day: max(day, 1)}
	now := time.Now()
	start := now.AddDate(0, 0, 1-t.day) // the plan began day−1 days ago
	t.phase = diary.Assess(start.AddDate(0, 0, -answers.DurationDays), start, nil, nil, time.UTC, now).Phase
	return t, nil
}

// guide writes the routine to a terminal, waiting through every segment
// with a countdown updated in place, unless wait is off.
type guide struct {
	out   io.Writer
	speed int
	wait  bool
}

// run goes through steps and returns the exercises done. It stops with
// ctx's error when ctx ends (Ctrl-C).
func (g guide) run(ctx context.Context, day int, steps []routine.Step) ([]string, error) {
	fmt.Fprintf(g.out, "Day %d: %d exercises, about %d minutes. Move gently; stop anything that makes the pain sharper.\n",
		day, len(steps), (routine.Total(steps)+59)/60)
	var done []string
	for i, s := range steps {
		fmt.Fprintf(g.out, "\n[%d/%d] %s (%s): %s\n", i+1, len(steps), s.Name, s.Session, s.Dose)
		for j, line := range s.Steps {
			fmt.Fprintf(g.out, "  %d. %s\n", j+1, line)
		}
		if s.Note != "" {
			fmt.Fprintf(g.out, "  Note: %s\n", s.Note)
		}
		for _, seg := range s.Segments {
			if err := g.segment(ctx, seg); err != nil {
				return done, err
			}
		}
		if !slices.Contains(done, s.Exercise) {
			done = append(done, s.Exercise)
		}
	}
	fmt.Fprintln(g.out, "\nDone for today. Well done.")
	return done, nil
}

// segment shows one segment: with waiting, a line that counts down each
// second in place and a bell at the end of the work; without, one line.
func (g guide) segment(ctx context.Context, seg routine.Segment) error {
	if !g.wait {
		fmt.Fprintf(g.out, "  %s: %d s\n", seg.Label, seg.Seconds)
		return ctx.Err()
	}
	tick := time.Second / time.Duration(g.speed)
	for left := seg.Seconds; left > 0; left-- {
		fmt.Fprintf(g.out, "\r  %-34s %4s ", seg.Label, clock(left))
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(tick):
		}
	}
	bell := ""
	if seg.Kind != routine.Ready && seg.Kind != routine.Rest && seg.Kind != routine.Switch {
		bell = "\a"
	}
	fmt.Fprintf(g.out, "\r  %-34s %4s %s\n", seg.Label, "✓", bell)
	return nil
}

// clock writes seconds as 42 or 2:05.
func clock(s int) string {
	if s < 60 {
		return fmt.Sprint(s)
	}
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}
