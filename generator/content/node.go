package content

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/token"

	"github.com/cqp-catalogue/cqp/generator/diag"
)

// NodeKind tells what a YAML node holds.
type NodeKind int

const (
	Scalar NodeKind = iota
	Map
	Seq
	Null
)

// ScalarTag is the type YAML gives a plain scalar. Quoted scalars are
// always StrTag: `code: "0312"` is text, `code: 0312` is a number.
type ScalarTag int

const (
	StrTag ScalarTag = iota
	IntTag
	FloatTag
	BoolTag
)

// Node is one value of a front matter, with the position of its first
// character. It is our own small tree, so that the rest of cqp does not
// depend on the YAML library's AST.
type Node struct {
	Kind  NodeKind
	Tag   ScalarTag // for Scalar
	Value string    // for Scalar: the text, unquoted
	Line  int
	Col   int
	// Pairs holds a Map's entries in file order (duplicates included; the
	// decoder reports them). Items holds a Seq's elements.
	Pairs []Pair
	Items []*Node
}

// Pair is one key of a mapping and its value.
type Pair struct {
	Key   *Node // always a Scalar
	Value *Node
}

// Describe names the node's type in French, for "wrong type" messages.
func (n *Node) Describe() string {
	switch n.Kind {
	case Map:
		return "un dictionnaire de clés"
	case Seq:
		return "une liste"
	case Null:
		return "une valeur vide"
	}
	switch n.Tag {
	case IntTag, FloatTag:
		return fmt.Sprintf("le nombre %s", n.Value)
	case BoolTag:
		return fmt.Sprintf("le booléen %s", n.Value)
	}
	return fmt.Sprintf("le texte « %s »", Shorten(n.Value))
}

// Shorten cuts a value to a length that fits in a one-line message.
func Shorten(s string) string {
	s = strings.ReplaceAll(s, "\n", " ")
	if r := []rune(s); len(r) > 60 {
		return string(r[:57]) + "…"
	}
	return s
}

// maxDepth bounds nesting: no content file needs more than a handful of
// levels, and a bound keeps hostile input from exhausting the stack.
const maxDepth = 64

// errAlias is returned for anchors and aliases, which the content model
// never needs and which make "billion laughs" documents possible.
type positionedError struct {
	line, col int
	code, msg string
}

func (e *positionedError) Error() string { return e.msg }

// parseYAML parses a front matter into a Node. line0 is the line of the file
// on which the YAML text starts, added to every position. An empty front
// matter yields an empty Map.
func parseYAML(src []byte, line0 int) (*Node, error) {
	if n, ok := fastParse(src, line0); ok {
		return n, nil
	}
	return parseYAMLReference(src, line0)
}

// parseYAMLReference parses with the general YAML parser.
func parseYAMLReference(src []byte, line0 int) (*Node, error) {
	f, err := parser.ParseBytes(src, 0, parser.AllowDuplicateMapKey())
	if err != nil {
		var yerr yaml.Error
		if errors.As(err, &yerr) && yerr.GetToken() != nil {
			c := converter{line0: line0 - 1, lineLen: lineLengths(src)}
			line, col := c.pos(yerr.GetToken())
			return nil, &positionedError{line: line, col: col, code: diag.YAMLSyntax, msg: translateYAML(yerr.GetMessage())}
		}
		return nil, &positionedError{line: line0, col: 1, code: diag.YAMLSyntax, msg: translateYAML(err.Error())}
	}
	if len(f.Docs) > 1 {
		c := converter{line0: line0 - 1, lineLen: lineLengths(src)}
		line, col := c.pos(f.Docs[1].GetToken())
		return nil, &positionedError{line: line, col: col, code: diag.YAMLSyntax, msg: "un seul document YAML est permis dans l'en-tête : retirer le second « --- »"}
	}
	if len(f.Docs) == 0 || f.Docs[0].Body == nil {
		return &Node{Kind: Map, Line: line0, Col: 1}, nil
	}
	c := converter{line0: line0 - 1, lineLen: lineLengths(src)}
	n := c.convert(f.Docs[0].Body, 0)
	if c.err != nil {
		return nil, c.err
	}
	return n, nil
}

type converter struct {
	line0   int
	lineLen []int // the length in bytes of each line of the YAML text
	err     *positionedError
}

// lineLengths gives the length of each line in characters, the unit of
// columns.
func lineLengths(src []byte) []int {
	var lens []int
	for {
		i := bytes.IndexByte(src, '\n')
		if i < 0 {
			return append(lens, utf8.RuneCount(src))
		}
		lens = append(lens, utf8.RuneCount(src[:i]))
		src = src[i+1:]
	}
}

func (c *converter) fail(tk *token.Token, code, msg string) *Node {
	if c.err == nil {
		line, col := c.pos(tk)
		c.err = &positionedError{line: line, col: col, code: code, msg: msg}
	}
	return &Node{Kind: Null}
}

// pos gives a token's position in the file. The library sometimes places
// an empty value past the end of its line; positions are kept inside the
// text, so that an editor can always jump to them.
func (c *converter) pos(tk *token.Token) (int, int) {
	if tk == nil {
		return c.line0 + 1, 1
	}
	line := min(max(tk.Position.Line, 1), len(c.lineLen))
	col := min(max(tk.Position.Column, 1), c.lineLen[line-1]+1)
	return line + c.line0, col
}

func (c *converter) node(kind NodeKind, tk *token.Token) *Node {
	line, col := c.pos(tk)
	return &Node{Kind: kind, Line: line, Col: col}
}

func (c *converter) convert(n ast.Node, depth int) *Node {
	if c.err != nil {
		return &Node{Kind: Null}
	}
	if depth > maxDepth {
		return c.fail(n.GetToken(), diag.YAMLSyntax, fmt.Sprintf("imbrication trop profonde (plus de %d niveaux) : la structure attendue est bien plus simple", maxDepth))
	}
	switch n := n.(type) {
	case *ast.MappingNode:
		m := c.node(Map, n.GetToken())
		for _, mv := range n.Values {
			m.Pairs = append(m.Pairs, c.pair(mv, depth))
		}
		if len(m.Pairs) > 0 {
			// The library places a block map at its first colon; editors
			// see it at its first key.
			m.Line, m.Col = m.Pairs[0].Key.Line, m.Pairs[0].Key.Col
		}
		return m
	case *ast.MappingValueNode:
		m := c.node(Map, n.Key.GetToken())
		m.Pairs = []Pair{c.pair(n, depth)}
		return m
	case *ast.SequenceNode:
		s := c.node(Seq, n.GetToken())
		for _, v := range n.Values {
			s.Items = append(s.Items, c.convert(v, depth+1))
		}
		return s
	case *ast.StringNode:
		return c.scalar(n.Token, StrTag, n.Value)
	case *ast.LiteralNode:
		s := c.scalar(n.Start, StrTag, n.Value.Value)
		return s
	case *ast.IntegerNode:
		return c.scalar(n.Token, IntTag, n.Token.Value)
	case *ast.FloatNode:
		return c.scalar(n.Token, FloatTag, n.Token.Value)
	case *ast.InfinityNode:
		return c.scalar(n.Token, FloatTag, n.Token.Value)
	case *ast.NanNode:
		return c.scalar(n.Token, FloatTag, n.Token.Value)
	case *ast.BoolNode:
		return c.scalar(n.Token, BoolTag, n.Token.Value)
	case *ast.NullNode:
		return c.node(Null, n.Token)
	case *ast.TagNode:
		return c.fail(n.Start, diag.YAMLSyntax, fmt.Sprintf("étiquette YAML « %s » refusée : écrire la valeur sans étiquette", n.Start.Value))
	case *ast.AnchorNode, *ast.AliasNode, *ast.MergeKeyNode:
		return c.fail(n.GetToken(), diag.YAMLAlias, "les ancres, alias et fusions YAML (&nom, *nom, <<) ne sont pas acceptés : recopier la valeur")
	case *ast.CommentGroupNode:
		return c.node(Null, n.GetToken())
	case *ast.DocumentNode:
		if n.Body == nil {
			return c.node(Null, n.GetToken())
		}
		return c.convert(n.Body, depth+1)
	}
	return c.fail(n.GetToken(), diag.YAMLSyntax, fmt.Sprintf("construction YAML non prise en charge (%s)", n.Type()))
}

func (c *converter) scalar(tk *token.Token, tag ScalarTag, value string) *Node {
	s := c.node(Scalar, tk)
	s.Tag, s.Value = tag, value
	if tk != nil && (tk.Type == token.SingleQuoteType || tk.Type == token.DoubleQuoteType) {
		s.Tag = StrTag
	}
	return s
}

func (c *converter) pair(mv *ast.MappingValueNode, depth int) Pair {
	key := c.convert(mv.Key, depth+1)
	if key.Kind != Scalar && c.err == nil {
		c.fail(mv.Key.GetToken(), diag.WrongType, "une clé doit être un simple mot (par exemple title)")
	}
	var value *Node
	if mv.Value == nil {
		value = &Node{Kind: Null, Line: key.Line, Col: key.Col}
	} else {
		value = c.convert(mv.Value, depth+1)
	}
	return Pair{Key: key, Value: value}
}

// translations of the YAML library's most frequent syntax messages; the
// others keep the library's words after a French lead.
var yamlMessages = []struct{ prefix, fr string }{
	{"mapping value is not allowed in this context", "deux-points mal placé : une valeur qui contient « : » doit être entre guillemets"},
	{"mapping values are not allowed in this context", "deux-points mal placé : une valeur qui contient « : » doit être entre guillemets"},
	{"could not find end character of double-quoted text", "guillemet double non fermé : fermer la valeur avec \""},
	{"could not find end character of single-quoted text", "apostrophe ouvrante non fermée : fermer la valeur avec ' ou retirer les guillemets simples"},
	{"could not find flow sequence end token", "liste entre crochets non fermée : ajouter « ] »"},
	{"sequence end token ']' not found", "liste entre crochets non fermée : ajouter « ] »"},
	{"could not find flow mapping end token", "dictionnaire entre accolades non fermé : ajouter « } »"},
	{"found invalid token", "caractère inattendu ; vérifier l'indentation et les guillemets"},
	{"tab character cannot use as a map key directly", "tabulation interdite en YAML : indenter avec des espaces"},
	{"that cannot start any token", "caractère inattendu (une tabulation ?) : indenter avec des espaces"},
	{"invalid key", "clé invalide : une clé est un simple mot suivi de deux-points, par exemple « title: »"},
	{"unexpected key name", "nom de clé inattendu : vérifier l'indentation"},
	{"value is not allowed in this context", "valeur mal placée : vérifier l'indentation et les deux-points"},
	{"non-map value is specified", "valeur mal placée : vérifier l'indentation"},
	{"block sequence entries are not allowed", "élément de liste « - » mal placé : vérifier l'indentation"},
	{"unexpected", "syntaxe inattendue : vérifier l'indentation, les deux-points et les guillemets"},
}

func translateYAML(msg string) string {
	msg = strings.TrimPrefix(strings.TrimSpace(msg), "yaml: ")
	if i := strings.IndexByte(msg, '\n'); i >= 0 {
		msg = msg[:i]
	}
	low := strings.ToLower(msg)
	for _, m := range yamlMessages {
		if strings.Contains(low, m.prefix) {
			return "YAML invalide : " + m.fr
		}
	}
	return "YAML invalide : " + msg
}
