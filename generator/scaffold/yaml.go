package scaffold

import (
	"strings"

	"github.com/goccy/go-yaml"
)

// Scalar writes s as a YAML scalar: plain when YAML reads it back as the
// same text, quoted otherwise ("2024", "oui: non", "- a").
func Scalar(s string) string {
	b, err := yaml.Marshal(s)
	if err != nil || strings.Count(strings.TrimSuffix(string(b), "\n"), "\n") > 0 {
		return quote(s)
	}
	return strings.TrimSuffix(string(b), "\n")
}

// FlowList writes items as a YAML flow list, [a, b], quoting the items
// that a flow list would cut or misread.
func FlowList(items []string) string {
	parts := make([]string, len(items))
	for i, it := range items {
		if strings.ContainsAny(it, ",[]{}") {
			parts[i] = quote(it)
		} else {
			parts[i] = Scalar(it)
		}
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// quote writes a double-quoted YAML scalar.
func quote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\t", `\t`, "\r", `\r`)
	return `"` + r.Replace(s) + `"`
}
