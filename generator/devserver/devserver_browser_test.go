//go:build browser

package devserver

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cqp-catalogue/cqp/generator/browsertest"
)

// overlayJS reads the overlay from the page: its title, its lines, and
// what assistive technologies see of it.
const overlayJS = `(() => {
  const host = document.querySelector("cqp-dev-overlay");
  if (!host || !host.shadowRoot) return null;
  const r = host.shadowRoot;
  const box = r.querySelector("[role=dialog]");
  const title = r.getElementById(box.getAttribute("aria-labelledby"));
  const button = r.querySelector("button");
  const rect = box.getBoundingClientRect();
  return {
    title: title.textContent,
    lines: Array.from(r.querySelectorAll("li code")).map(c => c.textContent),
    alert: r.querySelector("[role=alert]").textContent,
    button: button.textContent,
    buttonFocusable: button.tabIndex >= 0 && !button.disabled,
    fits: rect.width <= window.innerWidth + 1,
    color: getComputedStyle(title).color,
    background: getComputedStyle(box).backgroundColor,
  };
})()`

// overlayShown is true once the overlay is there and visible: it waits
// for its stylesheet.
const overlayShown = `(() => {
  const host = document.querySelector("cqp-dev-overlay");
  const box = host && host.shadowRoot && host.shadowRoot.querySelector("[role=dialog]");
  return !!box && !box.hidden && box.getBoundingClientRect().height > 0;
})()`

type overlayState struct {
	Title           string   `json:"title"`
	Lines           []string `json:"lines"`
	Alert           string   `json:"alert"`
	Button          string   `json:"button"`
	ButtonFocusable bool     `json:"buttonFocusable"`
	Fits            bool     `json:"fits"`
	Color           string   `json:"color"`
	Background      string   `json:"background"`
}

// TestBrowserLiveReloadAndOverlay opens a CQP page in Chromium, under a
// strict Content-Security-Policy, and then only touches the files: a new
// title shows by itself; a broken file brings the overlay, with the lines
// of cqp check, over the last good page; the fix takes it away; a
// stylesheet edit restyles the page without reloading it.
func TestBrowserLiveReloadAndOverlay(t *testing.T) {
	dir := diskSite(t, testSite)
	s, err := New(Options{Dir: dir, Today: today})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(func() { cancel(); s.Close() })
	if err := s.Watch(ctx); err != nil {
		t.Fatal(err)
	}
	if rep := s.Rebuild(nil); rep.Errors > 0 || rep.Problem != "" {
		t.Fatalf("the site does not build: %s%s", listText(rep.List), rep.Problem)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", browsertest.StrictCSP)
		s.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)

	b := browsertest.Start(t)
	p := b.NewPage(t)
	p.Viewport(390, 844) // a phone
	p.Open(srv.URL + "/cqp/agent/")
	if got := p.Text("h1"); got != "Agent de fabrication" {
		t.Fatalf("h1 = %q", got)
	}
	// The live script marks the page once the hello message came.
	p.WaitFor(`document.documentElement.hasAttribute("data-cqp-live")`)

	agent := filepath.Join(dir, "content", "cqp", "agent.md")
	good, err := os.ReadFile(agent)
	if err != nil {
		t.Fatal(err)
	}

	// A new title, seen without touching the browser.
	retitled := strings.Replace(string(good), "title: Agent de fabrication", "title: Agent de fabrication et de conditionnement", 1)
	writeFile(t, agent, retitled)
	p.WaitFor(`document.querySelector("h1") && document.querySelector("h1").textContent === "Agent de fabrication et de conditionnement"`)

	// A broken file: the overlay, over the last good page.
	writeFile(t, agent, strings.Replace(retitled, "summary:", "sumary:", 1))
	p.WaitFor(overlayShown)
	o := browsertest.Eval[overlayState](p, overlayJS)
	_, body := get(t, srv.URL+"/_cqp/status.json")
	var st message
	mustJSON(t, body, &st)
	var want []string
	for _, d := range st.Diagnostics {
		want = append(want, d.Text)
	}
	if st.Errors == 0 || strings.Join(o.Lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("overlay lines:\n%s\nwant the diagnostics:\n%s", strings.Join(o.Lines, "\n"), strings.Join(want, "\n"))
	}
	if !strings.HasPrefix(o.Title, fmt.Sprintf("Le contenu a %d erreur", st.Errors)) || o.Alert == "" {
		t.Errorf("overlay title %q, alert %q", o.Title, o.Alert)
	}
	if !o.ButtonFocusable || o.Button == "" {
		t.Errorf("the close button is not focusable: %+v", o)
	}
	if !o.Fits {
		t.Error("the overlay is wider than a phone's screen")
	}
	if o.Color != "rgb(138, 0, 25)" || o.Background != "rgb(255, 255, 255)" {
		t.Errorf("overlay colours %s on %s: the stylesheet did not load", o.Color, o.Background)
	}
	if got := p.Text("h1"); got != "Agent de fabrication et de conditionnement" {
		t.Errorf("under the overlay, h1 = %q, want the last good page", got)
	}
	p.AssertNoCSPViolations()
	// axe-core, to read the overlay's shadow root, adds a <style> of its
	// own that the CSP blocks: it runs in another tab, on the same page.
	q := b.NewPage(t)
	q.Viewport(390, 844)
	q.Open(srv.URL + "/cqp/agent/")
	q.WaitFor(overlayShown)
	q.AssertAccessible()

	// The fix: the overlay goes by itself.
	writeFile(t, agent, retitled)
	p.WaitFor(`document.querySelector("cqp-dev-overlay") === null`)

	// A stylesheet edit restyles the page in place: no reload.
	browsertest.Eval[bool](p, `(window.__cqpTestMarker = 42, true)`)
	css := filepath.Join(dir, "themes", "default", "static", "style.css")
	writeFile(t, css, "body { color: rgb(1, 2, 3); }\n")
	p.WaitFor(`getComputedStyle(document.body).color === "rgb(1, 2, 3)"`)
	if !browsertest.Eval[bool](p, `window.__cqpTestMarker === 42`) {
		t.Error("a stylesheet edit reloaded the page")
	}
	p.AssertNoCSPViolations()

	var st2 message
	_, body = get(t, srv.URL+"/_cqp/status.json")
	if err := json.Unmarshal(body, &st2); err != nil || st2.Errors != 0 {
		t.Errorf("after the fix, status.json = %s", body)
	}
}
