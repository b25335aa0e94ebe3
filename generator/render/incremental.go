package render

import (
	"fmt"
	"hash/maphash"
	"maps"
	"runtime"
	"slices"
	"sync"

	"github.com/cqp-catalogue/cqp/generator/catalog"
	"github.com/cqp-catalogue/cqp/generator/theme"
)

// # Incremental rendering
//
// A Plan lists every file Render would produce, before rendering any, each
// with a key: a fingerprint of everything the file is made from. Between
// two plans of the same site, a file whose key has not changed has not
// changed either, so the dev server renders again only the files whose key
// changed, and may render them in any order, in several calls.
//
// Render and Plan.Render produce each page with the same job (the same view
// function and layout), so the bytes are the same; what Plan adds is the
// keys, and the keys are where a mistake would hide. Each key below names
// what its page's view reads, field by field; content files are fingerprinted
// whole (catalog.Version), so a key never has to list a CQP's or a branch's
// own fields one by one. The tests hold Plan.Render to Render's bytes on the
// sample and after every step of editing sessions that touch each kind of
// file.
//
// What every page shares (the site file, the theme, the menu and the
// footer, the base URL) is in every key: changing it renders everything.

// PlanOptions say where a plan's keys come from.
type PlanOptions struct {
	// Versions fingerprints the content files by path
	// (catalog.Loader.Version). Required.
	Versions func(path string) catalog.Version
	// Theme fingerprints the theme's layouts and strings; the caller
	// changes it whenever it loads the theme again. Static files are keyed
	// by their bytes, so a stylesheet edit renders nothing but itself.
	Theme uint64
}

// Plan is the list of a site's output files with their keys; see the
// package documentation.
type Plan struct {
	r      *renderer
	units  map[string]unit
	paths  []string // sorted
	static map[string][]byte
	extra  map[string]func() ([]byte, error)
}

// unit is one output file: a page (job) or a static or extra file.
type unit struct {
	key uint64
	job *job
}

// NewPlan lists the files of the site and computes their keys, rendering
// nothing. It fails where Render fails before rendering a page: a theme
// whose static files cannot be read or take the place of a page.
func NewPlan(cat *catalog.Catalog, th *theme.Theme, opts Options, po PlanOptions) (*Plan, error) {
	if po.Versions == nil {
		return nil, fmt.Errorf("render: plan without content versions")
	}
	r := newRenderer(cat, th, opts) // as in Render
	p := &Plan{r: r, units: map[string]unit{}}
	k := newKeys(r, po, opts)

	// The jobs are Render's, in Render's order; each gets the key of what
	// its view reads. The keys are computed afterwards, on every core: at
	// 10,000 CQPs they are a good part of what a save costs.
	type planned struct {
		job job
		key func() uint64
	}
	var jobs []planned
	add := func(j job, key func() uint64) { jobs = append(jobs, planned{j, key}) }
	add(r.homeJob(), k.home)
	add(r.searchJob(), k.search)
	add(r.branchesJob(), k.branches)
	add(r.levelsJob(), k.levels)
	add(r.notFoundJob(), func() uint64 { return k.of("404") })
	cqpiChunks := pages(r.cqpis, CQPIPageSize)
	for i, j := range r.cqpiJobs() {
		add(j, func() uint64 { return k.cqpiPage(i, cqpiChunks) })
	}
	for _, q := range cat.CQPs {
		add(r.cqpJob(q), func() uint64 { return k.cqp(q) })
	}
	for _, b := range cat.Branches {
		key := sync.OnceValue(func() uint64 { return k.branch(b) })
		for _, j := range r.branchJobs(b) {
			add(j, key)
		}
	}
	for _, n := range r.levelOrder {
		chunks := pages(r.levels[n], PageSize)
		for i, j := range r.levelJobs(n) {
			add(j, func() uint64 { return k.levelPage(n, i, chunks) })
		}
	}
	for _, pg := range cat.Pages {
		add(r.pageJob(pg), func() uint64 { return k.page(pg) })
	}
	for i := range jobs {
		path := jobs[i].job.path
		if _, dup := p.units[path]; dup {
			return nil, fmt.Errorf("deux pages à la même adresse %s", path)
		}
		p.units[path] = unit{job: &jobs[i].job}
	}

	static, err := th.Static()
	if err != nil {
		return nil, fmt.Errorf("thème « %s » : static : %w", th.Name, err)
	}
	p.static = static
	for path, b := range static {
		if _, clash := p.units[path]; clash {
			return nil, fmt.Errorf("thème « %s » : static/%s prend la place d'une page du site", th.Name, path)
		}
		h := newKey()
		h.str("static")
		h.str(path)
		h.bytes(b)
		p.units[path] = unit{key: h.sum()}
	}
	// The sitemap lists the pages and static files, as Stream's does (the
	// extra files are not HTML: the sitemap would skip them anyway).
	p.paths = slices.Sorted(maps.Keys(p.units))
	p.extra = map[string]func() ([]byte, error){
		sitemapPath: func() ([]byte, error) { return r.sitemap(p.paths) },
		robotsPath:  r.robots,
		feedPath:    r.feed,
	}
	// The pages' keys on every core, the others' beside them.
	extraKeys := map[string]uint64{}
	var wg sync.WaitGroup
	wg.Go(func() {
		extraKeys[sitemapPath] = k.sitemap(p.paths)
		extraKeys[robotsPath] = k.file("robots")
		extraKeys[feedPath] = k.feed()
		extraKeys[dataPath] = k.openData()
	})
	keys := make([]uint64, len(jobs))
	forChunks(len(jobs), func(i int) { keys[i] = jobs[i].key() })
	wg.Wait()
	for i := range jobs {
		p.units[jobs[i].job.path] = unit{key: keys[i], job: &jobs[i].job}
	}
	// catalogue.json is made in parts by Render (openDataParts).
	extraPaths := append(slices.Collect(maps.Keys(p.extra)), dataPath)
	slices.Sort(extraPaths)
	for _, path := range extraPaths {
		if _, clash := p.units[path]; clash {
			return nil, fmt.Errorf("thème « %s » : static/%s prend la place d'un fichier du site", th.Name, path)
		}
		p.units[path] = unit{key: extraKeys[path]}
		i, _ := slices.BinarySearch(p.paths, path)
		p.paths = slices.Insert(p.paths, i, path)
	}
	return p, nil
}

// Paths returns the paths of every file of the site, sorted.
func (p *Plan) Paths() []string { return p.paths }

// Key returns the key of the file at path, and whether the site has it.
func (p *Plan) Key(path string) (uint64, bool) {
	u, ok := p.units[path]
	return u.key, ok
}

// Render renders the files at paths, pages in parallel as Render does. The
// bytes of each are those Render gives it. It fails as Render fails, on the
// first page (in the order given) whose layout does not execute, or on a
// UI string the theme lacks.
func (p *Plan) Render(paths []string) (Files, error) {
	var jobs []job
	var rest []string
	for _, path := range paths {
		u, ok := p.units[path]
		switch {
		case !ok:
			return nil, fmt.Errorf("render: no file %s in the plan", path)
		case u.job != nil:
			jobs = append(jobs, *u.job)
		default:
			rest = append(rest, path)
		}
	}
	files, collect := Collect()
	r := p.r
	if err := r.run(jobs, collect); err != nil {
		return nil, err
	}
	for _, path := range rest {
		if path == dataPath {
			// Not through Post, as in Stream.
			if err := collect.PutParts(path, r.openDataParts()); err != nil {
				return nil, err
			}
			continue
		}
		b, ok := p.static[path]
		if !ok {
			var err error
			if b, err = p.extra[path](); err != nil {
				return nil, fmt.Errorf("%s : %w", path, err)
			}
		}
		if err := r.emit(collect, path, b); err != nil {
			return nil, err
		}
	}
	if err := r.failure(); err != nil {
		return nil, err
	}
	return files, nil
}

// key hashes the fields a file is made from, one after the other: each
// string through hash/maphash, each number mixed in with the finalizer of
// MurmurHash3, so that two lists of fields that differ anywhere, or in
// their order, give different keys (but for a chance of 2^-64). keySeed is
// drawn once per process and never changes, so that the keys of two plans
// compare.
type key uint64

var keySeed = maphash.MakeSeed()

func newKey() *key {
	k := key(0x9e3779b97f4a7c15)
	return &k
}

func (k *key) sum() uint64 { return uint64(*k) }

func (k *key) num(n uint64) {
	h := (uint64(*k) ^ n) * 0x9e3779b97f4a7c15
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	h *= 0xc4ceb9fe1a85ec53
	h ^= h >> 33
	*k = key(h)
}

func (k *key) str(s string) {
	k.num(maphash.String(keySeed, s))
	k.num(uint64(len(s)))
}

func (k *key) bytes(b []byte) {
	k.num(maphash.Bytes(keySeed, b))
	k.num(uint64(len(b)))
}

func (k *key) int(n int) { k.num(uint64(n)) }

func (k *key) bool(b bool) {
	if b {
		k.num(1)
	} else {
		k.num(0)
	}
}

func (k *key) version(v catalog.Version) {
	k.num(v.Front)
	k.num(v.Body)
}

// forChunks calls fn(i) for every i in [0, n) on every core, by chunks:
// a key is too cheap to be handed to a goroutine alone.
func forChunks(n int, fn func(i int)) {
	const chunk = 256
	workers := min(runtime.GOMAXPROCS(0), (n+chunk-1)/chunk)
	if workers <= 1 {
		for i := range n {
			fn(i)
		}
		return
	}
	var wg sync.WaitGroup
	next := make(chan int)
	for range workers {
		wg.Go(func() {
			for start := range next {
				for i := start; i < min(start+chunk, n); i++ {
					fn(i)
				}
			}
		})
	}
	for start := 0; start < n; start += chunk {
		next <- start
	}
	close(next)
	wg.Wait()
}

// keys computes a plan's keys. Once newKeys returns, it is only read, so
// keys are computed on several goroutines.
type keys struct {
	r        *renderer
	versions func(string) catalog.Version
	site     uint64 // the site's settings, the theme, the options
	global   uint64 // site, and what page() adds: the menu and the footer
	cards    map[*catalog.CQP]uint64
	fronts   map[*catalog.Branch]uint64 // each branch's front matter
}

func newKeys(r *renderer, po PlanOptions, opts Options) *keys {
	k := &keys{r: r, versions: po.Versions, fronts: make(map[*catalog.Branch]uint64, len(r.cat.Branches))}
	for _, b := range r.cat.Branches {
		k.fronts[b] = k.versions(b.Source.Path).Front
	}
	k.site, k.global = k.globalKeys(po.Theme, opts)
	cards := make([]uint64, len(r.cat.CQPs))
	forChunks(len(cards), func(i int) { cards[i] = k.cardKey(r.cat.CQPs[i]) })
	k.cards = make(map[*catalog.CQP]uint64, len(cards))
	for i, q := range r.cat.CQPs {
		k.cards[q] = cards[i]
	}
	return k
}

// start starts the key of a page of the given kind: what every page shares.
func (k *keys) start(kind string) *key {
	h := newKey()
	h.num(k.global)
	h.str(kind)
	return h
}

// startFile starts the key of a file that is not a page (feed, sitemap,
// open data): the menu is not in it.
func (k *keys) startFile(kind string) *key {
	h := newKey()
	h.num(k.site)
	h.str(kind)
	return h
}

func (k *keys) of(kind string) uint64 { return k.start(kind).sum() }

func (k *keys) file(kind string) uint64 { return k.startFile(kind).sum() }

// globalKeys are what every file reads (site): the site's settings and
// home text, the theme, the options; and what every page reads through
// page() (global): those, the menu and the footer.
func (k *keys) globalKeys(themeKey uint64, opts Options) (site, global uint64) {
	h := newKey()
	h.num(themeKey)
	h.str(opts.BaseURL)
	h.num(uint64(opts.Today.Unix()))
	h.str(k.r.base)
	h.version(k.versions(k.r.cat.Site.Source.Path))
	site = h.sum()
	for _, l := range [][]Link{k.r.menu, k.r.footer} {
		h.int(len(l))
		for _, x := range l {
			h.str(x.Text)
			h.str(x.URL)
		}
	}
	return site, h.sum()
}

// card is the key of what a CQP shows in every list, computed by newKeys.
func (k *keys) card(q *catalog.CQP) uint64 { return k.cards[q] }

// cardKey is what a CQP shows in every list: its card (card), its search
// row (searchJob), its line in the branches' counts.
func (k *keys) cardKey(q *catalog.CQP) uint64 {
	h := newKey()
	h.str(q.ID)
	h.str(q.Title)
	h.str(q.Summary)
	h.str(q.Status)
	h.str(q.Registration.Register)
	h.str(q.Registration.Number.Value)
	h.int(q.Level())
	h.bool(len(k.r.levels[q.Level()]) > 0)
	h.bool(q.IsCQPI())
	h.int(len(q.BranchRefs))
	for _, b := range q.BranchRefs {
		h.str(b.ID)
		h.str(b.Name)
	}
	return h.sum()
}

func (k *keys) cardList(h *key, qs []*catalog.CQP) {
	h.int(len(qs))
	for _, q := range qs {
		h.num(k.card(q))
	}
}

func (k *keys) home() uint64 {
	r := k.r
	h := k.start("home")
	featured := r.active
	if owner := r.cat.Owner(); owner != nil {
		h.str(owner.ID)
		h.str(owner.Name)
		featured = activeOf(owner.CQPs)
	}
	h.int(len(featured))
	k.cardList(h, featured[:min(len(featured), HomeLimit)])
	h.int(len(r.active))
	for _, b := range r.cat.Branches {
		h.str(b.ID)
		h.str(b.Name)
		h.int(len(activeOf(b.CQPs)))
	}
	for _, n := range r.levelOrder {
		h.int(n)
		h.int(len(r.levels[n]))
	}
	h.int(len(r.cqpis))
	return h.sum()
}

func (k *keys) search() uint64 {
	h := k.start("search")
	k.cardList(h, k.r.active)
	return h.sum()
}

func (k *keys) branches() uint64 {
	h := k.start("branches")
	for _, b := range k.r.cat.Branches {
		h.str(b.ID)
		h.str(b.Name)
		h.str(b.OPCO)
		k.cardList(h, b.CQPs)
	}
	return h.sum()
}

func (k *keys) levels() uint64 {
	h := k.start("levels")
	for _, n := range k.r.levelOrder {
		h.int(n)
		h.int(len(k.r.levels[n]))
	}
	return h.sum()
}

// cqpiPage is page i of cqpi/: its CQPIs, their branches (the figure
// orders the branches as the catalogue does: the owner, then by name,
// which the cards and the global key hold) and the number of pages.
func (k *keys) cqpiPage(i int, chunks [][]*catalog.CQP) uint64 {
	h := k.start("cqpi")
	h.int(i)
	h.int(len(chunks))
	if i < len(chunks) {
		k.cardList(h, chunks[i])
	}
	return h.sum()
}

// cqp is a CQP's page: its file, its branches' front matter (names,
// contacts, OPCO, CPNE, websites and catalogues), its passerelles as the
// other side shows them, and whether its level has a page.
func (k *keys) cqp(q *catalog.CQP) uint64 {
	h := k.start("cqp")
	h.version(k.versions(q.Source.Path))
	h.int(len(q.BranchRefs))
	for _, b := range q.BranchRefs {
		h.str(b.ID)
		h.num(k.fronts[b])
	}
	for _, blk := range q.Blocks {
		h.int(len(blk.Passerelles))
		for _, pr := range blk.Passerelles {
			h.str(pr.CQP.ID)
			h.str(pr.CQP.Title)
			h.bool(pr.CQP.IsCQPI())
			h.str(pr.Block.Code.Value)
			h.str(pr.Block.Title)
		}
	}
	h.bool(len(k.r.levels[q.Level()]) > 0)
	return h.sum()
}

// branch is every page of a branch: its file and its CQPs' cards.
func (k *keys) branch(b *catalog.Branch) uint64 {
	h := k.start("branch")
	h.str(b.ID)
	h.version(k.versions(b.Source.Path))
	k.cardList(h, b.CQPs)
	return h.sum()
}

// levelPage is page i of level n: its CQPs, the list's length, and the
// other levels it links.
func (k *keys) levelPage(n, i int, chunks [][]*catalog.CQP) uint64 {
	h := k.start("level")
	h.int(n)
	h.int(i)
	h.int(len(chunks))
	h.int(len(k.r.levels[n]))
	for _, other := range k.r.levelOrder {
		h.int(other)
	}
	if i < len(chunks) {
		k.cardList(h, chunks[i])
	}
	return h.sum()
}

func (k *keys) page(pg *catalog.Page) uint64 {
	h := k.start("page")
	h.str(pg.Slug)
	h.version(k.versions(pg.Source.Path))
	return h.sum()
}

// sitemap lists the HTML pages (among paths, sorted), with the CQPs'
// dates.
func (k *keys) sitemap(paths []string) uint64 {
	h := k.startFile("sitemap")
	for _, p := range paths {
		h.str(p)
	}
	for _, q := range k.r.cat.CQPs {
		h.str(q.ID)
		h.num(uint64(q.Updated.Unix()))
	}
	return h.sum()
}

// feed holds the latest dated CQPs and the owner's name.
func (k *keys) feed() uint64 {
	h := k.startFile("feed")
	if o := k.r.cat.Owner(); o != nil {
		h.str(o.Name)
	}
	for _, q := range k.r.cat.CQPs {
		if q.Updated.IsZero() {
			continue
		}
		h.num(uint64(q.Updated.Unix()))
		h.num(k.card(q))
	}
	return h.sum()
}

// openData holds every field of every CQP and branch, not their bodies;
// passerelles and certifiers come from other files' front matter, which
// the key holds too.
func (k *keys) openData() uint64 {
	h := k.startFile("opendata")
	for _, q := range k.r.cat.CQPs {
		h.str(q.Source.Path)
		h.num(k.versions(q.Source.Path).Front)
	}
	for _, b := range k.r.cat.Branches {
		h.str(b.ID)
		h.num(k.fronts[b])
	}
	return h.sum()
}
