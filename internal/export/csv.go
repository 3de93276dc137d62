package export

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"unknot/internal/diary"
)

// csvHeader names the diary's columns.
var csvHeader = []string{"date", "time", "at", "pain", "regions", "done", "routine", "program_day", "note"}

// DiaryCSV writes the diary as CSV (RFC 4180: a header, CRLF line ends,
// quoting where needed), one row per entry in the order given, times in loc.
// A pain of "" is an entry without a score; lists are separated by
// semicolons. Every cell that a spreadsheet would take for a formula is
// neutralised (see cell).
func DiaryCSV(w io.Writer, entries []diary.Entry, loc *time.Location) error {
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write(csvHeader); err != nil {
		return fmt.Errorf("writing CSV: %w", err)
	}
	for _, e := range entries {
		at := e.At.In(loc)
		pain := ""
		if e.Scored() {
			pain = strconv.Itoa(e.Pain)
		}
		day := ""
		if e.Day > 0 {
			day = strconv.Itoa(e.Day)
		}
		row := []string{
			at.Format("2006-01-02"),
			at.Format("15:04"),
			at.Format(time.RFC3339),
			pain,
			strings.Join(e.Regions, ";"),
			strings.Join(e.Done, ";"),
			strconv.FormatBool(e.Routine),
			day,
			e.Note,
		}
		for i := range row {
			row[i] = cell(row[i])
		}
		if err := cw.Write(row); err != nil {
			return fmt.Errorf("writing CSV: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("writing CSV: %w", err)
	}
	return nil
}

// cell neutralises free text that a spreadsheet would run as a formula
// (OWASP: CSV injection): text starting with =, +, -, @, a tab or a
// carriage return gets a leading apostrophe, which spreadsheets show as text.
func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
