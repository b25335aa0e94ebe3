package bench

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// The test binary doubles as the child processes that the harness
// measures, so that the process and dev-server code is tested on real
// processes without Hugo or a cqp serve: BENCH_HELPER picks the part.
func TestMain(m *testing.M) {
	switch os.Getenv("BENCH_HELPER") {
	case "alloc":
		helperAlloc()
	case "fail":
		fmt.Println("le contenu a 3 erreurs")
		os.Exit(1)
	case "serve":
		helperServe(os.Args[1:])
	case "write":
		helperWrite(os.Args[1:])
	default:
		os.Exit(m.Run())
	}
}

// helperAlloc touches 64 MiB, so that its peak resident memory is known.
func helperAlloc() {
	b := make([]byte, 64<<20)
	for i := range b {
		b[i] = byte(i)
	}
	fmt.Println(b[len(b)-1])
	os.Exit(0)
}

// helperWrite writes a site as the measured tools do: "build --out DIR"
// (cqp build) or "-d DIR" (hugo) writes DIR, which must not exist yet;
// "--site DIR" (pagefind) writes DIR/pagefind, in a site that must exist.
func helperWrite(args []string) {
	fail := func(err error) {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	for i := 0; i+1 < len(args); i++ {
		dir := args[i+1]
		switch args[i] {
		case "--out", "-d":
		case "--site":
			if _, err := os.Stat(filepath.Join(dir, "index.html")); err != nil {
				fail(err)
			}
			dir = filepath.Join(dir, "pagefind")
		default:
			continue
		}
		if err := os.Mkdir(dir, 0o755); err != nil {
			fail(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "index.html"), []byte("<p>site</p>"), 0o644); err != nil {
			fail(err)
		}
		os.Exit(0)
	}
	fail(fmt.Errorf("write: no output folder in %q", args))
}

// helperServe is a dev server as the harness expects cqp serve to be:
// "serve --src DIR --addr ADDR"; pages carry a script that opens an event
// stream; a save of the CQP file sends a reload message and the page then
// shows the file's new text.
func helperServe(args []string) {
	var src, addr string
	for i := 0; i+1 < len(args); i++ {
		switch args[i] {
		case "--src":
			src = args[i+1]
		case "--addr":
			addr = args[i+1]
		}
	}
	file := filepath.Join(src, editCQPFile)
	var mu sync.Mutex
	page, _ := os.ReadFile(file)
	subs := map[chan struct{}]bool{}
	go func() {
		// A save truncates then writes: like a real watcher, wait until
		// the file holds still (two equal reads, not the empty file of a
		// save half done on a busy machine) before rebuilding.
		var last []byte
		for range time.Tick(5 * time.Millisecond) {
			b, err := os.ReadFile(file)
			stable := err == nil && len(b) > 0 && string(b) == string(last)
			last = b
			mu.Lock()
			if stable && string(b) != string(page) {
				page = b
				// As cqp serve does, a line when the rebuild is over.
				fmt.Printf("%s : 2 fichiers reconstruits en 3.5ms (pages ouvertes rechargées en 1ms).\n", editCQPFile)
				for c := range subs {
					select {
					case c <- struct{}{}:
					default:
					}
				}
			}
			mu.Unlock()
		}
	}()
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<!doctype html><title>x</title><script src="/_dev/reload.js" defer></script>`)
	})
	mux.HandleFunc("/_dev/reload.js", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `new EventSource("/_dev/events?page=" + encodeURIComponent(location.pathname)).onmessage = (e) => {};`)
	})
	mux.HandleFunc("/"+editPagePath, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(w, "<pre>%s</pre>", page)
	})
	mux.HandleFunc("/_dev/events", func(w http.ResponseWriter, r *http.Request) {
		c := make(chan struct{}, 1)
		mu.Lock()
		subs[c] = true
		mu.Unlock()
		if r.URL.Query().Get("page") != "/"+editPagePath {
			http.Error(w, "page: "+r.URL.Query().Get("page"), http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "text/event-stream")
		fmt.Fprint(w, "data: {\"type\":\"hello\",\"build\":1,\"built\":true}\n\n")
		w.(http.Flusher).Flush()
		n := 1
		for {
			select {
			case <-c:
				// As cqp serve does: the open page's files first, with the
				// reload, then the rest in a batch of its own.
				n++
				fmt.Fprintf(w, "data: {\"type\":\"build\",\"build\":%d,\"built\":true,\"changed\":[\"cqp/cqp-0002/index.html\",\"index.html\"]}\n\n", n)
				fmt.Fprintf(w, "data: {\"type\":\"build\",\"build\":%d,\"built\":true,\"changed\":[\"catalogue.json\"]}\n\n", n)
				w.(http.Flusher).Flush()
			case <-r.Context().Done():
				return
			}
		}
	})
	fmt.Printf("http://%s/\n", addr)
	if err := http.ListenAndServe(addr, mux); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// helperCmd is the test binary run as the helper named.
func helperEnv(t *testing.T, name string) {
	t.Helper()
	t.Setenv("BENCH_HELPER", name)
}

func testBinary(t *testing.T) string {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	return exe
}

func TestMeasurePeakMemory(t *testing.T) {
	helperEnv(t, "alloc")
	p, err := Measure(t.Context(), Cmd{Label: "alloc", Path: testBinary(t)}, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Wall.Runs) != 2 || len(p.Peak.Runs) != 2 || !p.Valid() {
		t.Fatalf("Measure gave %+v, want two runs of each figure", p)
	}
	// 64 MiB touched: the peak is at least that, and far below a unit
	// mistake (ru_maxrss read as bytes on Linux would give 64 KiB, read
	// as KiB on macOS 64 GiB).
	if p.Peak.Min < 64 || p.Peak.Max > 1024 {
		t.Errorf("peak memory %v MiB, want between 64 and 1024", p.Peak.Runs)
	}
	if p.Wall.Min <= 0 || p.CPU.Min <= 0 {
		t.Errorf("wall %v, cpu %v: want positive times", p.Wall.Runs, p.CPU.Runs)
	}
}

func TestMeasurePrepareAndFailure(t *testing.T) {
	helperEnv(t, "alloc")
	prepared := 0
	if _, err := Measure(t.Context(), Cmd{Label: "alloc", Path: testBinary(t), Prepare: func(k int) error {
		prepared++
		if k != prepared {
			t.Errorf("Prepare of run %d was told run %d", prepared, k)
		}
		return nil
	}}, 3); err != nil {
		t.Fatal(err)
	}
	if prepared != 3 {
		t.Errorf("Prepare ran %d times for 3 runs, want 3", prepared)
	}
	helperEnv(t, "fail")
	_, err := Measure(t.Context(), Cmd{Label: "cqp build", Path: testBinary(t)}, 3)
	if err == nil || !strings.Contains(err.Error(), "cqp build") || !strings.Contains(err.Error(), "le contenu a 3 erreurs") {
		t.Errorf("a failing command gave %v, want an error naming it with its output", err)
	}
	if _, err := Measure(t.Context(), Cmd{Label: "x", Path: testBinary(t)}, 0); err == nil {
		t.Error("0 runs: no error")
	}
}
