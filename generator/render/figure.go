package render

import (
	"fmt"
	"html/template"
	"strings"
	"unicode/utf8"

	"github.com/cqp-catalogue/cqp/generator/catalog"
)

// The figure of cqpi/: the branches on the left, the CQPIs on the right,
// and a line from each CQPI to each branch that carries it. It is drawn at
// build time as inline SVG, so that it shows without JavaScript, prints,
// and follows the stylesheet (classes fig-*, with presentation attributes
// as a fallback). It is an image for assistive technologies (role="img",
// a title and a description); the table that follows it on the page says
// the same with links.
const (
	figWidth    = 960
	figRow      = 34 // height of a CQPI row
	figPad      = 18
	figLeftText = 292 // right edge of the branch labels
	figLeftNode = 304
	figRightX   = 636
	figRightTxt = 648
	figMaxChars = 40
)

// figColours tell the branches' lines apart; each is dark enough for a
// 3:1 contrast with white, as graphics need (WCAG 1.4.11).
var figColours = [...]string{"#0b4f8a", "#8a3b0b", "#1d6b3a", "#6b2c91", "#9b1c4b", "#4a5a0f", "#0f6670", "#5c4326"}

// figure draws the CQPIs of one page of cqpi/.
func (r *renderer) figure(cqpis []*catalog.CQP) template.HTML {
	var branches []*catalog.Branch
	seen := map[*catalog.Branch]bool{}
	for _, b := range r.cat.Branches { // catalogue order: the owner first
		for _, q := range cqpis {
			if !seen[b] && containsBranch(q, b) {
				seen[b] = true
				branches = append(branches, b)
			}
		}
	}
	rows := max(len(cqpis), len(branches))
	height := rows*figRow + 2*figPad
	inner := float64(rows * figRow)
	yBranch := map[*catalog.Branch]float64{}
	for i, b := range branches {
		yBranch[b] = figPad + (float64(i)+0.5)*inner/float64(len(branches))
	}
	yCQPI := func(i int) float64 { return figPad + (float64(i)+0.5)*inner/float64(len(cqpis)) }

	var s strings.Builder
	title := r.t("cqpi.figure.title")
	desc := r.tn("cqpi.figure.desc", len(cqpis), "branches", r.tn("count.branch", len(branches)))
	fmt.Fprintf(&s, `<svg class="fig" role="img" aria-labelledby="figure-titre figure-desc" viewBox="0 0 %d %d" width="%d" height="%d" xmlns="http://www.w3.org/2000/svg">`, figWidth, height, figWidth, height)
	fmt.Fprintf(&s, `<title id="figure-titre">%s</title><desc id="figure-desc">%s</desc>`, esc(title), esc(desc))
	s.WriteString(`<g class="fig-links" fill="none" stroke-width="2">`)
	mid := float64(figLeftNode+figRightX) / 2
	for bi, b := range branches {
		y1 := yBranch[b]
		colour := figColours[bi%len(figColours)]
		fmt.Fprintf(&s, `<g class="fig-b%d" stroke="%s">`, bi%len(figColours), colour)
		for i, q := range cqpis {
			if containsBranch(q, b) {
				y2 := yCQPI(i)
				fmt.Fprintf(&s, `<path d="M%d %.1f C%.1f %.1f %.1f %.1f %d %.1f"/>`, figLeftNode, y1, mid, y1, mid, y2, figRightX, y2)
			}
		}
		s.WriteString(`</g>`)
	}
	s.WriteString(`</g><g class="fig-branches" fill="#1b1b1b" font-size="15" text-anchor="end">`)
	for bi, b := range branches {
		y := yBranch[b]
		fmt.Fprintf(&s, `<circle class="fig-node fig-b%d" cx="%d" cy="%.1f" r="6" fill="%s"/><text x="%d" y="%.1f" dy="0.35em">%s</text>`, bi%len(figColours), figLeftNode, y, figColours[bi%len(figColours)], figLeftText, y, esc(clip(b.Name)))
	}
	s.WriteString(`</g><g class="fig-cqpis" fill="#1b1b1b" font-size="15">`)
	for i, q := range cqpis {
		y := yCQPI(i)
		fmt.Fprintf(&s, `<circle class="fig-node" cx="%d" cy="%.1f" r="6" fill="#1b1b1b"/><text x="%d" y="%.1f" dy="0.35em">%s</text>`, figRightX, y, figRightTxt, y, esc(clip(q.Title)))
	}
	s.WriteString(`</g></svg>`)
	// Every name went through esc; the rest is our own markup.
	out := []byte(s.String())
	if r.opts.Fragment != nil {
		// The figure is made here, not by a layout: minified as a
		// fragment, as a Markdown body is. On error it stays as made.
		if min, err := r.opts.Fragment(out); err == nil {
			out = min
		}
	}
	return template.HTML(out)
}

func containsBranch(q *catalog.CQP, b *catalog.Branch) bool {
	for _, x := range q.BranchRefs {
		if x == b {
			return true
		}
	}
	return false
}

// clip shortens a label to what fits its column.
func clip(s string) string {
	if utf8.RuneCountInString(s) <= figMaxChars {
		return s
	}
	r := []rune(s)
	return strings.TrimRight(string(r[:figMaxChars-1]), " ,;:-–") + "…"
}

// esc escapes text for XML content and attributes.
func esc(s string) string { return template.HTMLEscapeString(s) }
