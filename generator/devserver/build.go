package devserver

import (
	"cmp"
	"context"
	"encoding/binary"
	"fmt"
	"hash/maphash"
	"io"
	"io/fs"
	"maps"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/cqp-catalogue/cqp/generator/catalog"
	"github.com/cqp-catalogue/cqp/generator/diag"
	"github.com/cqp-catalogue/cqp/generator/publish"
	"github.com/cqp-catalogue/cqp/generator/render"
	"github.com/cqp-catalogue/cqp/generator/schema"
	"github.com/cqp-catalogue/cqp/generator/search"
	"github.com/cqp-catalogue/cqp/generator/site"
	"github.com/cqp-catalogue/cqp/generator/theme"
)

// Options configure a Server.
type Options struct {
	// Dir is the site folder on disk, the one that holds content/; Watch
	// watches it.
	Dir string
	// FS is the site folder to read; nil means os.DirFS(Dir). Tests give
	// an in-memory folder.
	FS fs.FS
	// Today is the reference date from SOURCE_DATE_EPOCH, as for `cqp
	// build`; zero means today for the check and no date for the feed,
	// exactly as site.Build does.
	Today time.Time
	// Log receives a line per rebuild the watcher starts, and the
	// diagnostics; nil discards them.
	Log io.Writer
	// Debounce is how long the watcher waits after the last event of a
	// save before it rebuilds; zero means DefaultDebounce.
	Debounce time.Duration
}

// DefaultDebounce batches the events of one save: an editor's write,
// rename and remove all come within a few milliseconds.
const DefaultDebounce = 30 * time.Millisecond

// batchSize is how many files the background renders between two looks
// at whether a new save has come.
const batchSize = 64

// Server serves a site from memory and rebuilds it. Its zero value is not
// usable: see New.
type Server struct {
	opts Options
	fsys fs.FS
	log  io.Writer

	// The builder's state: one rebuild at a time holds buildMu.
	buildMu      sync.Mutex
	loader       *catalog.Loader
	theme        *theme.Theme
	themeName    string
	themeLang    string
	themeVersion uint64
	schemas      map[string][]byte // minified once: they never change
	cancelBG     context.CancelFunc
	bg           sync.WaitGroup
	seed         maphash.Seed

	// The search index is one group of files that one call computes
	// (search.Index); searchMu runs one computation at a time and guards
	// minified, the index's files by the hash of their unminified bytes:
	// after an edit, most are the same, and are not minified again.
	searchMu sync.Mutex
	minified map[string]minified

	// What requests read, under mu.
	mu        sync.Mutex
	files     map[string]entry
	want      *wanted // what the latest rebuild wants served; nil when nothing is pending
	seq       uint64  // rebuilds started
	build     uint64  // rebuilds published
	status    status
	published chan struct{} // closed and replaced whenever files change
	clients   map[*client]struct{}
	closing   chan struct{}
	closeOnce sync.Once
	loopback  bool // requests must name a loopback host

	searchFiles map[string][]byte // the index's files served, apart: there may be 20,000
	searchKey   uint64            // the key they were computed for
}

// wanted is what a rebuild wants served: the files of its plan, the
// schemas, and the search index for the key search; each file at its key.
// A file served at another key is being rebuilt.
type wanted struct {
	plan   *render.Plan
	search uint64
}

// wantLocked returns the key at which the latest rebuild wants the file
// at p, and whether it wants it at all. site.Build lays the index and the
// schemas over the rendered files, so they come first here too.
func (s *Server) wantLocked(p string) (uint64, bool) {
	w := s.want
	if w == nil {
		return 0, false
	}
	if _, ok := s.schemas[p]; ok {
		return schemaKey, true
	}
	if s.isSearchLocked(p) {
		return w.search, true
	}
	return w.plan.Key(p)
}

// isSearchLocked tells whether p is a file of the search index: one of
// those served, or, before the first index, one that every index has.
func (s *Server) isSearchLocked(p string) bool {
	if len(s.searchFiles) == 0 {
		return slices.Contains(searchAlways, p)
	}
	_, ok := s.searchFiles[p]
	return ok
}

// fileLocked returns the bytes served for p, and the key they were built
// for.
func (s *Server) fileLocked(p string) ([]byte, uint64, bool) {
	if b, ok := s.searchFiles[p]; ok {
		return b, s.searchKey, true
	}
	e, ok := s.files[p]
	return e.data, e.key, ok
}

// minified is a file of the search index, minified.
type minified struct {
	raw uint64 // the hash of its unminified bytes
	out []byte
}

// searchAlways are the index files every site has: until the first index
// is computed, requests for them wait for it.
var searchAlways = []string{"search/search.js", "search/meta.js"}

// searchFolder stands for every file of the index in a build message.
const searchFolder = "search/"

// entry is a served file and the key it was rendered with.
type entry struct {
	data []byte
	key  uint64
}

// status is what the overlay shows.
type status struct {
	list    diag.List // the content's diagnostics
	problem string    // a theme, render or minify error
}

// Report says what a rebuild did.
type Report struct {
	// Errors and Warnings count the content's diagnostics, which List
	// holds; Problem is a theme, render or minification error.
	Errors, Warnings int
	List             diag.List
	Problem          string
	// Changed lists the files the rebuild renders again or removes,
	// sorted; "search/" stands for the search index's files. Rendered
	// counts the files rendered before the report was made.
	Changed  []string
	Rendered int
	// Ready is the time until the open pages were rebuilt and told to
	// reload; Done the time until every file was (zero when the rest
	// goes on in the background).
	Ready, Done time.Duration
	// CQPs, Branches and Pages count the catalogue's files.
	CQPs, Branches, Pages int
}

// New returns a server for the site in opts; it has built nothing yet (see
// Rebuild).
func New(opts Options) (*Server, error) {
	if opts.FS == nil {
		if opts.Dir == "" {
			return nil, fmt.Errorf("devserver: no site folder")
		}
		opts.FS = os.DirFS(opts.Dir)
	}
	if opts.Debounce <= 0 {
		opts.Debounce = DefaultDebounce
	}
	schemas := schema.JSONSchemas()
	// site.Build adds them to every build and minifies them with the rest.
	if err := publish.Minify(schemas); err != nil {
		return nil, err
	}
	return &Server{
		opts:      opts,
		fsys:      opts.FS,
		log:       cmp.Or[io.Writer](opts.Log, io.Discard),
		loader:    catalog.NewLoader(),
		schemas:   schemas,
		seed:      maphash.MakeSeed(),
		files:     map[string]entry{},
		published: make(chan struct{}),
		clients:   map[*client]struct{}{},
		closing:   make(chan struct{}),
	}, nil
}

// Rebuild rebuilds the site after the files at changed (paths relative to
// the site folder, files or folders) have changed; nil means that anything
// may have changed. It returns when every file is up to date.
func (s *Server) Rebuild(changed []string) Report {
	return s.rebuild(changed, changed == nil, true, nil)
}

// schemaKey keys the JSON Schemas: they are the same in every build.
const schemaKey = 1

// rebuild is Rebuild; with wait false, what no open page shows is
// rendered in the background after rebuild returns. done, when not nil,
// gets the report once every file is rebuilt or the rebuild has failed;
// not when a later rebuild takes over.
func (s *Server) rebuild(changed []string, all, wait bool, done func(Report)) Report {
	if done == nil {
		done = func(Report) {}
	}
	start := time.Now()
	s.buildMu.Lock()
	defer s.buildMu.Unlock()
	if s.cancelBG != nil {
		s.cancelBG()
		s.cancelBG = nil
	}
	s.mu.Lock()
	s.seq++
	seq := s.seq
	s.mu.Unlock()

	today := s.opts.Today
	if today.IsZero() {
		today = time.Now().UTC().Truncate(24 * time.Hour) // as site.Check
	}
	var cat *catalog.Catalog
	var list diag.List
	if all {
		cat, list = s.loader.Load(s.fsys, catalog.Options{Today: today}, "content")
	} else {
		// The watcher knows what changed: only those files are read.
		var contentChanged []string
		for _, p := range changed {
			if p == "content" || strings.HasPrefix(p, "content/") {
				contentChanged = append(contentChanged, p)
			}
		}
		cat, list = s.loader.Reload(s.fsys, catalog.Options{Today: today}, contentChanged)
	}
	rep := Report{Errors: list.Errors(), Warnings: list.Warnings(), List: list, CQPs: len(cat.CQPs), Branches: len(cat.Branches), Pages: len(cat.Pages)}
	if rep.Errors > 0 {
		s.fail(list, "")
		rep.Ready = time.Since(start)
		done(rep)
		return rep
	}
	fail := func(err error) Report {
		rep.Problem = err.Error()
		s.fail(list, rep.Problem)
		rep.Ready = time.Since(start)
		done(rep)
		return rep
	}
	th, err := s.loadTheme(cat, changed, all)
	if err != nil {
		return fail(err)
	}
	// The options of a minified site.Build: the same bytes.
	ropts := site.RenderOptions(th, true)
	ropts.Today = s.opts.Today
	plan, err := render.NewPlan(cat, th, ropts, render.PlanOptions{
		Versions: func(p string) catalog.Version { v, _ := s.loader.Version(p); return v },
		Theme:    s.themeVersion,
	})
	if err != nil {
		return fail(err)
	}
	// site.Build lays the search index and the schemas over the rendered
	// files. The index's files are wanted at the index's key; which files
	// it holds is known once it is computed.
	sk := s.searchKeyOf(cat)
	want := &wanted{plan: plan, search: sk}

	s.mu.Lock()
	s.want = want
	searchDirty := s.searchKey != sk || len(s.searchFiles) == 0
	var removed, dirty []string
	for p := range s.files {
		if _, ok := s.wantLocked(p); !ok {
			delete(s.files, p)
			removed = append(removed, p)
		}
	}
	for _, p := range plan.Paths() {
		if s.isSearchLocked(p) {
			continue
		}
		k, _ := s.wantLocked(p)
		if e, ok := s.files[p]; !ok || e.key != k {
			dirty = append(dirty, p)
		}
	}
	for p := range s.schemas {
		if e, ok := s.files[p]; !ok || e.key != schemaKey {
			dirty = append(dirty, p)
		}
	}
	open := s.openPagesLocked()
	s.mu.Unlock()
	slices.Sort(dirty)
	// The index is named by its folder: pages that loaded any of its
	// files reload; at 10,000 CQPs it has 20,000 of them.
	rep.Changed = append(slices.Clone(dirty), removed...)
	if searchDirty {
		rep.Changed = append(rep.Changed, searchFolder)
	}
	slices.Sort(rep.Changed)

	var first, rest []string
	for _, p := range dirty {
		if open[p] {
			first = append(first, p)
		} else {
			rest = append(rest, p)
		}
	}
	out, err := s.render(plan, first)
	if err != nil {
		return fail(err)
	}
	rep.Rendered = len(out)
	s.mu.Lock()
	s.publishLocked(out, plan)
	s.build++
	s.status = status{list: list}
	msg := s.messageLocked("build", rep.Changed)
	s.mu.Unlock()
	s.broadcast(msg)
	rep.Ready = time.Since(start)

	ctx, cancel := context.WithCancel(context.Background())
	s.cancelBG = cancel
	// finish renders the rest; superseded tells whether a later rebuild
	// cancelled it.
	finish := func() (n int, superseded bool, err error) {
		defer cancel()
		n, err = s.renderRest(ctx, seq, plan, rest)
		if err == nil && searchDirty {
			var m int
			m, err = s.buildSearch(ctx, seq, cat, sk)
			n += m
		}
		return n, ctx.Err() != nil, err
	}
	if wait || (len(rest) == 0 && !searchDirty) {
		n, _, err := finish()
		rep.Rendered += n
		rep.Done = time.Since(start)
		if err != nil {
			rep.Problem = err.Error()
		}
		done(rep)
		return rep
	}
	s.bg.Add(1)
	go func(rep Report) {
		defer s.bg.Done()
		n, superseded, err := finish()
		if superseded {
			return // a new save took over; it will report
		}
		rep.Rendered += n
		rep.Done = time.Since(start)
		if err != nil {
			rep.Problem = err.Error()
		}
		done(rep)
		// Collect the rebuild's garbage now, while the editor reads the
		// page, rather than during the next save: at 10,000 CQPs a
		// collection running beside a rebuild costs it some 50 ms.
		runtime.GC()
	}(rep)
	return rep
}

// renderRest renders paths in batches, pages first, and publishes each
// batch; it stops early when ctx is cancelled. A failure shows in the
// overlay, unless a later rebuild has started.
func (s *Server) renderRest(ctx context.Context, seq uint64, plan *render.Plan, paths []string) (int, error) {
	// The pages a visitor may open next come first; the big files
	// (catalogue.json, the sitemap) last.
	slices.SortStableFunc(paths, func(a, b string) int {
		return cmp.Compare(rank(a), rank(b))
	})
	n := 0
	for len(paths) > 0 {
		if ctx.Err() != nil {
			return n, nil
		}
		batch := paths[:min(batchSize, len(paths))]
		paths = paths[len(batch):]
		out, err := s.render(plan, batch)
		if err != nil {
			s.backgroundFailed(seq, err)
			return n, err
		}
		n += len(out)
		s.mu.Lock()
		s.publishLocked(out, plan)
		s.mu.Unlock()
	}
	return n, nil
}

// backgroundFailed shows a failure of the background work in the
// overlay, unless a later rebuild has started.
func (s *Server) backgroundFailed(seq uint64, err error) {
	s.mu.Lock()
	if s.seq != seq {
		s.mu.Unlock()
		return
	}
	s.status.problem = err.Error()
	s.want = nil // nothing more is coming: serve what there is
	s.notifyLocked()
	msg := s.messageLocked("status", nil)
	s.mu.Unlock()
	s.broadcast(msg)
}

// searchKeyOf fingerprints what the search index is made from: every
// CQP's file, in catalogue order (a CQP is known by its position), and
// every branch's front matter (names, facets).
func (s *Server) searchKeyOf(cat *catalog.Catalog) uint64 {
	var h maphash.Hash
	h.SetSeed(s.seed)
	var b [8]byte
	num := func(n uint64) {
		binary.LittleEndian.PutUint64(b[:], n)
		h.Write(b[:])
	}
	for _, q := range cat.CQPs {
		v, _ := s.loader.Version(q.Source.Path)
		h.WriteString(q.Source.Path)
		num(v.Front)
		num(v.Body)
	}
	h.WriteByte(0xff)
	for _, br := range cat.Branches {
		v, _ := s.loader.Version(br.Source.Path)
		h.WriteString(br.Source.Path)
		num(v.Front)
	}
	return h.Sum64()
}

// buildSearch computes the search index for the key sk, minifies it as
// site.Build does, and serves it in place of the previous one, all its
// files at once. Nothing is done when a later rebuild wants another index
// (it computes it) or when the index for sk is served already.
func (s *Server) buildSearch(ctx context.Context, seq uint64, cat *catalog.Catalog, sk uint64) (int, error) {
	s.searchMu.Lock()
	defer s.searchMu.Unlock()
	s.mu.Lock()
	skip := s.want == nil || s.want.search != sk || (s.searchKey == sk && len(s.searchFiles) > 0)
	s.mu.Unlock()
	if skip || ctx.Err() != nil {
		return 0, nil
	}
	files, err := search.Index(cat, search.Options{})
	if err == nil {
		files, err = s.minifyIndex(files)
	}
	if err != nil {
		s.backgroundFailed(seq, err)
		return 0, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.want == nil || s.want.search != sk {
		return 0, nil // a later rebuild wants another index
	}
	s.searchFiles, s.searchKey = files, sk
	s.notifyLocked()
	return len(files), nil
}

// minifyIndex minifies the index's files as site.Render does (the result
// and block groups are written minified: search.Minified), reusing the
// minified bytes of each file whose unminified bytes have not changed. It
// runs under searchMu.
func (s *Server) minifyIndex(files map[string][]byte) (map[string][]byte, error) {
	hashes := make(map[string]uint64, len(files))
	out := make(map[string][]byte, len(files))
	todo := map[string][]byte{}
	for p, b := range files {
		if search.Minified(p) {
			out[p] = b
			continue
		}
		h := maphash.Bytes(s.seed, b)
		hashes[p] = h
		if m, ok := s.minified[p]; ok && m.raw == h {
			out[p] = m.out
		} else {
			todo[p] = b
		}
	}
	if err := publish.Minify(todo); err != nil {
		return nil, err
	}
	maps.Copy(out, todo)
	next := make(map[string]minified, len(out))
	for p, h := range hashes {
		next[p] = minified{raw: h, out: out[p]}
	}
	s.minified = next
	return out, nil
}

func rank(p string) int {
	switch {
	case strings.HasSuffix(p, ".html"):
		return 0
	case strings.HasSuffix(p, ".css") || strings.HasSuffix(p, ".js"):
		return 1
	}
	return 2
}

// render renders and minifies the files at paths, as site.Build does.
func (s *Server) render(plan *render.Plan, paths []string) (map[string][]byte, error) {
	if len(paths) == 0 {
		return nil, nil
	}
	var planned []string
	out := map[string][]byte{}
	for _, p := range paths {
		if b, ok := s.schemas[p]; ok {
			out[p] = b
		} else {
			planned = append(planned, p)
		}
	}
	// The plan's options minify, as site.Build's do.
	files, err := plan.Render(planned)
	if err != nil {
		return nil, err
	}
	maps.Copy(out, files)
	return out, nil
}

// publishLocked serves the files rendered for a plan, those whose key is
// still the one the latest rebuild wants (a file rendered for an older
// plan is dropped), and wakes the requests that wait for them.
func (s *Server) publishLocked(out map[string][]byte, plan *render.Plan) {
	if len(out) == 0 {
		return
	}
	for p, b := range out {
		k, ok := plan.Key(p)
		if _, schema := s.schemas[p]; schema {
			k, ok = schemaKey, true
		}
		if want, wanted := s.wantLocked(p); ok && wanted && want == k {
			s.files[p] = entry{data: b, key: k}
		}
	}
	s.notifyLocked()
}

func (s *Server) notifyLocked() {
	close(s.published)
	s.published = make(chan struct{})
}

// fail keeps the last good files served and shows the problem.
func (s *Server) fail(list diag.List, problem string) {
	s.mu.Lock()
	s.status = status{list: list, problem: problem}
	s.want = nil
	s.notifyLocked()
	msg := s.messageLocked("status", nil)
	s.mu.Unlock()
	s.broadcast(msg)
}

// loadTheme returns the site's theme, loaded again when the site names
// another one or when a file of the theme other than a static one changed:
// static files are read at each plan, so a stylesheet edit keeps the
// theme, and its key, and renders nothing but the stylesheet.
func (s *Server) loadTheme(cat *catalog.Catalog, changed []string, all bool) (*theme.Theme, error) {
	name, lang := cat.Site.Theme, cat.Site.Language
	stale := s.theme == nil || all || name != s.themeName || lang != s.themeLang
	for _, p := range changed {
		if stale {
			break
		}
		if (p == "themes" || strings.HasPrefix(p, "themes/")) && !strings.HasPrefix(p, "themes/"+name+"/static/") {
			stale = true
		}
	}
	if !stale {
		return s.theme, nil
	}
	th, err := site.LoadTheme(s.fsys, cat, true)
	if err != nil {
		s.theme = nil
		return nil, err
	}
	s.theme, s.themeName, s.themeLang = th, name, lang
	s.themeVersion++
	return th, nil
}

// snapshot returns the files served, without the injected script.
func (s *Server) snapshot() map[string][]byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string][]byte, len(s.files))
	for p, e := range s.files {
		out[p] = e.data
	}
	maps.Copy(out, s.searchFiles)
	return out
}

// Close stops the background work and ends the event streams.
func (s *Server) Close() {
	s.closeOnce.Do(func() { close(s.closing) })
	s.buildMu.Lock()
	if s.cancelBG != nil {
		s.cancelBG()
	}
	s.buildMu.Unlock()
	s.bg.Wait()
}
