package devserver

import (
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

// step is one save of an editing session: what the editor does, and the
// paths a watcher reports.
type step struct {
	name    string
	edit    func(t *testing.T, fsys fstest.MapFS) []string
	errors  bool     // the content then has errors
	changed []string // when set, exactly the files the rebuild must change
}

func replace(path, old, new string) func(*testing.T, fstest.MapFS) []string {
	return func(t *testing.T, fsys fstest.MapFS) []string {
		t.Helper()
		f := fsys[path]
		if f == nil || !strings.Contains(string(f.Data), old) {
			t.Fatalf("%s does not contain %q", path, old)
		}
		f.Data = []byte(strings.Replace(string(f.Data), old, new, 1))
		return []string{path}
	}
}

func put(path, text string) func(*testing.T, fstest.MapFS) []string {
	return func(t *testing.T, fsys fstest.MapFS) []string {
		fsys[path] = &fstest.MapFile{Data: []byte(text), Mode: 0o644}
		return []string{path}
	}
}

func del(path string) func(*testing.T, fstest.MapFS) []string {
	return func(t *testing.T, fsys fstest.MapFS) []string {
		if fsys[path] == nil {
			t.Fatalf("no file %s to delete", path)
		}
		delete(fsys, path)
		return []string{path}
	}
}

// replay runs the session on the server, and after each step compares
// the files served with a full site.Build of the same content.
func replay(t *testing.T, fsys fstest.MapFS, steps []step) {
	t.Helper()
	s, err := New(Options{FS: fsys, Today: today})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if rep := s.Rebuild(nil); rep.Errors > 0 || rep.Problem != "" {
		t.Fatalf("the site does not build:\n%s%s", listText(rep.List), rep.Problem)
	}
	assertSameFiles(t, "first build", fullBuild(t, fsys), s.snapshot())
	good := s.snapshot()
	for _, st := range steps {
		changed := st.edit(t, fsys)
		rep := s.Rebuild(changed)
		if rep.Problem != "" {
			t.Fatalf("%s: %s", st.name, rep.Problem)
		}
		if st.errors {
			if rep.Errors == 0 {
				t.Fatalf("%s: no error found", st.name)
			}
			assertSameFiles(t, st.name+" (last good pages)", good, s.snapshot())
			continue
		}
		if rep.Errors > 0 {
			t.Fatalf("%s: errors:\n%s", st.name, listText(rep.List))
		}
		assertSameFiles(t, st.name, fullBuild(t, fsys), s.snapshot())
		if st.changed != nil && !sameChanges(rep.Changed, st.changed) {
			t.Errorf("%s: the rebuild changed %v, want %v", st.name, rep.Changed, st.changed)
		}
		if len(rep.Changed) > 0 && len(rep.Changed) == len(s.snapshot()) && st.changed == nil && !strings.Contains(st.name, "everything") {
			t.Errorf("%s: every file was rendered again", st.name)
		}
		good = s.snapshot()
	}
}

// TestRebuildMatchesBuild is the brief's editing session on a small site:
// after each step the files served are byte for byte those of `cqp build`.
func TestRebuildMatchesBuild(t *testing.T) {
	replay(t, sitetestFS(), []step{
		{name: "edit a CQP's title", edit: replace("content/cqp/conducteur.md", "title: Conducteur de ligne", "title: Conducteur de ligne automatisée")},
		{name: "edit a CQP's body", edit: replace("content/cqp/agent.md", "Le corps de la fiche", "Le nouveau corps de la fiche"),
			changed: []string{"cqp/agent/index.html", "search/"}},
		{name: "add a block", edit: replace("content/cqp/conducteur.md", "    title: Préparer la ligne\n", "    title: Préparer la ligne\n  - code: B2\n    title: Régler la ligne\n    hours: 35\n")},
		{name: "break a file", edit: replace("content/cqp/agent.md", "summary: Fabriquer des produits.", "summary: [Fabriquer"), errors: true},
		{name: "break another while the first is broken", edit: replace("content/pages/vae.md", "Tout sur la VAE.", "Voir [ceci](cqp:nulle-part)."), errors: true},
		{name: "fix both", edit: func(t *testing.T, fsys fstest.MapFS) []string {
			a := replace("content/cqp/agent.md", "summary: [Fabriquer", "summary: Fabriquer des produits, mieux.")(t, fsys)
			return append(a, replace("content/pages/vae.md", "Voir [ceci](cqp:nulle-part).", "Tout sur la VAE, encore.")(t, fsys)...)
		}},
		{name: "add a CQP", edit: put("content/cqp/regleur.md", "---\ntitle: Régleur\nbranches: [plasturgie]\nregistration: {register: rs, number: RS42}\nsummary: Régler.\nupdated: 2026-01-15\nblocks:\n  - code: R1\n    title: Régler\n    common_with: [conducteur/B2]\n---\nLe régleur.\n")},
		{name: "delete a CQP", edit: del("content/cqp/regleur.md")},
		{name: "delete a CQP others point at", edit: del("content/cqp/conducteur.md"), errors: true},
		{name: "put it back", edit: put("content/cqp/conducteur.md", "---\ntitle: Conducteur\nbranches: [textile]\nregistration: {register: none}\nsummary: Conduire.\nblocks:\n  - code: B1\n    title: Préparer\n---\n")},
		{name: "change the site settings (everything)", edit: replace("content/_index.md", "title: Catalogue de test", "title: Le catalogue du textile")},
		{name: "add a free page to the menu (everything)", edit: put("content/pages/contacts.md", "---\ntitle: Contacts\nmenu: 2\n---\nNous écrire.\n")},
		{name: "rename a branch", edit: replace("content/branches/plasturgie.md", "name: Plasturgie", "name: Plasturgie et composites")},
		{name: "edit the stylesheet", edit: replace("themes/default/static/style.css", "#111", "#222"),
			changed: []string{"style.css"}},
		{name: "change a layout (everything)", edit: put("themes/default/layouts/404.html", `{{define "main"}}<h1>Perdu</h1>{{end}}`)},
		{name: "change a UI string (everything)", edit: put("themes/default/i18n/fr.yaml", "notfound:\n  title: Page introuvable, désolé\n")},
	})
}

// TestRebuildMatchesBuildOnTheSample replays edits on the real content.
func TestRebuildMatchesBuildOnTheSample(t *testing.T) {
	fsys := sampleFS(t)
	var cqps []string
	for p := range fsys {
		if strings.HasPrefix(p, "content/cqp/") && strings.HasSuffix(p, ".md") {
			cqps = append(cqps, p)
		}
	}
	slices.Sort(cqps)
	if len(cqps) < 3 {
		t.Fatalf("the sample has %d CQPs", len(cqps))
	}
	title := func(p string) func(*testing.T, fstest.MapFS) []string {
		return func(t *testing.T, fsys fstest.MapFS) []string {
			lines := strings.Split(string(fsys[p].Data), "\n")
			for i, l := range lines {
				if strings.HasPrefix(l, "title: ") {
					lines[i] = "title: Zz " + strings.TrimPrefix(l, "title: ")
					fsys[p].Data = []byte(strings.Join(lines, "\n"))
					return []string{p}
				}
			}
			t.Fatalf("%s has no title line", p)
			return nil
		}
	}
	body := func(p string) func(*testing.T, fstest.MapFS) []string {
		return func(t *testing.T, fsys fstest.MapFS) []string {
			fsys[p].Data = append(fsys[p].Data, "\nUn paragraphe ajouté pendant la relecture.\n"...)
			return []string{p}
		}
	}
	replay(t, fsys, []step{
		{name: "a title", edit: title(cqps[0])},
		{name: "a body", edit: body(cqps[1])},
		{name: "another title", edit: title(cqps[2])},
		{name: "a broken file", edit: func(t *testing.T, fsys fstest.MapFS) []string {
			fsys[cqps[1]].Data = append([]byte("---\nclé inconnue: 1\n"), fsys[cqps[1]].Data[4:]...)
			return []string{cqps[1]}
		}, errors: true},
		{name: "fixed", edit: func(t *testing.T, fsys fstest.MapFS) []string {
			fsys[cqps[1]].Data = append([]byte("---\n"), fsys[cqps[1]].Data[len("---\nclé inconnue: 1\n"):]...)
			return []string{cqps[1]}
		}},
		{name: "a new CQP", edit: put("content/cqp/cqp-de-demonstration.md", "---\ntitle: CQP de démonstration\nbranches: [metallurgie]\nregistration: {register: none}\nsummary: Pour voir.\nblocks:\n  - code: D1\n    title: Démontrer\n---\n")},
		{name: "deleted", edit: del("content/cqp/cqp-de-demonstration.md")},
		{name: "the site's title (everything)", edit: title("content/_index.md")},
	})
}

// TestBuildMessages listens as an open page does: hello first, then a
// build message naming the files that changed, a status message with the
// diagnostics while the content is broken, and a build message again when
// it is fixed.
func TestBuildMessages(t *testing.T) {
	fsys := sitetestFS()
	s, srv := newServer(t, fsys)
	s.Rebuild(nil)
	ev := listen(t, srv.URL, "/cqp/agent/")
	hello := ev.next("hello")
	if hello.Type != "hello" || hello.Build != 1 || !hello.Built || hello.Errors != 0 {
		t.Fatalf("hello = %+v", hello)
	}

	replace("content/cqp/agent.md", "Le corps de la fiche", "Un autre corps")(t, fsys)
	s.Rebuild([]string{"content/cqp/agent.md"})
	m := ev.next("build")
	if m.Type != "build" || m.Build != 2 || !sameChanges(m.Changed, []string{"cqp/agent/index.html", "search/"}) {
		t.Errorf("after a body edit: %+v", m)
	}

	replace("themes/default/static/style.css", "#111", "#333")(t, fsys)
	s.Rebuild([]string{"themes/default/static/style.css"})
	if m := ev.next("build"); !slices.Equal(m.Changed, []string{"style.css"}) {
		t.Errorf("after a stylesheet edit: changed %v, want [style.css]", m.Changed)
	}

	replace("content/cqp/agent.md", "level: 3}", "level: 3, levle: 4}")(t, fsys)
	s.Rebuild([]string{"content/cqp/agent.md"})
	m = ev.next("status")
	if m.Type != "status" || m.Errors != 1 || len(m.Diagnostics) != 1 || !strings.HasPrefix(m.Diagnostics[0].Text, "content/cqp/agent.md:") {
		t.Errorf("after a break: %+v", m)
	}

	replace("content/cqp/agent.md", ", levle: 4}", "}")(t, fsys)
	s.Rebuild([]string{"content/cqp/agent.md"})
	m = ev.next("build")
	if m.Type != "build" || m.Errors != 0 || len(m.Diagnostics) != 0 {
		t.Errorf("after the fix: %+v", m)
	}
}

// TestOpenPagesFirst: the page an open tab shows is rebuilt and published
// before the message; the other files follow in the background, and a
// request for one of them waits for it rather than get the old version.
func TestOpenPagesFirst(t *testing.T) {
	fsys := sitetestFS()
	s, srv := newServer(t, fsys)
	s.Rebuild(nil)
	ev := listen(t, srv.URL, "/cqp/conducteur/")
	ev.next("hello")

	replace("content/cqp/conducteur.md", "title: Conducteur de ligne", "title: Conducteur de ligne automatisée")(t, fsys)
	rep := s.rebuild([]string{"content/cqp/conducteur.md"}, false, false, nil)
	if rep.Rendered != 1 {
		t.Errorf("before the message, %d files were rendered, want the open page alone", rep.Rendered)
	}
	m := ev.next("build")
	if !slices.Contains(m.Changed, "cqp/conducteur/index.html") || !slices.Contains(m.Changed, "index.html") {
		t.Errorf("changed = %v", m.Changed)
	}
	// The open page is there already.
	s.mu.Lock()
	fresh := !s.pendingLocked("cqp/conducteur/index.html")
	s.mu.Unlock()
	if !fresh {
		t.Error("the open page was not published with the message")
	}
	// The home page lists the new title, whether or not the background
	// has reached it: the request waits.
	_, body := get(t, srv.URL+"/")
	if !strings.Contains(string(body), "Conducteur de ligne automatisée") {
		t.Error("the home page was served before it was rebuilt")
	}
	s.bg.Wait()
	assertSameFiles(t, "after the background", fullBuild(t, fsys), s.snapshot())
}

// TestANewSaveStopsTheBackground starts rebuilds without waiting for their
// background work, one after another: whatever was cut short, the last
// one leaves every file right.
func TestANewSaveStopsTheBackground(t *testing.T) {
	fsys := sitetestFS()
	s, _ := newServer(t, fsys)
	s.Rebuild(nil)
	for i, title := range []string{"Alpha", "Zulu", "Mike", "Bravo"} {
		replace("content/cqp/conducteur.md", "title: ", "title: "+title+" ")(t, fsys)
		changed := []string{"content/cqp/conducteur.md"}
		if i == 2 {
			changed = append(changed, "themes/default/layouts/404.html") // everything again
		}
		s.rebuild(changed, false, false, nil)
	}
	s.bg.Wait()
	assertSameFiles(t, "after four quick saves", fullBuild(t, fsys), s.snapshot())
}

func sitetestFS() fstest.MapFS {
	return sitetestClone(testSite)
}

// sameChanges compares a list of changed files with a list in which
// "search/" stands for the search index's files: a body edit changes the
// page and the index, which is one group.
func sameChanges(got, want []string) bool {
	var files []string
	search := false
	for _, p := range got {
		if strings.HasPrefix(p, "search/") {
			search = true
		} else {
			files = append(files, p)
		}
	}
	if search {
		files = append(files, "search/")
	}
	return slices.Equal(files, want)
}

// TestThemeErrorsShowInTheOverlay breaks a layout of the theme on disk: the
// overlay shows the template error with its layout and line, the last good
// pages stay served; the fix clears it.
func TestThemeErrorsShowInTheOverlay(t *testing.T) {
	fsys := sitetestFS()
	s, srv := newServer(t, fsys)
	s.Rebuild(nil)
	good := s.snapshot()
	for _, tc := range []struct{ name, layout, want string }{
		{"a parse error", "{{define \"main\"}}<h1>{{.Heading}</h1>{{end}}", "layouts/404.html:1"},
		{"an execution error", "{{define \"main\"}}<h1>{{.NoSuchField}}</h1>{{end}}", "layouts/404.html:1"},
	} {
		put("themes/default/layouts/404.html", tc.layout)(t, fsys)
		rep := s.Rebuild([]string{"themes/default/layouts/404.html"})
		if !strings.Contains(rep.Problem, tc.want) {
			t.Errorf("%s: problem %q, want it to name %s", tc.name, rep.Problem, tc.want)
		}
		_, body := get(t, srv.URL+"/_cqp/status.json")
		var st message
		mustJSON(t, body, &st)
		if !strings.Contains(st.Problem, tc.want) {
			t.Errorf("%s: the overlay's problem is %q", tc.name, st.Problem)
		}
		assertSameFiles(t, tc.name+" (last good pages)", good, s.snapshot())
	}
	delete(fsys, "themes/default/layouts/404.html")
	if rep := s.Rebuild([]string{"themes/default/layouts/404.html"}); rep.Problem != "" {
		t.Fatalf("after the fix: %s", rep.Problem)
	}
	_, body := get(t, srv.URL+"/_cqp/status.json")
	var st message
	mustJSON(t, body, &st)
	if st.Problem != "" {
		t.Errorf("after the fix, the overlay still shows %q", st.Problem)
	}
	assertSameFiles(t, "after the fix", fullBuild(t, fsys), s.snapshot())
}
