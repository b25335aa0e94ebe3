package schema

import (
	"strings"

	"github.com/goccy/go-yaml"
)

// ExampleYAML returns the lines "key: value" that show a typical value of f,
// as an editor would write them at the top level of a front matter. Maps and
// lists of maps that have no example of their own are composed from their
// keys' examples, so that `cqp new`, the JSON Schema and the docs all show
// the same examples, written once in the definitions above. It returns ""
// when nothing can be shown.
func ExampleYAML(f *Field) string {
	var b strings.Builder
	writeExample(&b, f, "")
	return b.String()
}

func writeExample(b *strings.Builder, f *Field, indent string) bool {
	if f.Example != "" {
		b.WriteString(indent + f.Key + ": " + f.Example + "\n")
		return true
	}
	var inner string
	switch {
	case f.Type.Kind == Object:
		inner = objectExample(f.Type, indent+"  ")
	case f.Type.Kind == List && f.Type.Elem.Kind == Object:
		item := objectExample(f.Type.Elem, indent+"    ")
		if item != "" {
			inner = indent + "  - " + strings.TrimPrefix(item, indent+"    ")
		}
	}
	if inner == "" {
		return false
	}
	b.WriteString(indent + f.Key + ":\n" + inner)
	return true
}

// objectExample writes the examples of t's keys, each line indented.
func objectExample(t *Type, indent string) string {
	var b strings.Builder
	for i := range t.Fields {
		writeExample(&b, &t.Fields[i], indent)
	}
	return b.String()
}

// ExampleValue returns f's example decoded as a JSON value (strings,
// numbers, lists and key-ordered maps), for the JSON Schema's "examples".
func ExampleValue(f *Field) (any, bool) {
	src := ExampleYAML(f)
	if src == "" {
		return nil, false
	}
	var doc yaml.MapSlice
	if err := yaml.UnmarshalWithOptions([]byte(src), &doc, yaml.UseOrderedMap()); err != nil || len(doc) != 1 {
		return nil, false
	}
	return doc[0].Value, true
}
