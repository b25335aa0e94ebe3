package browsertest

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"
)

// StrictCSP is the policy ServeCSP sends: everything from the site's own
// origin, images also as data: URLs, nothing inline, nothing from elsewhere.
// It is what a careful host sets, and the default theme must work under it.
const StrictCSP = "default-src 'self'; img-src 'self' data:"

// Serve serves the folder dir over HTTP on 127.0.0.1 at a random port until
// t ends, as a plain static host does (index.html for folders, 404.html for
// missing paths), and returns its address with a trailing slash.
func Serve(t testing.TB, dir string) string {
	t.Helper()
	return serve(t, dir, nil)
}

// ServeCSP is Serve with the header Content-Security-Policy: StrictCSP on
// every response.
func ServeCSP(t testing.TB, dir string) string {
	t.Helper()
	return serve(t, dir, http.Header{"Content-Security-Policy": {StrictCSP}})
}

// ServeUnder serves dir under the sub-path prefix (like
// https://example.org/cqp/), to check that nothing assumes the site sits at
// the root of its host.
func ServeUnder(t testing.TB, dir, prefix string) string {
	t.Helper()
	prefix = "/" + strings.Trim(prefix, "/") + "/"
	files := staticHandler(dir, http.Header{"Content-Security-Policy": {StrictCSP}})
	mux := http.NewServeMux()
	mux.Handle(prefix, http.StripPrefix(strings.TrimSuffix(prefix, "/"), files))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv.URL + prefix
}

func serve(t testing.TB, dir string, header http.Header) string {
	t.Helper()
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		t.Fatalf("browsertest: no folder to serve at %s (%v)", dir, err)
	}
	srv := httptest.NewServer(staticHandler(dir, header)) // listens on 127.0.0.1
	t.Cleanup(srv.Close)
	return srv.URL + "/"
}

// staticHandler serves dir the way common static hosts (nginx, Apache,
// GitHub Pages, Netlify) do: a file as it is, with its type from its
// extension; a folder as its index.html, after a redirect that adds the
// trailing slash; no folder listings; 404.html with status 404 for what
// does not exist. (http.FileServer would also redirect …/index.html to …/,
// which no static host does and which would hide links that name
// index.html, the form that works from file://.) The extra headers go on
// every response.
func staticHandler(dir string, header http.Header) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for k, v := range header {
			w.Header()[k] = v
		}
		// Every test load is fresh: no revalidation between two builds.
		w.Header().Set("Cache-Control", "no-store")
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			http.Error(w, "méthode non permise", http.StatusMethodNotAllowed)
			return
		}
		rel := path.Clean("/" + r.URL.Path)
		name := filepath.Join(dir, filepath.FromSlash(rel))
		st, err := os.Stat(name)
		if err == nil && st.IsDir() {
			if !strings.HasSuffix(r.URL.Path, "/") {
				http.Redirect(w, r, r.URL.Path+"/", http.StatusMovedPermanently)
				return
			}
			name = filepath.Join(name, "index.html")
			st, err = os.Stat(name)
		}
		if err != nil || st.IsDir() {
			notFound(w, dir)
			return
		}
		f, err := os.Open(name)
		if err != nil {
			notFound(w, dir)
			return
		}
		defer f.Close()
		http.ServeContent(w, r, name, st.ModTime(), f)
	})
}

func notFound(w http.ResponseWriter, dir string) {
	page, err := os.ReadFile(filepath.Join(dir, "404.html"))
	if err != nil {
		http.Error(w, "404 page introuvable", http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusNotFound)
	w.Write(page)
}

// FileURL returns the file:// address of the file at rel (slash-separated)
// under dir, as a visitor who opened the site from disk sees it.
func FileURL(t testing.TB, dir, rel string) string {
	t.Helper()
	abs, err := filepath.Abs(filepath.Join(dir, filepath.FromSlash(rel)))
	if err != nil {
		t.Fatal(err)
	}
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}
	if !strings.HasPrefix(u.Path, "/") {
		u.Path = "/" + u.Path // C:/… on Windows
	}
	return u.String()
}
