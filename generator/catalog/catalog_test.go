package catalog_test

import (
	"slices"
	"testing"
	"time"

	"github.com/cqp-catalogue/cqp/generator/catalog"
	"github.com/cqp-catalogue/cqp/generator/sitetest"
)

func TestFold(t *testing.T) {
	for in, want := range map[string]string{
		"Électricité":       "electricite",
		"Cœur":              "coeur",
		"Ça, c'est l'ŒUVRE": "ca, c'est l'oeuvre",
		"Ex æquo":           "ex aequo",
		"déjà":              "deja",
		"RNCP37890BC01":     "rncp37890bc01",
	} {
		if got := catalog.Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCompareTextOrdersAsAReaderExpects(t *testing.T) {
	titles := []string{"Opérateur", "électricien", "Agent", "Électricien", "ebéniste", "œnologue", "Zingueur"}
	slices.SortFunc(titles, catalog.CompareText)
	want := []string{"Agent", "ebéniste", "Électricien", "électricien", "œnologue", "Opérateur", "Zingueur"}
	if !slices.Equal(titles, want) {
		t.Errorf("sorted = %q\nwant     %q", titles, want)
	}
}

const site = `
-- content/_index.md --
---
title: T
base_url: https://example.org/cqp
owner: textile
---
-- content/branches/metallurgie.md --
---
name: Métallurgie
website: https://example.org/m/
---
-- content/branches/textile.md --
---
name: Textile
catalogue_url: https://example.org/t
---
-- content/cqp/a.md --
---
title: Zingueur
branches: [metallurgie]
registration: {register: none}
summary: s
blocks:
  - code: B1
    title: Bloc 1
    common_with: [b/B2, c/RNCP1BC01]
---
-- content/cqp/b.md --
---
title: Ajusteur
branches: [metallurgie, textile]
registration: {register: rs, number: RS1}
summary: s
blocks:
  - code: B2
    title: Bloc 2
    common_with: [a/B1]
---
-- content/cqp/c.md --
---
title: Tisserand
branches: [textile]
status: archived
registration: {register: rncp, number: RNCP1, level: 3}
summary: s
blocks:
  - code: RNCP1BC01
    title: Bloc 1
---
`

func TestLoadResolvesAndOrders(t *testing.T) {
	cat, list := catalog.Load(sitetest.FS(site), catalog.Options{Today: time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)})
	if len(list) > 0 {
		t.Fatalf("diagnostics: %v", list)
	}
	var ids []string
	for _, q := range cat.CQPs {
		ids = append(ids, q.ID)
	}
	// The owner's (textile) CQPs first, then by title: Ajusteur, Tisserand, then Zingueur.
	if want := []string{"b", "c", "a"}; !slices.Equal(ids, want) {
		t.Errorf("CQP order %q, want %q", ids, want)
	}
	if cat.Branches[0].ID != "textile" || cat.Owner().ID != "textile" {
		t.Errorf("owner branch not first: %s", cat.Branches[0].ID)
	}
	if got := cat.Site.BaseURL; got != "https://example.org/cqp/" {
		t.Errorf("base_url = %q, want a trailing slash added", got)
	}
	if got := cat.Branch("textile").CatalogueURL; got != "https://example.org/t/" {
		t.Errorf("catalogue_url = %q, want a trailing slash added", got)
	}
	a, b, c := cat.CQP("a"), cat.CQP("b"), cat.CQP("c")
	// a/B1 declares b/B2 and c/B1; b/B2 declares a/B1 again: one passerelle each way, never twice.
	refs := func(blk *catalog.Block) (out []string) {
		for _, r := range blk.Passerelles {
			out = append(out, r.CQP.ID+"/"+r.Block.Code.Value)
		}
		return out
	}
	if got, want := refs(a.Blocks[0]), []string{"b/B2", "c/RNCP1BC01"}; !slices.Equal(got, want) {
		t.Errorf("a/B1 passerelles %q, want %q", got, want)
	}
	if got, want := refs(b.Blocks[0]), []string{"a/B1"}; !slices.Equal(got, want) {
		t.Errorf("b/B2 passerelles %q, want %q", got, want)
	}
	if got, want := refs(c.Blocks[0]), []string{"a/B1"}; !slices.Equal(got, want) {
		t.Errorf("c/RNCP1BC01 passerelles %q (declared on a only), want %q", got, want)
	}
	if !b.IsCQPI() || a.IsCQPI() || !c.Archived() || a.Archived() {
		t.Error("IsCQPI/Archived wrong")
	}
	if !b.CPF() || b.VAE() || a.CPF() || !c.VAE() || c.Level() != 3 {
		t.Error("CPF/VAE/Level wrong")
	}
	var textile []string
	for _, q := range cat.Branch("textile").CQPs {
		textile = append(textile, q.ID)
	}
	if want := []string{"b", "c"}; !slices.Equal(textile, want) {
		t.Errorf("textile's CQPs %q, want %q", textile, want)
	}
}

// Load and Build (on files already loaded) are one code path.
func TestLoadAndBuildAgree(t *testing.T) {
	fsys := sitetest.Replace(t, sitetest.FS(site), "content/cqp/a.md", "b/B2", "b/B9")
	opts := catalog.Options{Today: time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)}
	_, l1 := catalog.Load(fsys, opts)
	files, l0 := contentLoad(fsys)
	_, l2 := catalog.Build(files, opts)
	l2 = append(l0, l2...)
	l2.Sort()
	if len(l1) != 1 || !slices.Equal(l1, l2) {
		t.Errorf("Load: %v\nBuild: %v", l1, l2)
	}
}
