// Package render turns a checked catalogue into the files of its website:
// Stream hands every page, feed and data file to a function as soon as it
// is ready (cqp build writes them with package publish, the only writer),
// Render collects them in memory, keyed by output path (for tests), and
// Plan renders any subset again (for the dev server).
//
// # Pages
//
// The pages are those of "Pages and files produced" in the content model:
// index.html, cqp/<id>/, branches/<id>/, cqpi/, niveaux/<n>/, <slug>/,
// recherche/, 404.html, sitemap.xml, robots.txt, feed.xml and
// catalogue.json; and, because a visitor expects a way up from every
// page, branches/index.html and niveaux/index.html, which list the
// branches and the levels.
//
// # Links
//
// Every internal link is relative and names its index.html
// (../../cqp/x/index.html), so that the site works under any sub-path and
// opened from disk, where a link ending in "/" would show a folder
// listing. Only the canonical link, Open Graph, JSON-LD, the sitemap and
// the feed use the base URL, in its clean form (<base_url>cqp/x/).
// 404.html follows the rule too, with links relative to the root: a host
// that serves it in place of a missing page deep in the tree (GitHub Pages
// does) shows it without its stylesheet there; links that depend on the
// base URL's path would fix that and break every other case.
//
// # Long lists
//
// A page never lists an unbounded number of CQPs, except recherche/,
// whose no-JavaScript view is the whole catalogue by contract (one short
// line per CQP). The home page shows at most HomeLimit of the owner's
// CQPs and links to the branch, level and CQPI pages, which split their
// lists into pages of PageSize (CQPIPageSize for cqpi/, whose figure must
// stay legible) at <list>/page/<n>/index.html. At 10,000 CQPs every page
// but recherche/ stays a few tens of kilobytes.
//
// # Determinism
//
// Output depends on the catalogue, the theme and Options alone: lists are
// in the catalogue's order, maps are sorted before they are written, and
// no clock is read (dates come from the content, or Options.Today).
package render

import (
	"bytes"
	"cmp"
	"fmt"
	"html/template"
	"iter"
	"maps"
	"path"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/yuin/goldmark"

	"github.com/cqp-catalogue/cqp/generator/catalog"
	"github.com/cqp-catalogue/cqp/generator/markdown"
	"github.com/cqp-catalogue/cqp/generator/theme"
)

// Files are the output files, keyed by slash-separated paths relative to
// the output folder ("cqp/x/index.html").
type Files map[string][]byte

// Paths returns the files' paths, sorted.
func (f Files) Paths() []string {
	paths := make([]string, 0, len(f))
	for p := range f {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	return paths
}

// Size returns the total size of the files in bytes.
func (f Files) Size() int64 {
	var n int64
	for _, b := range f {
		n += int64(len(b))
	}
	return n
}

// Options tune a render.
type Options struct {
	// BaseURL replaces the site's base_url (the --base-url flag).
	BaseURL string
	// Today dates the feed when no CQP has an updated date; the command
	// sets it from SOURCE_DATE_EPOCH, so that output never depends on the
	// clock.
	Today time.Time
	// Post, when set, processes every file but catalogue.json (pages,
	// static files, the sitemap, the feed) before it is emitted, from the
	// worker that made it: package site passes the minifier. Its output
	// must depend on the path and bytes alone; it must not keep b, and may
	// return it.
	Post func(path string, b []byte) ([]byte, error)
	// CompactData writes catalogue.json without its line breaks (one per
	// branch and CQP otherwise): what the JSON minifier would make of it.
	// The file is written in parts (Sink.PutParts), never whole, so it
	// does not go through Post.
	CompactData bool
	// Fragment, when set, processes the HTML that layouts insert as it is
	// and that is not made by a layout: the Markdown bodies and the CQPI
	// figure. Package site passes the HTML minifier when the layouts are
	// minified (theme.Options.Compact), so that pages come out minified
	// without a pass over each page.
	Fragment func(b []byte) ([]byte, error)
	// MinifiedBodies tells that Fragment is the HTML minifier with the
	// settings of pages (publish.MinifyFragment): the Markdown bodies are
	// then rendered by markdown.RenderMinified, and those it writes
	// minified already skip Fragment. Package site sets both together.
	MinifiedBodies bool
	// Reserved are the paths of files that other packages add to the
	// output (package site: the search index and the JSON Schemas). A
	// theme's static file may not take their place: Stream refuses it,
	// as it refuses one in the place of a page.
	Reserved map[string]bool
}

// Sizes of lists; see the package documentation.
const (
	HomeLimit    = 50
	PageSize     = 50
	CQPIPageSize = 30
	FeedLimit    = 50
)

// The layouts Render executes.
const (
	layoutHome     = "layouts/home.html"
	layoutCQP      = "layouts/cqp.html"
	layoutBranch   = "layouts/branch.html"
	layoutBranches = "layouts/branches.html"
	layoutCQPI     = "layouts/cqpi.html"
	layoutLevel    = "layouts/level.html"
	layoutLevels   = "layouts/levels.html"
	layoutList     = "layouts/list.html"
	layoutPage     = "layouts/page.html"
	layoutSearch   = "layouts/search.html"
	layout404      = "layouts/404.html"
)

// Output paths of the fixed pages.
const (
	homePath     = "index.html"
	searchPath   = "recherche/index.html"
	cqpiPath     = "cqpi/index.html"
	branchesPath = "branches/index.html"
	levelsPath   = "niveaux/index.html"
	notFoundPath = "404.html"
	stylePath    = "style.css"
	scriptPath   = "site.js"
	faviconPath  = "favicon.svg"
	feedPath     = "feed.xml"
	dataPath     = "catalogue.json"
	sitemapPath  = "sitemap.xml"
	robotsPath   = "robots.txt"
	// SearchScript is the search engine's script, which package search
	// adds to the output; the home and search pages load it.
	SearchScript = "search/search.js"
)

func cqpPath(id string) string     { return "cqp/" + id + "/index.html" }
func branchPath(id string) string  { return "branches/" + id + "/index.html" }
func levelPath(n int) string       { return "niveaux/" + strconv.Itoa(n) + "/index.html" }
func freePagePath(s string) string { return s + "/index.html" }

// pagedPath is the n-th page of a list whose first page is first.
func pagedPath(first string, n int) string {
	if n <= 1 {
		return first
	}
	return path.Dir(first) + "/page/" + strconv.Itoa(n) + "/index.html"
}

// dirOf is the folder of an output path, "" for the root.
func dirOf(p string) string {
	d := path.Dir(p)
	if d == "." {
		return ""
	}
	return d
}

// rel is the URL of target as seen from the page at from.
func rel(from, target string) string { return markdown.Rel(dirOf(from), target) }

type renderer struct {
	cat  *catalog.Catalog
	th   *theme.Theme
	md   goldmark.Markdown
	opts Options
	base string // absolute, ends with "/"; "" when unknown

	levels     map[int][]*catalog.CQP // active RNCP CQPs by level
	levelOrder []int
	cqpis      []*catalog.CQP // active CQPIs
	active     []*catalog.CQP
	menu       []Link // URL holds the output path
	footer     []Link

	mu      sync.Mutex
	missing []string
	errs    []error
	shared  map[string]template.HTML // partials rendered once, by cache key
}

// newRenderer prepares a render: what several pages share is computed
// once here.
func newRenderer(cat *catalog.Catalog, th *theme.Theme, opts Options) *renderer {
	r := &renderer{cat: cat, th: th, md: markdown.New(), opts: opts, shared: map[string]template.HTML{}}
	r.base = cmp.Or(opts.BaseURL, cat.Site.BaseURL)
	if r.base != "" && !strings.HasSuffix(r.base, "/") {
		r.base += "/"
	}
	r.index()
	return r
}

// Render renders every page and file of the site into memory. It fails on
// a theme error (a layout that does not execute, a missing UI string),
// naming the layout and line or the language file.
func Render(cat *catalog.Catalog, th *theme.Theme, opts Options) (Files, error) {
	files, emit := Collect()
	if err := Stream(cat, th, opts, emit); err != nil {
		return nil, err
	}
	return files, nil
}

// Collect returns an empty Files and the Emit that copies each file into
// it, safe for concurrent use; a path emitted twice is an error.
func Collect() (Files, Emit) {
	files := Files{}
	var mu sync.Mutex
	return files, func(p string, b []byte) error {
		mu.Lock()
		defer mu.Unlock()
		if _, dup := files[p]; dup {
			return fmt.Errorf("deux fichiers à la même adresse %s", p)
		}
		files[p] = bytes.Clone(b)
		return nil
	}
}

// A Sink receives the files of a site as Stream makes them, from several
// goroutines at once. publish.Tree is one: it writes each file into the
// new output folder.
type Sink interface {
	// Put receives a whole file: its output path and its bytes, which it
	// must not keep after it returns.
	Put(path string, b []byte) error
	// PutParts receives a file made in parts, catalogue.json, so that it
	// is never held whole (56 MB at 10,000 CQPs): the file is the parts
	// joined in order. A part must not be kept once the next is asked
	// for; an error from parts ends the file and is returned.
	PutParts(path string, parts iter.Seq2[[]byte, error]) error
}

// Emit is a Sink made of one function, which receives every file whole:
// its output path and its bytes, which it must not keep after it returns.
type Emit func(path string, b []byte) error

// Put calls e.
func (e Emit) Put(path string, b []byte) error { return e(path, b) }

// PutParts joins the parts and calls e once.
func (e Emit) PutParts(path string, parts iter.Seq2[[]byte, error]) error {
	var b []byte
	for part, err := range parts {
		if err != nil {
			return err
		}
		b = append(b, part...)
	}
	return e(path, b)
}

// Stream renders every page and file of the site and hands each to sink
// as soon as it is ready, pages on every core, so that a large site never
// sits whole in memory: `cqp build` writes them to the output folder as
// they come. The theme's static files, the sitemap, robots.txt, the feed
// and catalogue.json are made by one goroutine beside the page workers.
// It stops at the first error, from a page, from Options.Post or from
// sink; the error is the first in the order of the pages, whatever the
// scheduling, then that of the other files.
func Stream(cat *catalog.Catalog, th *theme.Theme, opts Options, sink Sink) error {
	r := newRenderer(cat, th, opts)

	var jobs []job
	jobs = append(jobs, r.homeJob(), r.searchJob(), r.branchesJob(), r.levelsJob(), r.notFoundJob())
	jobs = append(jobs, r.cqpiJobs()...)
	for _, q := range cat.CQPs {
		jobs = append(jobs, r.cqpJob(q))
	}
	for _, b := range cat.Branches {
		jobs = append(jobs, r.branchJobs(b)...)
	}
	for _, n := range r.levelOrder {
		jobs = append(jobs, r.levelJobs(n)...)
	}
	for _, p := range cat.Pages {
		jobs = append(jobs, r.pageJob(p))
	}

	paths := make(map[string]bool, len(jobs)+16)
	for _, j := range jobs {
		if paths[j.path] {
			return fmt.Errorf("deux pages à la même adresse %s", j.path)
		}
		paths[j.path] = true
	}
	static, err := th.Static()
	if err != nil {
		return fmt.Errorf("thème « %s » : static : %w", th.Name, err)
	}
	for _, p := range slices.Sorted(maps.Keys(static)) {
		if paths[p] {
			return fmt.Errorf("thème « %s » : static/%s prend la place d'une page du site", th.Name, p)
		}
		if opts.Reserved[p] {
			return fmt.Errorf("thème « %s » : static/%s prend la place d'un fichier produit par cqp (index de recherche ou schéma) ; renommez-le", th.Name, p)
		}
		paths[p] = true
	}
	// The sitemap lists the pages and the static files: all known now.
	sitemap := slices.Sorted(maps.Keys(paths))
	extra := map[string]func() ([]byte, error){
		sitemapPath: func() ([]byte, error) { return r.sitemap(sitemap) },
		robotsPath:  r.robots,
		feedPath:    r.feed,
	}
	for _, p := range append(slices.Collect(maps.Keys(extra)), dataPath) {
		if paths[p] {
			return fmt.Errorf("thème « %s » : static/%s prend la place d'un fichier du site", th.Name, p)
		}
	}
	// The static and data files beside the pages: catalogue.json alone is
	// half a second of one core at 10,000 CQPs, which the page workers'
	// last moments and the scheduler's gaps absorb.
	var (
		wg       sync.WaitGroup
		extraErr error
	)
	wg.Go(func() {
		for _, p := range slices.Sorted(maps.Keys(static)) {
			if extraErr = r.emit(sink, p, static[p]); extraErr != nil {
				return
			}
		}
		for _, p := range slices.Sorted(maps.Keys(extra)) {
			b, err := extra[p]()
			if err != nil {
				extraErr = fmt.Errorf("%s : %w", p, err)
				return
			}
			if extraErr = r.emit(sink, p, b); extraErr != nil {
				return
			}
		}
		extraErr = sink.PutParts(dataPath, r.openDataParts())
	})
	err = r.run(jobs, sink)
	wg.Wait()
	if err != nil {
		return err
	}
	if err := r.failure(); err != nil {
		return err
	}
	return extraErr
}

// failure is the error a render recorded beside its pages: a partial that
// did not execute, UI strings the theme lacks.
func (r *renderer) failure() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.errs) > 0 {
		return r.errs[0]
	}
	if len(r.missing) > 0 {
		missing := slices.Clone(r.missing)
		slices.Sort(missing)
		return fmt.Errorf("thème « %s » : texte %s absent de i18n/%s.yaml et de i18n/fr.yaml", r.th.Name, quoted(slices.Compact(missing)), r.th.Lang)
	}
	return nil
}

// emit passes a file through Options.Post, then to sink.
func (r *renderer) emit(sink Sink, p string, b []byte) error {
	if r.opts.Post != nil {
		out, err := r.opts.Post(p, b)
		if err != nil {
			return err
		}
		b = out
	}
	return sink.Put(p, b)
}

func quoted(keys []string) string {
	q := make([]string, len(keys))
	for i, k := range keys {
		q[i] = "« " + k + " »"
	}
	return strings.Join(q, ", ")
}

// job is one page: its path, its layout and how to build its view. Views
// are built in the workers, since a CQP's view renders its Markdown.
type job struct {
	path   string
	layout string
	view   func() (any, error)
}

// run executes the jobs on every core and hands each page to sink, from
// the worker that rendered it: a page is rendered, post-processed and
// written (or stored) without waiting for the others, and nothing but the
// page in hand is held per worker. On errors, workers stop taking jobs,
// finish the one in hand, and run returns the error of the first failed
// job in the jobs' order: every job before it was taken, so it is the
// same error whatever the scheduling.
func (r *renderer) run(jobs []job, sink Sink) error {
	var (
		next   atomic.Int64
		failed atomic.Bool
		wg     sync.WaitGroup
		mu     sync.Mutex
		first  = len(jobs)
		err    error
	)
	for range min(runtime.GOMAXPROCS(0), len(jobs)) {
		wg.Go(func() {
			var buf bytes.Buffer
			for !failed.Load() {
				i := int(next.Add(1)) - 1
				if i >= len(jobs) {
					return
				}
				j := jobs[i]
				e := r.execute(&buf, j)
				if e == nil {
					e = r.emit(sink, j.path, buf.Bytes())
				}
				if e != nil {
					mu.Lock()
					if i < first {
						first, err = i, e
					}
					mu.Unlock()
					failed.Store(true)
				}
			}
		})
	}
	wg.Wait()
	return err
}

// execute renders one job into buf.
func (r *renderer) execute(buf *bytes.Buffer, j job) error {
	buf.Reset()
	v, err := j.view()
	if err == nil {
		err = r.th.Execute(buf, j.layout, v)
	}
	if err != nil {
		return fmt.Errorf("%s : %w", j.path, err)
	}
	return nil
}

// index gathers what several pages need: the levels in use, the CQPIs,
// the menu.
func (r *renderer) index() {
	r.levels = map[int][]*catalog.CQP{}
	for _, q := range r.cat.CQPs {
		if q.Archived() {
			continue
		}
		r.active = append(r.active, q)
		if q.IsCQPI() {
			r.cqpis = append(r.cqpis, q)
		}
		if q.Registration.Register == catalog.RNCP && q.Level() > 0 {
			r.levels[q.Level()] = append(r.levels[q.Level()], q)
		}
	}
	for n := range r.levels {
		r.levelOrder = append(r.levelOrder, n)
	}
	slices.Sort(r.levelOrder)

	r.menu = []Link{
		{Text: r.t("nav.search"), URL: searchPath},
		{Text: r.t("nav.branches"), URL: branchesPath},
		{Text: r.t("nav.cqpi"), URL: cqpiPath},
	}
	if len(r.levelOrder) > 0 {
		r.menu = append(r.menu, Link{Text: r.t("nav.levels"), URL: levelsPath})
	}
	for _, p := range r.cat.Pages {
		if p.Menu != nil {
			r.menu = append(r.menu, Link{Text: p.Title, URL: freePagePath(p.Slug)})
		}
	}
	for _, p := range r.cat.Pages {
		if p.Menu == nil {
			r.footer = append(r.footer, Link{Text: p.Title, URL: freePagePath(p.Slug)})
		}
	}
	r.footer = append(r.footer,
		Link{Text: r.t("footer.open_data"), URL: dataPath},
		Link{Text: r.t("footer.feed"), URL: feedPath},
	)
}

// t returns a UI string; a missing one is recorded and fails the render.
func (r *renderer) t(key string, args ...any) string {
	s, err := r.th.Text(key, args...)
	if err != nil {
		r.mu.Lock()
		r.missing = append(r.missing, key)
		r.mu.Unlock()
		return key
	}
	return s
}

// tn is t for a count.
func (r *renderer) tn(key string, n int, args ...any) string {
	s, err := r.th.Plural(key, n, args...)
	if err != nil {
		r.mu.Lock()
		r.missing = append(r.missing, key+".other")
		r.mu.Unlock()
		return key
	}
	return s
}

// list returns the items of a list of the strings (key.0, key.1, …).
func (r *renderer) steps(key string, args ...any) []Step {
	n := r.th.Len(key)
	out := make([]Step, n)
	for i := range n {
		k := key + "." + strconv.Itoa(i)
		out[i] = Step{Title: r.t(k+".title", args...), Text: r.t(k+".text", args...)}
	}
	return out
}

// absURL is the public URL of an output path, in its clean form (no
// index.html); "" without a base URL.
func (r *renderer) absURL(p string) string {
	if r.base == "" {
		return ""
	}
	return r.base + strings.TrimSuffix(p, "index.html")
}

// page fills what every page shares. title is the page's h1.
func (r *renderer) page(p, title, description string, crumbs ...Link) Page {
	site := r.cat.Site
	full := title
	if p != homePath {
		full = title + " · " + site.Title
	}
	pg := Page{
		Lang:        site.Language,
		Locale:      r.t("meta.locale"),
		Title:       full,
		Heading:     title,
		Description: cmp.Or(description, site.Description),
		Path:        p,
		Root:        markdown.Rel(dirOf(p), ""),
		Canonical:   r.absURL(p),
		OGType:      "website",
		SiteTitle:   site.Title,
		Home:        rel(p, homePath),
		Stylesheet:  rel(p, stylePath),
		Favicon:     rel(p, faviconPath),
		Feed:        rel(p, feedPath),
		Scripts:     []string{rel(p, scriptPath)},
	}
	// The header and footer change only with the depth and with the menu
	// or footer entry that is the page itself.
	current := ""
	for _, m := range slices.Concat(r.menu, r.footer) {
		if m.URL == p {
			current = p
		}
	}
	key := pg.Root + "|" + current
	pg.Header = r.partial("layouts/partials/header.html", key, func() any { return r.chrome(p, pg) })
	pg.Footer = r.partial("layouts/partials/footer.html", key, func() any { return r.chrome(p, pg) })
	if p != homePath {
		pg.Breadcrumbs = append(pg.Breadcrumbs, Link{Text: r.t("nav.home"), URL: pg.Home})
		for _, c := range crumbs {
			pg.Breadcrumbs = append(pg.Breadcrumbs, Link{Text: c.Text, URL: rel(p, c.URL)})
		}
	}
	return pg
}

func (r *renderer) chrome(p string, pg Page) Chrome {
	c := Chrome{Lang: pg.Lang, SiteTitle: pg.SiteTitle, Home: pg.Home, Root: pg.Root}
	for _, m := range r.menu {
		c.Nav = append(c.Nav, Link{Text: m.Text, URL: rel(p, m.URL), Current: m.URL == p})
	}
	for _, f := range r.footer {
		c.Footer = append(c.Footer, Link{Text: f.Text, URL: rel(p, f.URL), Current: f.URL == p})
	}
	return c
}

// partial renders a partial once per key and shares the result: the key
// must hold everything the data depends on. Errors fail the render.
func (r *renderer) partial(name, key string, data func() any) template.HTML {
	k := name + "\x00" + key
	r.mu.Lock()
	h, ok := r.shared[k]
	r.mu.Unlock()
	if ok {
		return h
	}
	h, err := r.th.Partial(name, data())
	r.mu.Lock()
	defer r.mu.Unlock()
	if err != nil {
		r.errs = append(r.errs, err)
		return ""
	}
	r.shared[k] = h
	return h
}

// stepsHTML renders the steps of key (steps.formation, steps.vae) with a
// certifier's name; there are few certifiers, so few renders.
func (r *renderer) stepsHTML(key, certifier string) template.HTML {
	return r.partial("layouts/partials/steps.html", key+"|"+certifier, func() any {
		return r.steps(key, "certifier", certifier)
	})
}

// contactsHTML renders a list of contacts, shared by the pages whose
// contacts have the same key.
func (r *renderer) contactsHTML(key string, list func() []Contact) template.HTML {
	l := list()
	if len(l) == 0 {
		return ""
	}
	return r.partial("layouts/partials/contacts.html", key, func() any { return l })
}

// body renders a Markdown body for the page at p.
func (r *renderer) body(src catalog.Source, p string, top int, reserved ...string) (template.HTML, error) {
	c := markdown.Context{
		Dir:         dirOf(p),
		Resolve:     r.resolve,
		TopHeading:  top,
		ReservedIDs: append(reserved, layoutIDs...),
	}
	var out []byte
	var err error
	minified := false
	if r.opts.MinifiedBodies {
		out, minified, err = markdown.RenderMinified(r.md, src.Body, c)
	} else {
		out, err = markdown.Render(r.md, src.Body, c)
	}
	if err != nil {
		return "", fmt.Errorf("%s : %w", src.Path, err)
	}
	if r.opts.Fragment != nil && !minified {
		if out, err = r.opts.Fragment(out); err != nil {
			return "", fmt.Errorf("%s : %w", src.Path, err)
		}
	}
	// The renderer escapes raw HTML and drops dangerous URLs; what it
	// returns is safe to insert as it is.
	return template.HTML(out), nil
}

// layoutIDs are the ids the default layouts use; headings never take them.
var layoutIDs = []string{"contenu", "menu", "q", "facettes", "statut", "resultats", "titre", "en-bref", "reconnaissance", "presentation", "publics", "acces", "blocs", "metiers", "etapes", "branches", "contacts", "cqp", "cqpi", "archives", "figure", "parcourir", "niveaux", "recherche", "vae"}

// resolve maps cqp:, branche: and page: links to output paths.
func (r *renderer) resolve(scheme, target string) (string, bool) {
	switch scheme {
	case markdown.SchemeCQP:
		if r.cat.CQP(target) != nil {
			return cqpPath(target), true
		}
	case markdown.SchemeBranch:
		if r.cat.Branch(target) != nil {
			return branchPath(target), true
		}
	case markdown.SchemePage:
		if r.cat.Page(target) != nil {
			return freePagePath(target), true
		}
	}
	return "", false
}

// date formats a date as the site's language writes it.
func (r *renderer) date(t time.Time) Date {
	if t.IsZero() {
		return Date{}
	}
	month := r.t("date.months." + strconv.Itoa(int(t.Month())-1))
	day := strconv.Itoa(t.Day())
	if t.Day() == 1 {
		day = r.t("date.first_day")
	}
	return Date{
		Text: r.t("date.format", "day", day, "month", month, "year", t.Year()),
		ISO:  t.Format(time.DateOnly),
	}
}

// safeURL keeps an http(s) URL from the front matter and drops anything
// else: the checker accepts only those, and rendering does not trust it.
func safeURL(u string) string {
	l := strings.ToLower(strings.TrimSpace(u))
	if (strings.HasPrefix(l, "https://") || strings.HasPrefix(l, "http://")) && !markdown.IsDangerousURL(u) {
		return strings.TrimSpace(u)
	}
	return ""
}

func (r *renderer) contacts(cs []catalog.Contact) []Contact {
	out := make([]Contact, 0, len(cs))
	for _, c := range cs {
		v := Contact{Label: c.Label, URL: safeURL(c.URL), Email: c.Email, Phone: c.Phone, Note: c.Note}
		if c.Email != "" && strings.ContainsAny(c.Email, "\"<> :") {
			v.Email = ""
		}
		// telURL keeps only digits and a leading "+".
		v.Tel = template.URL(telURL(c.Phone))
		out = append(out, v)
	}
	return out
}

// telURL turns "01 23 45 67 89" or "+33 1 23 45 67 89" into a tel: URL.
func telURL(phone string) string {
	var b strings.Builder
	for i, c := range phone {
		switch {
		case c >= '0' && c <= '9':
			b.WriteRune(c)
		case c == '+' && i == 0:
			b.WriteRune(c)
		case c == ' ' || c == '.' || c == '-' || c == '(' || c == ')' || c == '\u00a0':
		default:
			return ""
		}
	}
	if b.Len() < 3 {
		return ""
	}
	return "tel:" + b.String()
}
