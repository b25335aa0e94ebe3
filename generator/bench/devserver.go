package bench

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Reload is a dev server's time from saving a file to the change being
// seen, over several saves of one CQP file that alternate a sentence added
// to the body and a change of title (which changes the lists too), as
// shared/bench/server_rebuild.sh does for Hugo.
type Reload struct {
	// Reload runs from the save to the reload message on the server-sent
	// events stream (cqp serve only: Hugo's reload goes over a websocket,
	// so its figure is Served).
	Reload Stat `json:"reload_ms,omitzero"`
	// Served runs from the save to the first response of the edited page
	// that shows the change (polled every 10 ms once the reload message came,
	// or from the save for Hugo).
	Served Stat `json:"served_ms"`
	// Internal is the server's own figure for a whole rebuild, the
	// visited page and every other file (Hugo's "Total in N ms", cqp
	// serve's "N fichiers reconstruits en D"); the next save waits for it.
	Internal Stat `json:"internal_ms,omitzero"`
	// Startup is the time from start to the first page served: the
	// initial build.
	Startup float64  `json:"startup_s"`
	Edits   int      `json:"edits"`
	Notes   []string `json:"notes,omitempty"`
}

// editPage is the CQP that the dev server measures edit: the second, as in
// server_rebuild.sh (the first may be special in lists).
const (
	editCQPFile   = "content/cqp/cqp-0002.md"
	editHugoFile  = "content/cqp/CQP-0002.md"
	editPagePath  = "cqp/cqp-0002/"
	pollInterval  = 10 * time.Millisecond
	startTimeout  = 10 * time.Minute
	changeTimeout = 60 * time.Second
	// hugoRebuildTimeout bounds the wait for one hugo server rebuild,
	// and for its page: 25 s at 10,000 CQPs on a busy two-core machine,
	// three times that at 30,000.
	hugoRebuildTimeout = 5 * time.Minute
)

var titleRE = regexp.MustCompile(`(?m)^title: (")?(.*?)( \(rév\. \d+\))?(")?(\r?)$`)

// Edit returns the k-th edit of a CQP file and the text that the edited
// page must then show: even edits add a sentence to the body, odd edits
// put a revision number in the title (quoted or plain, as the file has it,
// replacing the revision an earlier edit put there).
func Edit(src []byte, k int) ([]byte, string, error) {
	if k%2 == 0 {
		out := append([]byte(nil), src...)
		if len(out) > 0 && out[len(out)-1] != '\n' {
			out = append(out, '\n')
		}
		out = fmt.Appendf(out, "\nPhrase de contrôle numéro %d ajoutée pour mesurer la reconstruction.\n", k)
		return out, fmt.Sprintf("contrôle numéro %d ajoutée", k), nil
	}
	loc := titleRE.FindSubmatchIndex(src)
	if loc == nil {
		return nil, "", errors.New("no title: line in the front matter")
	}
	rev := fmt.Sprintf(" (rév. %d)", k)
	b := append([]byte(nil), src[:loc[5]]...) // through the title's text
	b = append(b, rev...)
	if loc[8] >= 0 { // the closing quote
		b = append(b, '"')
	}
	b = append(b, src[loc[10]:]...) // the line's end and the rest
	return b, "(rév. " + strconv.Itoa(k) + ")", nil
}

// server is a dev server process the harness started.
type server struct {
	cmd  *exec.Cmd
	out  *syncTail
	done chan struct{}
	base string
}

type syncTail struct {
	mu      sync.Mutex
	t       tail
	partial []byte         // the line being written
	done    *regexp.Regexp // the line a server prints when a rebuild is over
	ms      []float64      // the figure of each such line, in ms
}

// Lines that end a rebuild, and the server's own figure for it: Hugo's
// "Total in 123 ms"; cqp serve's "… : 12 fichiers reconstruits en 336ms
// (pages ouvertes rechargées en 17ms)." or "… rien à reconstruire (2ms)".
var (
	hugoDoneRE = regexp.MustCompile(`Total in ([0-9]+) ms`)
	cqpDoneRE  = regexp.MustCompile(`reconstruits? en ([0-9.]+(?:µs|ms|s))|rien à reconstruire \(([0-9.]+(?:µs|ms|s))\)`)
)

func (s *syncTail) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.partial = append(s.partial, p...)
	for {
		i := bytes.IndexByte(s.partial, '\n')
		if i < 0 {
			break
		}
		s.line(string(s.partial[:i]))
		s.partial = s.partial[i+1:]
	}
	return s.t.Write(p)
}

func (s *syncTail) line(l string) {
	if s.done == nil {
		return
	}
	m := s.done.FindStringSubmatch(l)
	if m == nil {
		return
	}
	for _, v := range m[1:] {
		if v != "" {
			s.ms = append(s.ms, doneMs(v))
			return
		}
	}
}

// doneMs reads a server's figure: a Go duration ("336ms", "4.06s") or a
// number of milliseconds.
func doneMs(v string) float64 {
	if d, err := time.ParseDuration(v); err == nil {
		return ms(d)
	}
	f, _ := strconv.ParseFloat(v, 64)
	return f
}

// rebuilds returns how many rebuilds the server said were over, and
// their figures.
func (s *syncTail) rebuilds() (int, []float64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.ms), append([]float64(nil), s.ms...)
}

func (s *syncTail) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.t.String()
}

func startServer(ctx context.Context, done *regexp.Regexp, port int, name string, args ...string) (*server, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	out := &syncTail{done: done}
	cmd.Stdout, cmd.Stderr = out, out
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 10 * time.Second
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &server{cmd: cmd, out: out, done: make(chan struct{}), base: fmt.Sprintf("http://127.0.0.1:%d/", port)}
	go func() { cmd.Wait(); close(s.done) }()
	return s, nil
}

// waitRebuilds waits until the server has said that n rebuilds are over.
func waitRebuilds(s *server, n int, d time.Duration) bool {
	for end := time.Now().Add(d); time.Now().Before(end); {
		if got, _ := s.out.rebuilds(); got >= n {
			return true
		}
		select {
		case <-s.done:
			return false
		case <-time.After(20 * time.Millisecond):
		}
	}
	return false
}

// stop interrupts the server (as Ctrl-C would) and kills it if it does not
// stop within ten seconds.
func (s *server) stop() {
	select {
	case <-s.done:
		return
	default:
	}
	s.cmd.Process.Signal(syscall.SIGINT)
	select {
	case <-s.done:
	case <-time.After(10 * time.Second):
		s.cmd.Process.Kill()
		<-s.done
	}
}

// waitUp polls url until it answers 200, the process ends or the timeout.
func (s *server) waitUp(u string) error {
	end := time.Now().Add(startTimeout)
	for time.Now().Before(end) {
		select {
		case <-s.done:
			return fmt.Errorf("the server stopped: %s", s.out.String())
		default:
		}
		if resp, err := http.Get(u); err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("%s did not answer in %s: %s", u, startTimeout, s.out.String())
}

// waitText polls url until the body holds marker.
func waitText(u, marker string, d time.Duration) error {
	end := time.Now().Add(d)
	for time.Now().Before(end) {
		if resp, err := http.Get(u); err == nil {
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK && strings.Contains(string(b), marker) {
				return nil
			}
		}
		time.Sleep(pollInterval)
	}
	return fmt.Errorf("%s never showed %q", u, marker)
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// HasServe reports whether the cqp binary has a serve command: its usage
// lists only the commands that work.
func HasServe(ctx context.Context, cqp string) bool {
	out, _ := exec.CommandContext(ctx, cqp, "help").CombinedOutput()
	return strings.Contains(string(out), "cqp serve")
}

// CQPServe measures `cqp serve` on the site in dir: edits saves of one CQP
// file, each timed to the reload message and to the page served.
func CQPServe(ctx context.Context, cqp, dir string, edits int) (Reload, error) {
	var r Reload
	port, err := freePort()
	if err != nil {
		return r, err
	}
	start := time.Now()
	s, err := startServer(ctx, cqpDoneRE, port, cqp, "serve", "--src", dir, "--addr", fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil {
		return r, err
	}
	defer s.stop()
	if err := s.waitUp(s.base); err != nil {
		return r, fmt.Errorf("cqp serve: %w", err)
	}
	r.Startup = round(time.Since(start).Seconds(), 3)
	events, err := findEvents(s.base)
	if err != nil {
		return r, fmt.Errorf("cqp serve: %w", err)
	}
	// The reload script names the page it runs in (…/events?page=<path>),
	// and the server renders the pages that open tabs show first: connect
	// as the edited page's tab would.
	if strings.HasSuffix(events, "page=") {
		events += url.QueryEscape("/" + editPagePath)
	}
	sse, closeSSE, err := subscribe(ctx, events)
	if err != nil {
		return r, fmt.Errorf("cqp serve: %s: %w", events, err)
	}
	defer closeSSE()
	time.Sleep(200 * time.Millisecond)
	drain(sse)

	file := dir + "/" + editCQPFile
	orig, err := os.ReadFile(file)
	if err != nil {
		return r, err
	}
	defer os.WriteFile(file, orig, 0o644)
	page := s.base + editPagePath
	var reload, served, internal []float64
	endLines := true // cqp serve prints a line when a rebuild is over
	cur := orig
	for k := 0; k < edits; k++ {
		next, marker, err := Edit(cur, k)
		if err != nil {
			return r, fmt.Errorf("%s: %w", file, err)
		}
		drain(sse)
		n0, _ := s.out.rebuilds()
		t0 := time.Now()
		if err := os.WriteFile(file, next, 0o644); err != nil {
			return r, err
		}
		cur = next
		ev, err := nextReload(sse, changeTimeout)
		if err != nil {
			return r, fmt.Errorf("cqp serve: no reload message for %s within %s of saving %s: %w", editPagePath, changeTimeout, editCQPFile, err)
		}
		reload = append(reload, ms(ev.at.Sub(t0)))
		if err := waitText(page, marker, changeTimeout); err != nil {
			return r, fmt.Errorf("cqp serve: %w", err)
		}
		served = append(served, ms(time.Since(t0)))
		// cqp serve reloads the open page before it has rendered the
		// rest: as for Hugo, wait until it says the rebuild is over, so
		// that the next save does not compete with this one's background
		// work.
		if endLines {
			if !waitRebuilds(s, n0+1, changeTimeout) {
				// Its log has changed: space the saves as well as the
				// harness can, and say so.
				endLines = false
				r.Notes = append(r.Notes, fmt.Sprintf("edit %d: cqp serve printed no end-of-rebuild line in %s; the next saves do not wait for one", k, changeTimeout))
			}
		}
		// A save is one rebuild: a second message for it would be a
		// rebuild too many, which the harness reports.
		time.Sleep(300 * time.Millisecond)
		if extra := drainReloads(sse); extra > 0 {
			r.Notes = append(r.Notes, fmt.Sprintf("edit %d: %d more reload message(s) for the page", k, extra))
		}
		if n, figures := s.out.rebuilds(); n > n0 {
			internal = append(internal, figures[n0])
		}
	}
	r.Edits = edits
	r.Reload = Summarize(reload, 1)
	r.Served = Summarize(served, 1)
	r.Internal = Summarize(internal, 1)
	return r, nil
}

// HugoServer measures `hugo server` on the site in dir as
// shared/bench/server_rebuild.sh does: its default fast render mode,
// rendering to memory; the edited page visited once before; each save
// timed until the page served shows the change (polled every 10 ms); then
// 1.5 s for any further rebuild of the same save, which is reported.
func HugoServer(ctx context.Context, hugo, dir string, edits int) (Reload, error) {
	var r Reload
	port, err := freePort()
	if err != nil {
		return r, err
	}
	start := time.Now()
	s, err := startServer(ctx, hugoDoneRE, port, hugo, "server", "--bind", "127.0.0.1", "--port", strconv.Itoa(port), "-s", dir)
	if err != nil {
		return r, err
	}
	defer s.stop()
	page := s.base + editPagePath
	if err := s.waitUp(page); err != nil {
		return r, fmt.Errorf("hugo server: %w", err)
	}
	r.Startup = round(time.Since(start).Seconds(), 3)

	file := dir + "/" + editHugoFile
	orig, err := os.ReadFile(file)
	if err != nil {
		return r, err
	}
	defer os.WriteFile(file, orig, 0o644)
	var served, internal []float64
	cur := orig
	for k := 0; k < edits; k++ {
		next, marker, err := Edit(cur, k)
		if err != nil {
			return r, fmt.Errorf("%s: %w", file, err)
		}
		n0, _ := s.out.rebuilds()
		t0 := time.Now()
		if err := os.WriteFile(file, next, 0o644); err != nil {
			return r, err
		}
		cur = next
		if err := waitText(page, marker, hugoRebuildTimeout); err != nil {
			return r, fmt.Errorf("hugo server: %w", err)
		}
		served = append(served, ms(time.Since(t0)))
		// Hugo serves the visited page before it has rendered the rest:
		// wait for its "Total in" line, so that the next save does not
		// land in this rebuild (on a large catalogue a rebuild takes
		// longer than server_rebuild.sh's ten seconds).
		waitRebuilds(s, n0+1, hugoRebuildTimeout)
		time.Sleep(1500 * time.Millisecond)
		n, totals := s.out.rebuilds()
		if n-n0 != 1 {
			r.Notes = append(r.Notes, fmt.Sprintf("edit %d gave %d rebuilds", k, n-n0))
		}
		if n > n0 {
			internal = append(internal, totals[n0])
		}
	}
	r.Edits = edits
	r.Served = Summarize(served, 1)
	r.Internal = Summarize(internal, 1)
	return r, nil
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// sseEvent is one server-sent event and when it arrived.
type sseEvent struct {
	at         time.Time
	name, data string
}

// reloadPage is the edited page as cqp serve's messages name it.
const reloadPage = editPagePath + "index.html"

// isReload reports whether an event tells the edited page to reload. cqp
// serve's messages are JSON (generator/devserver): a "build" message that
// was built and changed the page, or changed everything. An event named
// "reload", or whose data is "reload", the convention of other dev
// servers, counts too.
func isReload(e sseEvent) bool {
	if e.name == "reload" || strings.TrimSpace(e.data) == "reload" {
		return true
	}
	var m struct {
		Type    string   `json:"type"`
		Built   bool     `json:"built"`
		All     bool     `json:"all"`
		Changed []string `json:"changed"`
	}
	if json.Unmarshal([]byte(e.data), &m) != nil {
		return false
	}
	return m.Type == "build" && m.Built && (m.All || slices.Contains(m.Changed, reloadPage))
}

// eventSourceRE finds the address a page script gives to EventSource.
var eventSourceRE = regexp.MustCompile(`EventSource\(\s*["'` + "`" + `]([^"'` + "`" + `]+)["'` + "`" + `]`)
var scriptSrcRE = regexp.MustCompile(`<script[^>]*\ssrc=["']?([^"' >]+)`)

// findEvents finds the dev server's event stream: the address that the
// script it injects into pages passes to EventSource, looked for in the
// home page and in the scripts it loads.
func findEvents(base string) (string, error) {
	home, err := get(base)
	if err != nil {
		return "", err
	}
	if m := eventSourceRE.FindStringSubmatch(home); m != nil {
		return resolve(base, m[1])
	}
	for _, m := range scriptSrcRE.FindAllStringSubmatch(home, -1) {
		u, err := resolve(base, m[1])
		if err != nil || !strings.HasPrefix(u, base) {
			continue
		}
		js, err := get(u)
		if err != nil {
			continue
		}
		if m := eventSourceRE.FindStringSubmatch(js); m != nil {
			return resolve(base, m[1])
		}
	}
	return "", errors.New("no EventSource address in the home page or its scripts: is the reload script injected?")
}

func get(u string) (string, error) {
	resp, err := http.Get(u)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("GET %s: %s", u, resp.Status)
	}
	return string(b), err
}

func resolve(base, ref string) (string, error) {
	b, err := url.Parse(base)
	if err != nil {
		return "", err
	}
	r, err := url.Parse(ref)
	if err != nil {
		return "", err
	}
	return b.ResolveReference(r).String(), nil
}

// subscribe opens an event stream and sends its events on the channel.
func subscribe(ctx context.Context, u string) (chan sseEvent, func(), error) {
	ctx, cancel := context.WithCancel(ctx)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		cancel()
		return nil, nil, err
	}
	req.Header.Set("Accept", "text/event-stream")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		cancel()
		return nil, nil, err
	}
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		resp.Body.Close()
		cancel()
		return nil, nil, fmt.Errorf("not an event stream (%s, %s)", resp.Status, resp.Header.Get("Content-Type"))
	}
	ch := make(chan sseEvent, 64)
	go func() {
		defer resp.Body.Close()
		readSSE(resp.Body, func(name, data string) {
			select {
			case ch <- sseEvent{at: time.Now(), name: name, data: data}:
			default: // nobody reads: the measure has moved on
			}
		})
	}()
	return ch, cancel, nil
}

// readSSE parses a server-sent events stream (the WHATWG format: "event:"
// and "data:" fields, a blank line ends an event, ":" starts a comment).
func readSSE(r io.Reader, emit func(name, data string)) {
	sc := bufio.NewScanner(r)
	var name string
	var data []string
	for sc.Scan() {
		line := strings.TrimSuffix(sc.Text(), "\r")
		switch {
		case line == "":
			if name != "" || len(data) > 0 {
				emit(name, strings.Join(data, "\n"))
			}
			name, data = "", nil
		case strings.HasPrefix(line, ":"):
		default:
			k, v, _ := strings.Cut(line, ":")
			v = strings.TrimPrefix(v, " ")
			switch k {
			case "event":
				name = v
			case "data":
				data = append(data, v)
			}
		}
	}
}

func drain(ch chan sseEvent) int {
	n := 0
	for {
		select {
		case <-ch:
			n++
		default:
			return n
		}
	}
}

// nextReload waits for the next event that reloads the edited page; the
// others (a status, a build of other files) go by.
func nextReload(ch chan sseEvent, d time.Duration) (sseEvent, error) {
	timeout := time.After(d)
	for {
		select {
		case e := <-ch:
			if isReload(e) {
				return e, nil
			}
		case <-timeout:
			return sseEvent{}, errors.New("timed out")
		}
	}
}

// drainReloads empties the channel and counts the reloads in it.
func drainReloads(ch chan sseEvent) int {
	n := 0
	for {
		select {
		case e := <-ch:
			if isReload(e) {
				n++
			}
		default:
			return n
		}
	}
}
