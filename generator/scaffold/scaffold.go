// Package scaffold writes the text of new content files, and of a whole new
// catalogue repository, for `cqp new`. Every file it writes lists every key
// of its kind, each under a French comment taken from the key's definition
// in package schema (what it means, the values an enumeration takes with
// their meaning, an example), so that an editor who opens the file learns
// the content model where they type, and a change of the model changes the
// files with it.
//
// The files pass `cqp check` as written: required keys get a value (the
// title from the id, the site's owner branch), optional keys are written
// with no value, which the checker reads as absent, and maps or lists of
// maps (blocks, jobs, contacts) show their example commented out under the
// key. The first line inside the front matter names the JSON Schema of the
// kind, for editors whose YAML tool reads yaml-language-server modelines.
//
// Nothing here touches the disk: the functions return text, and cmd/cqp
// writes it, refusing to overwrite.
package scaffold

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/cqp-catalogue/cqp/generator/content"
	"github.com/cqp-catalogue/cqp/generator/schema"
)

// kinds maps the kinds `cqp new` takes to their definitions and folders.
var kinds = []struct {
	name   string
	doc    *schema.Doc
	folder string
	what   string // French, for messages: "l'identifiant", "le slug"
}{
	{"cqp", schema.CQP, "content/cqp", "l'identifiant"},
	{"branch", schema.Branch, "content/branches", "l'identifiant"},
	{"page", schema.Page, "content/pages", "le slug"},
}

// Kinds lists the kinds of content file `cqp new` writes.
func Kinds() []string {
	names := make([]string, len(kinds))
	for i, k := range kinds {
		names[i] = k.name
	}
	return names
}

func kindOf(kind string) (int, error) {
	for i, k := range kinds {
		if k.name == kind {
			return i, nil
		}
	}
	return 0, fmt.Errorf("type de fichier « %s » inconnu : choisir parmi %s", kind, strings.Join(Kinds(), ", "))
}

// Doc returns the definitions of a kind of content file.
func Doc(kind string) (*schema.Doc, error) {
	i, err := kindOf(kind)
	if err != nil {
		return nil, err
	}
	return kinds[i].doc, nil
}

// Path returns where a content file of the kind lives, relative to the
// site folder.
func Path(kind, id string) (string, error) {
	i, err := kindOf(kind)
	if err != nil {
		return "", err
	}
	return kinds[i].folder + "/" + id + ".md", nil
}

// IDError refuses an id and proposes one that would do.
type IDError struct {
	Kind, ID   string
	Reason     string // French
	Suggestion string
}

func (e *IDError) Error() string {
	return fmt.Sprintf("%s « %s » refusé : %s ; essayer « %s »", what(e.Kind), e.ID, e.Reason, e.Suggestion)
}

func what(kind string) string {
	if i, err := kindOf(kind); err == nil {
		return strings.TrimPrefix(strings.TrimPrefix(kinds[i].what, "l'"), "le ")
	}
	return "identifiant"
}

// CheckID tells whether id can name a new file of the kind: the content
// model's id shape, and for a page, none of the names the site's own pages
// take. The error proposes a name that would do.
func CheckID(kind, id string) error {
	if _, err := kindOf(kind); err != nil {
		return err
	}
	if !schema.IDPattern.MatchString(id) {
		return &IDError{Kind: kind, ID: id, Reason: "lettres minuscules sans accents, chiffres et tirets simples seulement", Suggestion: content.Slugify(strings.TrimSuffix(id, ".md"))}
	}
	if kind == "page" && slices.Contains(schema.ReservedSlugs, id) {
		return &IDError{Kind: kind, ID: id, Reason: "ce nom est réservé par le site (" + strings.Join(schema.ReservedSlugs, ", ") + ")", Suggestion: id + "-infos"}
	}
	return nil
}

// acronyms keep their capitals in a title made from an id.
var acronyms = []string{"cqp", "cqpi", "cqpm", "rncp", "rs", "vae", "cpf", "opco", "cpne", "idcc", "ccn", "btp", "it", "rh", "qse", "hse", "cnc"}

// TitleFromID proposes a title for an id: words separated by spaces, the
// first with a capital, known acronyms in capitals ("cqpm-soudeur" gives
// "CQPM soudeur"). Editors add the accents the id cannot hold.
func TitleFromID(id string) string {
	words := strings.Split(id, "-")
	for i, w := range words {
		switch {
		case slices.Contains(acronyms, w):
			words[i] = strings.ToUpper(w)
		case i == 0:
			r, size := utf8.DecodeRuneInString(w)
			words[i] = string(unicode.ToUpper(r)) + w[size:]
		}
	}
	return strings.Join(words, " ")
}

// GuideURL is the editors' guide, named in every file `cqp new` writes.
const GuideURL = "https://github.com/cqp-catalogue/cqp/blob/main/docs/edition.md"

// FileOptions tune a new content file.
type FileOptions struct {
	// Schema is the target of the yaml-language-server modeline: a URL or
	// a path relative to the file. Empty writes no modeline.
	Schema string
	// Title is the title (or a branch's name); empty makes one from the id.
	Title string
	// Branches are the branch ids of a new CQP; it needs at least one.
	Branches []string
	// Values gives more keys a value, by their path ("summary",
	// "registration.register"), as YAML text; a value that starts with a
	// newline is a block written under the key.
	Values map[string]string
	// Body is the Markdown body; empty writes a comment, invisible on the
	// site, that says what the body is for.
	Body string
}

// bodies say, in a comment the site does not show, what each body is for.
var bodies = map[string]string{
	"cqp":    "<!--\nPrésentez ici le certificat, en Markdown : les activités et les métiers visés,\nles prérequis, l'organisation de la formation et de l'évaluation.\nPour renvoyer vers une autre fiche : [texte](cqp:identifiant),\n[texte](branche:identifiant) ou [texte](page:nom).\n-->\n",
	"branch": "<!--\nPrésentez ici la branche, en Markdown : ses métiers, ses entreprises,\nsa CPNE, sa politique de certification.\n-->\n",
	"page":   "<!--\nÉcrivez ici le contenu de la page, en Markdown : ## pour un titre,\n- pour une liste, [texte](https://…) pour un lien.\n-->\n",
	"site":   "<!--\nÉcrivez ici le texte de la page d'accueil, en Markdown.\n-->\n",
}

// headers open each file's front matter, after the modeline.
var headers = map[string]string{
	"cqp":    "Fiche d'un CQP ou d'un CQPI.",
	"branch": "Fiche d'une branche professionnelle.",
	"page":   "Page libre du site.",
	"site":   "Réglages du site et texte de la page d'accueil.",
}

// File returns the text of a new content file of the kind.
func File(kind, id string, opts FileOptions) ([]byte, error) {
	if err := CheckID(kind, id); err != nil {
		return nil, err
	}
	doc, _ := Doc(kind)
	values := map[string]string{}
	for k, v := range opts.Values {
		values[k] = v
	}
	title := opts.Title
	if title == "" {
		title = TitleFromID(id)
	}
	switch kind {
	case "cqp":
		if len(opts.Branches) == 0 {
			return nil, fmt.Errorf("un CQP est délivré par au moins une branche : en indiquer une")
		}
		setDefault(values, "title", Scalar(title))
		setDefault(values, "branches", FlowList(opts.Branches))
		setDefault(values, "registration.register", "none")
	case "branch":
		setDefault(values, "name", Scalar(title))
	case "page":
		setDefault(values, "title", Scalar(title))
	}
	return render(kind, doc, opts.Schema, values, opts.Body), nil
}

func setDefault(m map[string]string, k, v string) {
	if _, ok := m[k]; !ok {
		m[k] = v
	}
}

// render writes a whole content file.
func render(kind string, doc *schema.Doc, schemaRef string, values map[string]string, body string) []byte {
	var b strings.Builder
	b.WriteString("---\n")
	if schemaRef != "" {
		b.WriteString("# yaml-language-server: $schema=" + schemaRef + "\n#\n")
	}
	b.WriteString("# " + headers[kind] + "\n")
	b.WriteString("# Chaque clé est précédée de ce qu'elle veut dire ; une clé laissée vide\n")
	b.WriteString("# est ignorée. La commande « cqp check » vérifie le fichier.\n")
	b.WriteString("# Guide : " + GuideURL + "\n")
	writeFields(&b, doc.Type, "", "", values)
	b.WriteString("---\n\n")
	if body == "" {
		body = bodies[kind]
	}
	b.WriteString(strings.TrimLeft(body, "\n"))
	if !strings.HasSuffix(body, "\n") {
		b.WriteByte('\n')
	}
	return []byte(b.String())
}

// writeFields writes each key of t, under its comment, at the given
// indentation; path is the dotted path of t's keys ("registration.").
func writeFields(b *strings.Builder, t *schema.Type, indent, path string, values map[string]string) {
	for i := range t.Fields {
		f := &t.Fields[i]
		if indent == "" {
			b.WriteString("\n")
		}
		value, hasValue := values[path+f.Key]
		for _, l := range comment(f, hasValue) {
			b.WriteString(indent + strings.TrimRight("# "+l, " ") + "\n")
		}
		switch {
		case hasValue && strings.HasPrefix(value, "\n"):
			b.WriteString(indent + f.Key + ":\n")
			for _, l := range strings.Split(strings.Trim(value, "\n"), "\n") {
				b.WriteString(indent + "  " + l + "\n")
			}
		case hasValue:
			b.WriteString(indent + f.Key + ": " + value + "\n")
		case f.Type.Kind == schema.Object:
			b.WriteString(indent + f.Key + ":\n")
			writeFields(b, f.Type, indent+"  ", path+f.Key+".", values)
		default:
			b.WriteString(indent + f.Key + ":\n")
			if ex := blockExample(f); ex != nil {
				for _, l := range ex {
					b.WriteString(indent + "# " + l + "\n")
				}
			}
		}
	}
}

// comment is what a key's comment says: its meaning, whether it is
// required, the values it takes, and an example unless the key has a
// value already or its example follows as a commented block.
func comment(f *schema.Field, hasValue bool) []string {
	var lines []string
	doc := f.Doc
	if f.Required {
		doc += " Obligatoire."
	}
	lines = append(lines, wrap(doc, 76)...)
	t := f.Type
	enum := t
	if t.Kind == schema.List {
		enum = t.Elem
	}
	if enum.Kind == schema.Enum {
		if t.Kind == schema.List {
			lines = append(lines, "Valeurs possibles, une ou plusieurs :")
		} else {
			lines = append(lines, "Valeurs possibles :")
		}
		for _, v := range enum.Values {
			for j, l := range wrap(v.Name+" : "+v.Doc, 72) {
				if j == 0 {
					lines = append(lines, "  "+l)
				} else {
					lines = append(lines, "    "+l)
				}
			}
		}
	}
	if t.Kind == schema.List && t.Elem.Kind == schema.Object {
		lines = append(lines, "Pour chacun :")
		for i := range t.Elem.Fields {
			sf := &t.Elem.Fields[i]
			d := sf.Key + " : " + sf.Doc
			if sf.Required {
				d += " Obligatoire."
			}
			for j, l := range wrap(d, 72) {
				if j == 0 {
					lines = append(lines, "  "+l)
				} else {
					lines = append(lines, "    "+l)
				}
			}
		}
	}
	if hasValue || t.Kind == schema.Object {
		return lines
	}
	if blockExample(f) != nil {
		lines = append(lines, "Exemple, à compléter puis décommenter (retirer les # en début de ligne) :")
		return lines
	}
	if f.Example != "" {
		lines = append(lines, wrap("Exemple : "+f.Example, 76)...)
	}
	return lines
}

// blockExample returns the example of a list of maps as the lines that
// follow "key:", or nil for other keys.
func blockExample(f *schema.Field) []string {
	if f.Type.Kind != schema.List || f.Type.Elem.Kind != schema.Object {
		return nil
	}
	ex := schema.ExampleYAML(f)
	if ex == "" {
		return nil
	}
	lines := strings.Split(strings.TrimRight(ex, "\n"), "\n")
	return lines[1:] // after "key:"
}

// wrap cuts text into lines of at most width bytes at spaces, never
// between a French quotation mark or a space-preceded punctuation mark and
// the word it belongs to.
func wrap(text string, width int) []string {
	// glue joins what must stay together; it is a control character that
	// no definition holds and that strings.Fields would not split on.
	const glue = "\x1f"
	for _, p := range []string{"« ", " »", " :", " ;", " ?", " !"} {
		text = strings.ReplaceAll(text, p, strings.ReplaceAll(p, " ", glue))
	}
	var lines []string
	line := ""
	for _, w := range strings.Split(text, " ") {
		switch {
		case w == "":
		case line == "":
			line = w
		case len(strings.ReplaceAll(line+" "+w, glue, " ")) <= width:
			line += " " + w
		default:
			lines = append(lines, line)
			line = w
		}
	}
	if line != "" {
		lines = append(lines, line)
	}
	for i := range lines {
		lines[i] = strings.ReplaceAll(lines[i], glue, " ")
	}
	return lines
}
