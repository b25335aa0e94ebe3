package search

import (
	"maps"
	"strings"
	"testing"

	"github.com/cqp-catalogue/cqp/generator/catalog"
	"github.com/cqp-catalogue/cqp/generator/markdown"
)

// referenceTerms is what analyseCQP computes, written the plain way: Terms
// of each text, the body through the Markdown parser, a map per CQP.
func referenceTerms(c *catalog.CQP) map[string]Field {
	terms := map[string]Field{}
	add := func(f Field, text string) {
		for _, t := range Terms(text) {
			if old, ok := terms[t]; !ok || f < old {
				terms[t] = f
			}
		}
	}
	addCode := func(f Field, code string) {
		add(f, code)
		if w := Compact(code); Keep(w) {
			if old, ok := terms[w]; !ok || f < old {
				terms[w] = f
			}
		}
	}
	add(FieldTitle, c.Title)
	addCode(FieldKeys, c.Code)
	number := c.Registration.Number.Value
	if number != "" {
		addCode(FieldKeys, number)
		addCode(FieldKeys, strings.TrimLeft(number, "RNCPSrncps"))
	}
	for _, k := range c.Keywords {
		add(FieldKeys, k)
	}
	for _, j := range c.Jobs {
		add(FieldKeys, j.Title)
		addCode(FieldKeys, j.ROME)
	}
	for _, b := range c.Blocks {
		if !derivedBlockCode(b.Code.Value, number) {
			addCode(FieldKeys, b.Code.Value)
		}
		add(FieldBlocks, b.Title)
		for _, s := range b.Skills {
			add(FieldSkills, s)
		}
	}
	for _, b := range c.BranchRefs {
		add(FieldSkills, b.Name)
	}
	if c.IsCQPI() {
		add(FieldSkills, "CQPI")
	}
	if c.CPF() {
		add(FieldSkills, "CPF")
	}
	if c.VAE() {
		add(FieldSkills, "VAE")
	}
	add(FieldSummary, c.Summary)
	add(FieldBody, string(appendBodyText(nil, markdown.New(), c.Source.Body)))
	return terms
}

// TestAnalyseIsReference holds the index's analysis (one dictionary per
// worker, texts read once, the shortcut for plain bodies) to the plain
// one, CQP by CQP, on the fixture, the sample and 1,000 synthetic CQPs.
func TestAnalyseIsReference(t *testing.T) {
	for name, cat := range map[string]*catalog.Catalog{
		"fixture": fixture(t), "sample": sample(t), "synthetic": synthetic(t, 1000),
	} {
		docs, words := analyse(cat)
		for i, d := range docs {
			got := map[string]Field{}
			for _, x := range d.terms {
				w := words[d.worker][x>>termShift]
				if _, dup := got[w]; dup {
					t.Errorf("%s: CQP %d has the term %q twice", name, i, w)
				}
				got[w] = Field(x & fieldMask)
			}
			if want := referenceTerms(cat.CQPs[i]); !maps.Equal(got, want) {
				for w, f := range want {
					if g, ok := got[w]; !ok || g != f {
						t.Errorf("%s: CQP %s: term %q at field %d, want %d (present: %v)", name, cat.CQPs[i].ID, w, g, f, ok)
					}
				}
				for w := range got {
					if _, ok := want[w]; !ok {
						t.Errorf("%s: CQP %s: term %q is not the CQP's", name, cat.CQPs[i].ID, w)
					}
				}
				t.FailNow()
			}
		}
	}
}
