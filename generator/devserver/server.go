package devserver

import (
	"bytes"
	"context"
	_ "embed"
	"errors"
	"fmt"
	"net"
	"net/http"
	"path"
	"strconv"
	"strings"
	"syscall"
	"time"
)

//go:embed assets/live.js
var liveJS []byte

//go:embed assets/live.css
var liveCSS []byte

// waitLimit bounds how long a request waits for a file being rebuilt;
// past it, the last good version is served.
const waitLimit = 60 * time.Second

// contentTypes are the media types of the files a site holds, by
// extension: fixed here rather than read from the system's tables, so that
// every machine serves the same.
var contentTypes = map[string]string{
	".html":        "text/html; charset=utf-8",
	".css":         "text/css; charset=utf-8",
	".js":          "text/javascript; charset=utf-8",
	".mjs":         "text/javascript; charset=utf-8",
	".json":        "application/json",
	".webmanifest": "application/manifest+json",
	".xml":         "application/xml; charset=utf-8",
	".svg":         "image/svg+xml",
	".txt":         "text/plain; charset=utf-8",
	".ico":         "image/x-icon",
	".png":         "image/png",
	".jpg":         "image/jpeg",
	".jpeg":        "image/jpeg",
	".gif":         "image/gif",
	".webp":        "image/webp",
	".avif":        "image/avif",
	".woff":        "font/woff",
	".woff2":       "font/woff2",
	".pdf":         "application/pdf",
}

// contentType is the media type of the file at p.
func contentType(p string, data []byte) string {
	if t, ok := contentTypes[strings.ToLower(path.Ext(p))]; ok {
		return t
	}
	return http.DetectContentType(data)
}

// ServeHTTP serves the site and the server's own files under /_cqp/.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	if s.loopback && !loopbackHost(r.Host) {
		plainError(w, http.StatusForbidden, "cqp serve ne répond qu'aux adresses locales (localhost, 127.0.0.1) : l'hôte « "+r.Host+" » est refusé")
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		h.Set("Allow", "GET, HEAD")
		plainError(w, http.StatusMethodNotAllowed, "méthode « "+r.Method+" » refusée : le site ne se lit qu'en GET")
		return
	}
	p, ok := cleanPath(r)
	if !ok {
		plainError(w, http.StatusBadRequest, "chemin « "+r.URL.EscapedPath()+" » refusé")
		return
	}
	if rest, ok := strings.CutPrefix(p, "_cqp/"); ok {
		s.serveOwn(w, r, rest)
		return
	}
	s.serveSite(w, r, p)
}

// cleanPath returns the site path of the request (without the leading
// slash), or false for a path that tries to leave the site or hides a
// separator: ".." or "." segments, empty segments, backslashes, NUL
// bytes, encoded slashes and backslashes.
func cleanPath(r *http.Request) (string, bool) {
	raw := strings.ToLower(r.URL.EscapedPath())
	if strings.Contains(raw, "%2f") || strings.Contains(raw, "%5c") || strings.Contains(raw, "%00") {
		return "", false
	}
	p := r.URL.Path
	if !strings.HasPrefix(p, "/") || strings.ContainsAny(p, "\\\x00") {
		return "", false
	}
	p = p[1:]
	if p == "" {
		return "", true
	}
	segments := strings.Split(strings.TrimSuffix(p, "/"), "/")
	for _, seg := range segments {
		if seg == "" || seg == "." || seg == ".." {
			return "", false
		}
	}
	return p, true
}

func (s *Server) serveOwn(w http.ResponseWriter, r *http.Request, name string) {
	switch name {
	case "live.js":
		w.Header().Set("Content-Type", contentTypes[".js"])
		http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(liveJS))
	case "live.css":
		w.Header().Set("Content-Type", contentTypes[".css"])
		http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(liveCSS))
	case "events":
		s.serveEvents(w, r)
	case "status.json":
		s.serveStatus(w)
	default:
		plainError(w, http.StatusNotFound, "« /_cqp/"+name+" » n'existe pas")
	}
}

// lookup is what a site path resolves to.
type lookup int

const (
	found    lookup = iota
	redirect        // a folder named without its trailing slash
	notFound
	pending // being rebuilt: wait
)

// resolveLocked resolves p: the file, its folder's index.html, or nothing.
func (s *Server) resolveLocked(p string) (string, []byte, lookup) {
	name := sitePath(p)
	if s.pendingLocked(name) {
		return name, nil, pending
	}
	if data, _, ok := s.fileLocked(name); ok {
		return name, data, found
	}
	if p != "" && !strings.HasSuffix(p, "/") {
		dir := p + "/index.html"
		if s.pendingLocked(dir) {
			return dir, nil, pending
		}
		if _, _, ok := s.fileLocked(dir); ok {
			return dir, nil, redirect
		}
	}
	return name, nil, notFound
}

// pendingLocked tells whether the latest plan wants another version of
// the file at name than the one served.
func (s *Server) pendingLocked(name string) bool {
	k, ok := s.wantLocked(name)
	if !ok {
		return false
	}
	_, key, ok := s.fileLocked(name)
	return !ok || key != k
}

func (s *Server) serveSite(w http.ResponseWriter, r *http.Request, p string) {
	deadline := time.NewTimer(waitLimit)
	defer deadline.Stop()
	var (
		name  string
		data  []byte
		kind  lookup
		build uint64
		built bool
		page  []byte // 404.html
	)
	for {
		s.mu.Lock()
		name, data, kind = s.resolveLocked(p)
		if kind == pending {
			ch := s.published
			s.mu.Unlock()
			select {
			case <-ch:
				continue
			case <-r.Context().Done():
				return
			case <-deadline.C:
				// Serve the last good version rather than nothing.
				s.mu.Lock()
				if b, _, ok := s.fileLocked(name); ok {
					data, kind = b, found
				} else {
					kind = notFound
				}
			}
		}
		build, built = s.build, s.build > 0
		if kind == notFound {
			if e, ok := s.files["404.html"]; ok {
				page = e.data
			}
		}
		s.mu.Unlock()
		break
	}
	switch {
	case kind == redirect:
		target := r.URL.EscapedPath() + "/"
		if r.URL.RawQuery != "" {
			target += "?" + r.URL.RawQuery
		}
		http.Redirect(w, r, target, http.StatusMovedPermanently)
	case kind == found:
		ct := contentType(name, data)
		w.Header().Set("Content-Type", ct)
		if strings.HasPrefix(ct, "text/html") {
			data = inject(data, build)
		}
		http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(data))
	case page != nil:
		w.Header().Set("Content-Type", contentTypes[".html"])
		writeBody(w, r, http.StatusNotFound, inject(page, build))
	case !built:
		// Nothing was ever built: the overlay says why.
		w.Header().Set("Content-Type", contentTypes[".html"])
		w.Header().Set("Retry-After", "1")
		writeBody(w, r, http.StatusServiceUnavailable, inject(notBuiltPage, build))
	default:
		plainError(w, http.StatusNotFound, "« /"+p+" » n'existe pas")
	}
}

// notBuiltPage is served while the site has never built: the script it
// gets shows the diagnostics, and reloads once the site builds.
var notBuiltPage = []byte(`<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Construction impossible · cqp serve</title></head>
<body><main><h1>Le site n'a pas pu être construit</h1><p>Les erreurs s'affichent ici et dans le terminal. Dès que les fichiers sont corrigés, cette page se recharge d'elle-même.</p></main></body></html>
`)

// Snippet is the element added to HTML responses, before </body>.
func Snippet(build uint64) string {
	return `<script src="/_cqp/live.js" data-cqp-build="` + strconv.FormatUint(build, 10) + `" defer></script>`
}

// inject adds the live script before the last </body>, or at the end of a
// page that has none.
func inject(page []byte, build uint64) []byte {
	snippet := Snippet(build)
	i := lastIndexFold(page, "</body>")
	if i < 0 {
		i = len(page)
	}
	out := make([]byte, 0, len(page)+len(snippet))
	out = append(out, page[:i]...)
	out = append(out, snippet...)
	return append(out, page[i:]...)
}

func lastIndexFold(b []byte, sub string) int {
	for i := len(b) - len(sub); i >= 0; i-- {
		if bytes.EqualFold(b[i:i+len(sub)], []byte(sub)) {
			return i
		}
	}
	return -1
}

func writeBody(w http.ResponseWriter, r *http.Request, code int, body []byte) {
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(code)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

func plainError(w http.ResponseWriter, code int, msg string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(code)
	fmt.Fprintln(w, msg)
}

// loopbackHost tells whether a Host header names this machine.
func loopbackHost(host string) bool {
	h := host
	if hh, _, err := net.SplitHostPort(host); err == nil {
		h = hh
	}
	h = strings.TrimSuffix(strings.Trim(h, "[]"), ".")
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// Listen opens the address the server will listen on. A port already in
// use gives an error that says so, and what to do.
func Listen(addr string) (net.Listener, error) {
	if _, _, err := net.SplitHostPort(addr); err != nil {
		return nil, fmt.Errorf("adresse « %s » refusée : écrire hôte:port, par exemple 127.0.0.1:1313", addr)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		// Windows words it otherwise, and its error number differs.
		if errors.Is(err, syscall.EADDRINUSE) || strings.Contains(err.Error(), "Only one usage of each socket address") {
			return nil, fmt.Errorf("l'adresse %s est déjà utilisée (un autre « cqp serve » tourne peut-être) : arrêter l'autre serveur ou choisir un autre port, par exemple --addr %s", addr, nextPort(addr))
		}
		return nil, fmt.Errorf("écoute impossible sur %s : %v", addr, err)
	}
	return ln, nil
}

func nextPort(addr string) string {
	host, port, _ := net.SplitHostPort(addr)
	n, err := strconv.Atoi(port)
	if err != nil || n == 0 || n >= 65535 {
		return net.JoinHostPort(host, "1314")
	}
	return net.JoinHostPort(host, strconv.Itoa(n+1))
}

// URL is the address to open in a browser for a listener.
func URL(ln net.Listener) string {
	addr, ok := ln.Addr().(*net.TCPAddr)
	if !ok {
		return "http://" + ln.Addr().String() + "/"
	}
	host := addr.IP.String()
	switch {
	case addr.IP.IsUnspecified():
		host = "localhost"
	case addr.IP.To4() == nil:
		host = "[" + host + "]"
	}
	return "http://" + host + ":" + strconv.Itoa(addr.Port) + "/"
}

// Serve serves on ln until ctx is done, then shuts down cleanly: the event
// streams end, the requests under way finish (for five seconds at most).
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	// Set before any request is served, read only after.
	if addr, ok := ln.Addr().(*net.TCPAddr); ok {
		s.loopback = addr.IP.IsLoopback()
	}
	srv := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
	}
	srv.RegisterOnShutdown(func() { s.closeOnce.Do(func() { close(s.closing) }) })
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		s.Close()
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := srv.Shutdown(shutdown)
	s.Close()
	if err != nil {
		return fmt.Errorf("arrêt du serveur : %v", err)
	}
	return nil
}
