// Package theme loads the look of a site: its layouts, its UI strings and
// its static assets.
//
// # Layers
//
// The default theme is embedded in the binary (package
// github.com/cqp-catalogue/cqp/themes/default), so that `cqp build` needs
// nothing but the content. A folder themes/<name>/ in the site folder is
// laid over it file by file: the first layer that has a file wins. A
// theme on disk therefore holds only what it changes, and a site keeps
// working when a new release adds a layout it does not override.
//
// # Layouts
//
// Layouts are html/template files named by their path in the theme,
// layouts/cqp.html, so that an error reads "layouts/cqp.html:12:5". Every
// page is layouts/baseof.html, which calls the template "main" that the
// page's own layout defines (and may call "head"). Partials live in
// layouts/partials/ and are called by their path:
//
//	{{template "layouts/partials/cards.html" .Featured}}
//
// Templates receive view structs built for them by package render, never
// the model. Besides html/template's own, they have these functions:
//
//	t KEY [NAME VALUE]...   the UI string KEY with {NAME} replaced
//	tn KEY N [NAME VALUE]...  the plural form of KEY for N ({n} is N)
//
// A {{t "KEY"}} with nothing but a literal key is replaced by its text,
// HTML-escaped, when the theme loads: labels cost nothing per page. Use
// such labels in text and in quoted attributes, as the default theme does.
//
// Some partials are rendered once and shared by many pages (Partial): the
// header and footer (layouts/partials/header.html, footer.html) see a
// render.Chrome, not the page; steps.html sees the steps, contacts.html
// the contacts. A theme may override them, keeping to that data.
//
// # Execution
//
// Layouts are html/template templates, and pages are html/template's
// output to the byte; but html/template's interpreter, text/template's,
// which calls every escaping function and looks up every field by
// reflection, does not execute them. When the theme loads, each page
// layout is escaped (html/template does it at the first execution) and
// compiled for package internal/tmplexec, which executes the escaped
// templates with the functions resolved and the fields cached per type;
// a partial is compiled at its first Partial. What tmplexec does not
// handle falls back to html/template: a layout or partial it does not
// compile (one that calls a function other than t, tn and the builtins
// it implements; see its documentation), and any page whose execution
// fails, which html/template executes again, so that the error is the
// one it always gave.
//
// # Strings
//
// UI strings live in i18n/<lang>.yaml, nested maps of strings (lists
// are numbered: steps.formation.0.title). The site's language picks the
// file ("fr-CA" tries fr-CA, then fr); a key the file lacks is looked up
// in the embedded file of that language, then in the embedded French
// file, so a theme may translate or reword only some strings. Texts that
// every site shares (the steps to obtain a CQP, what RNCP and RS mean,
// why CPF or VAE is open) live there, not in Go code.
//
// # Static assets
//
// static/ is copied to the output root as it is (static/style.css becomes
// style.css).
package theme

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"
	"text/template/parse"

	"github.com/goccy/go-yaml"

	"github.com/cqp-catalogue/cqp/generator/internal/tmplexec"
	defaulttheme "github.com/cqp-catalogue/cqp/themes/default"
)

// DefaultName is the embedded theme's name.
const DefaultName = "default"

// BaseLayout is the skeleton every page is executed through.
const BaseLayout = "layouts/baseof.html"

// Theme is a loaded theme for one language. It is safe for concurrent use.
type Theme struct {
	// Name is the theme's name, Lang the language of its strings.
	Name, Lang string
	fsys       fs.FS
	layouts    map[string]*template.Template
	strings    []dict            // in lookup order
	merged     map[string]string // the first value of each key, for Lookup
	plural     func(n int) string
	common     *template.Template // the skeleton and the partials, for Partial
	funcs      template.FuncMap   // of layouts and common
	// exact holds the layouts as written when layouts and common were
	// parsed from compacted sources (Options.Compact); nil otherwise.
	exact *layoutSet
	// fast holds the page layouts compiled for tmplexec, by name; a
	// layout that does not compile is not there.
	fast map[string]*tmplexec.Program
	// partials holds the partials compiled for tmplexec at their first
	// Partial, by name: a *tmplexec.Program, nil when the partial does
	// not compile. Compiling escapes, which partialMu serializes.
	partials  sync.Map
	partialMu sync.Mutex
	// onFallback, when set (by tests), is told of each execution that
	// tmplexec hands to html/template, with tmplexec's error.
	onFallback func(name string, err error)
}

// layoutSet is one parse of the layouts.
type layoutSet struct {
	layouts map[string]*template.Template
	common  *template.Template
	funcs   template.FuncMap
}

// Options tune LoadWith and NewWith.
type Options struct {
	// Compact, when set, rewrites the source of every layout and partial
	// (the default theme's and a theme's on disk alike) into the one that
	// pages are executed with; package site passes the HTML minifier, so
	// that pages come out minified without minifying each page. The
	// layouts are first parsed as written, so that a syntax error names
	// the author's line; an execution error is reported from the layout
	// as written too (the page is executed again with it). When Compact
	// fails on any file, or its output does not parse, the theme keeps
	// the layouts as written and Compacted reports false.
	Compact func(path string, src []byte) ([]byte, error)
}

// dict is one language file, flattened: "steps.formation.0.title" → text.
type dict struct {
	path   string
	values map[string]string
}

// Load returns the theme named name for lang, laid over the embedded
// default theme. site is the site folder; the theme on disk, if any, is
// its themes/<name>/ folder. A name other than "default" must exist there.
func Load(site fs.FS, name, lang string) (*Theme, error) {
	return LoadWith(site, name, lang, Options{})
}

// LoadWith is Load with options.
func LoadWith(site fs.FS, name, lang string, opts Options) (*Theme, error) {
	if name == "" {
		name = DefaultName
	}
	base, err := fs.Sub(defaulttheme.FS, ".")
	if err != nil {
		return nil, err
	}
	layers := []fs.FS{base}
	dir := "themes/" + name
	if site != nil {
		st, err := fs.Stat(site, dir)
		switch {
		case err == nil && st.IsDir():
			sub, err := fs.Sub(site, dir)
			if err != nil {
				return nil, err
			}
			layers = []fs.FS{sub, base}
		case err == nil:
			return nil, fmt.Errorf("thème « %s » : %s n'est pas un dossier", name, dir)
		case name != DefaultName && errors.Is(err, fs.ErrNotExist):
			return nil, fmt.Errorf("thème « %s » introuvable : créer le dossier %s/ ou retirer « theme » de content/_index.md", name, dir)
		case name != DefaultName:
			return nil, fmt.Errorf("thème « %s » : %v", name, err)
		}
	} else if name != DefaultName {
		return nil, fmt.Errorf("thème « %s » introuvable : créer le dossier %s/ ou retirer « theme » de content/_index.md", name, dir)
	}
	th, err := NewWith(name, lang, opts, layers...)
	if err != nil && len(layers) > 1 {
		return nil, fmt.Errorf("thème « %s » (%s/ sur le thème intégré) : %w", name, dir, err)
	}
	return th, err
}

// New builds a theme from layers, the uppermost first; the last one is
// usually the embedded default theme. It parses every layout and reads the
// language files, so that a broken theme fails before any page is
// rendered.
func New(name, lang string, layers ...fs.FS) (*Theme, error) {
	return NewWith(name, lang, Options{}, layers...)
}

// NewWith is New with options.
func NewWith(name, lang string, opts Options, layers ...fs.FS) (*Theme, error) {
	th := &Theme{Name: name, Lang: lang, fsys: Layers(layers...)}
	if err := th.loadStrings(layers); err != nil {
		return nil, err
	}
	read := func(p string) (string, error) {
		b, err := fs.ReadFile(th.fsys, p)
		if err != nil {
			return "", fmt.Errorf("%s : %v", p, err)
		}
		return string(b), nil
	}
	exact, err := th.parseLayouts(read)
	if err != nil {
		return nil, err
	}
	th.layouts, th.common, th.funcs = exact.layouts, exact.common, exact.funcs
	if opts.Compact != nil {
		compact, err := th.parseLayouts(func(p string) (string, error) {
			src, err := read(p)
			if err != nil {
				return "", err
			}
			out, err := opts.Compact(p, []byte(src))
			return string(out), err
		})
		// A layout the compactor cannot read, or whose compacted form
		// does not parse: pages use the layouts as written.
		if err == nil {
			th.layouts, th.common, th.funcs, th.exact = compact.layouts, compact.common, compact.funcs, exact
		}
	}
	th.compile()
	return th, nil
}

// compile escapes the page layouts and compiles them for tmplexec. A
// layout that does not compile executes with html/template; one that
// does not escape keeps html/template's error, which executing it returns.
func (t *Theme) compile() {
	t.fast = make(map[string]*tmplexec.Program, len(t.layouts))
	for name, set := range t.layouts {
		if p, err := tmplexec.Compile(set, BaseLayout, t.funcs); err == nil {
			t.fast[name] = p
		}
	}
}

// Compacted tells whether pages are executed with the layouts rewritten by
// Options.Compact.
func (t *Theme) Compacted() bool { return t.exact != nil }

// FS is the theme's merged file system.
func (t *Theme) FS() fs.FS { return t.fsys }

// candidates lists the language files to try for lang, most specific first,
// ending with French, the language every theme must have.
func candidates(lang string) []string {
	var out []string
	tag := lang
	for tag != "" {
		out = append(out, tag)
		i := strings.LastIndexByte(tag, '-')
		if i < 0 {
			break
		}
		tag = tag[:i]
	}
	if lower := strings.ToLower(lang); lower != lang {
		out = append(out, strings.ToLower(out[len(out)-1]))
	}
	if !slices.Contains(out, "fr") {
		out = append(out, "fr")
	}
	return out
}

func (t *Theme) loadStrings(layers []fs.FS) error {
	langs := candidates(t.Lang)
	found := ""
	// For each candidate language, the upper layers' file first, then the
	// lower ones: a theme may reword some keys and keep the others.
	for _, lang := range langs {
		p := "i18n/" + lang + ".yaml"
		for _, layer := range layers {
			b, err := fs.ReadFile(layer, p)
			if errors.Is(err, fs.ErrNotExist) {
				continue
			}
			if err != nil {
				return fmt.Errorf("%s : %v", p, err)
			}
			values, err := flatten(b)
			if err != nil {
				return fmt.Errorf("%s : %v", p, err)
			}
			t.strings = append(t.strings, dict{path: p, values: values})
			if found == "" {
				found = lang
			}
		}
	}
	if found == "" {
		return fmt.Errorf("aucun fichier de textes i18n/%s.yaml ni i18n/fr.yaml", t.Lang)
	}
	t.Lang = found
	t.plural = pluralRule(found)
	t.merged = map[string]string{}
	for _, d := range t.strings {
		for k, v := range d.values {
			if _, ok := t.merged[k]; !ok {
				t.merged[k] = v
			}
		}
	}
	return nil
}

// flatten reads a language file into dotted keys.
func flatten(b []byte) (map[string]string, error) {
	var doc any
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return nil, errors.New(yaml.FormatError(err, false, true))
	}
	out := map[string]string{}
	var walk func(prefix string, v any) error
	walk = func(prefix string, v any) error {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				if err := walk(join(prefix, k), x); err != nil {
					return err
				}
			}
		case []any:
			out[join(prefix, "len")] = strconv.Itoa(len(v))
			for i, x := range v {
				if err := walk(join(prefix, strconv.Itoa(i)), x); err != nil {
					return err
				}
			}
		case string:
			out[prefix] = v
		case nil:
			out[prefix] = ""
		case bool, int, int64, uint64, float64:
			out[prefix] = fmt.Sprint(v)
		default:
			return fmt.Errorf("valeur de type inattendu pour « %s »", prefix)
		}
		return nil
	}
	if doc == nil {
		return out, nil
	}
	if _, ok := doc.(map[string]any); !ok {
		return nil, errors.New("le fichier doit être une table de clés")
	}
	return out, walk("", doc)
}

func join(prefix, key string) string {
	if prefix == "" {
		return key
	}
	return prefix + "." + key
}

// pluralRule returns the CLDR category ("one" or "other") of n in lang;
// French counts 0 and 1 as singular, English only 1.
func pluralRule(lang string) func(int) string {
	base, _, _ := strings.Cut(lang, "-")
	return func(n int) string {
		if n == 1 || (base == "fr" && n == 0) {
			return "one"
		}
		return "other"
	}
}

// Lookup returns the UI string for key, and whether it exists.
func (t *Theme) Lookup(key string) (string, bool) {
	v, ok := t.merged[key]
	return v, ok
}

// Keys returns the keys that the files of the theme's own language
// define, sorted; fallbacks to French are not counted.
func (t *Theme) Keys() []string {
	seen := map[string]bool{}
	for _, d := range t.strings {
		if d.path != "i18n/"+t.Lang+".yaml" {
			continue
		}
		for k := range d.values {
			seen[k] = true
		}
	}
	keys := make([]string, 0, len(seen))
	for k := range seen {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// Len returns the number of items of a list in the strings (0 when key is
// not a list).
func (t *Theme) Len(key string) int {
	v, _ := t.Lookup(key + ".len")
	n, _ := strconv.Atoi(v)
	return n
}

// Text returns the UI string for key with each {name} replaced by the
// value that follows name in args. A missing key is an error that names
// the language file to complete.
func (t *Theme) Text(key string, args ...any) (string, error) {
	v, ok := t.Lookup(key)
	if !ok {
		return "", fmt.Errorf("texte « %s » absent de i18n/%s.yaml (et de i18n/fr.yaml)", key, t.Lang)
	}
	return fill(v, args)
}

// Plural returns the form of key for n: key.one or key.other, with {n}
// replaced by n and the other names by args.
func (t *Theme) Plural(key string, n int, args ...any) (string, error) {
	form := key + "." + t.plural(n)
	if _, ok := t.Lookup(form); !ok {
		form = key + ".other"
	}
	return t.Text(form, append([]any{"n", n}, args...)...)
}

func fill(s string, args []any) (string, error) {
	if len(args)%2 != 0 {
		return "", fmt.Errorf("arguments de « %s » : nom et valeur vont par paires", s)
	}
	if len(args) == 0 || !strings.Contains(s, "{") {
		return s, nil
	}
	// Strings are short and have few placeholders: a scan beats building
	// a strings.Replacer for each call, which profiles showed.
	var b strings.Builder
	b.Grow(len(s) + 16)
	for {
		i := strings.IndexByte(s, '{')
		if i < 0 {
			break
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			break
		}
		b.WriteString(s[:i])
		name := s[i+1 : i+j]
		found := false
		for k := 0; k < len(args); k += 2 {
			if n, ok := args[k].(string); ok && n == name {
				writeValue(&b, args[k+1])
				found = true
				break
			}
		}
		if !found {
			b.WriteString(s[i : i+j+1])
		}
		s = s[i+j+1:]
	}
	b.WriteString(s)
	return b.String(), nil
}

func writeValue(b *strings.Builder, v any) {
	switch v := v.(type) {
	case string:
		b.WriteString(v)
	case int:
		b.WriteString(strconv.Itoa(v))
	default:
		fmt.Fprint(b, v)
	}
}

// parseLayouts parses every page layout of layouts/ with the skeleton and
// the partials, one template set per page layout.
func (t *Theme) parseLayouts(read func(p string) (string, error)) (*layoutSet, error) {
	// tmplexec calls these with their own types, without reflection.
	funcs := template.FuncMap{
		"t": func(key string, args ...any) (string, error) { return t.Text(key, args...) },
		"tn": func(key string, n int, args ...any) (string, error) {
			return t.Plural(key, n, args...)
		},
	}
	common := template.New(BaseLayout).Funcs(funcs)
	text, err := read(BaseLayout)
	if err != nil {
		return nil, err
	}
	if _, err := common.Parse(text); err != nil {
		return nil, err
	}
	t.fold(common)
	var pages []string
	err = fs.WalkDir(t.fsys, "layouts", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || path.Ext(p) != ".html" || p == BaseLayout {
			return nil
		}
		if strings.HasPrefix(p, "layouts/partials/") {
			text, err := read(p)
			if err != nil {
				return err
			}
			if _, err = common.New(p).Parse(text); err == nil {
				t.fold(common)
			}
			return err
		}
		pages = append(pages, p)
		return nil
	})
	if err != nil {
		return nil, err
	}
	ls := &layoutSet{common: common, layouts: make(map[string]*template.Template, len(pages)), funcs: funcs}
	for _, p := range pages {
		set, err := common.Clone()
		if err != nil {
			return nil, err
		}
		text, err := read(p)
		if err != nil {
			return nil, err
		}
		if _, err := set.New(p).Parse(text); err != nil {
			return nil, err
		}
		t.fold(set)
		if set.Lookup("main") == nil {
			return nil, fmt.Errorf("%s : la mise en page doit définir {{define \"main\"}}", p)
		}
		ls.layouts[p] = set
	}
	return ls, nil
}

// fold replaces each {{t "key"}} of the set's templates (one literal key,
// no arguments) by its text, HTML-escaped: the string is the same for
// every page of a site, and calling t through reflection, then escaping
// its result, on every page of 10,000 was a fifth of the render time.
// Escaping the five HTML characters is right in the places themes use
// labels, text and quoted attributes. A key the strings lack is left as
// a call, so that executing the template reports it with its position.
func (t *Theme) fold(set *template.Template) {
	for _, tmpl := range set.Templates() {
		if tmpl.Tree != nil && tmpl.Tree.Root != nil {
			t.foldList(tmpl.Tree.Root)
		}
	}
}

func (t *Theme) foldList(l *parse.ListNode) {
	if l == nil {
		return
	}
	for i, n := range l.Nodes {
		switch n := n.(type) {
		case *parse.ActionNode:
			if text, ok := t.literal(n.Pipe); ok {
				l.Nodes[i] = &parse.TextNode{NodeType: parse.NodeText, Pos: n.Pos, Text: []byte(template.HTMLEscapeString(text))}
			}
		case *parse.IfNode:
			t.foldList(n.List)
			t.foldList(n.ElseList)
		case *parse.RangeNode:
			t.foldList(n.List)
			t.foldList(n.ElseList)
		case *parse.WithNode:
			t.foldList(n.List)
			t.foldList(n.ElseList)
		case *parse.ListNode:
			t.foldList(n)
		}
	}
}

// literal returns the text of a pipeline `t "key"`.
func (t *Theme) literal(p *parse.PipeNode) (string, bool) {
	if p == nil || len(p.Decl) > 0 || len(p.Cmds) != 1 || len(p.Cmds[0].Args) != 2 {
		return "", false
	}
	id, ok := p.Cmds[0].Args[0].(*parse.IdentifierNode)
	if !ok || id.Ident != "t" {
		return "", false
	}
	key, ok := p.Cmds[0].Args[1].(*parse.StringNode)
	if !ok {
		return "", false
	}
	return t.Lookup(key.Text)
}

// HasLayout tells whether the theme has a page layout.
func (t *Theme) HasLayout(name string) bool { return t.layouts[name] != nil }

// Execute renders a page with the layout name (such as
// "layouts/cqp.html") through the skeleton.
func (t *Theme) Execute(w io.Writer, name string, view any) error {
	set := t.layouts[name]
	if set == nil {
		return fmt.Errorf("le thème « %s » n'a pas de mise en page %s", t.Name, name)
	}
	if p := t.fast[name]; p != nil {
		done, err := executeFast(w, p, view)
		if done {
			return err
		}
		t.fellBack(name, err)
	}
	err := set.ExecuteTemplate(w, BaseLayout, view)
	if err != nil && t.exact != nil {
		// The compacted layout's lines are not the author's: execute the
		// layout as written, which fails at the same action, for the
		// position.
		if err2 := t.exact.layouts[name].ExecuteTemplate(io.Discard, BaseLayout, view); err2 != nil {
			return err2
		}
	}
	return err
}

// Partial renders the partial at path (such as
// "layouts/partials/steps.html") alone. Package render uses it for the
// parts that many pages share with the same data (the header, the steps):
// rendered once, they are inserted in each page as they are, which spares
// html/template's escaping of the same strings on every page.
func (t *Theme) Partial(name string, data any) (template.HTML, error) {
	p := t.common.Lookup(name)
	if p == nil {
		return "", fmt.Errorf("le thème « %s » n'a pas de %s", t.Name, name)
	}
	var buf bytes.Buffer
	if prog := t.partial(name); prog != nil {
		err := prog.Execute(&buf, data)
		if err == nil {
			return template.HTML(strings.TrimRight(buf.String(), "\n")), nil
		}
		t.fellBack(name, err)
	}
	if err := p.Execute(&buf, data); err != nil {
		if t.exact != nil {
			if err2 := t.exact.common.Lookup(name).Execute(io.Discard, data); err2 != nil {
				return "", err2
			}
		}
		return "", err
	}
	// html/template escaped every value the partial printed. The file's
	// final newline is the caller's to write.
	return template.HTML(strings.TrimRight(buf.String(), "\n")), nil
}

// partial returns the partial name compiled for tmplexec, nil when it does
// not compile, compiling it at the first call.
func (t *Theme) partial(name string) *tmplexec.Program {
	if p, ok := t.partials.Load(name); ok {
		return p.(*tmplexec.Program)
	}
	t.partialMu.Lock()
	defer t.partialMu.Unlock()
	if p, ok := t.partials.Load(name); ok {
		return p.(*tmplexec.Program)
	}
	// Compiling escapes the partial, as its first execution would. One
	// that does not compile executes with html/template, which returns
	// the escaping error, if that was it.
	p, _ := tmplexec.Compile(t.common, name, t.funcs)
	t.partials.Store(name, p)
	return p
}

// buffers hold the pages that executeFast writes to other writers than a
// bytes.Buffer.
var buffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// executeFast executes p and writes its output to w when the execution
// succeeds: it reports whether it did, with w's error. Otherwise it has
// written nothing and returns tmplexec's error; the caller executes
// html/template.
func executeFast(w io.Writer, p *tmplexec.Program, data any) (bool, error) {
	if b, ok := w.(*bytes.Buffer); ok {
		// Execute truncates b on failure.
		err := p.Execute(b, data)
		return err == nil, err
	}
	b := buffers.Get().(*bytes.Buffer)
	defer buffers.Put(b)
	b.Reset()
	if err := p.Execute(b, data); err != nil {
		return false, err
	}
	_, err := w.Write(b.Bytes())
	return true, err
}

func (t *Theme) fellBack(name string, err error) {
	if t.onFallback != nil {
		t.onFallback(name, err)
	}
}

// Render is Execute into a new byte slice.
func (t *Theme) Render(name string, view any) ([]byte, error) {
	var buf bytes.Buffer
	if err := t.Execute(&buf, name, view); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Static returns the files under static/, keyed by their path in the
// output (static/style.css → style.css), read from the uppermost layer
// that has each.
func (t *Theme) Static() (map[string][]byte, error) {
	out := map[string][]byte{}
	err := fs.WalkDir(t.fsys, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == "static" && errors.Is(err, fs.ErrNotExist) {
				return fs.SkipAll
			}
			return err
		}
		if d.IsDir() || strings.HasPrefix(d.Name(), ".") {
			return nil
		}
		b, err := fs.ReadFile(t.fsys, p)
		if err != nil {
			return err
		}
		out[strings.TrimPrefix(p, "static/")] = b
		return nil
	})
	return out, err
}
