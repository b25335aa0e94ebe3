package bench

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"testing"
)

func TestStaticServerCounts(t *testing.T) {
	dir := t.TempDir()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll(filepath.Join(dir, "search", "t"), 0o755))
	must(os.WriteFile(filepath.Join(dir, "index.html"), []byte("<p>accueil</p>"), 0o644))
	must(os.WriteFile(filepath.Join(dir, "search", "t", "0.js"), make([]byte, 5000), 0o644))
	s, err := Serve(dir)
	must(err)
	defer s.Close()

	mark := s.Mark()
	for _, p := range []string{"", "search/t/0.js?v=1", "nope", "search"} {
		resp, err := http.Get(s.URL + p)
		must(err)
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	got := s.Since(mark)
	if len(got) != 5 { // "search" redirects to "search/", which is then a 404
		t.Fatalf("recorded %d responses, want 5: %+v", len(got), got)
	}
	if got[0].Path != "/" || got[0].Body != int64(len("<p>accueil</p>")) {
		t.Errorf("the home page: %+v, want / with its 14 bytes", got[0])
	}
	if got[1].Path != "/search/t/0.js?v=1" || got[1].Body != 5000 {
		t.Errorf("a search file: %+v, want its path, query and 5000 bytes", got[1])
	}
	for _, g := range got {
		if g.Header < int64(len("HTTP/1.1 200 OK\r\n\r\n")) {
			t.Errorf("%s: header bytes %d, want the status line and headers counted", g.Path, g.Header)
		}
	}
	if got[2].Path != "/nope" {
		t.Errorf("a missing file was recorded as %+v", got[2])
	}
}

func TestMerge(t *testing.T) {
	dev := []FileBytes{{Path: "/pagefind/pagefind.js", Bytes: 47421, SizedBy: "devtools"}}
	served := []Served{
		{Path: "/pagefind/pagefind.js", Header: 200, Body: 47228},
		{Path: "/pagefind/pagefind-worker.js", Header: 210, Body: 42928}, // a worker's script: DevTools has no size for it
		{Path: "/style.css", Header: 190, Body: 600},                     // not a search file
	}
	got := merge(dev, served, "/pagefind/")
	if len(got) != 2 || got[1].Path != "/pagefind/pagefind-worker.js" || got[1].Bytes != 43138 || got[1].SizedBy != "server" {
		t.Errorf("merge = %+v, want DevTools' pagefind.js and the worker sized by the server", got)
	}
	var r FirstResult
	r.setFiles(got)
	if r.Bytes != 47421+43138 || r.Requests != 2 {
		t.Errorf("setFiles: %d bytes in %d requests, want %d in 2", r.Bytes, r.Requests, 47421+43138)
	}
}
