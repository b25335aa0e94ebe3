package bench

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestEdit(t *testing.T) {
	plain := "---\ntitle: Soudeur en chaudronnerie\ncode: CQP-0002\n---\n\nCorps.\n"
	quoted := "---\ncode: CQP-0002\ntitle: \"Soudeur en chaudronnerie\"\nkind: CQP\n---\n\nCorps."
	crlf := "---\r\ntitle: Soudeur\r\n---\r\nCorps.\r\n"
	tests := []struct {
		name, src string
		k         int
		want      string
		marker    string
	}{
		{"body", plain, 0, plain + "\nPhrase de contrôle numéro 0 ajoutée pour mesurer la reconstruction.\n", "contrôle numéro 0 ajoutée"},
		{"body without final newline", quoted, 2, quoted + "\n\nPhrase de contrôle numéro 2 ajoutée pour mesurer la reconstruction.\n", "contrôle numéro 2 ajoutée"},
		{"plain title", plain, 1, strings.Replace(plain, "chaudronnerie\n", "chaudronnerie (rév. 1)\n", 1), "(rév. 1)"},
		{"quoted title", quoted, 3, strings.Replace(quoted, `chaudronnerie"`, `chaudronnerie (rév. 3)"`, 1), "(rév. 3)"},
		{"a second title edit replaces the first", strings.Replace(plain, "chaudronnerie\n", "chaudronnerie (rév. 1)\n", 1), 3,
			strings.Replace(plain, "chaudronnerie\n", "chaudronnerie (rév. 3)\n", 1), "(rév. 3)"},
		{"CRLF kept", crlf, 1, "---\r\ntitle: Soudeur (rév. 1)\r\n---\r\nCorps.\r\n", "(rév. 1)"},
	}
	for _, tt := range tests {
		got, marker, err := Edit([]byte(tt.src), tt.k)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if string(got) != tt.want || marker != tt.marker {
			t.Errorf("%s: Edit(%q, %d) = %q, %q; want %q, %q", tt.name, tt.src, tt.k, got, marker, tt.want, tt.marker)
		}
		if !strings.Contains(string(got), tt.marker) {
			t.Errorf("%s: the edited file does not hold its marker %q", tt.name, tt.marker)
		}
	}
	if _, _, err := Edit([]byte("---\ncode: X\n---\n"), 1); err == nil {
		t.Error("a title edit of a file without title: no error")
	}
}

func TestReadSSE(t *testing.T) {
	stream := ": keep-alive\n\nevent: reload\ndata: {\"a\":1}\n\ndata: one\r\ndata: two\r\n\r\nevent:css\ndata:style.css\n\n: trailing comment\n"
	var got []string
	readSSE(strings.NewReader(stream), func(name, data string) { got = append(got, name+"|"+data) })
	want := []string{"reload|{\"a\":1}", "|one\ntwo", "css|style.css"}
	if strings.Join(got, ";") != strings.Join(want, ";") {
		t.Errorf("readSSE = %q, want %q", got, want)
	}
}

func TestIsReload(t *testing.T) {
	tests := []struct {
		ev   sseEvent
		want bool
	}{
		{sseEvent{data: `{"type":"build","build":2,"built":true,"changed":["cqp/cqp-0002/index.html","index.html"]}`}, true},
		{sseEvent{data: `{"type":"build","build":2,"built":true,"all":true}`}, true},
		{sseEvent{data: `{"type":"build","build":2,"built":true,"changed":["catalogue.json","style.css"]}`}, false}, // not the page
		{sseEvent{data: `{"type":"build","build":2,"built":false,"changed":["cqp/cqp-0002/index.html"]}`}, false},   // errors: overlay, no reload
		{sseEvent{data: `{"type":"hello","build":1,"built":true}`}, false},
		{sseEvent{data: `{"type":"status","errors":1}`}, false},
		{sseEvent{name: "reload", data: "{}"}, true}, // other dev servers' convention
		{sseEvent{data: "reload"}, true},
		{sseEvent{name: "css", data: "style.css"}, false},
		{sseEvent{data: "not json"}, false},
	}
	for _, tt := range tests {
		if got := isReload(tt.ev); got != tt.want {
			t.Errorf("isReload(%+v) = %v, want %v", tt.ev, got, tt.want)
		}
	}
}

func TestFindEvents(t *testing.T) {
	tests := []struct {
		name  string
		pages map[string]string
		want  string
	}{
		{"in a script file", map[string]string{
			"/":              `<html><script src="/site.js" defer></script><script src="/__cqp/live.js"></script>`,
			"/site.js":       `console.log(1)`,
			"/__cqp/live.js": "const es = new EventSource(`/__cqp/events?x=1`);",
		}, "/__cqp/events?x=1"},
		{"in the page, relative", map[string]string{
			"/": `<script>new EventSource("_events")</script>`,
		}, "/_events"},
	}
	for _, tt := range tests {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			body, ok := tt.pages[r.URL.Path]
			if !ok {
				http.NotFound(w, r)
				return
			}
			fmt.Fprint(w, body)
		}))
		got, err := findEvents(srv.URL + "/")
		srv.Close()
		if err != nil || got != srv.URL+tt.want {
			t.Errorf("%s: findEvents = %q, %v; want %q", tt.name, got, err, srv.URL+tt.want)
		}
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "<p>no script</p>") }))
	defer srv.Close()
	if _, err := findEvents(srv.URL + "/"); err == nil || !strings.Contains(err.Error(), "EventSource") {
		t.Errorf("a page without reload script: err = %v, want one that says so", err)
	}
}

// TestCQPServe runs the whole dev-server measure against a stand-in for
// cqp serve (the test binary, see helperServe): start, find the event
// stream, save, wait for the reload message and the page, restore.
func TestCQPServe(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, editCQPFile)
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		t.Fatal(err)
	}
	orig := "---\ntitle: Soudeur\n---\n\nCorps.\n"
	if err := os.WriteFile(file, []byte(orig), 0o644); err != nil {
		t.Fatal(err)
	}
	helperEnv(t, "serve")
	r, err := CQPServe(t.Context(), testBinary(t), dir, 4)
	if err != nil {
		t.Fatal(err)
	}
	if r.Edits != 4 || len(r.Reload.Runs) != 4 || len(r.Served.Runs) != 4 {
		t.Errorf("CQPServe = %+v, want 4 timed saves", r)
	}
	for i := range r.Served.Runs {
		if r.Served.Runs[i] < r.Reload.Runs[i] {
			t.Errorf("save %d: page served after %v ms, before its reload message (%v ms)", i, r.Served.Runs[i], r.Reload.Runs[i])
		}
	}
	if len(r.Notes) > 0 {
		t.Errorf("notes: %q, want none (one reload message per save)", r.Notes)
	}
	if len(r.Internal.Runs) != 4 || r.Internal.Median != 3.5 {
		t.Errorf("the server's own figures: %v, want 4 of 3.5 ms", r.Internal.Runs)
	}
	if b, _ := os.ReadFile(file); string(b) != orig {
		t.Errorf("the CQP file was not restored: %q", b)
	}
}

func TestHasServe(t *testing.T) {
	helperEnv(t, "fail")
	if HasServe(t.Context(), testBinary(t)) {
		t.Error("a binary whose help does not list cqp serve has it")
	}
}

// The lines that end a rebuild are read whole, even when they come in
// pieces, and their figures in milliseconds.
func TestServerLog(t *testing.T) {
	cqp := &syncTail{done: cqpDoneRE}
	for _, chunk := range []string{
		"Serveur prêt : http://127.0.0.1:1313/\ncontent/cqp/a.md : 12 fichiers recons",
		"truits en 336ms (pages ouvertes rechargées en 17ms).\ncontent/cqp/a.md : le site est à jour, rien à reconstruire (2.5ms).\n",
		"content/cqp/b.md : 1 fichier reconstruit en 1.25s.\nune ligne sans fin",
	} {
		cqp.Write([]byte(chunk))
	}
	n, figures := cqp.rebuilds()
	if n != 3 || fmt.Sprint(figures) != "[336 2.5 1250]" {
		t.Errorf("cqp serve's log: %d rebuilds %v, want 3: [336 2.5 1250]", n, figures)
	}
	hugo := &syncTail{done: hugoDoneRE}
	hugo.Write([]byte("Change detected, rebuilding site.\nTotal in 3912 ms\n"))
	if n, figures := hugo.rebuilds(); n != 1 || figures[0] != 3912 {
		t.Errorf("hugo server's log: %d rebuilds %v, want 1: [3912]", n, figures)
	}
}
