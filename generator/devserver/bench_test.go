package devserver

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/cqp-catalogue/cqp/generator/synth"
)

// The benchmarks measure what an editor waits for, on the sample and on
// synthetic catalogues of 1,000 and 10,000 CQPs (the bench's seed, 42),
// for the two edits of shared/bench/server_rebuild.sh: a sentence added
// to a CQP's body, and a change of its title (which moves it in every
// list). Each reports the median and the 90th percentile in ms beside
// ns/op; docs/devserver.md has the figures.
//
//	go test -run '^$' -bench 'Rebuild|SaveToReload' -benchtime 20x ./generator/devserver

var benchSizes = []struct {
	name string
	n    int // 0: the sample
}{{"sample", 0}, {"1000", 1000}, {"10000", 10000}}

// benchEdit changes the CQP at path the i-th time: a sentence added to
// its body, or a revision number in its title.
func benchEdit(kind string, data []byte, i int) []byte {
	s := string(data)
	if kind == "body" {
		return []byte(s + fmt.Sprintf("\nPhrase de contrôle numéro %d ajoutée pour mesurer la reconstruction.\n", i))
	}
	lines := strings.Split(s, "\n")
	for j, l := range lines {
		if t, ok := strings.CutPrefix(l, "title: "); ok {
			if k := strings.Index(t, " (rév. "); k >= 0 {
				t = t[:k]
			}
			lines[j] = fmt.Sprintf("title: %s (rév. %d)", t, i)
			break
		}
	}
	return []byte(strings.Join(lines, "\n"))
}

// benchFS is the site of a size, in memory, and the CQP the edits touch.
func benchFS(b *testing.B, n int) (fstest.MapFS, string) {
	b.Helper()
	if n == 0 {
		fsys := sampleFS(b)
		var cqps []string
		for p := range fsys {
			if strings.HasPrefix(p, "content/cqp/") {
				cqps = append(cqps, p)
			}
		}
		slices.Sort(cqps)
		return fsys, cqps[1]
	}
	fsys, err := synth.FS(synth.Options{N: n, Seed: 42})
	if err != nil {
		b.Fatal(err)
	}
	return fsys, "content/cqp/cqp-0002.md"
}

// pageOf is the page of the CQP file at p.
func pageOf(p string) string {
	return "cqp/" + strings.TrimSuffix(filepath.Base(p), ".md") + "/index.html"
}

// report adds the median and the 90th percentile of ds to the benchmark.
func report(b *testing.B, unit string, ds []time.Duration) {
	if len(ds) == 0 {
		return
	}
	slices.Sort(ds)
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	b.ReportMetric(ms(ds[len(ds)/2]), "ms-median-"+unit)
	b.ReportMetric(ms(ds[len(ds)*9/10]), "ms-p90-"+unit)
}

// BenchmarkRebuild calls the rebuild directly, as the watcher does, with
// a tab open on the edited CQP's page: ns/op is the time until that page
// is rebuilt and the reload message sent; ms-median-done until every file
// is.
func BenchmarkRebuild(b *testing.B) {
	for _, size := range benchSizes {
		for _, kind := range []string{"body", "title"} {
			b.Run(size.name+"/"+kind, func(b *testing.B) {
				fsys, edited := benchFS(b, size.n)
				s, err := New(Options{FS: fsys, Today: today})
				if err != nil {
					b.Fatal(err)
				}
				defer s.Close()
				if rep := s.Rebuild(nil); rep.Errors > 0 || rep.Problem != "" {
					b.Fatalf("the site does not build: %s%s", listText(rep.List), rep.Problem)
				}
				stop := openPage(s, pageOf(edited))
				defer stop()
				runtime.GC() // the set-up's garbage is not the saves' cost
				var ready, done []time.Duration
				i := 0
				for b.Loop() {
					b.StopTimer()
					i++
					fsys[edited].Data = benchEdit(kind, fsys[edited].Data, i)
					b.StartTimer()
					rep := s.rebuild([]string{edited}, false, false, nil)
					b.StopTimer()
					if rep.Errors > 0 || rep.Problem != "" {
						b.Fatalf("rebuild: %s%s", listText(rep.List), rep.Problem)
					}
					ready = append(ready, rep.Ready)
					start := time.Now()
					s.idle()
					done = append(done, rep.Ready+time.Since(start))
					b.StartTimer()
				}
				report(b, "ready", ready)
				report(b, "done", done)
			})
		}
	}
}

// openPage registers a tab showing page, as /_cqp/events does, and drains
// its messages.
func openPage(s *Server, page string) (stop func()) {
	c := &client{page: page, ch: make(chan []byte, 16), kick: make(chan struct{})}
	s.mu.Lock()
	s.clients[c] = struct{}{}
	s.mu.Unlock()
	quit := make(chan struct{})
	go func() {
		for {
			select {
			case <-c.ch:
			case <-c.kick:
				return
			case <-quit:
				return
			}
		}
	}()
	return func() {
		close(quit)
		s.mu.Lock()
		delete(s.clients, c)
		s.mu.Unlock()
	}
}

// BenchmarkSaveToReload is the editor's wait from end to end: the file is
// written on disk, the watcher sees it, the debounce passes, the site is
// rebuilt, and the message reaches a page listening on /_cqp/events.
// ns/op and ms-median-reload are that time.
func BenchmarkSaveToReload(b *testing.B) {
	for _, size := range benchSizes {
		for _, kind := range []string{"body", "title"} {
			b.Run(size.name+"/"+kind, func(b *testing.B) {
				dir := b.TempDir()
				fsys, edited := benchFS(b, size.n)
				for p, f := range fsys {
					writeFile(b, filepath.Join(dir, filepath.FromSlash(p)), string(f.Data))
				}
				s, base := watching(b, dir, 0)
				page := pageOf(edited)
				ev := listen(b, base, "/"+strings.TrimSuffix(page, "index.html"))
				ev.next("hello")
				path := filepath.Join(dir, filepath.FromSlash(edited))
				runtime.GC() // the set-up's garbage is not the saves' cost
				var reload []time.Duration
				i := 0
				for b.Loop() {
					b.StopTimer()
					i++
					data, err := os.ReadFile(path)
					if err != nil {
						b.Fatal(err)
					}
					data = benchEdit(kind, data, i)
					b.StartTimer()
					start := time.Now()
					if err := os.WriteFile(path, data, 0o644); err != nil {
						b.Fatal(err)
					}
					m := ev.until("the reload", changes(page))
					reload = append(reload, time.Since(start))
					b.StopTimer()
					if m.Errors > 0 {
						b.Fatalf("errors after an edit: %+v", m.Diagnostics)
					}
					s.idle()
					b.StartTimer()
				}
				report(b, "reload", reload)
			})
		}
	}
}

// idle waits until every file of the latest rebuild is served and the
// background work has ended (the garbage collection that follows it
// included): as when an editor saves again after reading the page.
func (s *Server) idle() {
	defer s.bg.Wait()
	for {
		s.mu.Lock()
		busy := false
		if w := s.want; w != nil {
			busy = s.searchKey != w.search || len(s.searchFiles) == 0
			for _, p := range w.plan.Paths() {
				if busy {
					break
				}
				busy = s.pendingLocked(p)
			}
		}
		ch := s.published
		s.mu.Unlock()
		if !busy {
			return
		}
		<-ch
	}
}
