package devserver

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/fsnotify/fsnotify"
)

// watching starts a server on a site folder on disk, with a real watcher.
func watching(t testing.TB, dir string, debounce time.Duration) (*Server, string) {
	t.Helper()
	s, err := New(Options{Dir: dir, Today: today, Debounce: debounce})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(func() {
		cancel()
		s.Close()
	})
	if err := s.Watch(ctx); err != nil {
		t.Fatal(err)
	}
	if rep := s.Rebuild(nil); rep.Errors > 0 || rep.Problem != "" {
		t.Fatalf("the site does not build:\n%s%s", listText(rep.List), rep.Problem)
	}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return s, srv.URL
}

func changes(p string) func(message) bool {
	return func(m message) bool { return m.Type == "build" && (m.All || slices.Contains(m.Changed, p)) }
}

// TestWatcherEndToEnd saves files the ways editors do, in a real folder,
// and waits (up to 10 s, for loaded machines) for the message that tells
// the open page to reload; the page then shows the change.
func TestWatcherEndToEnd(t *testing.T) {
	dir := diskSite(t, testSite)
	s, base := watching(t, dir, 0)
	ev := listen(t, base, "/cqp/agent/")
	ev.next("hello")
	agent := filepath.Join(dir, "content", "cqp", "agent.md")
	read := func() string {
		b, err := os.ReadFile(agent)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	page := func() string {
		_, body := get(t, base+"/cqp/agent/")
		return string(body)
	}

	// 1. Written in place.
	writeFile(t, agent, strings.Replace(read(), "title: Agent de fabrication", "title: Agent de fabrication en place", 1))
	ev.until("a write in place", changes("cqp/agent/index.html"))
	if !strings.Contains(page(), "Agent de fabrication en place") {
		t.Fatal("after a write in place, the page does not show the new title")
	}

	// 2. Written to a temporary file, renamed over the old one.
	tmp := filepath.Join(dir, "content", "cqp", ".agent.md.tmp-1234")
	writeFile(t, tmp, strings.Replace(read(), "en place", "par renommage", 1))
	if err := os.Rename(tmp, agent); err != nil {
		t.Fatal(err)
	}
	ev.until("an atomic save", changes("cqp/agent/index.html"))
	if !strings.Contains(page(), "Agent de fabrication par renommage") {
		t.Fatal("after an atomic save, the page does not show the new title")
	}

	// 3. As vim does by default: the old file renamed to a backup, the new
	// one written, the backup removed.
	text := strings.Replace(read(), "par renommage", "comme vim", 1)
	if err := os.Rename(agent, agent+"~"); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "content", "cqp", "4913"), "")
	os.Remove(filepath.Join(dir, "content", "cqp", "4913"))
	writeFile(t, agent, text)
	os.Remove(agent + "~")
	ev.until("a vim save", func(m message) bool {
		return changes("cqp/agent/index.html")(m) && strings.Contains(page(), "Agent de fabrication comme vim")
	})

	// 4. A folder removed and created again with its files: the new
	// folder is watched, and its files are read.
	pages := filepath.Join(dir, "content", "pages")
	vae, err := os.ReadFile(filepath.Join(pages, "vae.md"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(pages); err != nil {
		t.Fatal(err)
	}
	ev.until("a removed folder", func(m message) bool { return m.Type == "build" && slices.Contains(m.Changed, "vae/index.html") })
	if res, _ := get(t, base+"/vae/"); res.StatusCode != 404 {
		t.Fatalf("after removing content/pages, /vae/ is %s", res.Status)
	}
	writeFile(t, filepath.Join(pages, "vae.md"), string(vae))
	ev.until("a new folder", changes("vae/index.html"))
	if res, _ := get(t, base+"/vae/"); res.StatusCode != 200 {
		t.Fatalf("after creating content/pages again, /vae/ is %s", res.Status)
	}
	// A file saved later in the new folder is seen too.
	writeFile(t, filepath.Join(pages, "aide.md"), "---\ntitle: Aide\n---\nDe l'aide.\n")
	ev.until("a file in the new folder", changes("aide/index.html"))

	// 5. The stylesheet alone.
	css := filepath.Join(dir, "themes", "default", "static", "style.css")
	writeFile(t, css, "body { color: #222; }\n")
	m := ev.until("a stylesheet edit", func(m message) bool { return m.Type == "build" && len(m.Changed) > 0 })
	if !slices.Equal(m.Changed, []string{"style.css"}) {
		t.Errorf("a stylesheet edit changed %v, want [style.css]", m.Changed)
	}

	// 6. A broken file: a status message with the diagnostics; fixed: a
	// build message without them.
	good := read()
	writeFile(t, agent, strings.Replace(good, "summary:", "sumary:", 1))
	m = ev.until("a broken file", func(m message) bool { return m.Type == "status" })
	if m.Errors == 0 || !strings.Contains(m.Diagnostics[0].Text, "content/cqp/agent.md:") {
		t.Errorf("after a break: %+v", m)
	}
	writeFile(t, agent, good)
	m = ev.until("the fix", func(m message) bool { return m.Type == "build" })
	if m.Errors != 0 {
		t.Errorf("after the fix: %d errors", m.Errors)
	}

	// Whatever happened, the files served are those of a full build.
	s.bg.Wait()
	assertSameFiles(t, "after the session", fullBuild(t, os.DirFS(dir)), s.snapshot())
}

// TestWatcherBatchesASave: the events of several files written together
// give one rebuild.
func TestWatcherBatchesASave(t *testing.T) {
	dir := diskSite(t, testSite)
	// A long debounce, so that a slow machine still writes the three files
	// within one batch.
	s, base := watching(t, dir, 300*time.Millisecond)
	ev := listen(t, base, "/")
	ev.next("hello")
	s.mu.Lock()
	before := s.seq
	s.mu.Unlock()
	for _, name := range []string{"agent.md", "conducteur.md"} {
		p := filepath.Join(dir, "content", "cqp", name)
		b, _ := os.ReadFile(p)
		writeFile(t, p, string(b)+"\nUn ajout.\n")
	}
	p := filepath.Join(dir, "content", "pages", "vae.md")
	b, _ := os.ReadFile(p)
	writeFile(t, p, string(b)+"\nUn ajout.\n")
	m := ev.until("the batch", func(m message) bool { return m.Type == "build" })
	for _, want := range []string{"cqp/agent/index.html", "cqp/conducteur/index.html", "vae/index.html"} {
		if !slices.Contains(m.Changed, want) {
			t.Errorf("the batch's message does not name %s: %v", want, m.Changed)
		}
	}
	s.mu.Lock()
	after := s.seq
	s.mu.Unlock()
	if after != before+1 {
		t.Errorf("three files saved together gave %d rebuilds, want 1", after-before)
	}
}

// TestWatcherIgnoresEditorFiles feeds the watcher's handler the events
// editors cause beside a save: none counts as a change of the site.
func TestWatcherIgnoresEditorFiles(t *testing.T) {
	dir := t.TempDir()
	w := &watcher{s: &Server{}, root: dir, signal: make(chan struct{}, 1), changed: map[string]bool{}}
	at := func(rel string) string { return filepath.Join(dir, filepath.FromSlash(rel)) }
	for _, ev := range []fsnotify.Event{
		{Name: at("content/cqp/.agent.md.swp"), Op: fsnotify.Create},
		{Name: at("content/cqp/.agent.md.swp"), Op: fsnotify.Write},
		{Name: at("content/cqp/4913"), Op: fsnotify.Create},
		{Name: at("content/cqp/4913"), Op: fsnotify.Remove},
		{Name: at("content/cqp/agent.md~"), Op: fsnotify.Create},
		{Name: at("content/cqp/.#agent.md"), Op: fsnotify.Create},
		{Name: at("content/cqp/#agent.md#"), Op: fsnotify.Write},
		{Name: at("content/cqp/agent.md.tmp"), Op: fsnotify.Rename},
		{Name: at("content/cqp/agent.md"), Op: fsnotify.Chmod},
		{Name: at("public/index.html"), Op: fsnotify.Write},
		{Name: at("notes.txt"), Op: fsnotify.Create},
		{Name: at(".git/index"), Op: fsnotify.Write},
	} {
		w.handle(ev)
	}
	if got, _ := w.take(); len(got) != 0 {
		t.Errorf("editor files and files outside content/ and themes/ counted as changes: %v", got)
	}
	for _, ev := range []fsnotify.Event{
		{Name: at("content/cqp/agent.md"), Op: fsnotify.Rename},
		{Name: at("content/cqp/agent.md"), Op: fsnotify.Create},
		{Name: at("content/pages/vae.md"), Op: fsnotify.Write},
		{Name: at("themes/default/static/style.css"), Op: fsnotify.Remove},
	} {
		w.handle(ev)
	}
	want := []string{"content/cqp/agent.md", "content/pages/vae.md", "themes/default/static/style.css"}
	if got, _ := w.take(); !slices.Equal(got, want) {
		t.Errorf("changes = %v, want %v", got, want)
	}
}
