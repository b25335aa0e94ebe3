package schema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/goccy/go-yaml"
)

// The JSON Schemas (draft 2020-12) given to editors' tools are generated
// here from the same definitions the checker decodes with, so that what
// VS Code flags as the editor types is what `cqp check` refuses.
//
// They use only keywords that draft-07 already had (type, properties,
// required, additionalProperties, items, enum, const, pattern, minimum,
// maximum, minItems, uniqueItems, format, allOf, if/then, not), because
// yaml-language-server, behind VS Code's YAML extension, validates with a
// draft-07 engine; and they add the annotations that VS Code reads
// (enumDescriptions, markdownEnumDescriptions, patternErrorMessage), which
// other validators ignore.
//
// A key written with no value is null, which the decoder treats as absent
// for an optional key: the schemas accept null for optional keys too, so
// that the files `cqp new` writes, whose optional keys are empty, are not
// flagged.
//
// What JSON Schema cannot say is left to the checker: rules across files
// (unknown branch, duplicate registration number, common_with targets,
// links), the RNCP block code that must repeat the registration's number,
// until before since, duplicate block codes, and an integer written with a
// decimal point (4.0), which JSON cannot tell from 4.

// SchemaDialect is the JSON Schema version the generated schemas declare.
const SchemaDialect = "https://json-schema.org/draft/2020-12/schema"

// JSONSchemaPath is where the schema of a kind of file is published, both
// in the built site and under docs/ in the repository.
func JSONSchemaPath(doc *Doc) string { return "schema/" + doc.Name + ".schema.json" }

// JSONSchemas returns every schema, by path (schema/<name>.schema.json).
func JSONSchemas() map[string][]byte {
	out := make(map[string][]byte, len(Docs))
	for _, d := range Docs {
		b, err := JSONSchema(d)
		if err != nil {
			// The definitions are package data: a failure is a bug that
			// every test run would show at once.
			panic(err)
		}
		out[JSONSchemaPath(d)] = b
	}
	return out
}

// JSONSchema returns the JSON Schema of one kind of front matter,
// pretty-printed, with its keys in the documented order; the output
// depends on nothing but the definitions.
func JSONSchema(doc *Doc) ([]byte, error) {
	if doc.Type == nil || doc.Type.Kind != Object {
		return nil, fmt.Errorf("schema %q: the root type must be an object", doc.Name)
	}
	root := object{
		{"$schema", SchemaDialect},
		{"$comment", "Généré par cqp à partir de generator/schema : ne pas modifier à la main."},
		{"title", doc.Title},
		{"description", docDescription(doc)},
	}
	root = append(root, typeSchema(doc.Type, nil, false)...)
	if doc == CQP {
		root = append(root, member{"allOf", cqpRules()})
	}
	var out bytes.Buffer
	if err := encode(&out, root, ""); err != nil {
		return nil, fmt.Errorf("schema %q: %w", doc.Name, err)
	}
	out.WriteByte('\n')
	return out.Bytes(), nil
}

func docDescription(doc *Doc) string {
	where := map[string]string{
		"site":   "content/_index.md",
		"branch": "content/branches/<id>.md",
		"cqp":    "content/cqp/<id>.md",
		"page":   "content/pages/<slug>.md",
	}[doc.Name]
	return fmt.Sprintf("En-tête YAML (entre les lignes ---) du fichier %s. Une clé laissée vide est ignorée ; « cqp check » vérifie aussi les règles entre fichiers.", where)
}

// RegisterRule is what one value of registration.register implies. The
// checker (package catalog) enforces the same rules in code; the agreement
// test of this package feeds both the same files to keep them in step.
type RegisterRule struct {
	Register string
	// NumberPrefix starts the registration number; "" forbids a number.
	NumberPrefix string
	// Level is required when true, forbidden otherwise.
	Level bool
	// VAE and CPF tell whether access: [vae] and funding: [cpf] are open.
	VAE, CPF bool
	// BlockCodes tells whether block codes take the RNCP form
	// <number>BC<two digits>.
	BlockCodes bool
}

// RegisterRules lists the rules of each register, in the order of Registers.
var RegisterRules = []RegisterRule{
	{Register: "rncp", NumberPrefix: "RNCP", Level: true, VAE: true, CPF: true, BlockCodes: true},
	{Register: "rs", NumberPrefix: "RS", CPF: true},
	{Register: "none"},
}

// ifRegister is the condition "registration.register is r" at the root of
// a CQP.
func ifRegister(r string) object {
	return object{
		{"properties", object{{"registration", object{
			{"type", "object"},
			{"properties", object{{"register", object{{"const", r}}}}},
			{"required", []any{"register"}},
		}}}},
		{"required", []any{"registration"}},
	}
}

// cqpRules are the rules between keys of one CQP, one if/then per register.
func cqpRules() []any {
	var rules []any
	for _, r := range RegisterRules {
		reg := object{}
		var required []any
		props := object{}
		if r.NumberPrefix != "" {
			required = append(required, "number")
			props = append(props, member{"number", object{
				{"type", "string"},
				{"pattern", "^" + r.NumberPrefix + "[0-9]+$"},
				{"patternErrorMessage", fmt.Sprintf("Pour un enregistrement %s, le numéro commence par %s, suivi de chiffres.", r.Register, r.NumberPrefix)},
			}})
		} else {
			props = append(props, member{"number", object{
				{"type", "null"},
				{"errorMessage", fmt.Sprintf("Pas de numéro pour un enregistrement « %s » : retirer « number » ou corriger « register ».", r.Register)},
			}})
		}
		if r.Level {
			required = append(required, "level")
			props = append(props, member{"level", object{{"type", "integer"}}})
		} else {
			props = append(props, member{"level", object{
				{"type", "null"},
				{"errorMessage", "Seul le RNCP donne un niveau : retirer « level »."},
			}})
		}
		reg = append(reg, member{"properties", props})
		if len(required) > 0 {
			reg = append(reg, member{"required", required})
		}
		then := object{{"registration", reg}}
		if !r.VAE {
			then = append(then, member{"access", object{{"items", object{
				{"not", object{{"const", "vae"}}},
				{"errorMessage", "La VAE n'est ouverte qu'aux CQP inscrits au RNCP : retirer « vae »."},
			}}}})
		}
		if !r.CPF {
			then = append(then, member{"funding", object{{"items", object{
				{"not", object{{"const", "cpf"}}},
				{"errorMessage", "Le CPF ne finance qu'un CQP inscrit au RNCP ou au RS : retirer « cpf »."},
			}}}})
		}
		if r.BlockCodes {
			then = append(then, member{"blocks", object{{"items", object{{"properties", object{{"code", object{
				{"pattern", "^RNCP[0-9]+BC[0-9]{2}$"},
				{"patternErrorMessage", "Pour un CQP inscrit au RNCP, un bloc s'écrit <numéro>BC suivi de deux chiffres, par exemple RNCP37890BC01."},
			}}}}}}}})
		}
		rules = append(rules, object{
			{"if", ifRegister(r.Register)},
			{"then", object{{"properties", then}}},
		})
	}
	return rules
}

// typeSchema returns the keywords that describe t. f is the field that
// holds the value (nil for the root and for list items); nullable lets the
// value be null, as an optional key left empty is.
func typeSchema(t *Type, f *Field, nullable bool) object {
	var s object
	if f != nil {
		s = append(s, member{"description", fieldDescription(f, t)})
	}
	typ := func(name string) member {
		if nullable {
			return member{"type", []any{name, "null"}}
		}
		return member{"type", name}
	}
	required := f != nil && f.Required
	switch t.Kind {
	case String:
		s = append(s, typ("string"))
		switch {
		case t.Pattern != nil:
			s = append(s, member{"pattern", t.Pattern.String()})
			s = append(s, member{"patternErrorMessage", "Forme attendue : " + t.PatternHint + "."})
		case required:
			s = append(s, member{"minLength", 1}, member{"pattern", `\S`})
			s = append(s, member{"patternErrorMessage", "Cette clé est obligatoire : lui donner une valeur."})
		}
	case Integer:
		s = append(s, typ("integer"), member{"minimum", t.Min}, member{"maximum", t.Max})
	case Date:
		s = append(s, typ("string"), member{"format", "date"},
			member{"pattern", `^[0-9]{4}-[0-9]{2}-[0-9]{2}$`},
			member{"patternErrorMessage", "Écrire la date AAAA-MM-JJ, par exemple 2028-06-30."})
	case URL:
		s = append(s, typ("string"), member{"format", "uri"},
			member{"pattern", `^[hH][tT][tT][pP][sS]?://[^\s/?#]+[^\s]*$`},
			member{"patternErrorMessage", "Il faut une adresse complète qui commence par https:// (ou http://)."})
	case Email:
		s = append(s, typ("string"), member{"format", "email"},
			member{"pattern", `^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]+$`},
			member{"patternErrorMessage", "Il faut une adresse électronique, par exemple contact@branche.fr."})
	case Enum:
		names := make([]any, 0, len(t.Values)+1)
		docs := make([]any, 0, len(t.Values)+1)
		md := make([]any, 0, len(t.Values)+1)
		for _, v := range t.Values {
			names = append(names, v.Name)
			docs = append(docs, v.Doc)
			md = append(md, "**"+v.Name+"** : "+v.Doc)
		}
		if nullable {
			names = append(names, nil)
			docs = append(docs, "Laisser vide : la valeur par défaut.")
			md = append(md, "*(vide)* : la valeur par défaut.")
		}
		s = append(s, typ("string"), member{"enum", names},
			member{"enumDescriptions", docs}, member{"markdownEnumDescriptions", md})
	case List:
		s = append(s, typ("array"), member{"items", typeSchema(t.Elem, nil, false)})
		if t.MinItems > 0 {
			s = append(s, member{"minItems", t.MinItems})
		}
		if t.Unique {
			s = append(s, member{"uniqueItems", true})
		}
	case Object:
		props := make(object, 0, len(t.Fields))
		var req []any
		for i := range t.Fields {
			sf := &t.Fields[i]
			props = append(props, member{sf.Key, typeSchema(sf.Type, sf, !sf.Required)})
			if sf.Required {
				req = append(req, sf.Key)
			}
		}
		s = append(s, typ("object"), member{"properties", props})
		if len(req) > 0 {
			s = append(s, member{"required", req})
		}
		s = append(s, member{"additionalProperties", false})
	}
	if f != nil {
		if v, ok := ExampleValue(f); ok {
			s = append(s, member{"examples", []any{v}})
		}
	}
	return s
}

func fieldDescription(f *Field, t *Type) string {
	d := f.Doc
	if f.Required {
		d += " Obligatoire."
	}
	if t.Kind == List && t.Elem.Kind == Enum {
		d += " Valeurs : " + strings.Join(t.Elem.Names(), ", ") + "."
	}
	return d
}

// object is a JSON object that keeps its keys in the order written, so
// that the schemas read in the documented order and never change between
// runs.
type object []member

type member struct {
	key   string
	value any
}

// encode writes v as indented JSON, two spaces a level, without escaping
// <, > and & (which the descriptions use, as in <cqp>/<code>). Short lists
// of plain values stay on one line, as a person would write them.
func encode(b *bytes.Buffer, v any, indent string) error {
	inner := indent + "  "
	switch v := v.(type) {
	case object:
		if len(v) == 0 {
			b.WriteString("{}")
			return nil
		}
		b.WriteString("{\n")
		for i, m := range v {
			b.WriteString(inner)
			if err := encode(b, m.key, inner); err != nil {
				return err
			}
			b.WriteString(": ")
			if err := encode(b, m.value, inner); err != nil {
				return err
			}
			if i < len(v)-1 {
				b.WriteByte(',')
			}
			b.WriteByte('\n')
		}
		b.WriteString(indent + "}")
	case yaml.MapSlice:
		o := make(object, 0, len(v))
		for _, it := range v {
			o = append(o, member{fmt.Sprint(it.Key), it.Value})
		}
		return encode(b, o, indent)
	case []any:
		if len(v) == 0 {
			b.WriteString("[]")
			return nil
		}
		if line, ok := inlineList(v); ok && len(indent)+len(line) <= 100 {
			b.WriteString(line)
			return nil
		}
		b.WriteString("[\n")
		for i, x := range v {
			b.WriteString(inner)
			if err := encode(b, x, inner); err != nil {
				return err
			}
			if i < len(v)-1 {
				b.WriteByte(',')
			}
			b.WriteByte('\n')
		}
		b.WriteString(indent + "]")
	case time.Time:
		return encode(b, v.Format(time.DateOnly), indent)
	case string, bool, nil, int, int64, uint64, float64:
		enc := json.NewEncoder(b)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(v); err != nil {
			return err
		}
		b.Truncate(b.Len() - 1) // the encoder's newline
	default:
		return fmt.Errorf("cannot encode %T in a schema", v)
	}
	return nil
}

// inlineList writes a list of plain values on one line; ok is false when
// the list holds maps or lists.
func inlineList(v []any) (string, bool) {
	var b bytes.Buffer
	b.WriteByte('[')
	for i, x := range v {
		switch x.(type) {
		case object, yaml.MapSlice, []any:
			return "", false
		}
		if i > 0 {
			b.WriteString(", ")
		}
		if err := encode(&b, x, ""); err != nil {
			return "", false
		}
	}
	b.WriteByte(']')
	return b.String(), true
}
