// Package schematest checks front matters against the JSON Schemas that
// package schema generates, reading them as an editor's YAML tool would
// after cqp's own parser has cut and parsed the file. It exists for tests:
// the agreement test of the schema and the checker, and the tests that the
// files `cqp new` writes and the docs' examples raise no flag in an editor.
package schematest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/cqp-catalogue/cqp/generator/content"
	"github.com/cqp-catalogue/cqp/generator/schema"
)

// Validator holds the compiled schemas, one per kind of file.
type Validator struct {
	schemas map[string]*jsonschema.Schema // by schema.Doc name
}

// New compiles every schema of schema.JSONSchemas. Format assertions are
// on (dates that do not exist, e-mail addresses), as in VS Code.
func New() (*Validator, error) {
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	v := &Validator{schemas: map[string]*jsonschema.Schema{}}
	for _, d := range schema.Docs {
		b, err := schema.JSONSchema(d)
		if err != nil {
			return nil, err
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", d.Name, err)
		}
		url := "https://cqp.invalid/" + schema.JSONSchemaPath(d)
		if err := c.AddResource(url, doc); err != nil {
			return nil, fmt.Errorf("%s: %w", d.Name, err)
		}
		s, err := c.Compile(url)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", d.Name, err)
		}
		v.schemas[d.Name] = s
	}
	return v, nil
}

// DocFor returns the kind of front matter a content path holds.
func DocFor(path string) (*schema.Doc, bool) {
	switch {
	case path == content.SitePath:
		return schema.Site, true
	case strings.HasPrefix(path, "content/branches/"):
		return schema.Branch, true
	case strings.HasPrefix(path, "content/cqp/"):
		return schema.CQP, true
	case strings.HasPrefix(path, "content/pages/"):
		return schema.Page, true
	}
	return nil, false
}

// ValidateFile parses a content file with cqp's parser and validates its
// front matter against the schema of its kind (given by its path). A file
// whose front matter does not parse is an error too.
func (v *Validator) ValidateFile(path string, data []byte) error {
	doc, ok := DocFor(path)
	if !ok {
		return fmt.Errorf("%s: not a content file", path)
	}
	f, list := content.Parse(path, data)
	if f.Meta == nil {
		return fmt.Errorf("%s: front matter does not parse: %v", path, list)
	}
	return v.Validate(doc, f.Meta)
}

// Validate validates a parsed front matter against doc's schema.
func (v *Validator) Validate(doc *schema.Doc, meta *content.Node) error {
	inst, err := jsonInstance(meta)
	if err != nil {
		return err
	}
	return v.schemas[doc.Name].Validate(inst)
}

// jsonInstance turns the YAML tree into the JSON value a YAML tool sees:
// plain scalars keep the type YAML gives them, quoted ones are text, and
// the last of duplicate keys wins.
func jsonInstance(n *content.Node) (any, error) {
	b, err := json.Marshal(toJSON(n))
	if err != nil {
		return nil, err
	}
	return jsonschema.UnmarshalJSON(bytes.NewReader(b))
}

func toJSON(n *content.Node) any {
	switch n.Kind {
	case content.Null:
		return nil
	case content.Map:
		m := make(map[string]any, len(n.Pairs))
		for _, p := range n.Pairs {
			m[p.Key.Value] = toJSON(p.Value)
		}
		return m
	case content.Seq:
		l := make([]any, len(n.Items))
		for i, it := range n.Items {
			l[i] = toJSON(it)
		}
		return l
	}
	switch n.Tag {
	case content.IntTag:
		if i, err := strconv.ParseInt(n.Value, 0, 64); err == nil {
			return json.Number(strconv.FormatInt(i, 10))
		}
		if i, err := strconv.ParseUint(n.Value, 0, 64); err == nil {
			return json.Number(strconv.FormatUint(i, 10))
		}
	case content.FloatTag:
		if f, err := strconv.ParseFloat(n.Value, 64); err == nil {
			return json.Number(strconv.FormatFloat(f, 'f', -1, 64))
		}
	case content.BoolTag:
		if b, err := strconv.ParseBool(n.Value); err == nil {
			return b
		}
	}
	return n.Value
}
