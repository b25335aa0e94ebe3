package devserver

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/cqp-catalogue/cqp/generator/diag"
)

// message is what /_cqp/events sends and /_cqp/status.json returns; see
// the package documentation.
type message struct {
	Type        string     `json:"type"`
	Build       uint64     `json:"build"`
	Built       bool       `json:"built"`
	Errors      int        `json:"errors"`
	Warnings    int        `json:"warnings"`
	Diagnostics []diagView `json:"diagnostics"`
	Problem     string     `json:"problem,omitempty"`
	Changed     []string   `json:"changed,omitempty"`
	All         bool       `json:"all,omitempty"`
}

// diagView is one diagnostic; Text is its line in `cqp check`'s output.
type diagView struct {
	Path     string `json:"path"`
	Line     int    `json:"line"`
	Col      int    `json:"col"`
	Severity string `json:"severity"`
	Code     string `json:"code"`
	Message  string `json:"message"`
	Text     string `json:"text"`
}

// maxChanged bounds the list a build message carries; past it, the
// message says "all" and every page reloads.
const maxChanged = 2000

// messageLocked builds a message from the current state.
func (s *Server) messageLocked(kind string, changed []string) []byte {
	m := message{
		Type:        kind,
		Build:       s.build,
		Built:       s.build > 0,
		Errors:      s.status.list.Errors(),
		Warnings:    s.status.list.Warnings(),
		Diagnostics: diagViews(s.status.list),
		Problem:     s.status.problem,
	}
	if kind == "build" {
		if len(changed) > maxChanged {
			m.All = true
		} else {
			m.Changed = changed
		}
	}
	// Strings, numbers and booleans only: Marshal cannot fail.
	b, _ := json.Marshal(m)
	return b
}

func diagViews(l diag.List) []diagView {
	out := make([]diagView, 0, len(l))
	for _, d := range l {
		out = append(out, diagView{
			Path: d.Pos.Path, Line: d.Pos.Line, Col: d.Pos.Col,
			Severity: d.Severity.String(), Code: d.Code, Message: d.Message,
			Text: d.String(),
		})
	}
	return out
}

// client is one open page listening to /_cqp/events.
type client struct {
	page string        // the file it shows, cqp/x/index.html
	ch   chan []byte   // messages to send
	kick chan struct{} // closed when it falls behind: it reconnects
}

// openPagesLocked lists the files open tabs show: a rebuild renders them
// first.
func (s *Server) openPagesLocked() map[string]bool {
	open := make(map[string]bool, len(s.clients))
	for c := range s.clients {
		open[c.page] = true
	}
	return open
}

// broadcast sends a message to every open page. A page that does not
// keep up is disconnected; its script reconnects and the hello message
// tells it whether it missed a build.
func (s *Server) broadcast(msg []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for c := range s.clients {
		select {
		case c.ch <- msg:
		default:
			close(c.kick)
			delete(s.clients, c)
		}
	}
}

// pingEvery keeps idle event streams alive through proxies, and notices
// closed ones.
const pingEvery = 15 * time.Second

func (s *Server) serveEvents(w http.ResponseWriter, r *http.Request) {
	rc := http.NewResponseController(w)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	h.Set("X-Accel-Buffering", "no")
	page := sitePath(r.URL.Query().Get("page"))
	c := &client{page: page, ch: make(chan []byte, 16), kick: make(chan struct{})}
	s.mu.Lock()
	s.clients[c] = struct{}{}
	hello := s.messageLocked("hello", nil)
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.clients, c)
		s.mu.Unlock()
	}()
	w.WriteHeader(http.StatusOK)
	// retry: how long the browser waits before it reconnects.
	if _, err := fmt.Fprintf(w, "retry: 1000\n\ndata: %s\n\n", hello); err != nil {
		return
	}
	if rc.Flush() != nil {
		return
	}
	ping := time.NewTicker(pingEvery)
	defer ping.Stop()
	for {
		var err error
		select {
		case <-r.Context().Done():
			return
		case <-s.closing:
			return
		case <-c.kick:
			return
		case m := <-c.ch:
			_, err = fmt.Fprintf(w, "data: %s\n\n", m)
		case <-ping.C:
			_, err = fmt.Fprint(w, ": ping\n\n")
		}
		if err != nil || rc.Flush() != nil {
			return
		}
	}
}

// serveStatus is the overlay's content as JSON, for tools and tests.
func (s *Server) serveStatus(w http.ResponseWriter) {
	s.mu.Lock()
	b := s.messageLocked("status", nil)
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	w.Write(append(b, '\n'))
}

// sitePath is the file a URL path names: "/cqp/x/" is cqp/x/index.html.
// It does not check the path; see cleanPath.
func sitePath(urlPath string) string {
	p := strings.TrimLeft(urlPath, "/")
	if p == "" || strings.HasSuffix(p, "/") {
		p += "index.html"
	}
	return p
}

// logRebuild writes the line a rebuild the watcher started ends with.
func (s *Server) logRebuild(changed []string, rep Report) {
	what := "tout le site"
	switch {
	case len(changed) == 1:
		what = changed[0]
	case len(changed) > 1:
		what = fmt.Sprintf("%s et %d autre%s", changed[0], len(changed)-1, plural(len(changed)-1))
	}
	switch {
	case rep.Errors > 0:
		var b strings.Builder
		rep.List.Write(&b, diag.Text)
		fmt.Fprintf(s.log, "%s%s : %d erreur%s ; les pages restent celles de la dernière construction réussie.\n", b.String(), what, rep.Errors, plural(rep.Errors))
	case rep.Problem != "":
		fmt.Fprintf(s.log, "%s : %s\nles pages restent celles de la dernière construction réussie.\n", what, rep.Problem)
	case rep.Rendered == 0:
		fmt.Fprintf(s.log, "%s : le site est à jour, rien à reconstruire (%s).\n", what, round(rep.Done))
	default:
		line := fmt.Sprintf("%s : %d fichier%s reconstruit%s en %s", what, rep.Rendered, plural(rep.Rendered), plural(rep.Rendered), round(rep.Done))
		if rep.Ready < rep.Done {
			line += fmt.Sprintf(" (pages ouvertes rechargées en %s)", round(rep.Ready))
		}
		if rep.Warnings > 0 {
			line += fmt.Sprintf(", %d avertissement%s", rep.Warnings, plural(rep.Warnings))
		}
		fmt.Fprintln(s.log, line+".")
	}
}

func round(d time.Duration) time.Duration {
	if d < 10*time.Millisecond {
		return d.Round(100 * time.Microsecond)
	}
	return d.Round(time.Millisecond)
}

func plural(n int) string {
	if n > 1 {
		return "s"
	}
	return ""
}
