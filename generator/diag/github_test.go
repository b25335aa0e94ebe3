package diag

import (
	"bytes"
	"strings"
	"testing"
)

// GitHub reads a workflow command as ::severity key=value,key=value::data.
// Its toolkit (actions/toolkit, packages/core/src/command.ts) escapes the
// data with % → %25, CR → %0D, LF → %0A, and property values with the same
// plus : → %3A and , → %2C; the runner undoes exactly that. These tests hold
// GitHubAnnotation to the same rules.

func TestGitHubAnnotation(t *testing.T) {
	tests := []struct {
		name string
		d    Diagnostic
		want string
	}{
		{
			"plain error",
			Diagnostic{Pos: Pos{Path: "content/cqp/soudeur.md", Line: 3, Col: 1}, Severity: Error, Code: UnknownKey, Message: "clé inconnue « titel » : vouliez-vous dire « title » ?"},
			"::error file=content/cqp/soudeur.md,line=3,col=1,title=cqp unknown-key::clé inconnue « titel » : vouliez-vous dire « title » ?",
		},
		{
			"warning",
			Diagnostic{Pos: Pos{Path: "content/cqp/x.md", Line: 1, Col: 1}, Severity: Warning, Code: NoSummary, Message: "CQP sans résumé"},
			"::warning file=content/cqp/x.md,line=1,col=1,title=cqp no-summary::CQP sans résumé",
		},
		{
			"percent in the message",
			Diagnostic{Pos: Pos{Path: "a.md", Line: 2, Col: 5}, Code: BadValue, Message: "100 % du bloc, %0A n'est pas une fin de ligne"},
			"::error file=a.md,line=2,col=5,title=cqp bad-value::100 %25 du bloc, %250A n'est pas une fin de ligne",
		},
		{
			"CR and LF in the message",
			Diagnostic{Pos: Pos{Path: "a.md", Line: 2, Col: 5}, Code: YAMLSyntax, Message: "ligne 1\r\nligne 2\nligne 3\r"},
			"::error file=a.md,line=2,col=5,title=cqp yaml-syntax::ligne 1%0D%0Aligne 2%0Aligne 3%0D",
		},
		{
			"comma and colon stay in the message",
			Diagnostic{Pos: Pos{Path: "a.md", Line: 1, Col: 1}, Code: BadValue, Message: "a, b : c :: d"},
			"::error file=a.md,line=1,col=1,title=cqp bad-value::a, b : c :: d",
		},
		{
			"comma and colon in the path",
			Diagnostic{Pos: Pos{Path: "content/pages/a,b:c.md", Line: 4, Col: 2}, Code: BadName, Message: "nom refusé"},
			"::error file=content/pages/a%2Cb%3Ac.md,line=4,col=2,title=cqp bad-name::nom refusé",
		},
		{
			"percent, CR and LF in the path",
			Diagnostic{Pos: Pos{Path: "content/pages/100%\r\n.md", Line: 1, Col: 1}, Code: BadName, Message: "nom refusé"},
			"::error file=content/pages/100%25%0D%0A.md,line=1,col=1,title=cqp bad-name::nom refusé",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := GitHubAnnotation(tt.d); got != tt.want {
				t.Errorf("GitHubAnnotation() =\n%q\nwant\n%q", got, tt.want)
			}
		})
	}
}

// parseCommand reads a workflow command back as the runner does, undoing
// the escapes, so that any message survives the trip.
func parseCommand(t *testing.T, line string) (command string, props map[string]string, data string) {
	t.Helper()
	rest, ok := strings.CutPrefix(line, "::")
	if !ok {
		t.Fatalf("%q does not start with ::", line)
	}
	head, data, ok := strings.Cut(rest, "::")
	if !ok {
		t.Fatalf("%q has no :: before the data", line)
	}
	command, propText, _ := strings.Cut(head, " ")
	props = map[string]string{}
	for _, kv := range strings.Split(propText, ",") {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			t.Fatalf("property %q of %q has no =", kv, line)
		}
		props[k] = unescape(v, true)
	}
	return command, props, unescape(data, false)
}

func unescape(s string, property bool) string {
	pairs := []string{"%0D", "\r", "%0A", "\n"}
	if property {
		pairs = append(pairs, "%3A", ":", "%2C", ",")
	}
	pairs = append(pairs, "%25", "%") // last, as the runner does
	for i := 0; i < len(pairs); i += 2 {
		s = strings.ReplaceAll(s, pairs[i], pairs[i+1])
	}
	return s
}

func TestGitHubAnnotationRoundTrip(t *testing.T) {
	messages := []string{
		"simple",
		"%",
		"%25 déjà échappé",
		"fin de ligne\net retour\r\n",
		"deux-points : et virgule , et ::",
		"%0A%0D%3A%2C",
	}
	paths := []string{"content/cqp/x.md", "content/a:b,c%d.md", "content/\r\n.md"}
	for _, m := range messages {
		for _, p := range paths {
			d := Diagnostic{Pos: Pos{Path: p, Line: 12, Col: 7}, Severity: Warning, Code: Expired, Message: m}
			line := GitHubAnnotation(d)
			if strings.ContainsAny(line, "\r\n") {
				t.Fatalf("annotation for %q spans lines: %q", m, line)
			}
			cmd, props, data := parseCommand(t, line)
			if cmd != "warning" || props["file"] != p || props["line"] != "12" || props["col"] != "7" || props["title"] != "cqp expired" || data != m {
				t.Errorf("round trip of path %q, message %q: got %s %v %q", p, m, cmd, props, data)
			}
		}
	}
}

func TestWriteGitHub(t *testing.T) {
	var l List
	l.Warnf(Pos{Path: "content/cqp/b.md", Line: 1, Col: 1}, NoBlocks, "CQP sans blocs")
	l.Errorf(Pos{Path: "content/cqp/a.md", Line: 4, Col: 3}, BadValue, "valeur « x »\nrefusée")
	l.Sort()
	var buf bytes.Buffer
	if err := l.Write(&buf, GitHub); err != nil {
		t.Fatal(err)
	}
	want := "::error file=content/cqp/a.md,line=4,col=3,title=cqp bad-value::valeur « x »%0Arefusée\n" +
		"::warning file=content/cqp/b.md,line=1,col=1,title=cqp no-blocks::CQP sans blocs\n"
	if got := buf.String(); got != want {
		t.Errorf("Write(github) =\n%s\nwant\n%s", got, want)
	}
}
