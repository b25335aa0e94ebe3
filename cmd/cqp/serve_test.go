package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// lockedBuffer is stdout or stderr of a command running on another
// goroutine.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

var servedAt = regexp.MustCompile(`Site servi sur (http://\S+/) `)

// TestServe runs `cqp serve` on a free port, fetches a page, then stops it
// as Ctrl-C does (the context is cancelled): it exits 0, cleanly.
func TestServe(t *testing.T) {
	dir := writeSite(t, "", "", "")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errb lockedBuffer
	code := make(chan int, 1)
	go func() {
		code <- run(ctx, []string{"serve", "--src", dir, "--addr", "127.0.0.1:0"}, &out, &errb, func(k string) string {
			if k == "SOURCE_DATE_EPOCH" {
				return sde
			}
			return ""
		})
	}()
	var url string
	deadline := time.Now().Add(20 * time.Second)
	for url == "" {
		if m := servedAt.FindStringSubmatch(out.String()); m != nil {
			url = m[1]
			break
		}
		select {
		case c := <-code:
			t.Fatalf("cqp serve ended with %d before serving\nstdout:\n%s\nstderr:\n%s", c, out.String(), errb.String())
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("cqp serve printed no URL in 20 s\nstdout:\n%s\nstderr:\n%s", out.String(), errb.String())
		}
	}
	if !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Errorf("URL %s: not on 127.0.0.1", url)
	}
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || !bytes.Contains(body, []byte(`<script src="/_cqp/live.js"`)) {
		t.Fatalf("GET %s: %s, live script %v", url, res.Status, bytes.Contains(body, []byte("/_cqp/live.js")))
	}

	// Ctrl-C, with a page still listening to its events.
	events, err := http.Get(url + "_cqp/events?page=/")
	if err != nil {
		t.Fatal(err)
	}
	defer events.Body.Close()
	cancel()
	select {
	case c := <-code:
		if c != 0 {
			t.Errorf("after Ctrl-C: exit %d, want 0\nstderr:\n%s", c, errb.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("cqp serve did not stop within 10 s of Ctrl-C")
	}
	if !strings.Contains(out.String(), "Serveur arrêté.") {
		t.Errorf("stdout does not say the server stopped:\n%s", out.String())
	}
	if _, err := net.DialTimeout("tcp", strings.TrimSuffix(strings.TrimPrefix(url, "http://"), "/"), time.Second); err == nil {
		t.Error("the port still accepts connections after the stop")
	}
}

func TestServeRefusesABusyPortAndABadAddress(t *testing.T) {
	dir := writeSite(t, "", "", "")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	addr := ln.Addr().String()
	r := cqp(t, nil, "serve", "--src", dir, "--addr", addr)
	if r.code != 1 || !strings.Contains(r.stderr, "déjà utilisée") || !strings.Contains(r.stderr, addr) {
		t.Errorf("serve on a busy port: exit %d, stderr %q; want 1 and a message naming %s", r.code, r.stderr, addr)
	}
	r = cqp(t, nil, "serve", "--src", dir, "--addr", "1313")
	if r.code != 2 || !strings.Contains(r.stderr, "hôte:port") {
		t.Errorf("serve --addr 1313: exit %d, stderr %q; want 2 and a hint", r.code, r.stderr)
	}
	r = cqp(t, nil, "serve", "--src", dir+"/nulle-part")
	if r.code != 2 {
		t.Errorf("serve --src on a missing folder: exit %d, want 2", r.code)
	}
	r = cqp(t, nil, "help")
	if !strings.Contains(r.stdout, "cqp serve [--src DIR] [--addr 127.0.0.1:1313]") {
		t.Errorf("the usage does not list cqp serve:\n%s", r.stdout)
	}
}
