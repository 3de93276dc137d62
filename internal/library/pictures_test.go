package library

import (
	"bytes"
	"encoding/xml"
	"io"
	"regexp"
	"strings"
	"testing"
)

// pictureIDs is the contract's exercise library; kept here so this test does
// not depend on the loader.
var pictureIDs = []string{
	"chin_tuck", "neck_rotation", "shoulder_rolls", "upper_back_rotation",
	"cat_cow", "thread_the_needle", "thoracic_extension_towel", "open_book",
	"posture_reset", "ear_to_shoulder", "levator_scapulae_stretch",
	"doorway_chest_stretch", "side_bend", "childs_pose",
	"shoulder_blade_squeeze", "wall_slide", "wall_angel", "snow_angel",
	"resistance_band_row", "tennis_ball_release", "foam_roll_upper_back",
	"fingertip_circles", "suboccipital_release", "heat_pack", "cold_pack",
	"warm_shower", "deep_breathing", "brisk_walk",
}

var externalHref = regexp.MustCompile(`(?i)href\s*=\s*["']?\s*https?:`)

func TestPictureEveryExercise(t *testing.T) {
	for _, id := range pictureIDs {
		t.Run(id, func(t *testing.T) {
			b, ok := Picture(id)
			if !ok {
				t.Fatalf("no picture for %q", id)
			}
			if len(b) > 4*1024 {
				t.Errorf("%d bytes, want at most 4 KB", len(b))
			}
			low := strings.ToLower(string(b))
			if strings.Contains(low, "<script") {
				t.Error("contains a script")
			}
			if externalHref.MatchString(low) {
				t.Error("references an external http(s) resource")
			}
			checkSVG(t, b)
			checkMotion(t, id, string(b))
		})
	}
}

// checkMotion checks the animation between the two positions: the start
// position is a group that a use repeats over the end position, both fade
// into each other, and a reader who asks for reduced motion gets the two
// still positions side by side.
func checkMotion(t *testing.T, id, svg string) {
	t.Helper()
	for _, want := range []string{
		`<g id="` + id + `-m">`,
		`<use href="#` + id + `-m" x="170" class="s"/>`,
		`<g class="e">`,
		`@keyframes`,
		`@media (prefers-reduced-motion:reduce){.e,.s{animation:none}.s{opacity:0}}`,
		`>1 Start</text>`,
		`>2 End</text>`,
	} {
		if !strings.Contains(svg, want) {
			t.Errorf("no %s", want)
		}
	}
}

// checkSVG parses the picture and checks its root, viewBox, title and desc.
func checkSVG(t *testing.T, b []byte) {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(b))
	depth := 0
	var root xml.StartElement
	var title, desc strings.Builder
	in := ""
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v", err)
		}
		switch el := tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				root = el.Copy()
			}
			depth++
			if depth == 2 && (el.Name.Local == "title" || el.Name.Local == "desc") {
				in = el.Name.Local
			}
		case xml.EndElement:
			depth--
			in = ""
		case xml.CharData:
			switch in {
			case "title":
				title.Write(el)
			case "desc":
				desc.Write(el)
			}
		}
	}
	if root.Name.Local != "svg" {
		t.Fatalf("root element is %q, want svg", root.Name.Local)
	}
	viewBox := ""
	for _, a := range root.Attr {
		if a.Name.Local == "viewBox" {
			viewBox = a.Value
		}
	}
	if strings.TrimSpace(viewBox) == "" {
		t.Error("root svg has no viewBox")
	}
	if strings.TrimSpace(title.String()) == "" {
		t.Error("no non-empty <title>")
	}
	if strings.TrimSpace(desc.String()) == "" {
		t.Error("no non-empty <desc>")
	}
}

func TestPictureUnknownID(t *testing.T) {
	for _, id := range []string{"", "no_such_exercise", "../pictures", "chin_tuck.svg", "CHIN_TUCK"} {
		if _, ok := Picture(id); ok {
			t.Errorf("Picture(%q) found a picture, want none", id)
		}
	}
}

// A picture's description is its exercise's movement, the words every page
// shows as the picture's text alternative.
func TestPictureDescribesTheMovement(t *testing.T) {
	for _, e := range Default().Exercises {
		b, _ := Picture(e.ID)
		var svg struct {
			Desc string `xml:"desc"`
		}
		if err := xml.Unmarshal(b, &svg); err != nil {
			t.Fatalf("%s: %v", e.ID, err)
		}
		if svg.Desc != e.Movement {
			t.Errorf("%s: desc %q, movement %q", e.ID, svg.Desc, e.Movement)
		}
	}
}
