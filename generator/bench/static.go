package bench

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// StaticServer serves a built site the way a plain static host does (the
// file as it is, a folder as its index.html, no compression, no cache
// headers beyond Last-Modified, as python -m http.server) and records every
// response it writes with its size. The record sizes what a browser's
// DevTools cannot see, such as the script of a web worker, and cross-checks
// the rest.
type StaticServer struct {
	URL string // http://127.0.0.1:port/
	srv *http.Server

	mu  sync.Mutex
	log []Served
}

// Served is one response: its path and query, and the bytes the server
// wrote for it (status line and headers, then the body).
type Served struct {
	Start  time.Time // when the request arrived
	Path   string
	Header int64
	Body   int64
}

// Serve starts serving dir on a free port of 127.0.0.1.
func Serve(dir string) (*StaticServer, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &StaticServer{URL: "http://" + ln.Addr().String() + "/"}
	s.srv = &http.Server{Handler: s.handler(dir), ReadHeaderTimeout: 10 * time.Second}
	go s.srv.Serve(ln)
	return s, nil
}

// Close stops the server.
func (s *StaticServer) Close() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	s.srv.Shutdown(ctx)
}

// Mark returns a position in the record, for Since.
func (s *StaticServer) Mark() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.log)
}

// Since returns the responses written after the mark.
func (s *StaticServer) Since(mark int) []Served {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Served(nil), s.log[mark:]...)
}

func (s *StaticServer) handler(dir string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		cw := &countingWriter{ResponseWriter: w}
		defer func() {
			s.mu.Lock()
			s.log = append(s.log, Served{Start: start, Path: r.URL.RequestURI(), Header: cw.header, Body: cw.body})
			s.mu.Unlock()
		}()
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			http.Error(cw, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		rel := path.Clean("/" + r.URL.Path)
		name := filepath.Join(dir, filepath.FromSlash(rel))
		st, err := os.Stat(name)
		if err == nil && st.IsDir() {
			if !strings.HasSuffix(r.URL.Path, "/") {
				http.Redirect(cw, r, r.URL.Path+"/", http.StatusMovedPermanently)
				return
			}
			name = filepath.Join(name, "index.html")
			st, err = os.Stat(name)
		}
		if err != nil || st.IsDir() {
			http.NotFound(cw, r)
			return
		}
		f, err := os.Open(name)
		if err != nil {
			http.NotFound(cw, r)
			return
		}
		defer f.Close()
		http.ServeContent(cw, r, name, st.ModTime(), f)
	})
}

// countingWriter counts what goes on the wire: the status line and the
// headers as net/http writes them (Date included), then the body.
type countingWriter struct {
	http.ResponseWriter
	header, body int64
	wrote        bool
}

func (c *countingWriter) WriteHeader(code int) {
	if !c.wrote {
		c.wrote = true
		c.header = headerBytes(code, c.Header())
	}
	c.ResponseWriter.WriteHeader(code)
}

func (c *countingWriter) Write(p []byte) (int, error) {
	if !c.wrote {
		c.WriteHeader(http.StatusOK)
	}
	n, err := c.ResponseWriter.Write(p)
	c.body += int64(n)
	return n, err
}

// headerBytes is the size of an HTTP/1.1 response head: the status line,
// each header line, the Date line net/http adds, and the blank line.
func headerBytes(code int, h http.Header) int64 {
	n := len(fmt.Sprintf("HTTP/1.1 %03d %s\r\n", code, http.StatusText(code)))
	for k, vs := range h {
		for _, v := range vs {
			n += len(k) + 2 + len(v) + 2
		}
	}
	if _, ok := h["Date"]; !ok {
		n += len("Date: Mon, 02 Jan 2006 15:04:05 GMT\r\n")
	}
	return int64(n + 2)
}
