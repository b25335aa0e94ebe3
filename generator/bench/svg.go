package bench

import (
	"fmt"
	"html"
	"math"
	"strings"
)

// Series is one line of a plot: a value per catalogue size, NaN where it
// was not measured.
type Series struct {
	Name   string
	Values []float64
}

// Panel is one chart: a quantity against catalogue size.
type Panel struct {
	Title  string // "Temps de construction"
	Unit   string // "s"
	Series []Series
}

// Plot is the figure of docs/performance.md: panels side by side sharing
// the sizes on a logarithmic axis (the sizes grow tenfold), each with a
// linear axis from zero, so that how a cost grows with the catalogue reads
// as the slope.
type Plot struct {
	Title  string
	Sizes  []int
	Panels []Panel
}

// Line styles: colour, dash pattern and marker differ together, so that
// the lines stay apart in grey and for colour-blind readers.
var seriesStyles = []struct{ color, dash, marker string }{
	{"#000091", "", "circle"},      // cqp: the French administration blue
	{"#c9191e", "6 4", "square"},   // Hugo
	{"#6a6af4", "2 3", "triangle"}, // Hugo + Pagefind / Pagefind
	{"#18753c", "10 3 2 3", "diamond"},
}

// Geometry of the figure, in SVG user units.
const (
	panelW  = 380.0
	panelH  = 300.0
	marginL = 62.0
	marginR = 18.0
	marginT = 56.0
	marginB = 50.0
	legendH = 28.0
)

// SVG draws the plot. Output is deterministic: coordinates are written with
// one decimal, series in the given order.
func (p Plot) SVG() []byte {
	w := panelW * float64(max(len(p.Panels), 1))
	legendRows := 0
	for _, pn := range p.Panels {
		legendRows = max(legendRows, len(pn.Series))
	}
	h := panelH + legendH*float64(legendRows)
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %s %s" width="%s" height="%s" role="img" aria-labelledby="t d" font-family="system-ui, sans-serif" font-size="12">`+"\n",
		num(w), num(h), num(w), num(h))
	fmt.Fprintf(&b, "<title id=\"t\">%s</title>\n", esc(p.Title))
	fmt.Fprintf(&b, "<desc id=\"d\">%s</desc>\n", esc(p.describe()))
	b.WriteString(`<rect width="100%" height="100%" fill="#fff"/>` + "\n")
	for i, pn := range p.Panels {
		p.panel(&b, pn, panelW*float64(i))
	}
	b.WriteString("</svg>\n")
	return []byte(b.String())
}

// describe is the figure's text alternative: every value it draws.
func (p Plot) describe() string {
	var parts []string
	for _, pn := range p.Panels {
		for _, s := range pn.Series {
			var v []string
			for i, n := range p.Sizes {
				if i < len(s.Values) && !math.IsNaN(s.Values[i]) {
					v = append(v, fmt.Sprintf("%s CQP : %s %s", fmtInt(int64(n)), decimal(s.Values[i], 2), pn.Unit))
				}
			}
			if len(v) > 0 {
				parts = append(parts, pn.Title+", "+s.Name+" : "+strings.Join(v, " ; "))
			}
		}
	}
	return strings.Join(parts, ". ") + "."
}

func (p Plot) panel(b *strings.Builder, pn Panel, x0 float64) {
	left, right := x0+marginL, x0+panelW-marginR
	top, bottom := marginT, panelH-marginB
	fmt.Fprintf(b, "<g>\n<text x=\"%s\" y=\"22\" font-size=\"14\" font-weight=\"bold\">%s</text>\n", num(left), esc(pn.Title))
	fmt.Fprintf(b, "<text x=\"%s\" y=\"40\" fill=\"#555\">%s</text>\n", num(left), esc(pn.Unit))

	// y: linear from 0 to a round maximum.
	top0 := 0.0
	for _, s := range pn.Series {
		for _, v := range s.Values {
			if !math.IsNaN(v) {
				top0 = math.Max(top0, v)
			}
		}
	}
	ticks := niceTicks(top0)
	ymax := ticks[len(ticks)-1]
	y := func(v float64) float64 { return bottom - (bottom-top)*v/ymax }
	for _, t := range ticks {
		fmt.Fprintf(b, "<line x1=\"%s\" x2=\"%s\" y1=\"%s\" y2=\"%s\" stroke=\"#ddd\"/>\n", num(left), num(right), num(y(t)), num(y(t)))
		fmt.Fprintf(b, "<text x=\"%s\" y=\"%s\" text-anchor=\"end\" fill=\"#333\">%s</text>\n", num(left-6), num(y(t)+4), esc(tickLabel(t)))
	}

	// x: logarithmic over the sizes, with a margin on both sides.
	x := p.xScale(left, right)
	for _, n := range p.Sizes {
		fmt.Fprintf(b, "<line x1=\"%s\" x2=\"%s\" y1=\"%s\" y2=\"%s\" stroke=\"#333\"/>\n", num(x(n)), num(x(n)), num(bottom), num(bottom+5))
		fmt.Fprintf(b, "<text x=\"%s\" y=\"%s\" text-anchor=\"middle\" fill=\"#333\">%s</text>\n", num(x(n)), num(bottom+19), esc(fmtInt(int64(n))))
	}
	fmt.Fprintf(b, "<text x=\"%s\" y=\"%s\" text-anchor=\"middle\" fill=\"#555\">CQP dans le catalogue (échelle logarithmique)</text>\n", num((left+right)/2), num(bottom+38))
	fmt.Fprintf(b, "<line x1=\"%s\" x2=\"%s\" y1=\"%s\" y2=\"%s\" stroke=\"#333\"/>\n", num(left), num(right), num(bottom), num(bottom))
	fmt.Fprintf(b, "<line x1=\"%s\" x2=\"%s\" y1=\"%s\" y2=\"%s\" stroke=\"#333\"/>\n", num(left), num(left), num(top), num(bottom))

	for i, s := range pn.Series {
		st := seriesStyles[i%len(seriesStyles)]
		var pts []string
		for j, n := range p.Sizes {
			if j < len(s.Values) && !math.IsNaN(s.Values[j]) {
				pts = append(pts, num(x(n))+","+num(y(s.Values[j])))
			}
		}
		if len(pts) > 1 {
			dash := ""
			if st.dash != "" {
				dash = ` stroke-dasharray="` + st.dash + `"`
			}
			fmt.Fprintf(b, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s points=\"%s\"/>\n", st.color, dash, strings.Join(pts, " "))
		}
		for j, n := range p.Sizes {
			if j < len(s.Values) && !math.IsNaN(s.Values[j]) {
				marker(b, st.marker, st.color, x(n), y(s.Values[j]))
			}
		}
		// Legend, under the panel.
		ly := panelH + legendH*float64(i) + 4
		fmt.Fprintf(b, "<line x1=\"%s\" x2=\"%s\" y1=\"%s\" y2=\"%s\" stroke=\"%s\" stroke-width=\"2\"%s/>\n",
			num(left), num(left+36), num(ly), num(ly), st.color, dashAttr(st.dash))
		marker(b, st.marker, st.color, left+18, ly)
		fmt.Fprintf(b, "<text x=\"%s\" y=\"%s\">%s</text>\n", num(left+44), num(ly+4), esc(s.Name))
	}
	b.WriteString("</g>\n")
}

func dashAttr(d string) string {
	if d == "" {
		return ""
	}
	return ` stroke-dasharray="` + d + `"`
}

// xScale maps a size to x on a log scale; one size sits in the middle.
func (p Plot) xScale(left, right float64) func(int) float64 {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, n := range p.Sizes {
		l := math.Log10(float64(n))
		lo, hi = math.Min(lo, l), math.Max(hi, l)
	}
	pad := (right - left) * 0.1
	return func(n int) float64 {
		if hi <= lo {
			return (left + right) / 2
		}
		return left + pad + (right-left-2*pad)*(math.Log10(float64(n))-lo)/(hi-lo)
	}
}

func marker(b *strings.Builder, kind, color string, cx, cy float64) {
	switch kind {
	case "square":
		fmt.Fprintf(b, "<rect x=\"%s\" y=\"%s\" width=\"8\" height=\"8\" fill=\"%s\"/>\n", num(cx-4), num(cy-4), color)
	case "triangle":
		fmt.Fprintf(b, "<path d=\"M%s %sL%s %sL%s %sZ\" fill=\"%s\"/>\n", num(cx), num(cy-5), num(cx+5), num(cy+4), num(cx-5), num(cy+4), color)
	case "diamond":
		fmt.Fprintf(b, "<path d=\"M%s %sL%s %sL%s %sL%s %sZ\" fill=\"%s\"/>\n", num(cx), num(cy-5), num(cx+5), num(cy), num(cx), num(cy+5), num(cx-5), num(cy), color)
	default:
		fmt.Fprintf(b, "<circle cx=\"%s\" cy=\"%s\" r=\"4\" fill=\"%s\"/>\n", num(cx), num(cy), color)
	}
}

// niceTicks returns 0 and round steps (1, 2 or 5 times a power of ten) up
// to at least v: four to six ticks.
func niceTicks(v float64) []float64 {
	if v <= 0 || math.IsNaN(v) {
		return []float64{0, 1}
	}
	raw := v / 5
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	step := p
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= raw {
			step = m * p
			break
		}
	}
	var t []float64
	for i := 0; ; i++ {
		x := step * float64(i)
		t = append(t, x)
		if x >= v {
			return t
		}
	}
}

func tickLabel(v float64) string {
	if v == math.Trunc(v) {
		return decimal(v, 0)
	}
	if v*10 == math.Trunc(v*10) {
		return decimal(v, 1)
	}
	return decimal(v, 2)
}

// num writes a coordinate with one decimal, without a trailing ".0".
func num(v float64) string {
	s := fmt.Sprintf("%.1f", v)
	return strings.TrimSuffix(s, ".0")
}

func esc(s string) string { return html.EscapeString(s) }
