package devserver

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/fsnotify/fsnotify"
)

// maxWait bounds the batching of a long burst of events (a git checkout,
// a copy of many files): the site rebuilds at least this often while it
// lasts.
const maxWait = 500 * time.Millisecond

// watched are the folders of the site a rebuild reads.
var watched = []string{"content", "themes"}

// watcher turns file system events into rebuilds.
type watcher struct {
	s      *Server
	fsw    *fsnotify.Watcher
	root   string // the site folder, absolute
	signal chan struct{}

	mu       sync.Mutex
	changed  map[string]bool // site paths, since the last rebuild
	overflow bool            // events were lost: rebuild everything
	warned   bool            // the watch limit was reported
}

// Watch watches the site folder (Options.Dir) until ctx is done and
// rebuilds after every save, telling open pages; see the package
// documentation. Rebuilds wait for one another, so Watch may start before
// the first Rebuild: a save during it is not lost.
func (s *Server) Watch(ctx context.Context) error {
	if s.opts.Dir == "" {
		return errors.New("devserver: no site folder to watch")
	}
	root, err := filepath.Abs(s.opts.Dir)
	if err != nil {
		return err
	}
	fsw, err := fsnotify.NewWatcher()
	if err != nil {
		return fmt.Errorf("surveillance des fichiers impossible : %v", err)
	}
	w := &watcher{s: s, fsw: fsw, root: root, signal: make(chan struct{}, 1), changed: map[string]bool{}}
	// The site folder itself, so that content/ and themes/ may be
	// created, removed or replaced while the server runs.
	if err := fsw.Add(root); err != nil {
		fsw.Close()
		return fmt.Errorf("surveillance de %s impossible : %v", root, err)
	}
	for _, d := range watched {
		if err := w.addTree(filepath.Join(root, d)); err != nil {
			fsw.Close()
			return err
		}
	}
	go w.events(ctx)
	go w.loop(ctx)
	return nil
}

// addTree watches dir and every folder under it. Folders whose name
// starts with a dot (.git) are left out, as the site ignores them.
func (w *watcher) addTree(dir string) error {
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == dir && errors.Is(err, fs.ErrNotExist) {
				return fs.SkipAll // not there yet: the site folder's watch sees it come
			}
			return nil // gone meanwhile
		}
		if !d.IsDir() {
			return nil
		}
		if p != dir && strings.HasPrefix(d.Name(), ".") {
			return fs.SkipDir
		}
		if err := w.fsw.Add(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("surveillance de %s impossible : %v (sous Linux, la limite est fs.inotify.max_user_watches)", p, err)
		}
		return nil
	})
	return err
}

// events reads the watcher's events until ctx is done.
func (w *watcher) events(ctx context.Context) {
	defer w.fsw.Close()
	for {
		select {
		case <-ctx.Done():
			return
		case ev, ok := <-w.fsw.Events:
			if !ok {
				return
			}
			w.handle(ev)
		case err, ok := <-w.fsw.Errors:
			if !ok {
				return
			}
			w.mu.Lock()
			if errors.Is(err, fsnotify.ErrEventOverflow) {
				w.overflow = true
			}
			w.mu.Unlock()
			if !errors.Is(err, fsnotify.ErrEventOverflow) {
				fmt.Fprintf(w.s.log, "surveillance des fichiers : %v\n", err)
			}
			w.poke()
		}
	}
}

// handle records one event. Every kind of event but a change of
// permissions means "this path may have changed": a rename away and a
// create under the same name, a write, a remove. A new folder is watched
// at once, and counted as changed as a whole, since files may have been
// put in it before its watch was in place.
func (w *watcher) handle(ev fsnotify.Event) {
	rel, err := filepath.Rel(w.root, ev.Name)
	if err != nil {
		return
	}
	rel = filepath.ToSlash(rel)
	top, _, _ := strings.Cut(rel, "/")
	if !slices.Contains(watched, top) {
		return
	}
	if ev.Op == fsnotify.Chmod {
		return
	}
	if ev.Has(fsnotify.Create) {
		if st, err := os.Stat(ev.Name); err == nil && st.IsDir() {
			if err := w.addTree(ev.Name); err != nil {
				w.warnOnce(err)
			}
		} else if Ignored(path.Base(rel)) {
			return
		}
	} else if Ignored(path.Base(rel)) {
		return
	}
	w.mu.Lock()
	w.changed[rel] = true
	w.mu.Unlock()
	w.poke()
}

func (w *watcher) warnOnce(err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.warned {
		w.warned = true
		fmt.Fprintln(w.s.log, err)
	}
}

func (w *watcher) poke() {
	select {
	case w.signal <- struct{}{}:
	default:
	}
}

// take returns what changed since the last call.
func (w *watcher) take() ([]string, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	changed := make([]string, 0, len(w.changed))
	for p := range w.changed {
		changed = append(changed, p)
	}
	slices.Sort(changed)
	overflow := w.overflow
	w.changed, w.overflow = map[string]bool{}, false
	return changed, overflow
}

// loop rebuilds once the events of a save have stopped coming for
// Debounce.
func (w *watcher) loop(ctx context.Context) {
	debounce := w.s.opts.Debounce
	for {
		select {
		case <-ctx.Done():
			return
		case <-w.signal:
		}
		first := time.Now()
		timer := time.NewTimer(debounce)
	wait:
		for {
			select {
			case <-ctx.Done():
				timer.Stop()
				return
			case <-w.signal:
				if time.Since(first) < maxWait {
					timer.Reset(debounce)
				}
			case <-timer.C:
				break wait
			}
		}
		changed, overflow := w.take()
		if len(changed) == 0 && !overflow {
			continue
		}
		w.s.rebuild(changed, overflow, false, func(rep Report) { w.s.logRebuild(changed, rep) })
	}
}

// Ignored tells whether a file name is one that editors and tools write
// beside the files they save, or a hidden file, which the site ignores
// too. Their events never start a rebuild.
func Ignored(name string) bool {
	if name == "4913" { // vim checks that it may write in the folder
		return true
	}
	for _, prefix := range ignoredPrefixes {
		if strings.HasPrefix(name, prefix) {
			return true
		}
	}
	for _, suffix := range ignoredSuffixes {
		if strings.HasSuffix(name, suffix) {
			return true
		}
	}
	return strings.HasPrefix(name, "#") && strings.HasSuffix(name, "#") // Emacs autosaves
}

var (
	// Hidden files: vim's .x.md.swp, Emacs's .#x.md locks, GNOME's
	// .goutputstream-…, .DS_Store.
	ignoredPrefixes = []string{"."}
	// Backups (x.md~), vim's swap files, temporary files, JetBrains' safe
	// write.
	ignoredSuffixes = []string{"~", ".swp", ".swx", ".swo", ".tmp", ".temp", "___jb_tmp___", "___jb_old___"}
)
