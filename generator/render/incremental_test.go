package render_test

import (
	"bytes"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/cqp-catalogue/cqp/generator/catalog"
	"github.com/cqp-catalogue/cqp/generator/render"
	"github.com/cqp-catalogue/cqp/generator/sitetest"
	"github.com/cqp-catalogue/cqp/generator/theme"
)

// incremental renders a site the way the dev server does: after each edit,
// a new plan, and only the files whose key changed.
type incremental struct {
	t      *testing.T
	loader *catalog.Loader
	th     *theme.Theme
	keys   map[string]uint64
	files  render.Files
	last   []string // what the last step rendered
}

func newIncremental(t *testing.T) *incremental {
	return &incremental{t: t, loader: catalog.NewLoader(), keys: map[string]uint64{}, files: render.Files{}}
}

// step loads the site again and renders what changed; it returns false
// when the content has errors (the last good files then stay).
func (s *incremental) step(fsys fs.FS, changed ...string) bool {
	s.t.Helper()
	cat, list := s.loader.Load(fsys, catalog.Options{Today: today}, changed...)
	if list.Errors() > 0 {
		s.last = nil
		return false
	}
	if s.th == nil {
		th, err := theme.Load(fsys, cat.Site.Theme, cat.Site.Language)
		if err != nil {
			s.t.Fatal(err)
		}
		s.th = th
	}
	plan, err := render.NewPlan(cat, s.th, render.Options{}, render.PlanOptions{
		Versions: func(p string) catalog.Version { v, _ := s.loader.Version(p); return v },
		Theme:    1,
	})
	if err != nil {
		s.t.Fatal(err)
	}
	var dirty []string
	for _, p := range plan.Paths() {
		k, _ := plan.Key(p)
		if old, ok := s.keys[p]; !ok || old != k {
			dirty = append(dirty, p)
		}
	}
	out, err := plan.Render(dirty)
	if err != nil {
		s.t.Fatal(err)
	}
	for p := range s.files {
		if _, ok := plan.Key(p); !ok {
			delete(s.files, p)
			delete(s.keys, p)
		}
	}
	for p, b := range out {
		s.files[p] = b
		s.keys[p], _ = plan.Key(p)
	}
	s.last = dirty
	return true
}

// assertFull compares the files with a full Render of the same content.
func (s *incremental) assertFull(fsys fs.FS, step string) {
	s.t.Helper()
	want, _ := build(s.t, fsys, render.Options{})
	if d := filesDiff(want, s.files); d != "" {
		s.t.Fatalf("%s: the incremental files differ from Render's:\n%s", step, d)
	}
}

func filesDiff(want, got render.Files) string {
	var out []string
	for _, p := range want.Paths() {
		g, ok := got[p]
		switch {
		case !ok:
			out = append(out, "missing "+p)
		case !bytes.Equal(g, want[p]):
			out = append(out, p+": "+firstDiff(want[p], g))
		}
	}
	for _, p := range got.Paths() {
		if _, ok := want[p]; !ok {
			out = append(out, "extra "+p)
		}
	}
	if len(out) > 10 {
		out = append(out[:10], fmt.Sprintf("… and %d more", len(out)-10))
	}
	return strings.Join(out, "\n")
}

func TestPlanRendersWhatRenderRenders(t *testing.T) {
	fsys := sampleFS(t)
	s := newIncremental(t)
	if !s.step(fsys) {
		t.Fatal("the sample does not check")
	}
	s.assertFull(fsys, "sample")
	if len(s.last) != len(s.files) {
		t.Errorf("a first plan rendered %d of %d files", len(s.last), len(s.files))
	}
	s.step(fsys)
	if len(s.last) != 0 {
		t.Errorf("nothing changed, yet %d files were rendered again: %v", len(s.last), s.last)
	}
}

const planSite = `
-- content/_index.md --
---
title: Catalogue
base_url: https://example.org/
owner: textile
---
Bienvenue.
-- content/branches/textile.md --
---
name: Textile
website: https://example.org/t/
---
-- content/branches/plasturgie.md --
---
name: Plasturgie
website: https://example.org/p/
---
-- content/cqp/agent.md --
---
title: Agent de fabrication
branches: [textile, plasturgie]
registration: {register: rncp, number: RNCP100, level: 3}
summary: Fabriquer.
updated: 2025-01-01
blocks:
  - code: RNCP100BC01
    title: Préparer
    common_with: [conducteur/B1]
---
Le corps.
-- content/cqp/conducteur.md --
---
title: Conducteur de ligne
branches: [textile]
registration: {register: none}
summary: Conduire.
blocks:
  - code: B1
    title: Préparer la ligne
---
-- content/cqp/regleur.md --
---
title: Régleur
branches: [plasturgie]
registration: {register: rs, number: RS7}
summary: Régler.
blocks:
  - code: R1
    title: Régler
---
-- content/cqp/ancien.md --
---
title: Ancien agent
branches: [textile]
status: archived
registration: {register: rncp, number: RNCP90, level: 3}
summary: Archivé.
blocks:
  - code: RNCP90BC01
    title: Bloc
---
-- content/pages/vae.md --
---
title: La VAE
menu: 1
---
Texte.
`

// TestPlanRendersOnlyWhatAnEditTouches checks the other half of the
// promise: an edit renders few files, the ones a reader would name.
func TestPlanRendersOnlyWhatAnEditTouches(t *testing.T) {
	fsys := sitetest.FS(planSite)
	s := newIncremental(t)
	s.step(fsys)
	for _, tc := range []struct {
		name      string
		path      string
		old, new  string
		want, not []string
		wantExact bool
	}{
		{
			name: "a CQP's body", path: "content/cqp/agent.md", old: "Le corps.", new: "Le corps, relu.",
			want: []string{"cqp/agent/index.html"}, wantExact: true,
		},
		{
			name: "a CQP's title", path: "content/cqp/conducteur.md", old: "title: Conducteur de ligne", new: "title: Conducteur de ligne automatisée",
			// its page, the page of its passerelle, the lists that show it
			want: []string{"cqp/conducteur/index.html", "cqp/agent/index.html", "index.html", "recherche/index.html", "branches/textile/index.html", "catalogue.json"},
			not:  []string{"cqp/regleur/index.html", "branches/plasturgie/index.html", "vae/index.html", "404.html", "style.css", "niveaux/3/index.html"},
		},
		{
			name: "a branch's body", path: "content/branches/plasturgie.md", old: "example.org/p/\n---\n", new: "example.org/p/\n---\nPrésentation.\n",
			want: []string{"branches/plasturgie/index.html"}, wantExact: true,
		},
		{
			name: "a page's body", path: "content/pages/vae.md", old: "Texte.", new: "Autre texte.",
			want: []string{"vae/index.html"}, wantExact: true,
		},
		{
			name: "a page's title, which is in the menu of every page", path: "content/pages/vae.md", old: "title: La VAE", new: "title: La validation des acquis",
			want: []string{"vae/index.html", "cqp/regleur/index.html", "404.html", "branches/index.html"},
			not:  []string{"style.css", "catalogue.json"},
		},
		{
			// The archived CQP's page links its level only while an
			// active CQP keeps the level's page alive.
			name: "the level of the last active CQP at that level", path: "content/cqp/agent.md", old: "level: 3}", new: "level: 4}",
			want: []string{"cqp/agent/index.html", "cqp/ancien/index.html", "niveaux/index.html", "niveaux/4/index.html"},
			not:  []string{"cqp/regleur/index.html"},
		},
	} {
		fsys = sitetest.Replace(t, fsys, tc.path, tc.old, tc.new)
		if !s.step(fsys, tc.path) {
			t.Fatalf("%s: the site does not check", tc.name)
		}
		s.assertFull(fsys, tc.name)
		for _, p := range tc.want {
			if !slices.Contains(s.last, p) {
				t.Errorf("%s: %s was not rendered again (rendered: %v)", tc.name, p, s.last)
			}
		}
		for _, p := range tc.not {
			if slices.Contains(s.last, p) {
				t.Errorf("%s: %s was rendered again, though nothing it shows changed", tc.name, p)
			}
		}
		if tc.wantExact && !slices.Equal(s.last, tc.want) {
			t.Errorf("%s: rendered %v, want only %v", tc.name, s.last, tc.want)
		}
	}
}

// listSite is a catalogue whose lists all have two pages or more: the
// owner's branch (every CQP), level 3 (every CQP) and cqpi/ (every other
// CQP), with passerelles from each CQP to the previous one.
func listSite(n int) fstest.MapFS {
	fsys := sitetest.FS(`
-- content/_index.md --
---
title: Catalogue
base_url: https://example.org/
owner: textile
---
Bienvenue.
-- content/branches/textile.md --
---
name: Textile
website: https://example.org/t/
---
-- content/branches/plasturgie.md --
---
name: Plasturgie
website: https://example.org/p/
---
-- content/branches/chimie.md --
---
name: Chimie
catalogue_url: https://example.org/c/
---
`)
	for i := range n {
		var b strings.Builder
		fmt.Fprintf(&b, "---\ntitle: Agent %03d\nbranches:\n- textile\n", i)
		if i%2 == 1 {
			b.WriteString("- plasturgie\n")
		}
		fmt.Fprintf(&b, "registration:\n  register: rncp\n  number: RNCP1%04d\n  level: 3\nsummary: Résumé %d.\nupdated: 2025-01-%02d\n", i, i, 1+i%28)
		fmt.Fprintf(&b, "blocks:\n- code: RNCP1%04dBC01\n  title: Bloc %d\n", i, i)
		if i > 0 {
			fmt.Fprintf(&b, "  common_with: [agent-%03d/RNCP1%04dBC01]\n", i-1, i-1)
		}
		fmt.Fprintf(&b, "---\nCorps %d.\n", i)
		fsys[fmt.Sprintf("content/cqp/agent-%03d.md", i)] = &fstest.MapFile{Data: []byte(b.String())}
	}
	return fsys
}

// TestPlanFollowsARandomEditingSession edits a catalogue whose lists have
// several pages (titles, summaries, levels, statuses, branches, bodies,
// new and deleted CQPs, a free page, the site settings, broken files), and
// after every step compares the incremental files with a full Render.
func TestPlanFollowsARandomEditingSession(t *testing.T) {
	fsys := listSite(70)
	var cqps, branches []string
	for p := range fsys {
		switch {
		case strings.HasPrefix(p, "content/cqp/"):
			cqps = append(cqps, p)
		case strings.HasPrefix(p, "content/branches/"):
			branches = append(branches, p)
		}
	}
	slices.Sort(cqps)
	slices.Sort(branches)
	rng := rand.New(rand.NewPCG(1, 2))
	pick := func(l []string) string { return l[rng.IntN(len(l))] }
	id := func(p string) string { return strings.TrimSuffix(p[strings.LastIndexByte(p, '/')+1:], ".md") }
	words := []string{"Agent", "Zingueur", "Opérateur", "Technicien", "Échafaudeur", "Mécanicien", "Animateur"}

	s := newIncremental(t)
	if !s.step(fsys) {
		t.Fatal("the synthetic catalogue does not check")
	}
	s.assertFull(fsys, "start")
	added, compared := 0, 0
	var broken []string // files to restore
	edits := []struct {
		name string
		do   func() []string
	}{
		{"title", func() []string {
			p := pick(cqps)
			return editLine(fsys, p, "title: ", func(v string) string { return pick(words) + " " + v })
		}},
		{"summary", func() []string {
			p := pick(cqps)
			return editLine(fsys, p, "summary: ", func(string) string { return fmt.Sprintf("Résumé %d.", rng.IntN(1000)) })
		}},
		{"body", func() []string {
			p := pick(cqps)
			fsys[p].Data = append(fsys[p].Data, fmt.Sprintf("\nParagraphe %d, avec [un lien](cqp:%s).\n", rng.IntN(1000), id(pick(cqps)))...)
			return []string{p}
		}},
		{"status", func() []string {
			p := pick(cqps)
			if strings.Contains(string(fsys[p].Data), "\nstatus: archived\n") {
				fsys[p].Data = bytes.Replace(fsys[p].Data, []byte("\nstatus: archived\n"), []byte("\n"), 1)
			} else {
				fsys[p].Data = bytes.Replace(fsys[p].Data, []byte("\nsummary: "), []byte("\nstatus: archived\nsummary: "), 1)
			}
			return []string{p}
		}},
		{"level", func() []string {
			p := pick(cqps)
			return editLine(fsys, p, "  level: ", func(string) string { return fmt.Sprint(3 + rng.IntN(5)) })
		}},
		{"second branch", func() []string {
			p := pick(cqps)
			b := id(pick(branches))
			if regexp.MustCompile(`(?m)^- ` + b + `$`).Match(fsys[p].Data) {
				return nil
			}
			fsys[p].Data = bytes.Replace(fsys[p].Data, []byte("\nbranches:\n"), []byte("\nbranches:\n- "+b+"\n"), 1)
			return []string{p}
		}},
		{"branch name", func() []string {
			p := pick(branches)
			return editLine(fsys, p, "name: ", func(v string) string { return v + " " + pick(words) })
		}},
		{"new CQP", func() []string {
			added++
			p := fmt.Sprintf("content/cqp/zz-nouveau-%d.md", added)
			other := pick(cqps)
			fsys[p] = &fstest.MapFile{Data: fmt.Appendf(nil, "---\ntitle: %s nouveau %d\nbranches: [%s]\nregistration: {register: none}\nsummary: Nouveau.\nupdated: 2026-0%d-01\nblocks:\n  - code: N1\n    title: Bloc\n---\nVoir [l'autre](cqp:%s).\n", pick(words), added, id(pick(branches)), 1+rng.IntN(9), id(other))}
			cqps = append(cqps, p)
			return []string{p}
		}},
		{"delete a new CQP", func() []string {
			for i, p := range cqps {
				if strings.Contains(p, "zz-nouveau") {
					delete(fsys, p)
					cqps = slices.Delete(cqps, i, i+1)
					return []string{p}
				}
			}
			return nil
		}},
		{"free page", func() []string {
			p := "content/pages/aide.md"
			fsys[p] = &fstest.MapFile{Data: fmt.Appendf(nil, "---\ntitle: Aide %d\nmenu: %d\n---\nTexte %d.\n", rng.IntN(9), rng.IntN(3), rng.IntN(100))}
			return []string{p}
		}},
		{"site settings", func() []string {
			return editLine(fsys, "content/_index.md", "title: ", func(string) string { return fmt.Sprintf("Catalogue %d", rng.IntN(100)) })
		}},
		{"break a file", func() []string {
			p := pick(cqps)
			broken = append(broken, p)
			fsys[p].Data = bytes.Replace(fsys[p].Data, []byte("\nsummary: "), []byte("\nsummary: [ "), 1)
			return []string{p}
		}},
		{"fix it", func() []string {
			var fixed []string
			for _, p := range broken {
				fsys[p].Data = bytes.Replace(fsys[p].Data, []byte("\nsummary: [ "), []byte("\nsummary: "), 1)
				fixed = append(fixed, p)
			}
			broken = nil
			return fixed
		}},
	}
	for i := range 45 {
		e := edits[rng.IntN(len(edits))]
		if i%9 == 8 {
			e = edits[len(edits)-1] // fix what is broken now and then
		}
		changed := e.do()
		if changed == nil {
			continue
		}
		if s.step(fsys, changed...) {
			s.assertFull(fsys, fmt.Sprintf("step %d (%s)", i, e.name))
			compared++
		}
	}
	if compared < 30 {
		t.Errorf("only %d of 45 steps gave a site that checks: the session tests too little", compared)
	}
}

// editLine changes the value of the first line that starts with prefix.
func editLine(fsys fstest.MapFS, path, prefix string, f func(string) string) []string {
	lines := strings.Split(string(fsys[path].Data), "\n")
	for i, l := range lines {
		if v, ok := strings.CutPrefix(l, prefix); ok {
			lines[i] = prefix + f(v)
			fsys[path].Data = []byte(strings.Join(lines, "\n"))
			return []string{path}
		}
	}
	return nil
}
