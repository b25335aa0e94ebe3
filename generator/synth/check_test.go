package synth

import (
	"fmt"
	"maps"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// This file checks the cqp layout against shared/CONTENT-MODEL.md's "Rules
// a check enforces", errors and warnings alike, with a reader and a checker
// of its own: the test must not depend on the project's loader, which
// evolves on its own, nor on a YAML library. The reader knows the subset of
// YAML the generator writes and refuses anything else, so a change of
// style in the writer shows up here.

// checkToday is the date the warnings about a past échéance are relative to.
const checkToday = "2026-11-23"

var (
	idRE       = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	romeRE     = regexp.MustCompile(`^[A-Z][0-9]{4}$`)
	rncpRE     = regexp.MustCompile(`^RNCP[0-9]+$`)
	rsRE       = regexp.MustCompile(`^RS[0-9]+$`)
	otherBlkRE = regexp.MustCompile(`^B[0-9]{2}$`)
	keyRE      = regexp.MustCompile(`^[a-z_]+:( |$)`)
	linkRE     = regexp.MustCompile(`\]\((cqp|branche|page):([^)\s]*)\)`)
)

// ---- the reader --------------------------------------------------------

// ymap is a decoded mapping; values are string, []any or ymap.
type ymap map[string]any

func (m ymap) str(k string) string { s, _ := m[k].(string); return s }

func (m ymap) strs(k string) []string {
	l, _ := m[k].([]any)
	out := make([]string, 0, len(l))
	for _, v := range l {
		s, _ := v.(string)
		out = append(out, s)
	}
	return out
}

type yline struct {
	indent int
	text   string
	no     int
}

// parseFrontMatter decodes the front matter of a content file.
func parseFrontMatter(src string) (ymap, error) {
	fm, _, err := splitFrontMatter(src)
	if err != nil {
		return nil, err
	}
	var lines []yline
	for i, l := range strings.Split(strings.TrimSuffix(fm, "\n"), "\n") {
		t := strings.TrimLeft(l, " ")
		if t == "" || strings.HasPrefix(t, "#") {
			return nil, fmt.Errorf("line %d: blank or comment line", i+2)
		}
		lines = append(lines, yline{len(l) - len(t), t, i + 2})
	}
	k := 0
	m, err := parseMap(lines, &k, 0)
	if err != nil {
		return nil, err
	}
	if k != len(lines) {
		return nil, fmt.Errorf("line %d: unexpected indentation", lines[k].no)
	}
	return m, nil
}

func splitFrontMatter(src string) (fm, body string, err error) {
	rest, ok := strings.CutPrefix(src, "---\n")
	if !ok {
		return "", "", fmt.Errorf("no front matter")
	}
	fm, body, ok = strings.Cut(rest, "\n---\n")
	if !ok {
		return "", "", fmt.Errorf("unclosed front matter")
	}
	return fm + "\n", body, nil
}

func isDash(t string) bool { return t == "-" || strings.HasPrefix(t, "- ") }

func parseMap(lines []yline, k *int, indent int) (ymap, error) {
	m := ymap{}
	for *k < len(lines) && lines[*k].indent == indent && !isDash(lines[*k].text) {
		l := lines[*k]
		key, rest, _ := strings.Cut(l.text, ":")
		if !keyRE.MatchString(l.text) {
			return nil, fmt.Errorf("line %d: %q is not a key", l.no, l.text)
		}
		if _, dup := m[key]; dup {
			return nil, fmt.Errorf("line %d: duplicate key %q", l.no, key)
		}
		*k++
		if rest != "" {
			v, err := parseScalar(strings.TrimPrefix(rest, " "))
			if err != nil {
				return nil, fmt.Errorf("line %d: %v", l.no, err)
			}
			m[key] = v
			continue
		}
		if *k < len(lines) {
			if n := lines[*k]; n.indent > indent || n.indent == indent && isDash(n.text) {
				v, err := parseNode(lines, k, n.indent)
				if err != nil {
					return nil, err
				}
				m[key] = v
				continue
			}
		}
		m[key] = nil
	}
	return m, nil
}

func parseNode(lines []yline, k *int, indent int) (any, error) {
	if !isDash(lines[*k].text) {
		return parseMap(lines, k, indent)
	}
	var out []any
	for *k < len(lines) && lines[*k].indent == indent && isDash(lines[*k].text) {
		item := strings.TrimPrefix(strings.TrimPrefix(lines[*k].text, "-"), " ")
		if keyRE.MatchString(item) {
			// "- key: value" opens a mapping whose keys line up after "- ".
			lines[*k] = yline{indent + 2, item, lines[*k].no}
			m, err := parseMap(lines, k, indent+2)
			if err != nil {
				return nil, err
			}
			out = append(out, m)
			continue
		}
		v, err := parseScalar(item)
		if err != nil {
			return nil, fmt.Errorf("line %d: %v", lines[*k].no, err)
		}
		out = append(out, v)
		*k++
	}
	return out, nil
}

// parseScalar reads a plain or double-quoted scalar and refuses the plain
// strings a YAML parser would read otherwise.
func parseScalar(s string) (string, error) {
	if strings.HasPrefix(s, `"`) {
		if !strings.HasSuffix(s, `"`) || len(s) < 2 {
			return "", fmt.Errorf("unclosed quoted string %s", s)
		}
		return strconv.Unquote(s) // the writer only uses escapes Go shares with YAML
	}
	if strings.ContainsAny(s[:1], "-?:,[]{}#&*!|>'%@`") || strings.Contains(s, ": ") ||
		strings.Contains(s, " #") || strings.HasSuffix(s, " ") {
		return "", fmt.Errorf("plain scalar %q would not read back as a string", s)
	}
	return s, nil
}

// ---- the checker -------------------------------------------------------

type checker struct {
	problems []string
}

func (c *checker) errorf(path, format string, a ...any) {
	c.problems = append(c.problems, path+": "+fmt.Sprintf(format, a...))
}

// keys reports unknown and missing keys of a mapping.
func (c *checker) keys(path, where string, m ymap, known, required []string) {
	for k := range m {
		if !slices.Contains(known, k) {
			c.errorf(path, "%sunknown key %q", where, k)
		}
	}
	for _, k := range required {
		if s, ok := m[k]; !ok || s == nil || s == "" {
			c.errorf(path, "%smissing %q", where, k)
		}
	}
}

func (c *checker) url(path, key, v string) {
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		c.errorf(path, "%s %q is not an absolute http(s) URL", key, v)
	}
}

func (c *checker) date(path, key, v string) time.Time {
	t, err := time.Parse(time.DateOnly, v)
	if err != nil {
		c.errorf(path, "%s %q is not a date", key, v)
	}
	return t
}

func (c *checker) positive(path, key, v string, max int) int {
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > max {
		c.errorf(path, "%s %q is not an integer in [1, %d]", key, v, max)
	}
	return n
}

func (c *checker) enumList(path, key string, vs, allowed []string) {
	seen := map[string]bool{}
	for _, v := range vs {
		if !slices.Contains(allowed, v) {
			c.errorf(path, "%s: %q not in %v", key, v, allowed)
		}
		if seen[v] {
			c.errorf(path, "%s: %q twice", key, v)
		}
		seen[v] = true
	}
}

func (c *checker) contacts(path string, m ymap) {
	l, _ := m["contacts"].([]any)
	for i, v := range l {
		ct, _ := v.(ymap)
		where := fmt.Sprintf("contacts[%d]: ", i)
		c.keys(path, where, ct, []string{"label", "url", "email", "phone", "note"}, []string{"label"})
		if u := ct.str("url"); u != "" {
			c.url(path, "url", u)
		}
		if e := ct.str("email"); e != "" && !strings.Contains(e, "@") {
			c.errorf(path, "email %q", e)
		}
	}
}

type checkedCQP struct {
	path     string
	branches []string
	blocks   map[string]bool
	number   string
	common   []string
	body     string
}

// checkCatalogue applies the content model's rules to a cqp-layout
// catalogue and returns every problem, warnings included.
func checkCatalogue(files map[string][]byte) []string {
	c := &checker{}
	branches := map[string]ymap{}
	cqps := map[string]*checkedCQP{}
	var site ymap
	var bodies []struct{ path, body string }

	for _, path := range slices.Sorted(maps.Keys(files)) {
		src := string(files[path])
		m, err := parseFrontMatter(src)
		if err != nil {
			c.errorf(path, "%v", err)
			continue
		}
		_, body, _ := splitFrontMatter(src)
		bodies = append(bodies, struct{ path, body string }{path, body})
		switch {
		case path == "content/_index.md":
			site = m
			c.keys(path, "", m, []string{"title", "description", "base_url", "language", "owner", "theme", "contacts"}, []string{"title", "base_url"})
			c.url(path, "base_url", m.str("base_url"))
			c.contacts(path, m)
		case strings.HasPrefix(path, "content/branches/"):
			id, ok := strings.CutSuffix(strings.TrimPrefix(path, "content/branches/"), ".md")
			if !ok || !idRE.MatchString(id) {
				c.errorf(path, "bad branch id %q", id)
			}
			branches[id] = m
			c.keys(path, "", m, []string{"name", "idcc", "cpne", "opco", "website", "catalogue_url", "contacts"}, []string{"name"})
			for _, n := range m.strs("idcc") {
				c.positive(path, "idcc", n, 99999)
			}
			for _, k := range []string{"website", "catalogue_url"} {
				if v := m.str(k); v != "" {
					c.url(path, k, v)
				}
			}
			c.contacts(path, m)
		case strings.HasPrefix(path, "content/cqp/"):
			id, ok := strings.CutSuffix(strings.TrimPrefix(path, "content/cqp/"), ".md")
			if !ok || !idRE.MatchString(id) {
				c.errorf(path, "bad CQP id %q", id)
			}
			cqps[id] = c.cqp(path, m, body)
		default:
			c.errorf(path, "unexpected file")
		}
	}

	if site == nil {
		c.errorf("content/_index.md", "missing")
	} else if o := site.str("owner"); o != "" && branches[o] == nil {
		c.errorf("content/_index.md", "owner %q is not a branch", o)
	}
	numbers := map[string]string{}
	for _, id := range slices.Sorted(maps.Keys(cqps)) {
		q := cqps[id]
		for _, b := range q.branches {
			br, ok := branches[b]
			if !ok {
				c.errorf(q.path, "branch %q does not exist", b)
			} else if len(q.branches) > 1 && br.str("website") == "" && br.str("catalogue_url") == "" {
				c.errorf(q.path, "CQPI partner %q has neither website nor catalogue_url (warning)", b)
			}
		}
		if q.number != "" {
			if other, dup := numbers[q.number]; dup {
				c.errorf(q.path, "number %s already used by %s", q.number, other)
			}
			numbers[q.number] = q.path
		}
		for _, cw := range q.common {
			target, code, _ := strings.Cut(cw, "/")
			t, ok := cqps[target]
			switch {
			case !ok:
				c.errorf(q.path, "common_with %q: no CQP %q", cw, target)
			case target == id:
				c.errorf(q.path, "common_with %q: the CQP itself", cw)
			case !t.blocks[code]:
				c.errorf(q.path, "common_with %q: no block %q in %s", cw, code, target)
			}
		}
	}
	for _, b := range bodies {
		for _, m := range linkRE.FindAllStringSubmatch(b.body, -1) {
			switch m[1] {
			case "cqp":
				if cqps[m[2]] == nil {
					c.errorf(b.path, "link cqp:%s: no such CQP", m[2])
				}
			case "branche":
				if branches[m[2]] == nil {
					c.errorf(b.path, "link branche:%s: no such branch", m[2])
				}
			default:
				c.errorf(b.path, "link page:%s: the catalogue has no pages", m[2])
			}
		}
	}
	return c.problems
}

func (c *checker) cqp(path string, m ymap, body string) *checkedCQP {
	q := &checkedCQP{path: path, blocks: map[string]bool{}, body: body}
	c.keys(path, "", m, []string{"title", "code", "branches", "certifier", "registration", "status", "summary",
		"publics", "access", "funding", "duration_hours", "jobs", "blocks", "keywords", "updated"},
		[]string{"title", "branches", "registration", "summary", "blocks"}) // summary and blocks: warnings
	q.branches = m.strs("branches")
	if len(q.branches) == 0 {
		c.errorf(path, "branches: none")
	}
	for i, b := range q.branches {
		if slices.Contains(q.branches[:i], b) {
			c.errorf(path, "branches: %q twice", b)
		}
	}

	reg, _ := m["registration"].(ymap)
	c.keys(path, "registration: ", reg, []string{"register", "number", "level", "since", "until"}, []string{"register"})
	register, number, level := reg.str("register"), reg.str("number"), reg.str("level")
	q.number = number
	switch register {
	case "rncp":
		if !rncpRE.MatchString(number) {
			c.errorf(path, "number %q does not match register rncp", number)
		}
		if level == "" {
			c.errorf(path, "level missing for rncp")
		} else {
			c.positive(path, "level", level, 8)
		}
	case "rs":
		if !rsRE.MatchString(number) {
			c.errorf(path, "number %q does not match register rs", number)
		}
	case "none":
		if number != "" {
			c.errorf(path, "number %q forbidden for register none", number)
		}
	default:
		c.errorf(path, "register %q", register)
	}
	if register != "rncp" && level != "" {
		c.errorf(path, "level on register %s", register)
	}
	var since time.Time
	if s := reg.str("since"); s != "" {
		since = c.date(path, "since", s)
	}
	if u := reg.str("until"); u != "" {
		until := c.date(path, "until", u)
		if !since.IsZero() && until.Before(since) {
			c.errorf(path, "until %s before since", u)
		}
		if today, _ := time.Parse(time.DateOnly, checkToday); !until.After(today) {
			c.errorf(path, "until %s is past (warning)", u)
		}
	}

	if s := m.str("status"); s != "" && s != "active" && s != "archived" {
		c.errorf(path, "status %q", s)
	}
	c.enumList(path, "publics", m.strs("publics"), []string{"jeunes", "salaries", "demandeurs-emploi"})
	access := m.strs("access")
	c.enumList(path, "access", access, []string{"formation", "vae"})
	if slices.Contains(access, "vae") && register != "rncp" {
		c.errorf(path, "access vae without an RNCP registration")
	}
	funding := m.strs("funding")
	c.enumList(path, "funding", funding, []string{"plan", "cpf", "contrat-pro", "pro-a", "transitions-pro", "opco"})
	if slices.Contains(funding, "cpf") && register != "rncp" && register != "rs" {
		c.errorf(path, "funding cpf without an RNCP or RS registration")
	}
	if d := m.str("duration_hours"); d != "" {
		c.positive(path, "duration_hours", d, 100000)
	}
	if u := m.str("updated"); u != "" {
		c.date(path, "updated", u)
	}
	jobs, _ := m["jobs"].([]any)
	for _, j := range jobs {
		job, _ := j.(ymap)
		c.keys(path, "jobs: ", job, []string{"title", "rome"}, []string{"title"})
		if r := job.str("rome"); r != "" && !romeRE.MatchString(r) {
			c.errorf(path, "rome %q is not a letter and four digits", r)
		}
	}

	blocks, _ := m["blocks"].([]any)
	for i, v := range blocks {
		b, _ := v.(ymap)
		where := fmt.Sprintf("blocks[%d]: ", i)
		c.keys(path, where, b, []string{"code", "title", "skills", "assessment", "hours", "common_with"}, []string{"code", "title"})
		code := b.str("code")
		if q.blocks[code] {
			c.errorf(path, "%sduplicate block code %q", where, code)
		}
		q.blocks[code] = true
		if register == "rncp" {
			if !regexp.MustCompile(`^` + regexp.QuoteMeta(number) + `BC[0-9]{2}$`).MatchString(code) {
				c.errorf(path, "%sblock code %q does not match number %s", where, code, number)
			}
		} else if !otherBlkRE.MatchString(code) {
			c.errorf(path, "%sblock code %q is not Bnn", where, code)
		}
		if h := b.str("hours"); h != "" {
			c.positive(path, "hours", h, 100000)
		}
		q.common = append(q.common, b.strs("common_with")...)
	}
	return q
}

// ---- the tests ---------------------------------------------------------

func TestCQPLayoutFollowsRules(t *testing.T) {
	for _, opts := range []Options{{N: 2000, Seed: 42}, {N: 150, Seed: -9}} {
		files, err := Files(opts)
		if err != nil {
			t.Fatal(err)
		}
		problems := checkCatalogue(files)
		for i, p := range problems {
			if i == 20 {
				t.Errorf("... and %d more", len(problems)-i)
				break
			}
			t.Errorf("seed %d: %s", opts.Seed, p)
		}
	}
}

// TestCQPLayoutIsRealistic checks that every feature of the model appears
// in a catalogue of a few thousand CQPs, in sensible proportions.
func TestCQPLayoutIsRealistic(t *testing.T) {
	const n = 2000
	files, err := Files(Options{N: n, Seed: 42})
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	for _, p := range cqpPaths(files) {
		src := string(files[p])
		m, err := parseFrontMatter(src)
		if err != nil {
			t.Fatal(p, err)
		}
		reg, _ := m["registration"].(ymap)
		count["register "+reg.str("register")]++
		if len(m.strs("branches")) > 1 {
			count["cqpi"]++
		}
		if m.str("status") == "archived" {
			count["archived"]++
		}
		count["common_with"] += strings.Count(src, "\n  common_with:\n")
		count["cqp links"] += strings.Count(src, "](cqp:")
		count["branche links"] += strings.Count(src, "](branche:")
		if jobs, _ := m["jobs"].([]any); len(jobs) == 0 {
			t.Errorf("%s: no jobs", p)
		}
		if len(m.strs("keywords")) == 0 || len(m.strs("publics")) == 0 || m.str("updated") == "" {
			t.Errorf("%s: keywords, publics or updated missing", p)
		}
	}
	for _, tt := range []struct {
		what     string
		min, max float64 // share of the CQPs
	}{
		{"register rncp", 0.65, 0.85},
		{"register rs", 0.02, 0.10},
		{"register none", 0.12, 0.30},
		{"cqpi", 0.10, 0.35},
		{"archived", 0.01, 0.06},
		{"common_with", 0.15, 0.60},
		{"cqp links", 0.20, 0.60},
		{"branche links", 0.20, 0.40},
	} {
		if share := float64(count[tt.what]) / n; share < tt.min || share > tt.max {
			t.Errorf("%s: %d in %d CQPs (%.3f), want a share in [%.2f, %.2f]", tt.what, count[tt.what], n, share, tt.min, tt.max)
		}
	}
	t.Logf("%v", count)
}

// TestCheckerCatchesBreaks breaks one thing in a valid catalogue at a time
// and expects the checker to say so: a checker that finds nothing proves
// nothing.
func TestCheckerCatchesBreaks(t *testing.T) {
	base, err := Files(Options{N: 40, Seed: 42})
	if err != nil {
		t.Fatal(err)
	}
	if p := checkCatalogue(base); len(p) > 0 {
		t.Fatalf("valid catalogue refused: %v", p)
	}
	// A CQP with an RNCP registration and one without, to break.
	var rncp, none string
	for _, p := range cqpPaths(base) {
		src := string(base[p])
		switch {
		case rncp == "" && strings.Contains(src, "register: rncp"):
			rncp = p
		case none == "" && strings.Contains(src, "register: none"):
			none = p
		}
	}
	if rncp == "" || none == "" {
		t.Fatal("no RNCP or no unregistered CQP in the first 40")
	}
	number := lineWith(string(base[rncp]), "  number: ")
	for _, tt := range []struct {
		name, path, old, new, want string
	}{
		{"vae without rncp", none, "access:\n- formation\n", "access:\n- formation\n- vae\n", "access vae"},
		{"cpf without registration", none, "funding:\n- plan\n", "funding:\n- plan\n- cpf\n", "funding cpf"},
		{"level on none", none, "  register: none\n", "  register: none\n  level: 4\n", "level on register none"},
		{"number on none", none, "  register: none\n", "  register: none\n  number: RNCP1\n", "forbidden"},
		{"wrong prefix", rncp, "  number: RNCP", "  number: RS", "does not match register rncp"},
		{"block code", rncp, "- code: " + number + "BC01\n", "- code: " + number + "BC1\n", "does not match number"},
		{"duplicate block", rncp, number + "BC02\n", number + "BC01\n", "duplicate block code"},
		{"rome", rncp, "  rome: ", "  rome: 1", "rome"},
		{"unknown key", rncp, "summary:", "sumary:", `unknown key "sumary"`},
		{"missing title", rncp, "---\ntitle: ", "---\nintitule: ", `missing "title"`},
		{"past until", rncp, "  until: 20", "  until: 19", "is past"},
		{"bad date", rncp, "updated: 20", "updated: 3020-13-", "not a date"},
		{"missing branch", rncp, "branches:\n- ", "branches:\n- nulle-part\n- ", "does not exist"},
		{"bad link", rncp, "---\n\n", "---\n\n[x](cqp:cqp-9999) ", "no such CQP"},
		{"bad branch link", rncp, "---\n\n", "---\n\n[x](branche:nulle) ", "no such branch"},
		{"colon in plain", rncp, "summary: ", "summary: a: b ", "would not read back"},
		{"bad common_with", rncp, "  hours: ", "  common_with:\n  - cqp-0001/B99\n  hours: ", `common_with "cqp-0001/B99"`},
		{"duplicate key", rncp, "updated: ", "code: X\nupdated: ", "duplicate key"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			files := maps.Clone(base)
			src := string(files[tt.path])
			if !strings.Contains(src, tt.old) {
				t.Fatalf("%s has no %q", tt.path, tt.old)
			}
			files[tt.path] = []byte(strings.Replace(src, tt.old, tt.new, 1))
			problems := checkCatalogue(files)
			if !slices.ContainsFunc(problems, func(p string) bool { return strings.Contains(p, tt.want) }) {
				t.Errorf("no problem mentions %q; got %q", tt.want, problems)
			}
		})
	}
	t.Run("duplicate number", func(t *testing.T) {
		files := maps.Clone(base)
		var other string
		for _, p := range cqpPaths(base) {
			if p != rncp && strings.Contains(string(base[p]), "register: rncp") {
				other = p
				break
			}
		}
		n2 := lineWith(string(base[other]), "  number: ")
		files[other] = []byte(strings.ReplaceAll(string(base[other]), n2, number))
		if problems := checkCatalogue(files); !slices.ContainsFunc(problems, func(p string) bool { return strings.Contains(p, "already used") }) {
			t.Errorf("duplicate number not reported: %q", problems)
		}
	})
}
