// Package browsertest runs the built site in a real headless Chromium, the
// way visitors see it: over HTTP and from file://, with and without
// JavaScript, under a strict Content-Security-Policy, on a phone-sized and a
// desktop-sized screen, checked by axe-core.
//
// # Running the browser tests
//
//	make test-browser
//
// installs what the tests need and runs them:
//
//   - Debian's chromium package (apt-get update && apt-get install -y
//     chromium) when no chromium is on the PATH;
//   - axe-core, pinned in this folder's package.json and package-lock.json,
//     with npm ci into this folder's node_modules/ (git-ignored);
//   - then go test -count=1 -tags browser -run '^TestBrowser' ./...
//
// Browser tests live in files with the build constraint `//go:build browser`
// and their names start with TestBrowser, so that plain `go test ./...`
// stays fast and needs no browser, and `make test-browser` runs them and
// nothing else (Start fails a test whose name does not follow the rule,
// rather than let it be silently skipped). A browser test never skips: when
// Chromium or axe-core is missing or Chromium cannot start, it fails with a
// message that says what to install.
//
// The browser is found in $CQP_CHROMIUM (the Makefile sets it), else as
// chromium, chromium-browser, google-chrome or google-chrome-stable on the
// PATH. axe-core is read from $CQP_AXE_JS, else from node_modules/ beside
// this file. CHROMEDP_VISIBLEWINDOW=1 shows the window, for debugging on a
// desktop.
//
// # The harness
//
// Start launches one Chromium for a test (headless, no sandbox, no GPU, no
// network of its own, a fresh profile in a temporary folder); NewPage opens
// a tab in it. Every helper takes the test, fails it with a clear message
// on error and has a timeout (Page.Timeout, 15 s by default), so that a
// broken page fails the test instead of hanging it:
//
//	b := browsertest.Start(t)
//	p := b.NewPage(t)
//	p.Open(browsertest.ServeCSP(t, dir) + "cqp/cqpi-operateur-qualite/")
//	p.Click("a[href$='branches/plasturgie/']")
//	p.WaitFor(`location.pathname.endsWith("/branches/plasturgie/")`)
//	p.AssertAccessible()   // axe-core: WCAG 2.1 A and AA, best practices
//	p.AssertNoCSPViolations()
//
// Serve and ServeCSP serve a folder over HTTP on 127.0.0.1 at a random port
// (ServeCSP with `Content-Security-Policy: default-src 'self'; img-src 'self'
// data:`); FileURL gives the file:// address of a file. Page records every
// console message, uncaught exception and CSP violation (reported by the
// securitypolicyviolation event and by the console) from the moment it is
// opened; DisableJavaScript turns scripts off for the tab, as a visitor can.
package browsertest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// DefaultTimeout bounds every helper that waits for the browser.
const DefaultTimeout = 15 * time.Second

// Browser is one headless Chromium, closed when the test that started it
// ends.
type Browser struct {
	ctx context.Context
}

// lockedBuffer collects Chromium's stdout and stderr, which arrive on
// another goroutine, for the message when it does not start.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// ChromiumPath returns the browser to run, or an error that says how to
// install one.
func ChromiumPath() (string, error) {
	if p := os.Getenv("CQP_CHROMIUM"); p != "" {
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
		// The Makefile's default when nothing is installed yet: fall
		// through to the search, and fail with the install hint.
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", errors.New("Chromium introuvable : lancez « make test-browser », qui l'installe (apt-get update && apt-get install -y chromium), ou indiquez son chemin dans CQP_CHROMIUM")
}

// Start launches Chromium for the test t and closes it when t ends. It fails
// the test at once when Chromium cannot be found or started.
func Start(t testing.TB) *Browser {
	t.Helper()
	if name := t.Name(); !strings.HasPrefix(name, "TestBrowser") {
		t.Fatalf("browsertest: the test %s starts a browser but its name does not start with TestBrowser; make test-browser runs only tests named TestBrowser…, so this one would never run", name)
	}
	path, err := ChromiumPath()
	if err != nil {
		t.Fatal(err)
	}
	out := &lockedBuffer{}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		// A fresh profile for every run: no cache, no cookies, no
		// service worker left from another test.
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("headless", "new"),
		chromedp.NoSandbox, // root in containers; the pages are our own
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		// Nothing leaves the machine: the site must load nothing from
		// other hosts, and the tests must not depend on the network.
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-default-apps", true),
		// No back-forward cache: a page restored from it fires no load
		// event and leaves chromedp's view of the DOM stale, so Back then
		// reloads the previous page from its URL, as many browsers do.
		chromedp.Flag("disable-features", "Translate,MediaRouter,OptimizationHints,BackForwardCache"),
		chromedp.Flag("disable-dev-shm-usage", true), // /dev/shm is small in containers
		chromedp.Flag("hide-scrollbars", true),       // screenshots the same everywhere
		chromedp.Flag("mute-audio", true),
		chromedp.Flag("force-color-profile", "srgb"),
		chromedp.Flag("lang", "fr-FR"),
		chromedp.CombinedOutput(out),
	}
	if os.Getenv("CHROMEDP_VISIBLEWINDOW") != "" {
		opts = append(opts, chromedp.VisibleWindow)
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	t.Cleanup(func() {
		cancel()
		cancelAlloc()
	})
	// The first action starts the browser; its context must not carry a
	// timeout, or the browser would die with it. A watchdog bounds it.
	started := make(chan error, 1)
	go func() { started <- chromedp.Do(ctx) }()
	select {
	case err := <-started:
		if err != nil {
			t.Fatalf("Chromium (%s) ne démarre pas : %v\nsortie de Chromium :\n%s", path, err, out)
		}
	case <-time.After(60 * time.Second):
		t.Fatalf("Chromium (%s) n'a pas démarré en 60 s\nsortie de Chromium :\n%s", path, out)
	}
	return &Browser{ctx: ctx}
}

// Page is one tab.
type Page struct {
	t   testing.TB
	ctx context.Context
	// Timeout bounds each helper; DefaultTimeout unless changed.
	Timeout time.Duration

	noJS bool // DisableJavaScript was called

	mu      sync.Mutex
	console []string // errors and warnings the page wrote, exceptions
	cspLog  []string // CSP violations the console reported
}

// cspRecorder runs before any script of every document the tab loads (the
// browser injects it; a CSP does not apply to it) and keeps the
// securitypolicyviolation events, which is how a page learns that the CSP
// blocked something: an inline script or style, an eval, a resource from
// another host.
const cspRecorder = `(() => {
  const seen = [];
  Object.defineProperty(window, "__cqpCSPViolations", { value: seen });
  document.addEventListener("securitypolicyviolation", (e) => {
    seen.push(e.violatedDirective + " blocked " + (e.blockedURI || "inline") +
      (e.sourceFile ? " at " + e.sourceFile + ":" + e.lineNumber + ":" + e.columnNumber : "") +
      (e.sample ? " (" + e.sample + ")" : ""));
  }, true);
})();`

// NewPage opens a tab, closed when t ends.
func (b *Browser) NewPage(t testing.TB) *Page {
	t.Helper()
	ctx, cancel := chromedp.NewContext(b.ctx)
	t.Cleanup(cancel)
	p := &Page{t: t, ctx: ctx, Timeout: DefaultTimeout}
	// Subscribe before anything loads, so no message is lost.
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			p.record(m)
		}
	}()
	p.do("ouvrir un onglet", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: cspRecorder})
		return err
	}))
	return p
}

func (p *Page) record(m chromedp.ConsoleMessage) {
	p.mu.Lock()
	defer p.mu.Unlock()
	where := ""
	if m.URL != "" {
		where = fmt.Sprintf(" (%s:%d)", m.URL, m.Line+1)
	}
	text := string(m.Type) + ": " + m.Text + where
	if strings.Contains(m.Text, "Content Security Policy") || strings.Contains(m.Text, "Content-Security-Policy") {
		p.cspLog = append(p.cspLog, text)
	}
	switch m.Type {
	case chromedp.ConsoleError, chromedp.ConsoleException, chromedp.ConsoleWarning, "assert":
		p.console = append(p.console, text)
	}
}

// do runs actions with the page's timeout and fails the test on error.
func (p *Page) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, p.timeout())
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		p.fail(what, err)
	}
}

func (p *Page) timeout() time.Duration {
	if p.Timeout <= 0 {
		return DefaultTimeout
	}
	return p.Timeout
}

func (p *Page) fail(what string, err error) {
	p.t.Helper()
	if errors.Is(err, context.DeadlineExceeded) {
		err = fmt.Errorf("rien après %v (%w)", p.timeout(), err)
	}
	p.t.Fatalf("%s sur %s : %v%s", what, p.currentURL(), err, p.consoleSummary())
}

// currentURL is the tab's address, for failure messages; it never fails.
func (p *Page) currentURL() string {
	ctx, cancel := context.WithTimeout(p.ctx, 2*time.Second)
	defer cancel()
	u, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		return "(adresse inconnue)"
	}
	return u
}

func (p *Page) consoleSummary() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.console) == 0 {
		return ""
	}
	return "\nconsole de la page :\n  " + strings.Join(p.console, "\n  ")
}

// Run runs an action of the page and returns its value, failing the test on
// error: the way to use any chromedp action the helpers do not wrap.
func Run[T any](p *Page, what string, a chromedp.Action[T]) T {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, p.timeout())
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		p.fail(what, err)
	}
	return v
}

// Eval evaluates a JavaScript expression in the page and decodes its value
// into T; promises are awaited.
func Eval[T any](p *Page, expr string) T {
	p.t.Helper()
	return Run(p, "évaluer "+shorten(expr), chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
}

func shorten(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 80 {
		return fmt.Sprintf("%q…", s[:80])
	}
	return fmt.Sprintf("%q", s)
}

// Open loads url (http:// or file://) and waits for its load event.
func (p *Page) Open(url string) {
	p.t.Helper()
	p.do("ouvrir "+url, chromedp.Navigate(url))
}

// URL returns the tab's current address.
func (p *Page) URL() string {
	p.t.Helper()
	return Run(p, "lire l'adresse", chromedp.Location())
}

// Title returns the document's title.
func (p *Page) Title() string {
	p.t.Helper()
	return Run(p, "lire le titre", chromedp.Title())
}

// Back goes back in the tab's history, as the browser's back button does,
// and waits until the previous page is there. The page may come from the
// back-forward cache (in a visitor's browser, not in Start's), which fires
// no load event, so Back waits for the address to change and the document
// to be complete.
func (p *Page) Back() {
	p.t.Helper()
	before := p.URL()
	Eval[bool](p, `(history.back(), true)`)
	b, _ := json.Marshal(before)
	p.WaitFor(fmt.Sprintf(`location.href !== %s && document.readyState === "complete"`, b))
}

// Click clicks the first element matching the CSS selector, once it is
// visible. It does not wait for a navigation: follow it with WaitFor or
// WaitVisible, or use ClickAndWait.
func (p *Page) Click(sel string) {
	p.t.Helper()
	p.do("cliquer sur "+sel, chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible))
}

// ClickAndWait clicks a link or a button that loads a new page, and waits
// for that page's load event.
func (p *Page) ClickAndWait(sel string) {
	p.t.Helper()
	p.do("cliquer sur "+sel+" et attendre la page", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible))(ctx, tg)
		return err
	}))
}

// Type focuses the field matching sel and types text, key by key, as a
// visitor does (input events fire for every character).
func (p *Page) Type(sel, text string) {
	p.t.Helper()
	p.do("taper "+fmt.Sprintf("%q", text)+" dans "+sel, chromedp.SendKeys(chromedp.CSS(sel), text, chromedp.NodeVisible))
}

// Clear empties the field matching sel and fires its input event, as
// selecting the text and pressing Delete does.
func (p *Page) Clear(sel string) {
	p.t.Helper()
	p.WaitVisible(sel)
	b, _ := json.Marshal(sel)
	Eval[bool](p, fmt.Sprintf(`(() => {
  const el = document.querySelector(%s);
  el.value = "";
  el.dispatchEvent(new Event("input", { bubbles: true }));
  return true;
})()`, b))
}

// WaitVisible waits until an element matching sel is visible.
func (p *Page) WaitVisible(sel string) {
	p.t.Helper()
	p.do("attendre "+sel, chromedp.WaitVisible(chromedp.CSS(sel)))
}

// WaitFor waits until the JavaScript expression is truthy. It polls every
// 20 ms and keeps polling through navigations (while the old document goes
// and the new one comes, an evaluation can fail; that is not an answer).
func (p *Page) WaitFor(expr string) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, p.timeout())
	defer cancel()
	var last error
	for {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool]("!!("+expr+")"))
		if err == nil && ok {
			return
		}
		if err != nil && ctx.Err() == nil {
			last = err
		}
		select {
		case <-ctx.Done():
			if last != nil {
				p.fail("attendre "+shorten(expr), fmt.Errorf("%w (dernière erreur : %v)", ctx.Err(), last))
			}
			p.fail("attendre "+shorten(expr), ctx.Err())
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// Text returns the visible text of the first element matching sel.
func (p *Page) Text(sel string) string {
	p.t.Helper()
	return Run(p, "lire le texte de "+sel, chromedp.Text(chromedp.CSS(sel)))
}

// Count returns how many elements match sel, without waiting.
func (p *Page) Count(sel string) int {
	p.t.Helper()
	b, _ := json.Marshal(sel)
	return Eval[int](p, fmt.Sprintf("document.querySelectorAll(%s).length", b))
}

// Attr returns an attribute of the first element matching sel ("" when it
// has none).
func (p *Page) Attr(sel, name string) string {
	p.t.Helper()
	r := Run(p, "lire l'attribut "+name+" de "+sel, chromedp.AttributeValue(chromedp.CSS(sel), name))
	return r.Value
}

// DisableJavaScript turns scripts off in this tab, for the pages opened from
// now on, as a visitor who disabled JavaScript sees them. The helpers that
// evaluate JavaScript synchronously (Eval, Count, Text) still work: the
// DevTools protocol runs them, not the page. Axe, which needs timers, turns
// scripts back on for its run only: the page's own scripts were skipped
// when it loaded and stay so.
func (p *Page) DisableJavaScript() {
	p.t.Helper()
	p.setScripts(false)
	p.noJS = true
}

func (p *Page) setScripts(on bool) {
	p.t.Helper()
	what := "désactiver JavaScript"
	if on {
		what = "réactiver JavaScript"
	}
	p.do(what, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: !on})
		return err
	}))
}

// Viewport sets the size of the tab's screen in CSS pixels; widths under
// 600 also emulate a phone (touch, mobile viewport meta tag honoured).
func (p *Page) Viewport(width, height int) {
	p.t.Helper()
	var opts []chromedp.EmulateViewportOption
	if width < 600 {
		opts = append(opts, chromedp.EmulateMobile, chromedp.EmulateScale(3))
	}
	p.do(fmt.Sprintf("régler l'écran à %d×%d", width, height), chromedp.EmulateViewport(int64(width), int64(height), opts...))
}

// Screenshot writes a PNG of the whole page to path (in the test's temporary
// folder, typically), for looking at a failure.
func (p *Page) Screenshot(path string) {
	p.t.Helper()
	png := Run(p, "capturer l'écran", chromedp.FullScreenshot(100))
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		p.t.Fatal(err)
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		p.t.Fatal(err)
	}
	p.t.Logf("capture d'écran : %s", path)
}

// ConsoleErrors returns the errors, warnings and uncaught exceptions the page
// has written to its console since the tab opened.
func (p *Page) ConsoleErrors() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.console...)
}

// CSPViolations returns what the Content-Security-Policy blocked in the
// current document (securitypolicyviolation events) and in every document
// of the tab (console reports).
func (p *Page) CSPViolations() []string {
	p.t.Helper()
	// Give the console events of the last load a moment to arrive: they
	// come on another goroutine.
	time.Sleep(50 * time.Millisecond)
	events := Eval[[]string](p, `Array.from(window.__cqpCSPViolations || [])`)
	p.mu.Lock()
	defer p.mu.Unlock()
	return append(events, p.cspLog...)
}

// AssertNoCSPViolations fails the test when the CSP blocked anything.
func (p *Page) AssertNoCSPViolations() {
	p.t.Helper()
	if v := p.CSPViolations(); len(v) > 0 {
		p.t.Errorf("%s : la Content-Security-Policy a bloqué %d chose(s) :\n  %s", p.URL(), len(v), strings.Join(v, "\n  "))
	}
}

// AssertNoConsoleErrors fails the test when the page wrote an error or a
// warning to its console or threw an uncaught exception.
func (p *Page) AssertNoConsoleErrors() {
	p.t.Helper()
	time.Sleep(50 * time.Millisecond)
	if c := p.ConsoleErrors(); len(c) > 0 {
		p.t.Errorf("%s : la console a reçu %d erreur(s) ou avertissement(s) :\n  %s", p.URL(), len(c), strings.Join(c, "\n  "))
	}
}
