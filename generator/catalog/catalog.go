// Package catalog is the model of a site: the site's settings, the
// branches, the CQPs with their blocks, and the free pages, decoded from
// the content files with the schema's definitions, checked against every
// rule of the content model, and resolved: each CQP knows its branches,
// each branch its CQPs, each block its passerelles.
//
// Build is the checker: it reports every problem it finds, errors and
// warnings, each at the key or value that causes it, and returns the model
// whether or not there were errors, so that the dev server can keep
// showing what is sound. Nothing here reads files or writes anything.
package catalog

import (
	"cmp"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"time"

	"github.com/yuin/goldmark"
	"golang.org/x/text/unicode/norm"

	"github.com/cqp-catalogue/cqp/generator/content"
	"github.com/cqp-catalogue/cqp/generator/diag"
	"github.com/cqp-catalogue/cqp/generator/internal/par"
	"github.com/cqp-catalogue/cqp/generator/markdown"
	"github.com/cqp-catalogue/cqp/generator/schema"
)

// Catalog is a whole site's model.
type Catalog struct {
	Site     *Site
	Branches []*Branch // the owner first, then by name
	CQPs     []*CQP    // the owner's first, then by title
	Pages    []*Page   // menu pages by position, then the others by title

	branches map[string]*Branch
	cqps     map[string]*CQP
	pages    map[string]*Page
	// unread holds the ids of files that exist but could not be decoded;
	// links to them are not reported, so one broken file gives one message.
	unread map[content.Kind]map[string]bool
}

// Branch returns the branch with the given id, or nil.
func (c *Catalog) Branch(id string) *Branch { return c.branches[id] }

// CQP returns the CQP with the given id, or nil.
func (c *Catalog) CQP(id string) *CQP { return c.cqps[id] }

// Page returns the page with the given slug, or nil.
func (c *Catalog) Page(slug string) *Page { return c.pages[slug] }

// Owner returns the publishing branch, or nil when the site names none.
func (c *Catalog) Owner() *Branch { return c.branches[c.Site.Owner.Value] }

// Options tune a check.
type Options struct {
	// Today is the date against which registrations are said to be past;
	// the command sets it from SOURCE_DATE_EPOCH when that is set.
	Today time.Time
}

// decoded is one file after decoding, before the cross-file rules.
type decoded struct {
	file  *content.File
	value any // *Site, *Branch, *CQP or *Page
	refs  []markdown.Ref
	list  diag.List
}

// Load reads, decodes and checks the site in fsys. Each file is decoded as
// soon as it is parsed, so its YAML tree is freed at once: memory holds the
// model, not the parse trees of every file.
func Load(fsys fs.FS, opts Options) (*Catalog, diag.List) {
	entries, list := content.Walk(fsys)
	md := markdown.New()
	out := make([]decoded, len(entries))
	par.For(len(entries), func(i int) {
		f, l := content.Read(fsys, entries[i])
		if f == nil {
			out[i] = decoded{file: &content.File{Path: entries[i].Path, Kind: entries[i].Kind, ID: entries[i].ID}, list: l}
			return
		}
		out[i] = decodeOne(newDecoder(), md, f)
		out[i].list = append(l, out[i].list...)
		f.Meta = nil // the model holds what it needs; free the tree now
	})
	return assemble(out, list, opts)
}

// Build decodes files already loaded with content.Load, checks every rule
// and resolves the references. Files whose front matter could not be read
// are skipped (content.Load has reported them).
func Build(files []*content.File, opts Options) (*Catalog, diag.List) {
	md := markdown.New()
	out := make([]decoded, len(files))
	par.For(len(files), func(i int) { out[i] = decodeOne(newDecoder(), md, files[i]) })
	return assemble(out, nil, opts)
}

func assemble(out []decoded, list diag.List, opts Options) (*Catalog, diag.List) {
	c := &Catalog{branches: map[string]*Branch{}, cqps: map[string]*CQP{}, pages: map[string]*Page{}, unread: map[content.Kind]map[string]bool{}}
	refs := map[string][]markdown.Ref{}
	sources := map[string]Source{}
	for _, o := range out {
		list = append(list, o.list...)
		if o.value == nil {
			if c.unread[o.file.Kind] == nil {
				c.unread[o.file.Kind] = map[string]bool{}
			}
			c.unread[o.file.Kind][o.file.ID] = true
			continue
		}
		refs[o.file.Path] = o.refs
		switch v := o.value.(type) {
		case *Site:
			c.Site = v
			sources[o.file.Path] = v.Source
		case *Branch:
			c.Branches = append(c.Branches, v)
			c.branches[v.ID] = v
			sources[o.file.Path] = v.Source
		case *CQP:
			c.CQPs = append(c.CQPs, v)
			c.cqps[v.ID] = v
			sources[o.file.Path] = v.Source
		case *Page:
			c.Pages = append(c.Pages, v)
			c.pages[v.Slug] = v
			sources[o.file.Path] = v.Source
		}
	}
	if c.Site == nil {
		c.Site = &Site{Language: "fr", Theme: "default"}
	}
	c.resolve(&list, opts)
	for path, rs := range refs {
		c.checkRefs(sources[path], rs, &list)
	}
	c.sort()
	list.Sort()
	return c, list
}

func decodeOne(d *decoder, md goldmark.Markdown, f *content.File) decoded {
	o := decoded{file: f}
	if f.Meta == nil {
		return o
	}
	src := Source{Path: f.Path, Body: f.Body, Line: f.BodyLine}
	switch f.Kind {
	case content.SiteFile:
		s := &Site{Source: src}
		d.decodeFile(f, schema.Site, s, &o.list)
		if s.Language == "" {
			s.Language = "fr"
		}
		if s.Theme == "" {
			s.Theme = "default"
		}
		if s.BaseURL != "" && !strings.HasSuffix(s.BaseURL, "/") {
			s.BaseURL += "/"
		}
		o.value = s
	case content.BranchFile:
		b := &Branch{ID: f.ID, Source: src}
		d.decodeFile(f, schema.Branch, b, &o.list)
		if b.CatalogueURL != "" && !strings.HasSuffix(b.CatalogueURL, "/") {
			b.CatalogueURL += "/"
		}
		o.value = b
	case content.CQPFile:
		c := &CQP{ID: f.ID, Source: src}
		d.decodeFile(f, schema.CQP, c, &o.list)
		if c.Status == "" {
			c.Status = Active
		}
		checkCQP(c, &o.list)
		o.value = c
	case content.PageFile:
		p := &Page{Slug: f.ID, Source: src}
		d.decodeFile(f, schema.Page, p, &o.list)
		if slices.Contains(schema.ReservedSlugs, p.Slug) {
			o.list.Errorf(diag.FileStart(f.Path), diag.ReservedSlug, "le nom de page « %s » est réservé par le site (%s) : renommer le fichier, par exemple en « %s-infos.md »", p.Slug, strings.Join(schema.ReservedSlugs, ", "), p.Slug)
		}
		o.value = p
	}
	o.refs = findRefs(md, f.Body)
	return o
}

// checkCQP applies the rules that concern one CQP alone.
func checkCQP(c *CQP, list *diag.List) {
	r := &c.Registration
	number := r.Number.Value
	switch r.Register {
	case RNCP, RS:
		prefix := strings.ToUpper(r.Register)
		if number == "" && r.Number.Pos.Line == 0 {
			list.Errorf(r.Pos, diag.NumberRequired, "numéro d'enregistrement absent : un CQP inscrit au %s a un numéro « number: %s… »", prefix, prefix)
		} else if number != "" && !strings.HasPrefix(number, prefix) || (r.Register == RS && strings.HasPrefix(number, "RNCP")) {
			list.Errorf(r.Number.Pos, diag.NumberPrefix, "le numéro « %s » ne correspond pas au répertoire « %s » : il doit commencer par %s, ou bien corriger « register »", number, r.Register, prefix)
		}
	case None:
		if r.Number.Pos.Line != 0 {
			list.Errorf(r.Number.Pos, diag.NumberForbidden, "numéro « %s » pour un CQP seulement transmis à France compétences (register: none) : retirer « number » ou corriger « register »", number)
		}
	}
	switch {
	case r.Register == RNCP && r.Level.Pos.Line == 0:
		list.Errorf(r.Pos, diag.LevelRequired, "niveau absent : un CQP inscrit au RNCP a un niveau de 1 à 8, par exemple « level: 4 »")
	case r.Register != RNCP && r.Register != "" && r.Level.Pos.Line != 0:
		list.Errorf(r.Level.Pos, diag.LevelForbidden, "niveau « %d » pour un enregistrement « %s » : seul le RNCP donne un niveau ; retirer « level »", r.Level.Value, r.Register)
	}
	if !r.Since.Value.IsZero() && !r.Until.Value.IsZero() && r.Until.Value.Before(r.Since.Value) {
		list.Errorf(r.Until.Pos, diag.DatesOrder, "échéance « %s » antérieure à la date d'enregistrement « %s » : vérifier « since » et « until »", r.Until.Value.Format(time.DateOnly), r.Since.Value.Format(time.DateOnly))
	}
	seen := map[string]*Block{}
	for _, b := range c.Blocks {
		code := b.Code.Value
		if code == "" {
			continue
		}
		if first, dup := seen[code]; dup {
			list.Errorf(b.Code.Pos, diag.DuplicateBlock, "code de bloc « %s » en double (déjà ligne %d) : chaque bloc a son propre code", code, first.Code.Pos.Line)
			continue
		}
		seen[code] = b
		if r.Register == RNCP && number != "" && strings.HasPrefix(number, "RNCP") && !isRNCPBlockCode(code, number) {
			list.Errorf(b.Code.Pos, diag.BlockCode, "code de bloc « %s » refusé : pour la fiche %s, un bloc s'écrit %sBC suivi de deux chiffres, par exemple %sBC01", code, number, number, number)
		}
	}
	for _, a := range c.Access {
		if a.Value == "vae" && r.Register != RNCP && r.Register != "" {
			list.Errorf(a.Pos, diag.VAENeedsRNCP, "accès « vae » impossible : la VAE n'est ouverte qu'aux CQP inscrits au RNCP (ici « %s ») ; retirer « vae » de « access »", r.Register)
		}
	}
	for _, f := range c.Funding {
		if f.Value == "cpf" && r.Register == None {
			list.Errorf(f.Pos, diag.CPFNeedsRegistration, "financement « cpf » impossible : le CPF ne finance qu'un CQP inscrit au RNCP ou au RS (ici « none ») ; retirer « cpf » de « funding »")
		}
	}
}

func isRNCPBlockCode(code, number string) bool {
	rest, ok := strings.CutPrefix(code, number+"BC")
	return ok && len(rest) == 2 && rest[0] >= '0' && rest[0] <= '9' && rest[1] >= '0' && rest[1] <= '9'
}

// resolve applies the rules across files and links the model together.
func (c *Catalog) resolve(list *diag.List, opts Options) {
	branchIDs := sortedKeys(c.branches)
	if o := c.Site.Owner; o.Value != "" && c.branches[o.Value] == nil && !c.unread[content.BranchFile][o.Value] {
		list.Errorf(o.Pos, diag.UnknownBranch, "branche « %s » inconnue pour « owner » : %s", o.Value, suggestID(o.Value, branchIDs, "content/branches/"))
	}
	numbers := map[string][]*CQP{}
	slices.SortFunc(c.CQPs, func(a, b *CQP) int { return strings.Compare(a.ID, b.ID) })
	for _, q := range c.CQPs {
		for _, ref := range q.Branches {
			b := c.branches[ref.Value]
			if b == nil {
				if c.unread[content.BranchFile][ref.Value] {
					continue
				}
				list.Errorf(ref.Pos, diag.UnknownBranch, "branche « %s » inconnue dans « branches » : %s", ref.Value, suggestID(ref.Value, branchIDs, "content/branches/"))
				continue
			}
			q.BranchRefs = append(q.BranchRefs, b)
			b.CQPs = append(b.CQPs, q)
		}
		if n := q.Registration.Number.Value; n != "" {
			numbers[n] = append(numbers[n], q)
		}
		if u := q.Registration.Until; !u.Value.IsZero() && !opts.Today.IsZero() && u.Value.Before(opts.Today) {
			list.Warnf(u.Pos, diag.Expired, "l'enregistrement a pris fin le %s : mettre à jour « until » si la fiche a été renouvelée, ou passer le CQP en « status: archived »", u.Value.Format(time.DateOnly))
		}
		if len(q.Blocks) == 0 {
			list.Warnf(diag.FileStart(q.Source.Path), diag.NoBlocks, "CQP sans blocs de compétences : ajouter « blocks » pour que les visiteurs sachent ce qu'il certifie")
		}
		if strings.TrimSpace(q.Summary) == "" {
			list.Warnf(diag.FileStart(q.Source.Path), diag.NoSummary, "CQP sans résumé : ajouter « summary », une phrase reprise dans les listes et les résultats de recherche")
		}
	}
	// The same number on two CQPs is reported in each file, naming the
	// others, so that whoever edits either file sees it.
	for n, qs := range numbers {
		for _, q := range qs {
			if len(qs) < 2 {
				break
			}
			var others []string
			for _, o := range qs {
				if o != q {
					others = append(others, o.Source.Path)
				}
			}
			list.Errorf(q.Registration.Number.Pos, diag.DuplicateNumber, "le numéro « %s » est aussi celui de %s : deux CQP ne peuvent pas avoir le même enregistrement", n, strings.Join(others, ", "))
		}
	}
	cqpIDs := sortedKeys(c.cqps)
	for _, q := range c.CQPs {
		for _, b := range q.Blocks {
			for _, cw := range b.CommonWith {
				id, code, _ := strings.Cut(cw.Value, "/")
				other := c.cqps[id]
				switch {
				case other == nil && c.unread[content.CQPFile][id]:
				case other == nil:
					list.Errorf(cw.Pos, diag.UnknownCommon, "CQP « %s » inconnu dans « common_with » : %s", id, suggestID(id, cqpIDs, "content/cqp/"))
				case other == q:
					list.Errorf(cw.Pos, diag.SelfCommon, "« common_with » désigne un bloc du même CQP (« %s ») : une passerelle relie deux CQP différents", cw.Value)
				default:
					ob := other.block(code)
					if ob == nil {
						list.Errorf(cw.Pos, diag.UnknownCommon, "le CQP « %s » n'a pas de bloc « %s » : codes possibles : %s", id, code, strings.Join(other.blockCodes(), ", "))
						continue
					}
					link(BlockRef{q, b}, BlockRef{other, ob})
				}
			}
		}
	}
	owner := c.Site.Owner.Value
	partners := map[*Branch][]string{}
	for _, q := range c.CQPs {
		if !q.IsCQPI() {
			continue
		}
		for _, b := range q.BranchRefs {
			if b.ID != owner && b.Website == "" && b.CatalogueURL == "" {
				partners[b] = append(partners[b], q.ID)
			}
		}
	}
	for b, ids := range partners {
		list.Warnf(diag.FileStart(b.Source.Path), diag.PartnerNoLink, "la branche « %s » porte le CQPI %s mais n'a ni « website » ni « catalogue_url » : en ajouter un pour que les visiteurs trouvent son catalogue", b.ID, quoteList(ids))
	}
}

// link records a passerelle on both blocks, once.
func link(a, b BlockRef) {
	add := func(from *Block, to BlockRef) {
		if !slices.ContainsFunc(from.Passerelles, func(r BlockRef) bool { return r.Block == to.Block }) {
			from.Passerelles = append(from.Passerelles, to)
		}
	}
	add(a.Block, b)
	add(b.Block, a)
}

func (q *CQP) block(code string) *Block {
	for _, b := range q.Blocks {
		if b.Code.Value == code {
			return b
		}
	}
	return nil
}

func (q *CQP) blockCodes() []string {
	codes := make([]string, 0, len(q.Blocks))
	for _, b := range q.Blocks {
		codes = append(codes, b.Code.Value)
	}
	if len(codes) == 0 {
		return []string{"(aucun bloc)"}
	}
	return codes
}

// checkRefs reports the cqp:, branche: and page: links of a body whose
// target does not exist.
func (c *Catalog) checkRefs(src Source, refs []markdown.Ref, list *diag.List) {
	for _, r := range refs {
		line, col := markdown.LineCol(src.Body, r.Offset)
		pos := diag.Pos{Path: src.Path, Line: src.Line + line - 1, Col: col}
		// The ids are listed only for a broken link: most links are sound.
		var ok bool
		var ids func() []string
		var kind content.Kind
		switch r.Scheme {
		case markdown.SchemeCQP:
			ok, kind, ids = c.cqps[r.Target] != nil, content.CQPFile, func() []string { return sortedKeys(c.cqps) }
		case markdown.SchemeBranch:
			ok, kind, ids = c.branches[r.Target] != nil, content.BranchFile, func() []string { return sortedKeys(c.branches) }
		case markdown.SchemePage:
			ok, kind, ids = c.pages[r.Target] != nil, content.PageFile, func() []string { return sortedKeys(c.pages) }
		}
		if !ok && !c.unread[kind][r.Target] {
			list.Errorf(pos, diag.BrokenLink, "lien « %s » cassé : %s", r.Dest, suggestID(r.Target, ids(), "content/"+content.Folders[kind]+"/"))
		}
	}
}

// sort puts the model in its published order.
func (c *Catalog) sort() {
	owner := c.Site.Owner.Value
	ownerFirst := func(q *CQP) int {
		for _, b := range q.Branches {
			if b.Value == owner {
				return 0
			}
		}
		return 1
	}
	// The keys are computed once per CQP, not in every comparison.
	type keyed struct {
		q     *CQP
		owner int
		title string
	}
	ks := make([]keyed, len(c.CQPs))
	par.For(len(c.CQPs), func(i int) {
		q := c.CQPs[i]
		ks[i] = keyed{q, ownerFirst(q), Fold(q.Title)}
	})
	slices.SortFunc(ks, func(a, b keyed) int {
		return cmp.Or(cmp.Compare(a.owner, b.owner), strings.Compare(a.title, b.title), strings.Compare(a.q.Title, b.q.Title), strings.Compare(a.q.ID, b.q.ID))
	})
	for i, k := range ks {
		c.CQPs[i] = k.q
	}
	isOwner := func(b *Branch) int {
		if b.ID == owner {
			return 0
		}
		return 1
	}
	slices.SortFunc(c.Branches, func(a, b *Branch) int {
		return cmp.Or(cmp.Compare(isOwner(a), isOwner(b)), CompareText(a.Name, b.Name), strings.Compare(a.ID, b.ID))
	})
	// A branch's CQPs, in catalogue order: each CQP is listed once by each
	// of its branches, so going through the catalogue in order gives each
	// branch's list already sorted.
	for _, b := range c.Branches {
		b.CQPs = b.CQPs[:0]
	}
	for _, q := range c.CQPs {
		for _, b := range q.BranchRefs {
			b.CQPs = append(b.CQPs, q)
		}
	}
	rank := map[*CQP]int{}
	for i, q := range c.CQPs {
		rank[q] = i
	}
	for _, q := range c.CQPs {
		for _, blk := range q.Blocks {
			slices.SortFunc(blk.Passerelles, func(x, y BlockRef) int {
				return cmp.Or(cmp.Compare(rank[x.CQP], rank[y.CQP]), strings.Compare(x.Block.Code.Value, y.Block.Code.Value))
			})
		}
	}
	slices.SortFunc(c.Pages, func(a, b *Page) int {
		switch {
		case a.Menu != nil && b.Menu != nil:
			return cmp.Or(cmp.Compare(*a.Menu, *b.Menu), CompareText(a.Title, b.Title), strings.Compare(a.Slug, b.Slug))
		case a.Menu != nil:
			return -1
		case b.Menu != nil:
			return 1
		}
		return cmp.Or(CompareText(a.Title, b.Title), strings.Compare(a.Slug, b.Slug))
	})
}

// CompareText orders French text as a reader expects: accents and case
// matter only to break ties ("École" sorts with "ecole", before "Électricité").
func CompareText(a, b string) int {
	return cmp.Or(strings.Compare(Fold(a), Fold(b)), strings.Compare(a, b))
}

// Fold lowers case and removes accents, for sorting and matching.
func Fold(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(strings.ToLower(s)) {
		switch {
		case r >= 0x300 && r <= 0x36f:
		case r == 'œ':
			b.WriteString("oe")
		case r == 'æ':
			b.WriteString("ae")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func suggestID(id string, ids []string, folder string) string {
	if c := closest(id, ids); c != "" {
		return fmt.Sprintf("vouliez-vous dire « %s » ?", c)
	}
	if len(ids) == 0 {
		return fmt.Sprintf("aucun fichier dans %s", folder)
	}
	if len(ids) > 8 {
		return fmt.Sprintf("aucun fichier %s%s.md", folder, id)
	}
	return "identifiants possibles : " + strings.Join(ids, ", ")
}

func quoteList(ids []string) string {
	q := make([]string, len(ids))
	for i, id := range ids {
		q[i] = "« " + id + " »"
	}
	return strings.Join(q, ", ")
}
