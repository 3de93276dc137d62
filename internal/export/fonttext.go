package export

import (
	"encoding/binary"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// missingGlyph stands in the PDFs for a character their fonts cannot draw
// (an emoji, Hebrew, Chinese, a control character, bytes that are not
// UTF-8), so that the reader sees that something was there. fpdf itself
// fails the whole document on a character beyond the font's last one and
// draws an invisible .notdef for one missing inside it; DejaVu Sans has
// U+25A1 WHITE SQUARE in both weights.
const missingGlyph = '□'

// drawable is the set of characters both fonts of the PDFs draw: those of
// fontRanges that DejaVu Sans, regular and bold, maps to a glyph.
var drawable = sync.OnceValue(func() map[rune]bool {
	regular, bold := cmapRunes(fontRegular), cmapRunes(fontBold)
	set := make(map[rune]bool, len(regular))
	for _, r := range fontRanges {
		for c := r[0]; c <= r[1]; c++ {
			if regular[c] && bold[c] {
				set[c] = true
			}
		}
	}
	return set
})

// fontText is the one gate between text and the PDF fonts: every string a
// Document draws or measures passes through it. It composes accents with
// their letters (NFC, so "e" + U+0301 becomes the font's "é"), keeps line
// breaks, turns tabs into spaces, drops carriage returns, and replaces any
// other character the fonts cannot draw with missingGlyph.
func fontText(s string) string {
	if !strings.ContainsFunc(s, needsCare) {
		return s
	}
	s = norm.NFC.String(strings.ToValidUTF8(s, string(utf8.RuneError)))
	set := drawable()
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == '\n':
			b.WriteRune(r)
		case r == '\t':
			b.WriteByte(' ')
		case r == '\r':
		case set[r]:
			b.WriteRune(r)
		default:
			b.WriteRune(missingGlyph)
		}
	}
	return b.String()
}

// needsCare reports whether r may need replacing: every character but
// printable ASCII, which the fonts all draw (bytes that are not UTF-8
// read as U+FFFD, so they need care too).
func needsCare(r rune) bool { return r < 0x20 || r > 0x7e }

// cmapRunes returns the characters of the Basic Multilingual Plane that a
// TrueType font maps to a glyph other than .notdef, read from its cmap
// table's Windows Unicode (format 4) subtable. A font without one maps
// nothing. It reads only the embedded fonts, so it bounds every offset
// rather than trusting it.
func cmapRunes(ttf []byte) map[rune]bool {
	out := map[rune]bool{}
	u16 := func(at int) int {
		if at < 0 || at+2 > len(ttf) {
			return 0
		}
		return int(binary.BigEndian.Uint16(ttf[at:]))
	}
	u32 := func(at int) int {
		if at < 0 || at+4 > len(ttf) {
			return 0
		}
		return int(binary.BigEndian.Uint32(ttf[at:]))
	}
	cmap := -1
	for i := range u16(4) {
		rec := 12 + 16*i
		if string(ttf[min(rec, len(ttf)):min(rec+4, len(ttf))]) == "cmap" {
			cmap = u32(rec + 8)
		}
	}
	if cmap < 0 {
		return out
	}
	sub := -1
	for i := range u16(cmap + 2) {
		rec := cmap + 4 + 8*i
		if u16(rec) == 3 && u16(rec+2) == 1 {
			sub = cmap + u32(rec+4)
		}
	}
	if sub < 0 || u16(sub) != 4 {
		return out
	}
	segs := u16(sub+6) / 2
	ends, starts := sub+14, sub+16+2*segs
	deltas, offsets := starts+2*segs, starts+4*segs
	for i := range segs {
		start, end := u16(starts+2*i), u16(ends+2*i)
		delta, offset := u16(deltas+2*i), u16(offsets+2*i)
		for c := start; c <= end && c != 0xffff; c++ {
			glyph := (c + delta) & 0xffff
			if offset != 0 {
				g := u16(offsets + 2*i + offset + 2*(c-start))
				glyph = 0
				if g != 0 {
					glyph = (g + delta) & 0xffff
				}
			}
			if glyph != 0 && !unicode.IsControl(rune(c)) {
				out[rune(c)] = true
			}
		}
	}
	return out
}
