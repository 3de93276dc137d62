package comments

import (
	"fmt"
	"html/template"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"
)

func TestDraftClean(t *testing.T) {
	long := strings.Repeat("é", MaxBody+1)
	tests := []struct {
		name  string
		draft Draft
		want  []string // fields with problems
	}{
		{"fine", Draft{Name: " Ana ", Body: " Heat helped me.\r\n "}, nil},
		{"fine with email", Draft{Name: "Ana", Body: "x", Email: "ana@example.com", Notify: true}, nil},
		{"email ignored without notify", Draft{Name: "Ana", Body: "x", Email: "not an address"}, nil},
		{"empty", Draft{}, []string{"name", "body"}},
		{"spaces only", Draft{Name: "  ", Body: "\n\t"}, []string{"name", "body"}},
		{"name too long", Draft{Name: strings.Repeat("a", MaxName+1), Body: "x"}, []string{"name"}},
		{"name on two lines", Draft{Name: "A\nB", Body: "x"}, []string{"name"}},
		{"body too long", Draft{Name: "A", Body: long}, []string{"body"}},
		{"control character", Draft{Name: "A", Body: "a\x00b"}, []string{"body"}},
		{"notify without email", Draft{Name: "A", Body: "x", Notify: true}, []string{"email"}},
		{"bad email", Draft{Name: "A", Body: "x", Email: "ana@", Notify: true}, []string{"email"}},
		{"display name", Draft{Name: "A", Body: "x", Email: "Ana <ana@example.com>", Notify: true}, []string{"email"}},
		{"no dot in domain", Draft{Name: "A", Body: "x", Email: "ana@localhost", Notify: true}, []string{"email"}},
		{"negative parent", Draft{Name: "A", Body: "x", ParentID: -1}, []string{"parent"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := tt.draft
			errs := d.Clean()
			var got []string
			for _, e := range errs {
				got = append(got, e.Field)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("fields with problems = %v, want %v (%v)", got, tt.want, errs)
			}
		})
	}
	d := Draft{Name: " Ana ", Body: " a\r\nb ", Email: "ana@example.com"}
	d.Clean()
	if d.Name != "Ana" || d.Body != "a\nb" || d.Email != "" {
		t.Errorf("cleaned draft = %+v", d)
	}
}

func TestParseFeedback(t *testing.T) {
	tests := []struct {
		helpful, note string
		want          Feedback
		fields        []string
	}{
		{"yes", "", Feedback{Helpful: true}, nil},
		{"no", "  too long to read ", Feedback{Note: "too long to read"}, nil},
		{"maybe", "", Feedback{}, []string{"helpful"}},
		{"", "", Feedback{}, []string{"helpful"}},
		{"yes", strings.Repeat("ü", MaxNote), Feedback{Helpful: true, Note: strings.Repeat("ü", MaxNote)}, nil},
		{"yes", strings.Repeat("ü", MaxNote+1), Feedback{Helpful: true, Note: strings.Repeat("ü", MaxNote+1)}, []string{"note"}},
		{"no", "bell\x07", Feedback{Note: "bell\x07"}, []string{"note"}},
	}
	for _, tt := range tests {
		got, errs := ParseFeedback(tt.helpful, tt.note)
		var fields []string
		for _, e := range errs {
			fields = append(fields, e.Field)
		}
		if got != tt.want || !slices.Equal(fields, tt.fields) {
			t.Errorf("ParseFeedback(%q, %q) = %+v, %v; want %+v, %v", tt.helpful, tt.note, got, fields, tt.want, tt.fields)
		}
	}
}

func TestRender(t *testing.T) {
	const rel = `" rel="nofollow ugc noopener">`
	tests := []struct {
		in   string
		want template.HTML
	}{
		{"", ""},
		{"Heat helped.", "<p>Heat helped.</p>"},
		{"line one\nline two", "<p>line one<br>line two</p>"},
		{"para one\r\n\r\n  \npara two", "<p>para one</p><p>para two</p>"},
		{"<script>alert(1)</script>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"},
		{`"quoted" & 'single'`, "<p>&#34;quoted&#34; &amp; &#39;single&#39;</p>"},
		{"See https://www.nhs.uk/conditions/neck-pain/.", `<p>See <a href="https://www.nhs.uk/conditions/neck-pain/` + rel + `https://www.nhs.uk/conditions/neck-pain/</a>.</p>`},
		{"(see https://en.wikipedia.org/wiki/Trapezius_(muscle))", `<p>(see <a href="https://en.wikipedia.org/wiki/Trapezius_(muscle)` + rel + `https://en.wikipedia.org/wiki/Trapezius_(muscle)</a>)</p>`},
		{"javascript:alert(1)", "<p>javascript:alert(1)</p>"},
		{"http://a.example/?q=<b>", `<p><a href="http://a.example/?q=` + rel + `http://a.example/?q=</a>&lt;b&gt;</p>`},
		{`http://x.example/"onmouseover="alert(1)`, `<p><a href="http://x.example/` + rel + `http://x.example/</a>&#34;onmouseover=&#34;alert(1)</p>`},
		{"HTTPS://Example.com/A", `<p><a href="https://Example.com/A` + rel + `HTTPS://Example.com/A</a></p>`},
		{"http:// nothing", "<p>http:// nothing</p>"},
		{"http://user:pw@evil.example/", "<p>http://user:pw@evil.example/</p>"},
	}
	for _, tt := range tests {
		if got := Render(tt.in); got != tt.want {
			t.Errorf("Render(%q)\n got %s\nwant %s", tt.in, got, tt.want)
		}
	}
}

// checkMarkup fails unless out holds only the markup Render makes:
// p, br, and a with an http(s) href and rel LinkRel.
func checkMarkup(t *testing.T, in string, out template.HTML) {
	t.Helper()
	z := html.NewTokenizer(strings.NewReader(string(out)))
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			tok := z.Token()
			switch tok.Data {
			case "p", "br":
				if len(tok.Attr) > 0 {
					t.Fatalf("Render(%q) = %q: <%s> with attributes", in, out, tok.Data)
				}
			case "a":
				if tt != html.StartTagToken {
					continue
				}
				if len(tok.Attr) != 2 || tok.Attr[0].Key != "href" || tok.Attr[1].Key != "rel" || tok.Attr[1].Val != LinkRel ||
					!(strings.HasPrefix(tok.Attr[0].Val, "http://") || strings.HasPrefix(tok.Attr[0].Val, "https://")) {
					t.Fatalf("Render(%q) = %q: link %v", in, out, tok.Attr)
				}
			default:
				t.Fatalf("Render(%q) = %q: tag <%s> that Render does not make", in, out, tok.Data)
			}
		case html.CommentToken, html.DoctypeToken:
			t.Fatalf("Render(%q) = %q: %v", in, out, tt)
		}
	}
}

func FuzzRender(f *testing.F) {
	for _, s := range []string{
		"plain", "<b>bold</b>", "a\n\nb", "https://example.com/x?y=<z>", "<a href=\"javascript:x\">x</a>",
		"http://a.example/\"><script>", "<!-- c -->", "&lt;p&gt;", "<svg onload=x>", "http://[::1]/", "http://%zz",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		checkMarkup(t, in, Render(in))
	})
}

func TestThread(t *testing.T) {
	c := func(id, parent int64) Comment { return Comment{ID: id, ParentID: parent} }
	got := Thread([]Comment{c(1, 0), c(2, 1), c(3, 0), c(4, 2), c(5, 1), c(6, 99), c(7, 6)}, 1)
	want := "1[2 4 5] 3"
	if s := shape(got); s != want {
		t.Errorf("Thread depth 1 = %s, want %s", s, want)
	}
	got = Thread([]Comment{c(1, 0), c(2, 1), c(3, 2), c(4, 3)}, 2)
	if s := shape(got); s != "1[2[3 4]]" {
		t.Errorf("Thread depth 2 = %s", s)
	}
	if got[0].Replies[0].Replies[1].ParentID != 3 {
		t.Error("Thread changed the parent of a comment it moved up")
	}
}

func shape(ns []*Node) string {
	parts := make([]string, len(ns))
	for i, n := range ns {
		parts[i] = fmt.Sprint(n.ID)
		if len(n.Replies) > 0 {
			parts[i] += "[" + shape(n.Replies) + "]"
		}
	}
	return strings.Join(parts, " ")
}

// TestThreadProperties checks on random forests that every comment whose
// ancestors are all present appears exactly once, no deeper than maxDepth,
// and in its original order among its siblings.
func TestThreadProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 500 {
		n := r.IntN(40)
		var cs []Comment
		present := map[int64]bool{}
		for id := int64(1); id <= int64(n); id++ {
			parent := int64(0)
			if id > 1 && r.IntN(3) > 0 {
				parent = r.Int64N(id-1) + 1
			}
			cs = append(cs, Comment{ID: id, ParentID: parent})
		}
		// Drop a few, as if held: their replies must go too.
		kept := cs[:0:0]
		for _, c := range cs {
			if r.IntN(8) == 0 || (c.ParentID != 0 && !present[c.ParentID]) {
				continue
			}
			present[c.ID] = true
			kept = append(kept, c)
		}
		maxDepth := 1 + r.IntN(3)
		threads := Thread(kept, maxDepth)
		seen := map[int64]int{}
		var walk func(ns []*Node, depth int)
		walk = func(ns []*Node, depth int) {
			for i, nd := range ns {
				if depth > maxDepth {
					t.Fatalf("comment %d at depth %d > %d", nd.ID, depth, maxDepth)
				}
				seen[nd.ID]++
				if i > 0 && ns[i-1].ID > nd.ID {
					t.Fatalf("siblings out of order: %d before %d", ns[i-1].ID, nd.ID)
				}
				walk(nd.Replies, depth+1)
			}
		}
		walk(threads, 0)
		if len(seen) != len(kept) || Count(threads) != len(kept) {
			t.Fatalf("threads hold %d comments, want %d", len(seen), len(kept))
		}
		for id, k := range seen {
			if k != 1 || !present[id] {
				t.Fatalf("comment %d shown %d times (present %v)", id, k, present[id])
			}
		}
	}
}

func TestStamp(t *testing.T) {
	key := []byte("test key")
	now := time.Unix(1_800_000_000, 0)
	good := Stamp(key, now.Add(-time.Minute))
	tests := []struct {
		name  string
		stamp string
		want  error
	}{
		{"fine", good, nil},
		{"too fast", Stamp(key, now.Add(-time.Second)), ErrTooFast},
		{"stale", Stamp(key, now.Add(-48*time.Hour)), ErrStaleStamp},
		{"other key", Stamp([]byte("other"), now.Add(-time.Minute)), ErrBadStamp},
		{"changed time", "1799999000" + good[strings.IndexByte(good, '.'):], ErrBadStamp},
		{"empty", "", ErrBadStamp},
		{"garbage", "x.y", ErrBadStamp},
		{"no random part", "1799999940." + sign(key, "1799999940"), ErrBadStamp},
	}
	for _, tt := range tests {
		if err := CheckStamp(key, tt.stamp, now, 3*time.Second, 24*time.Hour); err != tt.want {
			t.Errorf("%s: CheckStamp = %v, want %v", tt.name, err, tt.want)
		}
	}
	if again := Stamp(key, now.Add(-time.Minute)); again == good {
		t.Error("two forms served in the same second have the same stamp")
	}
}

func TestSignals(t *testing.T) {
	tests := []struct {
		body string
		want []string
	}{
		{"Heat and the doorway stretch helped me a lot, thank you.", nil},
		{"see http://a.example http://b.example http://c.example", []string{"many links"}},
		{"BUY CHEAP PILLS NOW FROM OUR SHOP TODAY", []string{"mostly capitals"}},
		{"sooooooooooooo good", []string{"a character repeated many times"}},
		{"a\n\n\n\n\n\n\n\n\n\n\n\nb          c", nil},
	}
	for _, tt := range tests {
		if got := Signals(tt.body); !slices.Equal(got, tt.want) {
			t.Errorf("Signals(%q) = %v, want %v", tt.body, got, tt.want)
		}
	}
}

func BenchmarkRender(b *testing.B) {
	text := "The doorway stretch helped me a lot. I hold it for 30 seconds, three times.\n\nThis page helped too: https://www.nhs.uk/conditions/neck-pain/ and my physio's advice."
	for b.Loop() {
		Render(text)
	}
}

// FuzzCheckStamp checks that no string but one Stamp made with the key is
// accepted, and that nothing makes the check panic.
func FuzzCheckStamp(f *testing.F) {
	key := []byte("fuzz key")
	now := time.Unix(1_800_000_000, 0)
	f.Add(Stamp(key, now.Add(-time.Minute)))
	f.Add("1799999940.")
	f.Add("-1.x")
	f.Add("99999999999999999999.abc")
	f.Add("1799999940." + sign(key, "1799999940"))
	f.Fuzz(func(t *testing.T, stamp string) {
		err := CheckStamp(key, stamp, now, 0, 100*365*24*time.Hour)
		ts, rest, _ := strings.Cut(stamp, ".")
		random, _, _ := strings.Cut(rest, ".")
		if err == nil && stamp != ts+"."+random+"."+sign(key, ts+"."+random) {
			t.Fatalf("accepted %q, which Stamp did not make", stamp)
		}
	})
}
