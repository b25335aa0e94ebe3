package render

import (
	"html/template"
	"strconv"
	"strings"

	"github.com/cqp-catalogue/cqp/generator/catalog"
)

// card is a CQP as lists show it, seen from the page at from. Without a
// context branch, Branches lists every branch; with one, the partners.
func (r *renderer) card(from string, q *catalog.CQP, context *catalog.Branch) Card {
	c := Card{
		ID:       q.ID,
		Title:    q.Title,
		URL:      rel(from, cqpPath(q.ID)),
		Summary:  q.Summary,
		Kind:     r.kind(q, false),
		IsCQPI:   q.IsCQPI(),
		Archived: q.Archived(),
	}
	switch reg := q.Registration; reg.Register {
	case catalog.RNCP:
		c.Registration = r.t("card.rncp", "number", reg.Number.Value, "level", q.Level())
	case catalog.RS:
		c.Registration = r.t("card.rs", "number", reg.Number.Value)
	default:
		c.Registration = r.t("card.none")
	}
	if q.IsCQPI() {
		for _, b := range q.BranchRefs {
			if b != context {
				c.Branches = append(c.Branches, Link{Text: b.Name, URL: rel(from, branchPath(b.ID))})
			}
		}
	}
	return c
}

// pages splits a list in pages of size (at least one page, maybe empty).
func pages[T any](items []T, size int) [][]T {
	if len(items) == 0 {
		return [][]T{nil}
	}
	var out [][]T
	for i := 0; i < len(items); i += size {
		out = append(out, items[i:min(i+size, len(items))])
	}
	return out
}

// pager links page n of total of the list title, seen from the page at from; at(i) is the
// output path of page i (a fragment may follow it). It shows the first and
// last pages and two on each side of the current one, so that it stays
// short however long the list.
func (r *renderer) pager(title, from string, n, total int, at func(i int) string) *Pager {
	if total <= 1 {
		return nil
	}
	p := &Pager{Label: r.t("pager.label", "title", title, "n", n, "total", total)}
	if n > 1 {
		p.Prev = rel(from, at(n-1))
	}
	if n < total {
		p.Next = rel(from, at(n+1))
	}
	gap := false
	for i := 1; i <= total; i++ {
		if i == 1 || i == total || (i >= n-2 && i <= n+2) {
			p.Pages = append(p.Pages, Link{Text: strconv.Itoa(i), URL: rel(from, at(i)), Current: i == n})
			gap = false
		} else if !gap {
			p.Pages = append(p.Pages, Link{Text: "…"})
			gap = true
		}
	}
	return p
}

// paged returns the at function of a list whose first page is first.
func paged(first string) func(int) string {
	return func(i int) string { return pagedPath(first, i) }
}

// section builds a list of CQPs shown on the page at from; count is the
// length of the whole list, of which chunk is one page.
func (r *renderer) section(id, title, from string, chunk []*catalog.CQP, pager *Pager, count int, context *catalog.Branch) Section {
	s := Section{ID: id, Title: title, Count: r.tn("count.cqp", count), Pager: pager, Partner: context != nil}
	for _, q := range chunk {
		s.Cards = append(s.Cards, r.card(from, q, context))
	}
	return s
}

func (r *renderer) homeJob() job {
	return job{path: homePath, layout: layoutHome, view: r.homeView}
}

func (r *renderer) homeView() (any, error) {
	site := r.cat.Site
	p := homePath
	v := HomeView{
		Page:     r.page(p, site.Title, site.Description),
		Search:   SearchForm{Action: rel(p, searchPath)},
		Steps:    r.stepsHTML("steps.formation", r.t("steps.certifier_generic")),
		Contacts: r.contactsHTML("site", func() []Contact { return r.contacts(site.Contacts) }),
	}
	v.Scripts = append(v.Scripts, rel(p, SearchScript))
	intro, err := r.body(site.Source, p, 2)
	if err != nil {
		return nil, err
	}
	v.Intro = intro

	featured, title := r.active, r.t("home.all")
	owner := r.cat.Owner()
	if owner != nil {
		featured = activeOf(owner.CQPs)
		title = r.t("home.owner", "branch", owner.Name)
	}
	shown := featured[:min(len(featured), HomeLimit)]
	v.Featured = r.section("cqp", title, p, shown, nil, len(featured), nil)
	v.Featured.Empty = r.t("home.empty")
	if len(shown) < len(featured) {
		more := Link{Text: r.tn("home.more_all", len(r.active)), URL: rel(p, searchPath)}
		if owner != nil {
			more = Link{Text: r.tn("home.more_branch", len(featured), "branch", owner.Name), URL: rel(p, branchPath(owner.ID))}
		}
		v.More = &more
	}
	for _, b := range r.cat.Branches {
		if n := len(activeOf(b.CQPs)); n > 0 {
			v.Branches = append(v.Branches, Link{Text: b.Name + " (" + strconv.Itoa(n) + ")", URL: rel(p, branchPath(b.ID))})
		}
	}
	for _, n := range r.levelOrder {
		v.Levels = append(v.Levels, Link{Text: r.t("level.name", "n", n) + " (" + strconv.Itoa(len(r.levels[n])) + ")", URL: rel(p, levelPath(n))})
	}
	v.CQPI = Link{Text: r.tn("home.cqpi", len(r.cqpis)), URL: rel(p, cqpiPath)}
	v.All = Link{Text: r.tn("home.more_all", len(r.active)), URL: rel(p, searchPath)}
	return v, nil
}

func activeOf(qs []*catalog.CQP) []*catalog.CQP {
	out := make([]*catalog.CQP, 0, len(qs))
	for _, q := range qs {
		if !q.Archived() {
			out = append(out, q)
		}
	}
	return out
}

// branchJobs renders a branch's page and the following pages of its three
// lists: its own CQPs, the CQPIs it shares, and its archived CQPs.
func (r *renderer) branchJobs(b *catalog.Branch) []job {
	var own, shared, archived []*catalog.CQP
	for _, q := range b.CQPs {
		switch {
		case q.Archived():
			archived = append(archived, q)
		case q.IsCQPI():
			shared = append(shared, q)
		default:
			own = append(own, q)
		}
	}
	p := branchPath(b.ID)
	type list struct {
		id, title string
		items     []*catalog.CQP
		chunks    [][]*catalog.CQP
		context   *catalog.Branch // set for the CQPIs, whose cards name the partners
	}
	lists := []list{
		{id: "cqp", title: r.t("branch.own", "branch", b.Name), items: own},
		{id: "cqpi", title: r.t("branch.shared", "branch", b.Name), items: shared, context: b},
		{id: "archives", title: r.t("branch.archived"), items: archived},
	}
	// Page 1 of each list is a section of the branch page; the following
	// pages are at branches/<id>/<list>/page/<n>/.
	at := func(l list) func(int) string {
		return func(i int) string {
			if i == 1 {
				return p + "#" + l.id
			}
			return pagedPath(dirOf(p)+"/"+l.id+"/index.html", i)
		}
	}
	for i := range lists {
		lists[i].chunks = pages(lists[i].items, PageSize)
	}
	jobs := []job{{path: p, layout: layoutBranch, view: func() (any, error) {
		v := BranchView{Contacts: r.contactsHTML("branch|"+b.ID, func() []Contact { return r.contacts(b.Contacts) })}
		var sections [3]Section
		for i, l := range lists {
			sections[i] = r.section(l.id, l.title, p, l.chunks[0], r.pager(l.title, p, 1, len(l.chunks), at(l)), len(l.items), l.context)
		}
		v.Own, v.Shared, v.Archived = sections[0], sections[1], sections[2]
		v.Own.Empty = r.t("branch.own_empty")
		v.Shared.Empty = r.t("branch.shared_empty")
		v.Archived.Intro = r.t("branch.archived_intro")

		body, err := r.body(b.Source, p, 2)
		if err != nil {
			return nil, err
		}
		d := BranchDetail{ID: b.ID, Name: b.Name, Body: body, Website: safeURL(b.Website), Catalogue: safeURL(b.CatalogueURL), IsOwner: b.ID == r.cat.Site.Owner.Value}
		if d.IsOwner && d.Catalogue == r.base {
			d.Catalogue = ""
		}
		if len(b.IDCC) > 0 {
			var idcc []string
			for _, n := range b.IDCC {
				idcc = append(idcc, strconv.Itoa(n))
			}
			d.Facts = append(d.Facts, Fact{Term: r.tn("branch.fact.idcc", len(idcc)), Text: strings.Join(idcc, ", ")})
		}
		if b.CPNE != "" {
			d.Facts = append(d.Facts, Fact{Term: r.t("branch.fact.cpne"), Text: b.CPNE})
		}
		if b.OPCO != "" {
			d.Facts = append(d.Facts, Fact{Term: r.t("branch.fact.opco"), Text: b.OPCO})
		}
		d.Facts = append(d.Facts, Fact{Term: r.t("branch.fact.count"), Text: r.branchCounts(b)})
		v.Branch = d
		v.Page = r.page(p, b.Name, r.t("branch.description", "branch", b.Name), Link{Text: r.t("nav.branches"), URL: branchesPath})
		return v, nil
	}}}
	for _, l := range lists {
		for n := 2; n <= len(l.chunks); n++ {
			path := at(l)(n)
			jobs = append(jobs, job{path: path, layout: layoutList, view: func() (any, error) {
				s := r.section(l.id, l.title, path, l.chunks[n-1], r.pager(l.title, path, n, len(l.chunks), at(l)), len(l.items), l.context)
				heading := r.t("list.heading", "title", l.title, "n", n, "total", len(l.chunks))
				return ListView{
					Page: r.page(path, heading, "", Link{Text: r.t("nav.branches"), URL: branchesPath}, Link{Text: b.Name, URL: p}),
					List: s,
					Back: Link{Text: r.t("list.back", "title", b.Name), URL: rel(path, p)},
				}, nil
			}})
		}
	}
	return jobs
}

func (r *renderer) branchCounts(b *catalog.Branch) string {
	active := activeOf(b.CQPs)
	n, cqpi := len(active), 0
	for _, q := range active {
		if q.IsCQPI() {
			cqpi++
		}
	}
	if cqpi == 0 {
		return r.tn("count.cqp", n)
	}
	return r.tn("branch.counts", n, "cqpi", r.tn("count.cqpi", cqpi))
}

func (r *renderer) branchesJob() job {
	return job{path: branchesPath, layout: layoutBranches, view: func() (any, error) {
		p := branchesPath
		v := BranchesView{Page: r.page(p, r.t("branches.title"), r.t("branches.description")), Intro: r.t("branches.intro")}
		for _, b := range r.cat.Branches {
			v.Branches = append(v.Branches, BranchRow{
				Link:   Link{Text: b.Name, URL: rel(p, branchPath(b.ID))},
				Counts: r.branchCounts(b),
				OPCO:   b.OPCO,
			})
		}
		return v, nil
	}}
}

func (r *renderer) levelsJob() job {
	return job{path: levelsPath, layout: layoutLevels, view: func() (any, error) {
		p := levelsPath
		v := LevelsView{Page: r.page(p, r.t("levels.title"), r.t("levels.description")), Intro: r.t("levels.intro")}
		for _, n := range r.levelOrder {
			v.Levels = append(v.Levels, LevelRow{
				Link:        Link{Text: r.t("level.name", "n", n), URL: rel(p, levelPath(n))},
				Explanation: r.t("level." + strconv.Itoa(n)),
				Count:       r.tn("count.cqp", len(r.levels[n])),
			})
		}
		return v, nil
	}}
}

func (r *renderer) levelJobs(level int) []job {
	first := levelPath(level)
	chunks := pages(r.levels[level], PageSize)
	var jobs []job
	for n := 1; n <= len(chunks); n++ {
		p := pagedPath(first, n)
		jobs = append(jobs, job{path: p, layout: layoutLevel, view: func() (any, error) {
			name := r.t("level.name", "n", level)
			heading := name
			if n > 1 {
				heading = r.t("list.heading", "title", name, "n", n, "total", len(chunks))
			}
			v := LevelView{
				Page:        r.page(p, heading, r.t("level.description", "n", level, "text", r.t("level."+strconv.Itoa(level))), Link{Text: r.t("levels.title"), URL: levelsPath}),
				Level:       level,
				Explanation: r.t("level." + strconv.Itoa(level)),
				List:        r.section("cqp", r.t("level.list", "n", level), p, chunks[n-1], r.pager(name, p, n, len(chunks), paged(first)), len(r.levels[level]), nil),
			}
			for _, other := range r.levelOrder {
				v.Others = append(v.Others, Link{Text: r.t("level.name", "n", other), URL: rel(p, levelPath(other)), Current: other == level && n == 1})
			}
			return v, nil
		}})
	}
	return jobs
}

// cqpiJobs renders cqpi/ and its following pages; each page has the
// figure of its own CQPIs, so that the figure stays legible at any size.
func (r *renderer) cqpiJobs() []job {
	chunks := pages(r.cqpis, CQPIPageSize)
	var jobs []job
	for n := 1; n <= len(chunks); n++ {
		p := pagedPath(cqpiPath, n)
		jobs = append(jobs, job{path: p, layout: layoutCQPI, view: func() (any, error) {
			heading := r.t("cqpi.title")
			if n > 1 {
				heading = r.t("list.heading", "title", heading, "n", n, "total", len(chunks))
			}
			v := CQPIView{
				Page:  r.page(p, heading, r.t("cqpi.description")),
				Pager: r.pager(r.t("cqpi.title"), p, n, len(chunks), paged(cqpiPath)),
				Empty: r.t("cqpi.empty"),
			}
			for i := range r.th.Len("cqpi.intro") {
				v.Intro = append(v.Intro, r.t("cqpi.intro."+strconv.Itoa(i)))
			}
			for _, q := range chunks[n-1] {
				c := r.card(p, q, nil)
				v.Rows = append(v.Rows, c)
			}
			if len(chunks[n-1]) > 0 {
				v.Caption = r.tn("cqpi.caption", len(chunks[n-1]))
				v.Figure = r.figure(chunks[n-1])
			}
			return v, nil
		}})
	}
	return jobs
}

func (r *renderer) searchJob() job {
	return job{path: searchPath, layout: layoutSearch, view: func() (any, error) {
		p := searchPath
		v := SearchView{
			Page:   r.page(p, r.t("search.title"), r.t("search.description")),
			Intro:  r.t("search.intro"),
			Search: SearchForm{Action: rel(p, searchPath)},
			Count:  r.tn("count.cqp", len(r.active)),
		}
		v.Scripts = append(v.Scripts, rel(p, SearchScript))
		v.Results = make([]SearchRow, 0, len(r.active))
		for _, q := range r.active {
			row := SearchRow{ID: q.ID, Title: q.Title, URL: rel(p, cqpPath(q.ID)), Kind: r.kind(q, false), IsCQPI: q.IsCQPI(), Level: r.levelLink(p, q.Level())}
			for _, b := range q.BranchRefs {
				row.Branches = append(row.Branches, Link{Text: b.Name, URL: rel(p, branchPath(b.ID))})
			}
			v.Results = append(v.Results, row)
		}
		return v, nil
	}}
}

func (r *renderer) pageJob(pg *catalog.Page) job {
	p := freePagePath(pg.Slug)
	return job{path: p, layout: layoutPage, view: func() (any, error) {
		body, err := r.body(pg.Source, p, 2)
		if err != nil {
			return nil, err
		}
		return TextView{Page: r.page(p, pg.Title, pg.Description), Body: body}, nil
	}}
}

func (r *renderer) notFoundJob() job {
	return job{path: notFoundPath, layout: layout404, view: func() (any, error) {
		p := notFoundPath
		v := TextView{
			Page: r.page(p, r.t("notfound.title"), ""),
			Body: template.HTML(""),
			Links: []Link{
				{Text: r.t("notfound.home"), URL: rel(p, homePath)},
				{Text: r.t("notfound.search"), URL: rel(p, searchPath)},
				{Text: r.t("nav.branches"), URL: rel(p, branchesPath)},
			},
		}
		v.Canonical = ""
		v.NoIndex = true
		return v, nil
	}}
}
