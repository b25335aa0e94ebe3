package synth

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// yamlWriter emits the small subset of YAML the cqp front matter needs, in
// the style of PyYAML's safe_dump (what to_cqp.py writes): block mappings
// indented by two, sequences not indented under their key, strings plain
// unless that could change their meaning. Every line starts with a prefix
// so that the first key of a sequence item can carry the "- ".
type yamlWriter struct {
	b []byte
}

// str writes "key: value" with the value quoted when it has to be.
func (y *yamlWriter) str(prefix, key, v string) {
	y.b = append(y.b, prefix...)
	y.b = append(y.b, key...)
	y.b = append(y.b, ": "...)
	y.b = appendScalar(y.b, v)
	y.b = append(y.b, '\n')
}

// raw writes a value known to be plain and typed as intended: ids, dates,
// registration numbers, URLs without special characters.
func (y *yamlWriter) raw(prefix, key, v string) {
	y.b = append(y.b, prefix...)
	y.b = append(y.b, key...)
	y.b = append(y.b, ": "...)
	y.b = append(y.b, v...)
	y.b = append(y.b, '\n')
}

func (y *yamlWriter) int(prefix, key string, n int) {
	y.raw(prefix, key, strconv.Itoa(n))
}

// key opens a nested mapping or sequence.
func (y *yamlWriter) key(prefix, key string) {
	y.b = append(y.b, prefix...)
	y.b = append(y.b, key...)
	y.b = append(y.b, ":\n"...)
}

// list writes a sequence of strings at the indentation of its key.
func (y *yamlWriter) list(prefix, key string, vs []string) {
	y.key(prefix, key)
	ind := indentOf(prefix)
	for _, v := range vs {
		y.b = append(y.b, ind...)
		y.b = append(y.b, "- "...)
		y.b = appendScalar(y.b, v)
		y.b = append(y.b, '\n')
	}
}

// indentOf turns a prefix ("- " or spaces) into the spaces that line up the
// following keys of the same mapping.
func indentOf(prefix string) string {
	return strings.Repeat(" ", len(prefix))
}

// appendScalar appends s plain when a YAML 1.1 or 1.2 parser reads it back as
// the same string, double-quoted otherwise. The test is deliberately
// stricter than YAML's: a string that merely might be a number, a date, a
// boolean or a null is quoted.
func appendScalar(b []byte, s string) []byte {
	if plainSafe(s) {
		return append(b, s...)
	}
	b = append(b, '"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b = append(b, '\\', byte(r))
		case r == '\n':
			b = append(b, `\n`...)
		case r == '\t':
			b = append(b, `\t`...)
		case r < 0x20 || r == 0x7f:
			b = append(b, `\x`...)
			b = append(b, "0123456789abcdef"[r>>4], "0123456789abcdef"[r&15])
		default:
			b = utf8.AppendRune(b, r)
		}
	}
	return append(b, '"')
}

func plainSafe(s string) bool {
	if s == "" || s[0] == ' ' || s[len(s)-1] == ' ' || s[len(s)-1] == ':' || !utf8.ValidString(s) {
		return false
	}
	switch c := s[0]; {
	case strings.IndexByte("-?:,[]{}#&*!|>'\"%@`", c) >= 0:
		return false
	case c >= '0' && c <= '9', c == '.', c == '+':
		return false // a number, a date or a time
	}
	// One pass over the bytes, most of them skipped by a table lookup: this
	// runs on every skill of every CQP.
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !yamlSpecial[c] {
			continue
		}
		switch {
		case c < 0x20 || c == 0x7f:
			return false
		case c == ':' && s[i+1] == ' ', c == '#' && s[i-1] == ' ':
			return false // a key or a comment; i±1 exist, see above
		case c == 0xc2 && s[i+1] == 0x85: // NEL
			return false
		case c == 0xe2 && strings.HasPrefix(s[i:], "\u2028"), c == 0xe2 && strings.HasPrefix(s[i:], "\u2029"),
			c == 0xef && strings.HasPrefix(s[i:], "\ufeff"):
			return false // line and paragraph separators, byte order mark
		}
	}
	if len(s) <= 5 {
		switch strings.ToLower(s) {
		case "~", "null", "true", "false", "yes", "no", "on", "off", "y", "n":
			return false
		}
	}
	return true
}

// yamlSpecial marks the bytes that may end a plain scalar: controls, the
// key and comment indicators, and the lead bytes of NEL, U+2028, U+2029 and
// the byte order mark. It is never written after initialisation.
var yamlSpecial = func() (t [256]bool) {
	for c := range 0x20 {
		t[c] = true
	}
	for _, c := range []byte{0x7f, ':', '#', 0xc2, 0xe2, 0xef} {
		t[c] = true
	}
	return t
}()
