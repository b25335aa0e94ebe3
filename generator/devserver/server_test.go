package devserver

import (
	"bufio"
	"bytes"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/cqp-catalogue/cqp/generator/site"
	"github.com/cqp-catalogue/cqp/generator/sitetest"
)

// TestServedBytesAreBuildBytes fetches every file of the sample over HTTP
// and compares it with what `cqp build` writes: the same bytes, but for the
// live script in HTML pages, just before </body>.
func TestServedBytesAreBuildBytes(t *testing.T) {
	fsys := sampleFS(t)
	s, srv := newServer(t, fsys)
	if rep := s.Rebuild(nil); rep.Errors > 0 || rep.Problem != "" {
		t.Fatalf("the sample does not build: %s%s", listText(rep.List), rep.Problem)
	}
	want := fullBuild(t, fsys)
	assertSameFiles(t, "sample", want, s.snapshot())
	for _, p := range slices.Sorted(mapsKeys(want)) {
		res, body := get(t, srv.URL+"/"+p)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET /%s: %s", p, res.Status)
		}
		if cc := res.Header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("GET /%s: Cache-Control %q, want no-store", p, cc)
		}
		if strings.HasSuffix(p, ".html") {
			if !bytes.HasSuffix(body, []byte(Snippet(1)+"</body></html>")) && !bytes.Contains(body, []byte(Snippet(1)+"</body>")) {
				t.Errorf("GET /%s: the live script is not just before </body>", p)
			}
			body = withoutSnippet(t, body)
		}
		if !bytes.Equal(body, want[p]) {
			t.Errorf("GET /%s: the body is not what cqp build writes: %s", p, firstDiff(want[p], body))
		}
	}
}

func TestContentTypes(t *testing.T) {
	s, srv := newServer(t, sitetest.FS(testSite))
	s.Rebuild(nil)
	for _, tc := range []struct{ path, want string }{
		{"index.html", "text/html; charset=utf-8"},
		{"style.css", "text/css; charset=utf-8"},
		{"site.js", "text/javascript; charset=utf-8"},
		{"catalogue.json", "application/json"},
		{"schema/cqp.schema.json", "application/json"},
		{"sitemap.xml", "application/xml; charset=utf-8"},
		{"feed.xml", "application/xml; charset=utf-8"},
		{"favicon.svg", "image/svg+xml"},
		{"robots.txt", "text/plain; charset=utf-8"},
		{"favicon.ico", "image/x-icon"},
		{"img/logo.png", "image/png"},
		{"_cqp/live.js", "text/javascript; charset=utf-8"},
		{"_cqp/live.css", "text/css; charset=utf-8"},
		{"_cqp/status.json", "application/json"},
	} {
		res, _ := get(t, srv.URL+"/"+tc.path)
		if res.StatusCode != http.StatusOK {
			t.Errorf("GET /%s: %s", tc.path, res.Status)
			continue
		}
		if got := res.Header.Get("Content-Type"); got != tc.want {
			t.Errorf("GET /%s: Content-Type %q, want %q", tc.path, got, tc.want)
		}
		if got := res.Header.Get("X-Content-Type-Options"); got != "nosniff" {
			t.Errorf("GET /%s: X-Content-Type-Options %q, want nosniff", tc.path, got)
		}
	}
}

// TestFoldersAndRedirects: a folder serves its index.html; named without
// its slash, it redirects, keeping the query.
func TestFoldersAndRedirects(t *testing.T) {
	s, srv := newServer(t, sitetest.FS(testSite))
	s.Rebuild(nil)
	files := s.snapshot()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, tc := range []struct {
		url, file string
	}{
		{"/", "index.html"},
		{"/index.html", "index.html"},
		{"/cqp/agent/", "cqp/agent/index.html"},
		{"/cqp/agent/index.html", "cqp/agent/index.html"},
		{"/recherche/?q=soudeur", "recherche/index.html"},
		{"/vae/", "vae/index.html"},
	} {
		res, err := client.Get(srv.URL + tc.url)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Errorf("GET %s: %s", tc.url, res.Status)
			continue
		}
		if got := withoutSnippet(t, body); !bytes.Equal(got, files[tc.file]) {
			t.Errorf("GET %s is not %s", tc.url, tc.file)
		}
	}
	for _, tc := range []struct{ url, location string }{
		{"/cqp/agent", "/cqp/agent/"},
		{"/recherche?q=soudeur&niveau=3", "/recherche/?q=soudeur&niveau=3"},
		{"/branches", "/branches/"},
	} {
		res, err := client.Get(srv.URL + tc.url)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != tc.location {
			t.Errorf("GET %s: %s to %q, want 301 to %q", tc.url, res.Status, res.Header.Get("Location"), tc.location)
		}
	}
}

func TestUnknownPathsGetThe404Page(t *testing.T) {
	s, srv := newServer(t, sitetest.FS(testSite))
	s.Rebuild(nil)
	want := s.snapshot()["404.html"]
	for _, p := range []string{"/nulle-part", "/cqp/inconnu/", "/cqp/agent/autre.html", "/style.css/", "/_cqp"} {
		res, body := get(t, srv.URL+p)
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: %s, want 404", p, res.Status)
			continue
		}
		if ct := res.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
			t.Errorf("GET %s: Content-Type %q", p, ct)
		}
		if got := withoutSnippet(t, body); !bytes.Equal(got, want) {
			t.Errorf("GET %s: the body is not the site's 404.html", p)
		}
	}
	res, _ := get(t, srv.URL+"/_cqp/inconnu")
	if res.StatusCode != http.StatusNotFound {
		t.Errorf("GET /_cqp/inconnu: %s, want 404", res.Status)
	}
}

// TestTraversalIsRefused sends paths that try to leave the site, in every
// spelling; none may get anything but an error.
func TestTraversalIsRefused(t *testing.T) {
	s, srv := newServer(t, sitetest.FS(testSite))
	s.Rebuild(nil)
	for _, raw := range []string{
		"/../etc/passwd",
		"/cqp/../../../etc/passwd",
		"/%2e%2e/%2e%2e/etc/passwd",
		"/%2E%2E/content/_index.md",
		"/cqp/%2e%2e/%2e%2e/etc/passwd",
		"/cqp%2f..%2f..%2fetc%2fpasswd",
		"/cqp%2Fagent%2Findex.html",
		"/cqp%5c..%5c..%5cetc%5cpasswd",
		`/..\..\etc\passwd`,
		"/index.html%00.css",
		"/./index.html",
		"/cqp/./agent/",
		"//etc/passwd",
		"/cqp//agent/",
		"/.",
		"/..",
	} {
		// Raw bytes on the wire: no client cleans the path first.
		conn, err := net.Dial("tcp", strings.TrimPrefix(srv.URL, "http://"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(conn, "GET "+raw+" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"); err != nil {
			t.Fatal(err)
		}
		res, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			conn.Close()
			t.Fatalf("GET %s: %v", raw, err)
		}
		body, _ := io.ReadAll(res.Body)
		conn.Close()
		if res.StatusCode != http.StatusBadRequest {
			t.Errorf("GET %s: %s, want 400 Bad Request", raw, res.Status)
		}
		if bytes.Contains(body, []byte("root:")) || bytes.Contains(body, []byte("base_url")) {
			t.Errorf("GET %s: served a file from outside the site", raw)
		}
	}
}

func TestMethodsAndHosts(t *testing.T) {
	s, srv := newServer(t, sitetest.FS(testSite))
	s.Rebuild(nil)
	res, err := http.Post(srv.URL+"/", "text/plain", strings.NewReader("x"))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusMethodNotAllowed || res.Header.Get("Allow") != "GET, HEAD" {
		t.Errorf("POST /: %s, Allow %q", res.Status, res.Header.Get("Allow"))
	}
	res, err = http.Head(srv.URL + "/cqp/agent/")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK || res.ContentLength <= 0 {
		t.Errorf("HEAD /cqp/agent/: %s, length %d", res.Status, res.ContentLength)
	}

	// On a loopback address, a request must name this machine: a page
	// elsewhere cannot reach the server by DNS rebinding.
	s.loopback = true
	for host, want := range map[string]int{
		"localhost:1313":      http.StatusOK,
		"127.0.0.1:1313":      http.StatusOK,
		"[::1]:1313":          http.StatusOK,
		"catalogue.localhost": http.StatusOK,
		"evil.example:1313":   http.StatusForbidden,
		"192.168.1.10:1313":   http.StatusForbidden,
	} {
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.Host = host
		w := httptest.NewRecorder()
		s.ServeHTTP(w, req)
		if w.Code != want {
			t.Errorf("Host %s: %d, want %d", host, w.Code, want)
		}
	}
}

// TestInjection: HTML pages get the live script before </body>, or at the
// end when they have none; other files are left alone.
func TestInjection(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"<html><body><p>x</p></body></html>", "<html><body><p>x</p>" + Snippet(7) + "</body></html>"},
		{"<BODY>x</BODY>", "<BODY>x" + Snippet(7) + "</BODY>"},
		{"<p>une page sans body</p>", "<p>une page sans body</p>" + Snippet(7)},
		{"<body><pre></body></pre></body>", "<body><pre></body></pre>" + Snippet(7) + "</body>"},
	} {
		if got := string(inject([]byte(tc.in), 7)); got != tc.want {
			t.Errorf("inject(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	s, srv := newServer(t, sitetest.FS(testSite))
	s.Rebuild(nil)
	_, body := get(t, srv.URL+"/brut.html")
	if want := string(s.snapshot()["brut.html"]) + Snippet(1); string(body) != want {
		t.Errorf("GET /brut.html = %q, want %q", body, want)
	}
	for _, p := range []string{"style.css", "site.js", "catalogue.json", "feed.xml", "favicon.svg"} {
		_, body := get(t, srv.URL+"/"+p)
		if bytes.Contains(body, []byte("_cqp")) {
			t.Errorf("GET /%s: the live script was injected into a file that is not HTML", p)
		}
	}
}

// TestOverlayData breaks the site: the pages stay the last good ones, and
// the status (what the overlay shows) holds every diagnostic with the text
// of `cqp check`; the fix clears it.
func TestOverlayData(t *testing.T) {
	fsys := sitetest.FS(testSite)
	s, srv := newServer(t, fsys)
	s.Rebuild(nil)
	good := s.snapshot()

	broken := sitetest.Replace(t, fsys, "content/cqp/agent.md", "summary: Fabriquer des produits.", "summary: Fabriquer des produits.\nsumary: typo\nlevel: 9")
	broken = sitetest.Replace(t, broken, "content/pages/vae.md", "Tout sur la VAE.", "Voir [le CQP](cqp:agnet).")
	s.fsys = broken
	rep := s.Rebuild([]string{"content/cqp/agent.md", "content/pages/vae.md"})
	_, checkList := site.Check(broken, site.Options{Today: today})
	if rep.Errors == 0 || rep.Errors != checkList.Errors() {
		t.Fatalf("the rebuild found %d errors, cqp check %d", rep.Errors, checkList.Errors())
	}
	assertSameFiles(t, "after a break", good, s.snapshot())

	res, body := get(t, srv.URL+"/_cqp/status.json")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status.json: %s", res.Status)
	}
	var st message
	mustJSON(t, body, &st)
	var texts []string
	for _, d := range st.Diagnostics {
		texts = append(texts, d.Text)
	}
	wantText := strings.Split(strings.TrimSuffix(listText(checkList), "\n"), "\n")
	if !slices.Equal(texts, wantText) {
		t.Errorf("the overlay's lines:\n%s\nwant those of cqp check:\n%s", strings.Join(texts, "\n"), strings.Join(wantText, "\n"))
	}
	if st.Errors != checkList.Errors() || !st.Built {
		t.Errorf("status: %d errors, built %v", st.Errors, st.Built)
	}
	for _, d := range st.Diagnostics {
		if d.Path == "" || d.Line == 0 || d.Col == 0 || d.Message == "" {
			t.Errorf("a diagnostic without its position or message: %+v", d)
		}
	}

	// The pages are still served, the last good ones.
	res, body = get(t, srv.URL+"/cqp/agent/")
	if res.StatusCode != http.StatusOK || !bytes.Equal(withoutSnippet(t, body), good["cqp/agent/index.html"]) {
		t.Errorf("while the content is broken, /cqp/agent/ is not the last good page")
	}

	s.fsys = fsys
	if rep := s.Rebuild([]string{"content/cqp/agent.md", "content/pages/vae.md"}); rep.Errors != 0 {
		t.Fatalf("after the fix: %d errors", rep.Errors)
	}
	_, body = get(t, srv.URL+"/_cqp/status.json")
	mustJSON(t, body, &st)
	if st.Errors != 0 || len(st.Diagnostics) != 0 {
		t.Errorf("after the fix, the status still holds %d errors", st.Errors)
	}
}

// TestNeverBuilt: a site broken from the start has no pages yet; every
// path gets a page that carries the live script, whose overlay says why,
// with status 503.
func TestNeverBuilt(t *testing.T) {
	fsys := sitetest.Replace(t, sitetest.FS(testSite), "content/_index.md", "title: Catalogue de test", "titre: Catalogue de test")
	s, srv := newServer(t, fsys)
	if rep := s.Rebuild(nil); rep.Errors == 0 {
		t.Fatal("the broken site built")
	}
	for _, p := range []string{"/", "/cqp/agent/", "/style.css"} {
		res, body := get(t, srv.URL+p)
		if res.StatusCode != http.StatusServiceUnavailable || !bytes.Contains(body, []byte(Snippet(0))) {
			t.Errorf("GET %s: %s, live script %v", p, res.Status, bytes.Contains(body, []byte(Snippet(0))))
		}
	}
	_, body := get(t, srv.URL+"/_cqp/status.json")
	var st message
	mustJSON(t, body, &st)
	if st.Built || st.Errors == 0 {
		t.Errorf("status: built %v, %d errors", st.Built, st.Errors)
	}
}

func TestOwnFiles(t *testing.T) {
	s, srv := newServer(t, sitetest.FS(testSite))
	s.Rebuild(nil)
	_, js := get(t, srv.URL+"/_cqp/live.js")
	if !bytes.Equal(js, liveJS) {
		t.Error("/_cqp/live.js is not the embedded script")
	}
	// The overlay is built with DOM methods: no message can become markup.
	for _, banned := range []string{"innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("} {
		if bytes.Contains(liveJS, []byte(banned)) {
			t.Errorf("live.js uses %s", banned)
		}
	}
	_, css := get(t, srv.URL+"/_cqp/live.css")
	if !bytes.Equal(css, liveCSS) {
		t.Error("/_cqp/live.css is not the embedded stylesheet")
	}
}

func TestSitePathAndIgnored(t *testing.T) {
	for in, want := range map[string]string{
		"/":             "index.html",
		"":              "index.html",
		"/cqp/x/":       "cqp/x/index.html",
		"/style.css":    "style.css",
		"/recherche/":   "recherche/index.html",
		"/a/index.html": "a/index.html",
	} {
		if got := sitePath(in); got != want {
			t.Errorf("sitePath(%q) = %q, want %q", in, got, want)
		}
	}
	for name, want := range map[string]bool{
		"agent.md":      false,
		"style.css":     false,
		"4913":          true,
		".agent.md.swp": true,
		"agent.md.swp":  true,
		"agent.md~":     true,
		".#agent.md":    true,
		"#agent.md#":    true,
		"agent.md.tmp":  true,
		".DS_Store":     true,
		"x___jb_tmp___": true,
		"_index.md":     false,
		"agent-4913.md": false,
		"#notes.md":     false,
	} {
		if got := Ignored(name); got != want {
			t.Errorf("Ignored(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestListenReportsAPortInUse(t *testing.T) {
	ln, err := Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	addr := ln.Addr().String()
	_, err = Listen(addr)
	if err == nil {
		t.Fatalf("a second Listen on %s worked", addr)
	}
	if msg := err.Error(); !strings.Contains(msg, "déjà utilisée") || !strings.Contains(msg, addr) || !strings.Contains(msg, "--addr") {
		t.Errorf("Listen on a port in use: %q, want a French message naming the address and --addr", msg)
	}
	if _, err := Listen("1313"); err == nil || !strings.Contains(err.Error(), "hôte:port") {
		t.Errorf("Listen(%q) = %v, want a message about hôte:port", "1313", err)
	}
	if got := URL(ln); !strings.HasPrefix(got, "http://127.0.0.1:") || !strings.HasSuffix(got, "/") {
		t.Errorf("URL = %q", got)
	}
}
