package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"

	"unknot/internal/care"
	"unknot/internal/library"
	"unknot/internal/terminal"
	"unknot/internal/valid"
)

// cmdCheck runs the self-check from a file, standard input or questions.
func cmdCheck(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := newFlags("check", stderr)
	answersPath := fs.String("answers", "", "read Answers (JSON, contract version 2) from `FILE`, or - for standard input; without it the questions are asked")
	format := fs.String("format", "text", "output `format`: text or json")
	emergency := addEmergencyFlag(fs)
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if !oneOf(stderr, "format", *format, "text", "json") {
		return exitUsage
	}
	numbers, err := emergencyNumbers(*emergency)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitUsage
	}

	var answers care.Answers
	if *answersPath != "" {
		answers, err = readAnswers(*answersPath, stdin)
	} else {
		prompts := stdout
		if *format == "json" {
			prompts = stderr // keep standard output clean JSON
		}
		answers, err = askAnswers(stdin, prompts)
	}
	var errs valid.Errors
	switch {
	case errors.As(err, &errs):
		return badInput(stderr, errs)
	case errors.Is(err, terminal.ErrInputEnded):
		fmt.Fprintln(stderr, "\nunknot check: the input ended before the last question; nothing was assessed.")
		return exitUsage
	case err != nil:
		fmt.Fprintf(stderr, "unknot check: %v\n", err)
		return exitUsage
	}

	lib := library.Default()
	result := care.Assess(lib, answers)
	if *format == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(result); err != nil {
			fmt.Fprintf(stderr, "unknot check: writing result: %v\n", err)
			return exitFailure
		}
		return exitOK
	}
	terminal.WriteResult(stdout, lib, result, numbers)
	return exitOK
}

// maxAnswers bounds what --answers reads, from a file or standard input
// alike: answers are a few kilobytes, and a file such as /dev/zero must not
// be read until memory runs out.
const maxAnswers = 1 << 20

// readAnswers reads and parses Answers from a file or, for "-", stdin. More
// than maxAnswers bytes is a problem with the answers, not cut off silently.
func readAnswers(path string, stdin io.Reader) (care.Answers, error) {
	in := stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return care.Answers{}, fmt.Errorf("reading answers: %w", err)
		}
		defer f.Close()
		in = f
	}
	data, err := io.ReadAll(io.LimitReader(in, maxAnswers+1))
	if err != nil {
		return care.Answers{}, fmt.Errorf("reading answers: %w", err)
	}
	if len(data) > maxAnswers {
		return care.Answers{}, valid.Errors{{Field: "answers", Message: "must be at most 1 MiB"}}
	}
	return care.Parse(data)
}

// askAnswers asks the questions on the terminal. Ctrl-C leaves at once with
// a short note, and nothing is kept.
func askAnswers(stdin io.Reader, out io.Writer) (care.Answers, error) {
	interrupted := make(chan os.Signal, 1)
	signal.Notify(interrupted, os.Interrupt)
	defer func() {
		signal.Stop(interrupted)
		close(interrupted)
	}()
	go func() {
		if _, ok := <-interrupted; ok {
			fmt.Fprintln(out, "\nStopped. Nothing was saved.")
			os.Exit(130)
		}
	}()
	return terminal.Ask(stdin, out)
}
