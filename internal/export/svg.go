package export

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"sync"

	"codeberg.org/go-pdf/fpdf"

	"unknot/internal/library"
)

// The exercise pictures are drawn as vectors with fpdf's own primitives
// rather than rasterised: lines stay sharp in print, the PDF stays small and
// fast to make, and no SVG library is needed. This file reads the small
// subset of SVG the library's pictures use (g, path, circle, rect, text;
// stroke and fill with opacity, dashes, rotate; style and use, which only
// animate, are skipped) and rejects anything else,
// which a test checks against every picture.

// The pictures' coordinate system (viewBox 0 0 320 160).
const (
	pictureWidth  = 320.0
	pictureHeight = 160.0
)

// drawing is a parsed picture, ready to draw at any scale.
type drawing struct{ shapes []shape }

// shape is one element of a picture, with its inherited style.
type shape struct {
	kind       string    // path, circle, rect or text
	segs       []segment // path, in absolute coordinates
	x, y, w, h float64   // circle: centre and radius (w); rect: box; text: baseline start
	r          float64   // rect: corner radius
	text       string
	rotate     []float64 // rotate(angle cx cy) or nil
	style      style
}

// segment is one absolute path command: M, L, Q (control, end),
// C (two controls, end) or Z.
type segment struct {
	cmd byte
	pts []float64
}

// style is the part of SVG presentation the pictures use.
type style struct {
	fill, stroke         string
	strokeWidth          float64
	opacity, fillOpacity float64
	dash                 []float64
	cap, join            string
	fontSize             float64
}

// pictures holds the parsed picture of every exercise in the library,
// read once. A picture that cannot be read is left out (drawn as nothing);
// TestEveryPictureIsSupported keeps that from happening.
var pictures = sync.OnceValue(func() map[string]*drawing {
	m := map[string]*drawing{}
	for _, e := range library.Default().Exercises {
		if src, ok := library.Picture(e.ID); ok {
			if d, err := parseSVG(src); err == nil {
				m[e.ID] = d
			}
		}
	}
	return m
})

// picture returns the parsed picture of an exercise.
func picture(id string) (*drawing, bool) {
	d, ok := pictures()[id]
	return d, ok
}

// parseSVG reads a picture in the supported subset of SVG.
func parseSVG(src []byte) (*drawing, error) {
	dec := xml.NewDecoder(bytes.NewReader(src))
	stack := []style{{fill: "black", strokeWidth: 1, opacity: 1, fillOpacity: 1, cap: "butt", join: "miter", fontSize: 16}}
	var d drawing
	var inText *shape
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("reading SVG: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			st, attrs, err := inherit(stack[len(stack)-1], t.Attr)
			if err != nil {
				return nil, fmt.Errorf("<%s>: %w", t.Name.Local, err)
			}
			stack = append(stack, st)
			sh := shape{kind: t.Name.Local, style: st}
			if tr, ok := attrs["transform"]; ok {
				if sh.rotate, err = parseRotate(tr); err != nil {
					return nil, fmt.Errorf("<%s>: %w", t.Name.Local, err)
				}
			}
			switch t.Name.Local {
			case "svg", "g", "title", "desc":
				if sh.rotate != nil {
					return nil, fmt.Errorf("<%s>: transform is not supported here", t.Name.Local)
				}
				continue
			case "style", "use":
				// The animation (a style sheet, and a use that repeats the
				// start position over the end one) is for screens; print
				// keeps the two still positions side by side.
				continue
			case "path":
				sh.segs, err = parsePath(attrs["d"])
			case "circle":
				err = numbers(attrs, []string{"cx", "cy", "r"}, &sh.x, &sh.y, &sh.w)
			case "rect":
				if _, ok := attrs["rx"]; !ok {
					attrs["rx"] = "0"
				}
				err = numbers(attrs, []string{"x", "y", "width", "height", "rx"}, &sh.x, &sh.y, &sh.w, &sh.h, &sh.r)
			case "text":
				err = numbers(attrs, []string{"x", "y"}, &sh.x, &sh.y)
			default:
				err = errors.New("element not supported")
			}
			if err != nil {
				return nil, fmt.Errorf("<%s>: %w", t.Name.Local, err)
			}
			d.shapes = append(d.shapes, sh)
			if sh.kind == "text" {
				inText = &d.shapes[len(d.shapes)-1]
			}
		case xml.CharData:
			if inText != nil {
				inText.text += string(t)
			}
		case xml.EndElement:
			stack = stack[:len(stack)-1]
			inText = nil
		}
	}
	return &d, nil
}

// inherit applies an element's presentation attributes to its parent's
// style and returns the rest of its attributes by name.
func inherit(st style, attrs []xml.Attr) (style, map[string]string, error) {
	rest := map[string]string{}
	for _, a := range attrs {
		v := a.Value
		var err error
		switch a.Name.Local {
		case "fill":
			st.fill = v
		case "stroke":
			st.stroke = v
		case "stroke-width":
			st.strokeWidth, err = strconv.ParseFloat(v, 64)
		case "opacity":
			var o float64
			o, err = strconv.ParseFloat(v, 64)
			st.opacity *= o
		case "fill-opacity":
			st.fillOpacity, err = strconv.ParseFloat(v, 64)
		case "stroke-dasharray":
			st.dash, err = parseNumbers(v)
		case "stroke-linecap":
			st.cap = v
		case "stroke-linejoin":
			st.join = v
		case "font-size":
			st.fontSize, err = strconv.ParseFloat(v, 64)
		case "font-family", "role", "aria-labelledby", "id", "viewBox", "xmlns", "aria-hidden":
		default:
			rest[a.Name.Local] = v
		}
		if err != nil {
			return st, nil, fmt.Errorf("%s=%q: %w", a.Name.Local, v, err)
		}
	}
	return st, rest, nil
}

// numbers parses the named attributes into dst, in order.
func numbers(attrs map[string]string, names []string, dst ...*float64) error {
	for i, name := range names {
		v, ok := attrs[name]
		if !ok {
			return fmt.Errorf("no %s", name)
		}
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return fmt.Errorf("%s=%q: %w", name, v, err)
		}
		*dst[i] = f
	}
	return nil
}

// parseRotate reads transform="rotate(angle cx cy)", the only transform
// the pictures use.
func parseRotate(v string) ([]float64, error) {
	inner, ok := strings.CutPrefix(strings.TrimSpace(v), "rotate(")
	inner, ok2 := strings.CutSuffix(inner, ")")
	if !ok || !ok2 {
		return nil, fmt.Errorf("transform %q: only rotate(angle cx cy) is supported", v)
	}
	r, err := parseNumbers(inner)
	if err != nil || len(r) != 3 {
		return nil, fmt.Errorf("transform %q: want rotate(angle cx cy)", v)
	}
	return r, nil
}

// parseNumbers reads numbers separated by spaces or commas.
func parseNumbers(v string) ([]float64, error) {
	s := pathScanner{s: v}
	var out []float64
	for s.more() {
		f, err := s.number()
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, nil
}

// parsePath reads path data into absolute M, L, Q, C and Z segments;
// arcs become cubic Béziers.
func parsePath(d string) ([]segment, error) {
	s := pathScanner{s: d}
	var segs []segment
	var x, y, startX, startY float64
	var cmd byte
	for s.more() {
		if c, ok := s.command(); ok {
			cmd = c
		} else if cmd == 0 || cmd == 'Z' || cmd == 'z' {
			return nil, fmt.Errorf("path %q: numbers without a command", d)
		}
		rel := cmd >= 'a'
		var dx, dy float64
		if rel {
			dx, dy = x, y
		}
		var err error
		args := func(n int) []float64 {
			v := make([]float64, n)
			for i := range v {
				if err == nil {
					v[i], err = s.number()
				}
			}
			return v
		}
		switch cmd {
		case 'M', 'm':
			p := args(2)
			x, y = p[0]+dx, p[1]+dy
			startX, startY = x, y
			segs = append(segs, segment{'M', []float64{x, y}})
			cmd = 'L' + (cmd - 'M') // further pairs are lines
		case 'L', 'l':
			p := args(2)
			x, y = p[0]+dx, p[1]+dy
			segs = append(segs, segment{'L', []float64{x, y}})
		case 'H', 'h':
			p := args(1)
			x = p[0] + dx
			segs = append(segs, segment{'L', []float64{x, y}})
		case 'V', 'v':
			p := args(1)
			y = p[0] + dy
			segs = append(segs, segment{'L', []float64{x, y}})
		case 'Q', 'q':
			p := args(4)
			segs = append(segs, segment{'Q', []float64{p[0] + dx, p[1] + dy, p[2] + dx, p[3] + dy}})
			x, y = p[2]+dx, p[3]+dy
		case 'C', 'c':
			p := args(6)
			segs = append(segs, segment{'C', []float64{p[0] + dx, p[1] + dy, p[2] + dx, p[3] + dy, p[4] + dx, p[5] + dy}})
			x, y = p[4]+dx, p[5]+dy
		case 'A', 'a':
			p := args(3)
			var large, sweep bool
			if err == nil {
				large, err = s.flag()
			}
			if err == nil {
				sweep, err = s.flag()
			}
			end := args(2)
			ex, ey := end[0]+dx, end[1]+dy
			if err == nil {
				segs = append(segs, arcToCubics(x, y, p[0], p[1], p[2], large, sweep, ex, ey)...)
			}
			x, y = ex, ey
		case 'Z', 'z':
			segs = append(segs, segment{cmd: 'Z'})
			x, y = startX, startY
		default:
			return nil, fmt.Errorf("path %q: command %q is not supported", d, cmd)
		}
		if err != nil {
			return nil, fmt.Errorf("path %q: %w", d, err)
		}
	}
	return segs, nil
}

// pathScanner splits path data into commands, numbers and arc flags.
type pathScanner struct {
	s string
	i int
}

func (p *pathScanner) skip() {
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == ',' || p.s[p.i] == '\n' || p.s[p.i] == '\t' || p.s[p.i] == '\r') {
		p.i++
	}
}

func (p *pathScanner) more() bool { p.skip(); return p.i < len(p.s) }

// command reads a command letter if one comes next.
func (p *pathScanner) command() (byte, bool) {
	p.skip()
	if p.i < len(p.s) {
		c := p.s[p.i]
		if c != 'e' && c != 'E' && (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			p.i++
			return c, true
		}
	}
	return 0, false
}

// number reads one number such as -4, .5 or 1e-3.
func (p *pathScanner) number() (float64, error) {
	p.skip()
	start := p.i
	if p.i < len(p.s) && (p.s[p.i] == '-' || p.s[p.i] == '+') {
		p.i++
	}
	dot := false
	for p.i < len(p.s) {
		c := p.s[p.i]
		switch {
		case c >= '0' && c <= '9':
		case c == '.' && !dot:
			dot = true
		case (c == 'e' || c == 'E') && p.i > start:
			p.i++
			if p.i < len(p.s) && (p.s[p.i] == '-' || p.s[p.i] == '+') {
				p.i++
			}
			continue
		default:
			goto done
		}
		p.i++
	}
done:
	if start == p.i {
		return 0, errors.New("a number is missing")
	}
	return strconv.ParseFloat(p.s[start:p.i], 64)
}

// flag reads an arc flag, 0 or 1, which may be written without a separator.
func (p *pathScanner) flag() (bool, error) {
	p.skip()
	if p.i < len(p.s) && (p.s[p.i] == '0' || p.s[p.i] == '1') {
		p.i++
		return p.s[p.i-1] == '1', nil
	}
	return false, errors.New("an arc flag must be 0 or 1")
}

// arcToCubics converts an SVG elliptical arc from (x1, y1) to (x2, y2) into
// cubic Béziers of at most a quarter turn each (SVG 1.1, appendix F.6).
func arcToCubics(x1, y1, rx, ry, rotDeg float64, large, sweep bool, x2, y2 float64) []segment {
	if rx == 0 || ry == 0 || (x1 == x2 && y1 == y2) {
		return []segment{{'L', []float64{x2, y2}}}
	}
	rx, ry = math.Abs(rx), math.Abs(ry)
	phi := rotDeg * math.Pi / 180
	cos, sin := math.Cos(phi), math.Sin(phi)
	// Step 1: the midpoint in the ellipse's frame.
	mx, my := (x1-x2)/2, (y1-y2)/2
	xp, yp := cos*mx+sin*my, -sin*mx+cos*my
	// Radii too small to reach are scaled up.
	if l := xp*xp/(rx*rx) + yp*yp/(ry*ry); l > 1 {
		rx, ry = rx*math.Sqrt(l), ry*math.Sqrt(l)
	}
	// Step 2: the centre.
	num := rx*rx*ry*ry - rx*rx*yp*yp - ry*ry*xp*xp
	den := rx*rx*yp*yp + ry*ry*xp*xp
	k := math.Sqrt(math.Max(0, num/den))
	if large == sweep {
		k = -k
	}
	cxp, cyp := k*rx*yp/ry, -k*ry*xp/rx
	cx := cos*cxp - sin*cyp + (x1+x2)/2
	cy := sin*cxp + cos*cyp + (y1+y2)/2
	// Step 3: start angle and sweep.
	angle := func(ux, uy, vx, vy float64) float64 {
		return math.Atan2(ux*vy-uy*vx, ux*vx+uy*vy)
	}
	t1 := angle(1, 0, (xp-cxp)/rx, (yp-cyp)/ry)
	dt := angle((xp-cxp)/rx, (yp-cyp)/ry, (-xp-cxp)/rx, (-yp-cyp)/ry)
	if !sweep && dt > 0 {
		dt -= 2 * math.Pi
	} else if sweep && dt < 0 {
		dt += 2 * math.Pi
	}
	n := int(math.Ceil(math.Abs(dt) / (math.Pi / 2)))
	step := dt / float64(n)
	alpha := 4.0 / 3 * math.Tan(step/4)
	point := func(t float64) (float64, float64) {
		ex, ey := rx*math.Cos(t), ry*math.Sin(t)
		return cos*ex - sin*ey + cx, sin*ex + cos*ey + cy
	}
	deriv := func(t float64) (float64, float64) {
		ex, ey := -rx*math.Sin(t), ry*math.Cos(t)
		return cos*ex - sin*ey, sin*ex + cos*ey
	}
	segs := make([]segment, 0, n)
	for i := range n {
		a, b := t1+float64(i)*step, t1+float64(i+1)*step
		ax, ay := point(a)
		bx, by := point(b)
		dax, day := deriv(a)
		dbx, dby := deriv(b)
		segs = append(segs, segment{'C', []float64{ax + alpha*dax, ay + alpha*day, bx - alpha*dbx, by - alpha*dby, bx, by}})
	}
	segs[n-1].pts[4], segs[n-1].pts[5] = x2, y2 // end exactly where asked
	return segs
}

// draw paints the picture with its top left corner at (x, y) millimetres,
// scale millimetres to one picture unit.
func (d *drawing) draw(p *fpdf.Fpdf, x, y, scale float64) {
	X := func(v float64) float64 { return x + v*scale }
	Y := func(v float64) float64 { return y + v*scale }
	for _, sh := range d.shapes {
		st := sh.style
		if sh.rotate != nil {
			p.TransformBegin()
			p.TransformRotate(-sh.rotate[0], X(sh.rotate[1]), Y(sh.rotate[2]))
		}
		p.SetLineWidth(st.strokeWidth * scale)
		p.SetLineCapStyle(st.cap)
		p.SetLineJoinStyle(st.join)
		dash := make([]float64, len(st.dash))
		for i, v := range st.dash {
			dash[i] = v * scale
		}
		p.SetDashPattern(dash, 0)
		outline := func(style string) {
			switch sh.kind {
			case "path":
				for _, s := range sh.segs {
					switch s.cmd {
					case 'M':
						p.MoveTo(X(s.pts[0]), Y(s.pts[1]))
					case 'L':
						p.LineTo(X(s.pts[0]), Y(s.pts[1]))
					case 'Q':
						p.CurveTo(X(s.pts[0]), Y(s.pts[1]), X(s.pts[2]), Y(s.pts[3]))
					case 'C':
						p.CurveBezierCubicTo(X(s.pts[0]), Y(s.pts[1]), X(s.pts[2]), Y(s.pts[3]), X(s.pts[4]), Y(s.pts[5]))
					case 'Z':
						p.ClosePath()
					}
				}
				p.DrawPath(style)
			case "circle":
				p.Circle(X(sh.x), Y(sh.y), sh.w*scale, style)
			case "rect":
				p.RoundedRect(X(sh.x), Y(sh.y), sh.w*scale, sh.h*scale, sh.r*scale, "1234", style)
			}
		}
		if sh.kind == "text" {
			if c, ok := color(st.fill); ok {
				p.SetAlpha(st.opacity*st.fillOpacity, "Normal")
				p.SetTextColor(c.r, c.g, c.b)
				p.SetFont(fontFamily, "", st.fontSize*scale/0.3528) // mm to points
				p.Text(X(sh.x), Y(sh.y), fontText(strings.TrimSpace(sh.text)))
			}
		} else {
			if c, ok := color(st.fill); ok {
				p.SetAlpha(st.opacity*st.fillOpacity, "Normal")
				p.SetFillColor(c.r, c.g, c.b)
				outline("F")
			}
			if c, ok := color(st.stroke); ok {
				p.SetAlpha(st.opacity, "Normal")
				p.SetDrawColor(c.r, c.g, c.b)
				outline("D")
			}
		}
		if sh.rotate != nil {
			p.TransformEnd()
		}
	}
	p.SetAlpha(1, "Normal")
	p.SetDashPattern(nil, 0)
	p.SetLineCapStyle("butt")
	p.SetLineJoinStyle("miter")
}

// color reads an SVG paint: currentColor is the ink colour, #rrggbb a
// colour, none (or anything else) nothing.
func color(v string) (rgb, bool) {
	switch {
	case v == "currentColor" || v == "black":
		return inkColor, true
	case len(v) == 7 && v[0] == '#':
		n, err := strconv.ParseUint(v[1:], 16, 32)
		if err != nil {
			return rgb{}, false
		}
		return rgb{int(n >> 16), int(n >> 8 & 0xff), int(n & 0xff)}, true
	}
	return rgb{}, false
}
