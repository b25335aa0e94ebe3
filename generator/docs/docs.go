// Package docs writes the parts of the documentation that must never drift
// from the code: docs/content-model.md, the reference of every key of
// every kind of file, generated whole from package schema; and, in the
// editors' guide docs/edition.md, the list of every key with an example
// and the list of every message `cqp check` prints, each with the text the
// checker really prints for a broken example, why, and how to fix it.
//
// The rest of the guide is written by hand around marked sections that
// Splice refreshes. `go test ./generator/docs -update` rewrites both files;
// without -update the test fails when they are stale, when a diagnostic
// code exists that the guide does not explain, or when an example of the
// guide does not pass `cqp check`.
package docs

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	"github.com/cqp-catalogue/cqp/generator/scaffold"
	"github.com/cqp-catalogue/cqp/generator/schema"
)

// Where each kind of file lives, and its French name in headings.
var places = map[string]struct{ path, title string }{
	"site":   {"content/_index.md", "Le site"},
	"branch": {"content/branches/<id>.md", "Une branche"},
	"cqp":    {"content/cqp/<id>.md", "Un CQP ou un CQPI"},
	"page":   {"content/pages/<slug>.md", "Une page libre"},
}

// describe names a type in French for the reference tables: the schema's
// own description, with objects pointing at the keys listed below them.
func describe(t *schema.Type) string {
	switch {
	case t.Kind == schema.Object:
		return "sous-clés (ci-dessous)"
	case t.Kind == schema.List && t.Elem.Kind == schema.Object:
		return strings.Replace(t.Describe(), "une liste d'éléments à sous-clés", "liste d'éléments à sous-clés (ci-dessous)", 1)
	}
	return t.Describe()
}

// row is one key in a reference table: its dotted path and definition.
type row struct {
	path  string
	field *schema.Field
}

// rows flattens an object's keys: registration.register, blocks[].code.
func rows(t *schema.Type, prefix string) []row {
	var out []row
	for i := range t.Fields {
		f := &t.Fields[i]
		out = append(out, row{prefix + f.Key, f})
		switch {
		case f.Type.Kind == schema.Object:
			out = append(out, rows(f.Type, prefix+f.Key+".")...)
		case f.Type.Kind == schema.List && f.Type.Elem.Kind == schema.Object:
			out = append(out, rows(f.Type.Elem, prefix+f.Key+"[].")...)
		}
	}
	return out
}

// md escapes text from the definitions for Markdown outside code: their
// <id> and <catalogue_url> would read as HTML tags.
var md = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace

func cell(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(md(s), "|", `\|`), "\n", " ")
}

// inlineExample is a key's example as inline code, or "".
func inlineExample(f *schema.Field) string {
	if f.Example == "" {
		return ""
	}
	return "`" + f.Key + ": " + f.Example + "`"
}

// AllExamples is a front matter with every key of doc set to its example,
// the "complete example" of the docs (tests check that it passes).
func AllExamples(doc *schema.Doc) string {
	var b strings.Builder
	for i := range doc.Type.Fields {
		b.WriteString(schema.ExampleYAML(&doc.Type.Fields[i]))
	}
	return b.String()
}

// enums lists the enumerations of an object's keys, in order, once each.
func enums(t *schema.Type) []*schema.Field {
	var out []*schema.Field
	for _, r := range rows(t, "") {
		typ := r.field.Type
		if typ.Kind == schema.List {
			typ = typ.Elem
		}
		if typ.Kind == schema.Enum {
			out = append(out, r.field)
		}
	}
	return out
}

func enumOf(f *schema.Field) *schema.Type {
	if f.Type.Kind == schema.List {
		return f.Type.Elem
	}
	return f.Type
}

// ContentModel returns docs/content-model.md.
func ContentModel() []byte {
	var b bytes.Buffer
	b.WriteString(`# Le modèle de contenu

<!-- Généré par « go test ./generator/docs -update » à partir de generator/schema : ne pas modifier à la main. -->

Un catalogue est un dossier. Chaque fichier est du Markdown en UTF-8 qui commence
par un en-tête YAML entre deux lignes ` + "`---`" + ` ; les clés y sont en anglais, les
valeurs en français. Cette page donne chaque clé de chaque type de fichier, avec
son type, si elle est obligatoire, ce qu'elle veut dire et un exemple. Le guide
des rédacteurs, [edition.md](edition.md), explique comment ajouter un CQP, les
règles et chaque message de ` + "`cqp check`" + `.

| Fichier | Contenu |
|---|---|
| ` + "`content/_index.md`" + ` | les réglages du site ; le corps est le texte de la page d'accueil |
| ` + "`content/branches/<id>.md`" + ` | une branche : celle qui publie le site et chaque partenaire d'un CQPI |
| ` + "`content/cqp/<id>.md`" + ` | un CQP ou un CQPI (deux branches ou plus en font un CQPI) |
| ` + "`content/pages/<slug>.md`" + ` | une page libre |
| ` + "`themes/<nom>/`" + ` | un thème sur disque, facultatif |

` + "`<id>` et `<slug>`" + ` sont le nom du fichier sans ` + "`.md`" + ` : lettres minuscules sans
accents, chiffres et tirets simples. Les fichiers et dossiers dont le nom commence
par ` + "`.` ou `_`" + ` (sauf ` + "`_index.md`" + `) sont ignorés. Une clé écrite sans valeur
(` + "`summary:`" + `) est ignorée, comme si elle était absente ; une clé obligatoire doit
avoir une valeur.
`)
	for _, d := range schema.Docs {
		pl := places[d.Name]
		fmt.Fprintf(&b, "\n## %s : `%s`\n\n", pl.title, pl.path)
		b.WriteString("| Clé | Type | Obligatoire | Signification | Exemple |\n|---|---|---|---|---|\n")
		for _, r := range rows(d.Type, "") {
			req := "non"
			if r.field.Required {
				req = "**oui**"
			}
			fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s |\n", r.path, cell(describe(r.field.Type)), req, cell(r.field.Doc), strings.ReplaceAll(inlineExample(r.field), "|", `\|`))
		}
		for _, f := range enums(d.Type) {
			fmt.Fprintf(&b, "\nValeurs de `%s` :\n\n| Valeur | Signification |\n|---|---|\n", f.Key)
			for _, v := range enumOf(f).Values {
				fmt.Fprintf(&b, "| `%s` | %s |\n", v.Name, cell(v.Doc))
			}
		}
		fmt.Fprintf(&b, "\nExemple avec toutes les clés :\n\n```yaml\n---\n%s---\n```\n", AllExamples(d))
	}
	b.WriteString(`
## Ce que le répertoire implique

` + "`registration.register`" + ` décide des autres clés de l'enregistrement et de ce que le
CQP ouvre :

| ` + "`register`" + ` | ` + "`number`" + ` | ` + "`level`" + ` | VAE (` + "`access: [vae]`" + `) | CPF (` + "`funding: [cpf]`" + `) | codes de bloc |
|---|---|---|---|---|---|
`)
	for _, r := range schema.RegisterRules {
		number := "interdit"
		if r.NumberPrefix != "" {
			number = "obligatoire, `" + r.NumberPrefix + "` suivi de chiffres"
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s | %s |\n", r.Register, number,
			yesNo(r.Level, "obligatoire, de 1 à 8", "interdit"), yesNo(r.VAE, "possible", "impossible"),
			yesNo(r.CPF, "possible", "impossible"), yesNo(r.BlockCodes, "`<number>BC` et deux chiffres", "libres, uniques dans le CQP"))
	}
	b.WriteString(`
Les autres règles, qui portent sur plusieurs fichiers (branches et passerelles
qui existent, numéros uniques, liens entre fiches), sont dans
[edition.md](edition.md#les-règles).

## Les schémas JSON

Le même modèle est publié en JSON Schema (version 2020-12) pour les éditeurs de
texte, un fichier par type de fiche :
`)
	for _, d := range schema.Docs {
		fmt.Fprintf(&b, "[`%s`](%s)", schema.JSONSchemaPath(d), schema.JSONSchemaPath(d))
		if d != schema.Docs[len(schema.Docs)-1] {
			b.WriteString(", ")
		}
	}
	b.WriteString(`. Ils sont publiés avec chaque site, à
` + "`<base_url>schema/<type>.schema.json`" + `, et ` + "`cqp new site`" + ` en copie un jeu dans le dossier
` + "`schema/`" + ` du catalogue (` + "`cqp new schema`" + ` le met à jour). Chaque fichier écrit par
` + "`cqp new`" + ` les désigne sur la première ligne de son en-tête :

` + "```yaml" + `
---
# yaml-language-server: $schema=../../schema/cqp.schema.json
title: Soudeur industriel
` + "```" + `

Les éditeurs qui lisent cette ligne (ceux qui s'appuient sur yaml-language-server)
complètent les clés, affichent leur signification et soulignent les erreurs
pendant la frappe. Ce que JSON Schema ne peut pas exprimer reste l'affaire de
` + "`cqp check`" + ` : les règles entre fichiers, un code de bloc RNCP qui doit reprendre le
numéro de la fiche, une échéance antérieure à l'enregistrement, deux blocs de
même code.
`)
	return b.Bytes()
}

func yesNo(b bool, yes, no string) string {
	if b {
		return yes
	}
	return no
}

// KeysSection is the guide's list of every key, with an example.
func KeysSection() []byte {
	var b bytes.Buffer
	for _, d := range schema.Docs {
		pl := places[d.Name]
		fmt.Fprintf(&b, "\n### %s : `%s`\n\n", pl.title, pl.path)
		writeKeys(&b, d.Type, "")
		fmt.Fprintf(&b, "\n<details>\n<summary>Exemple avec toutes les clés</summary>\n\n```yaml\n---\n%s---\n```\n\n</details>\n", AllExamples(d))
	}
	for bytes.Contains(b.Bytes(), []byte("\n\n\n")) {
		out := bytes.ReplaceAll(b.Bytes(), []byte("\n\n\n"), []byte("\n\n"))
		b.Reset()
		b.Write(out)
	}
	return b.Bytes()
}

func writeKeys(b *bytes.Buffer, t *schema.Type, indent string) {
	for i := range t.Fields {
		f := &t.Fields[i]
		req := ""
		if f.Required {
			req = " — **obligatoire**"
		}
		fmt.Fprintf(b, "%s- **`%s`**%s — %s. %s", indent, f.Key, req, md(describe(f.Type)), md(f.Doc))
		if ex := inlineExample(f); ex != "" {
			b.WriteString(" Exemple : " + ex)
		}
		b.WriteString("\n")
		if e := enumOf(f); e.Kind == schema.Enum {
			for _, v := range e.Values {
				fmt.Fprintf(b, "%s  - `%s` : %s\n", indent, v.Name, md(v.Doc))
			}
		}
		var sub *schema.Type
		switch {
		case f.Type.Kind == schema.Object:
			sub = f.Type
		case f.Type.Kind == schema.List && f.Type.Elem.Kind == schema.Object:
			sub = f.Type.Elem
		}
		if sub != nil {
			writeKeys(b, sub, indent+"  ")
			if f.Example == "" {
				if ex := schema.ExampleYAML(f); ex != "" {
					fmt.Fprintf(b, "\n%s  Exemple :\n\n%s  ```yaml\n", indent, indent)
					for _, l := range strings.Split(strings.TrimRight(ex, "\n"), "\n") {
						fmt.Fprintf(b, "%s  %s\n", indent, l)
					}
					fmt.Fprintf(b, "%s  ```\n\n", indent)
				}
			}
		}
	}
}

// MessagesSection is the guide's list of every message `cqp check` can
// print, each shown as printed for its example.
func MessagesSection() ([]byte, error) {
	var b bytes.Buffer
	for i := range Messages {
		m := &Messages[i]
		fmt.Fprintf(&b, "\n### `%s` : %s\n\n", m.Code, m.Title)
		if m.Example != nil {
			d, err := m.Printed()
			if err != nil {
				return nil, err
			}
			b.WriteString(exampleIntro(m.Example))
			fmt.Fprintf(&b, "\n\n```text\n%s\n```\n\n", d)
		} else {
			b.WriteString("cqp n'affiche pas encore ce message.\n\n")
		}
		fmt.Fprintf(&b, "**Pourquoi.** %s\n\n**Corriger.** %s\n", m.Why, m.Fix)
	}
	return b.Bytes(), nil
}

// exampleIntro says in French what the example changed.
func exampleIntro(br *Break) string {
	switch {
	case br.Intro != "":
		return "Par exemple, " + br.Intro + " :"
	case br.Dir:
		return fmt.Sprintf("Par exemple, avec un dossier nommé `%s` :", br.Path)
	case br.Old == "" && br.New == "":
		return fmt.Sprintf("Par exemple, sans le fichier `%s` :", br.Path)
	case br.Old == "":
		return fmt.Sprintf("Par exemple, avec un fichier `%s` :", br.Path)
	case br.New == "":
		return fmt.Sprintf("Par exemple, quand `%s` manque dans `%s` :", strings.TrimSpace(firstLine(br.Old)), br.Path)
	}
	line := ""
	old := strings.Split(br.Old, "\n")
	for _, l := range strings.Split(br.New, "\n") {
		if !slices.Contains(old, l) {
			line = l
			break
		}
	}
	if line == "" {
		line = firstLine(br.New)
	}
	return fmt.Sprintf("Par exemple, avec la ligne `%s` dans `%s` :", strings.TrimSpace(strings.ToValidUTF8(line, "�")), br.Path)
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return l
}

// Markers delimit a generated section of a hand-written Markdown file.
func Markers(name string) (begin, end string) {
	return "<!-- début de la partie générée « " + name + " » : go test ./generator/docs -update -->",
		"<!-- fin de la partie générée « " + name + " » -->"
}

// Splice replaces what lies between the markers of name in doc.
func Splice(doc []byte, name string, generated []byte) ([]byte, error) {
	begin, end := Markers(name)
	i := bytes.Index(doc, []byte(begin))
	j := bytes.Index(doc, []byte(end))
	if i < 0 || j < i || bytes.Count(doc, []byte(begin)) != 1 || bytes.Count(doc, []byte(end)) != 1 {
		return nil, fmt.Errorf("the markers of section %q must each appear once, in order:\n%s\n%s", name, begin, end)
	}
	var out bytes.Buffer
	out.Write(doc[:i+len(begin)])
	out.WriteString("\n")
	out.Write(bytes.Trim(generated, "\n"))
	out.WriteString("\n\n")
	out.Write(doc[j:])
	return out.Bytes(), nil
}

// CISection shows the CI files `cqp new site` writes, as it writes them.
func CISection() ([]byte, error) {
	files, err := scaffold.Site(scaffold.SiteOptions{})
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	for _, p := range []string{".github/workflows/cqp.yml", ".gitlab-ci.yml"} {
		fmt.Fprintf(&b, "\n`%s` :\n\n```yaml\n%s```\n", p, files[p])
	}
	return b.Bytes(), nil
}

// Edition refreshes the generated sections of docs/edition.md.
func Edition(doc []byte) ([]byte, error) {
	msgs, err := MessagesSection()
	if err != nil {
		return nil, err
	}
	ci, err := CISection()
	if err != nil {
		return nil, err
	}
	for _, s := range []struct {
		name string
		text []byte
	}{{"clés", KeysSection()}, {"messages", msgs}, {"ci", ci}} {
		if doc, err = Splice(doc, s.name, s.text); err != nil {
			return nil, err
		}
	}
	return doc, nil
}
