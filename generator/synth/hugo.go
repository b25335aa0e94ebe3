package synth

import (
	"fmt"
	"strconv"
	"strings"
)

// This file writes the Hugo layout byte for byte as gen_corpus.py --layout
// hugo does, for the site in shared/bench/hugo-site.

// yq is gen_corpus.py's YAML double-quoted scalar: backslash and quote
// escaped, nothing else (the vocabulary has no control characters).
func yq(s string) string { return string(appendYQ(nil, s)) }

func appendYQ(b []byte, s string) []byte {
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' || s[i] == '\\' {
			b = append(b, '\\')
		}
		b = append(b, s[i])
	}
	return append(b, '"')
}

func (g *generator) hugoSite(emit emitFunc) error {
	files := []struct{ path, text string }{
		{"content/_index.md", "---\ntitle: \"Catalogue des certificats de qualification professionnelle\"\n---\n\n" +
			"Retrouvez l'ensemble des CQP et CQPI classés par branche professionnelle et par niveau.\n"},
		{"content/cqp/_index.md", "---\ntitle: " + yq("Tous les CQP") + "\n---\n"},
		{"content/branches/_index.md", "---\ntitle: " + yq("Branches professionnelles") + "\n---\n"},
		{"content/level/_index.md", "---\ntitle: " + yq("Niveaux de qualification") + "\n---\n"},
	}
	for _, f := range files {
		if err := emit(f.path, []byte(f.text)); err != nil {
			return err
		}
	}
	for _, b := range g.branches {
		if err := emit("content/branches/"+b.slug+"/_index.md", g.hugoBranch(b)); err != nil {
			return err
		}
	}
	return nil
}

func (g *generator) hugoBranch(b branch) []byte {
	var w strings.Builder
	w.WriteString("---\ntitle: " + yq(b.name) + "\nname: " + yq(b.name) + "\nslug: " + b.slug +
		"\nopco: " + yq(b.opco) + "\nidcc: [")
	for i, n := range b.idcc {
		if i > 0 {
			w.WriteString(", ")
		}
		fmt.Fprintf(&w, `"%04d"`, n)
	}
	w.WriteString("]\n---\n\n")
	w.WriteString(branchBody(g.seed, b))
	return []byte(w.String())
}

func (g *generator) hugoCQP(d *draft) []byte {
	rncp := fmt.Sprintf("RNCP%05d", d.rncp)
	b := make([]byte, 0, d.sizeHint())
	b = append(b, "---\ncode: "+d.code()+"\ntitle: "...)
	b = appendYQ(b, d.title)
	if d.cqpi {
		b = append(b, "\nkind: CQPI\nbranches: ["...)
	} else {
		b = append(b, "\nkind: CQP\nbranches: ["...)
	}
	for i, br := range d.branches {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = append(b, g.branches[br].slug...)
	}
	b = append(b, "]\nlevel: "+strconv.Itoa(d.level)+"\nregistration:\n  rncp: "+rncp+
		"\n  date: "+d.since.String()+
		"\n  expires: "+d.since.addYears(5).String()+
		"\n  certifier: "...)
	b = appendYQ(b, d.certifier)
	b = append(b, "\nblocs:\n"...)
	for j, bl := range d.blocks {
		b = fmt.Appendf(b, "  - code: %sBC%02d\n    title: ", rncp, j+1)
		b = appendYQ(b, bl.title)
		b = append(b, "\n    skills:\n"...)
		for _, s := range bl.skills {
			b = append(b, "      - "...)
			b = appendYQ(b, s)
			b = append(b, '\n')
		}
		b = append(b, "    assessment:\n"...)
		for _, a := range bl.assessment {
			b = append(b, "      - "...)
			b = appendYQ(b, a)
			b = append(b, '\n')
		}
	}
	b = append(b, "---\n\n"...)
	return d.appendBody(b, ficheSentence(rncp))
}
