package render

import (
	"bytes"
	"cmp"
	"encoding/xml"
	"slices"
	"strings"
	"time"

	"github.com/cqp-catalogue/cqp/generator/catalog"
)

// sitemap lists every HTML page but 404.html, with the CQPs' updated date.
// Without a base URL there is nothing to point at: it is then an empty
// urlset, still valid.
// sitemap lists the pages among paths, the site's files in sorted order.
func (r *renderer) sitemap(paths []string) ([]byte, error) {
	type url struct {
		Loc     string `xml:"loc"`
		LastMod string `xml:"lastmod,omitempty"`
	}
	type urlset struct {
		XMLName xml.Name `xml:"urlset"`
		NS      string   `xml:"xmlns,attr"`
		URLs    []url    `xml:"url"`
	}
	lastmod := map[string]string{}
	for _, q := range r.cat.CQPs {
		if !q.Updated.IsZero() {
			lastmod[cqpPath(q.ID)] = q.Updated.Format(time.DateOnly)
		}
	}
	set := urlset{NS: "http://www.sitemaps.org/schemas/sitemap/0.9"}
	if r.base != "" {
		for _, p := range paths {
			if !strings.HasSuffix(p, ".html") || p == notFoundPath {
				continue
			}
			set.URLs = append(set.URLs, url{Loc: r.absURL(p), LastMod: lastmod[p]})
		}
	}
	return marshalXML(set)
}

func (r *renderer) robots() ([]byte, error) {
	var b strings.Builder
	b.WriteString("User-agent: *\nAllow: /\n")
	if r.base != "" {
		b.WriteString("\nSitemap: " + r.absURL(sitemapPath) + "\n")
	}
	return []byte(b.String()), nil
}

// feed is an Atom feed of the most recently updated CQPs (FeedLimit of
// them): what a branch's partners and job counsellors want to follow.
// CQPs without an updated date are left out, since an entry needs one.
func (r *renderer) feed() ([]byte, error) {
	type link struct {
		Href string `xml:"href,attr"`
		Rel  string `xml:"rel,attr,omitempty"`
		Type string `xml:"type,attr,omitempty"`
	}
	type category struct {
		Term  string `xml:"term,attr"`
		Label string `xml:"label,attr,omitempty"`
	}
	type entry struct {
		Title      string     `xml:"title"`
		ID         string     `xml:"id"`
		Link       link       `xml:"link"`
		Updated    string     `xml:"updated"`
		Summary    string     `xml:"summary,omitempty"`
		Categories []category `xml:"category"`
	}
	type author struct {
		Name string `xml:"name"`
	}
	type feed struct {
		XMLName  xml.Name `xml:"feed"`
		NS       string   `xml:"xmlns,attr"`
		Lang     string   `xml:"xml:lang,attr,omitempty"`
		Title    string   `xml:"title"`
		Subtitle string   `xml:"subtitle,omitempty"`
		ID       string   `xml:"id"`
		Links    []link   `xml:"link"`
		Updated  string   `xml:"updated"`
		Author   author   `xml:"author"`
		Entries  []entry  `xml:"entry"`
	}
	site := r.cat.Site
	var dated []*catalog.CQP
	for _, q := range r.cat.CQPs {
		if !q.Updated.IsZero() {
			dated = append(dated, q)
		}
	}
	slices.SortStableFunc(dated, func(a, b *catalog.CQP) int {
		return cmp.Or(b.Updated.Compare(a.Updated), strings.Compare(a.ID, b.ID))
	})
	dated = dated[:min(len(dated), FeedLimit)]

	updated := r.opts.Today
	if len(dated) > 0 {
		updated = dated[0].Updated
	}
	by := site.Title
	if o := r.cat.Owner(); o != nil {
		by = o.Name
	}
	f := feed{
		NS:       "http://www.w3.org/2005/Atom",
		Lang:     site.Language,
		Title:    site.Title,
		Subtitle: site.Description,
		ID:       cmp.Or(r.base, "urn:cqp:"+strings.ReplaceAll(site.Title, " ", "-")),
		Updated:  atomTime(updated),
		Author:   author{Name: by},
	}
	if r.base != "" {
		f.Links = []link{
			{Href: r.absURL(feedPath), Rel: "self", Type: "application/atom+xml"},
			{Href: r.base, Rel: "alternate", Type: "text/html"},
		}
	}
	for _, q := range dated {
		u := r.absURL(cqpPath(q.ID))
		e := entry{
			Title:   q.Title,
			ID:      cmp.Or(u, "urn:cqp:"+q.ID),
			Link:    link{Href: cmp.Or(u, cqpPath(q.ID)), Rel: "alternate", Type: "text/html"},
			Updated: atomTime(q.Updated),
			Summary: q.Summary,
		}
		e.Categories = append(e.Categories, category{Term: r.kind(q, false)})
		for _, b := range q.BranchRefs {
			e.Categories = append(e.Categories, category{Term: b.ID, Label: b.Name})
		}
		f.Entries = append(f.Entries, e)
	}
	return marshalXML(f)
}

// atomTime is an RFC 3339 date-time; a date from the content is midnight UTC.
func atomTime(t time.Time) string {
	if t.IsZero() {
		t = time.Unix(0, 0)
	}
	return t.UTC().Format(time.RFC3339)
}

func marshalXML(v any) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}
