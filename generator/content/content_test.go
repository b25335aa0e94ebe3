package content

import (
	"bytes"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/cqp-catalogue/cqp/generator/diag"
)

func parseOne(t *testing.T, src string) (*File, []string) {
	t.Helper()
	f, list := Parse("content/cqp/x.md", []byte(src))
	var got []string
	for _, d := range list {
		got = append(got, d.String())
	}
	return f, got
}

func TestParseFileProblems(t *testing.T) {
	tests := []struct {
		name, src string
		want      string // the one diagnostic expected, "" for none
	}{
		{"empty file", "", "content/cqp/x.md:1:1: error: en-tête YAML absent : le fichier doit commencer par une ligne ---, les clés, puis une autre ligne ---"},
		{"blank file", "\n\n  \n", "content/cqp/x.md:1:1: error: en-tête YAML absent : le fichier doit commencer par une ligne ---, les clés, puis une autre ligne ---"},
		{"body only", "# Titre\n", "content/cqp/x.md:1:1: error: en-tête YAML absent : le fichier doit commencer par une ligne ---, les clés, puis une autre ligne ---"},
		{"unclosed", "---\ntitle: x\n", "content/cqp/x.md:1:1: error: en-tête YAML non fermé : ajouter une ligne --- après la dernière clé"},
		{"unclosed after blank lines", "\n\n---\ntitle: x\n", "content/cqp/x.md:3:1: error: en-tête YAML non fermé : ajouter une ligne --- après la dernière clé"},
		{"only opening line", "---", "content/cqp/x.md:1:1: error: en-tête YAML absent : le fichier doit commencer par une ligne ---, les clés, puis une autre ligne ---"},
		{"invalid utf-8", "---\ntitle: caf\xe9\n---\n", "content/cqp/x.md:2:11: error: le fichier n'est pas en UTF-8 (octet invalide ligne 2, colonne 11) : l'enregistrer en UTF-8"},
		{"empty front matter", "---\n---\nbody\n", ""},
		{"two documents", "---\ntitle: a\n---\n", ""},
		{"scalar root", "---\nbonjour\n---\n", "content/cqp/x.md:2:1: error: l'en-tête doit être une suite de lignes « clé: valeur », pas le texte « bonjour »"},
		{"yaml tag", "---\ntitle: !!binary aGVsbG8=\n---\n", "content/cqp/x.md:2:8: error: étiquette YAML « !!binary » refusée : écrire la valeur sans étiquette"},
		{"merge key", "---\nregistration:\n  <<: {register: rs}\n---\n", "content/cqp/x.md:3:3: error: les ancres, alias et fusions YAML (&nom, *nom, <<) ne sont pas acceptés : recopier la valeur"},
		{"complex key", "---\n? [a, b]\n: c\n---\n", "content/cqp/x.md:3:1: error: YAML invalide : clé invalide : une clé est un simple mot suivi de deux-points, par exemple « title: »"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, got := parseOne(t, tt.src)
			want := []string{}
			if tt.want != "" {
				want = []string{tt.want}
			}
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("Parse(%q):\ngot  %q\nwant %q", tt.src, got, want)
			}
		})
	}
}

func TestParseKeepsLinesWithCRLFAndBOM(t *testing.T) {
	src := "\ufeff---\r\ntitle: Soudeur\r\nsummary: Souder\r\n---\r\n\r\nCorps.\r\n"
	f, got := parseOne(t, src)
	if len(got) > 0 {
		t.Fatalf("diagnostics: %q", got)
	}
	if k := f.Meta.Pairs[1].Key; k.Value != "summary" || k.Line != 3 || k.Col != 1 {
		t.Errorf("summary key at %d:%d (%q), want 3:1", k.Line, k.Col, k.Value)
	}
	if f.BodyLine != 5 {
		t.Errorf("BodyLine = %d, want 5", f.BodyLine)
	}
	if !bytes.Equal(f.Body, []byte("\nCorps.\n")) {
		t.Errorf("Body = %q, want CRLF turned into LF", f.Body)
	}
}

func TestParseQuotedNumbersAreText(t *testing.T) {
	f, _ := parseOne(t, "---\ncode: \"0312\"\nlevel: 4\n---\n")
	if n := f.Meta.Pairs[0].Value; n.Tag != StrTag || n.Value != "0312" {
		t.Errorf("quoted code: tag %d value %q, want text 0312", n.Tag, n.Value)
	}
	if n := f.Meta.Pairs[1].Value; n.Tag != IntTag {
		t.Errorf("level: tag %d, want IntTag", n.Tag)
	}
}

func TestParseBigBody(t *testing.T) {
	body := strings.Repeat("Une ligne de texte assez longue pour peser son poids.\n", 100_000) // 5.4 MB
	f, got := parseOne(t, "---\ntitle: x\n---\n"+body)
	if len(got) > 0 || len(f.Body) != len(body) {
		t.Fatalf("5 MB body: diagnostics %q, body %d bytes, want %d", got, len(f.Body), len(body))
	}
}

// A billion-laughs document is refused at its first anchor, quickly and
// without expanding anything.
func TestParseAliasBomb(t *testing.T) {
	var b strings.Builder
	b.WriteString("---\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n")
	for i, prev := 'b', 'a'; i <= 'z'; i, prev = i+1, i {
		b.WriteString(string(i) + ": &" + string(i) + " [")
		for j := range 9 {
			if j > 0 {
				b.WriteString(",")
			}
			b.WriteString("*" + string(prev))
		}
		b.WriteString("]\n")
	}
	b.WriteString("---\n")
	start := time.Now()
	_, got := parseOne(t, b.String())
	if len(got) != 1 || !strings.Contains(got[0], "content/cqp/x.md:2:4: error: les ancres") {
		t.Errorf("alias bomb: got %q", got)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("alias bomb took %v", d)
	}
}

func TestParseDeepNesting(t *testing.T) {
	for _, src := range []string{
		"---\nx: " + strings.Repeat("[", 10_000) + strings.Repeat("]", 10_000) + "\n---\n",
		"---\nx: " + strings.Repeat("{a: ", 5_000) + "1" + strings.Repeat("}", 5_000) + "\n---\n",
	} {
		_, got := parseOne(t, src)
		if len(got) != 1 {
			t.Errorf("deep nesting: got %d diagnostics %q, want one", len(got), got)
		}
	}
}

func TestLoad(t *testing.T) {
	fsys := fstest.MapFS{
		"content/_index.md":              {Data: []byte("---\ntitle: t\n---\n")},
		"content/cqp/a.md":               {Data: []byte("---\ntitle: a\n---\n")},
		"content/cqp/Soudeur Été.md":     {Data: []byte("---\ntitle: b\n---\n")},
		"content/cqp/_brouillon.md":      {Data: []byte("not even front matter")},
		"content/cqp/.cache/x.md":        {Data: []byte("ignored")},
		"content/cqp/dossier.md/note.md": {Data: []byte("in a folder named like a file")},
		"content/cqp/photo.png":          {Data: []byte("\x89PNG")},
		"content/autre.md":               {Data: []byte("---\ntitle: c\n---\n")},
		"content/pages/aide.md":          {Data: []byte("---\ntitle: aide\n---\n")},
	}
	files, list := Load(fsys)
	var got []string
	for _, d := range list {
		got = append(got, d.String())
	}
	list.Sort()
	want := []string{
		"content/autre.md:1:1: error: fichier « content/autre.md » hors des dossiers connus : le placer dans content/cqp/, content/branches/ ou content/pages/",
		"content/cqp/Soudeur Été.md:1:1: error: nom de fichier « Soudeur Été.md » refusé : l'identifiant ne peut contenir que des lettres minuscules sans accents, des chiffres et des tirets simples ; renommer en « soudeur-ete.md »",
		"content/cqp/dossier.md:1:1: error: « content/cqp/dossier.md » est un dossier : ce doit être un fichier Markdown",
		"content/cqp/dossier.md/note.md:1:1: error: fichier « content/cqp/dossier.md/note.md » hors des dossiers connus : le placer dans content/cqp/, content/branches/ ou content/pages/",
		"content/cqp/photo.png:1:1: warning: fichier « content/cqp/photo.png » ignoré : cqp ne lit que les fichiers .md de content/cqp/, content/branches/ et content/pages/",
	}
	got = nil
	for _, d := range list {
		got = append(got, d.String())
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("Load diagnostics:\ngot:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	var paths []string
	for _, f := range files {
		paths = append(paths, f.Path+"="+f.Kind.String())
	}
	if want := "content/_index.md=site content/cqp/Soudeur Été.md=CQP content/cqp/a.md=CQP content/pages/aide.md=page"; strings.Join(paths, " ") != want {
		t.Errorf("files: %s\nwant:  %s", strings.Join(paths, " "), want)
	}
}

func TestLoadWithoutSiteFile(t *testing.T) {
	_, list := Load(fstest.MapFS{"content/cqp/a.md": {Data: []byte("---\ntitle: a\n---\n")}})
	if len(list) != 1 || list[0].Code != diag.MissingSite || list[0].Pos.String() != "content/_index.md:1:1" {
		t.Errorf("got %v", list)
	}
	_, list = Load(fstest.MapFS{"README.md": {Data: []byte("x")}})
	if len(list) != 1 || list[0].Code != diag.Unreadable {
		t.Errorf("no content folder: got %v", list)
	}
}

func TestSlugify(t *testing.T) {
	for in, want := range map[string]string{
		"Soudeur Été":             "soudeur-ete",
		"CQPI_Opérateur--Qualité": "cqpi-operateur-qualite",
		"cœur de métier":          "coeur-de-metier",
		"  --- ":                  "fichier",
		"Agent logistique (2)":    "agent-logistique-2",
	} {
		if got := Slugify(in); got != want {
			t.Errorf("Slugify(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzSplit checks that the quick front matter splitter cuts files exactly
// as adrg/frontmatter does whenever it takes them.
func FuzzSplit(f *testing.F) {
	for _, s := range []string{
		"---\ntitle: x\n---\nbody\n", "---\n---\n", "---\na\n--- \nb", "---\na\n---", "---\na\n ---\nb\n---\nc",
		"\n---\na\n---\n", "---\r\na\r\n---\r\n", "---\na: |\n  ---\n---\n", "---x\n---\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		yamlLen, bodyStart, ok := splitFast(data)
		if !ok {
			return
		}
		open, _ := openingLine(data)
		if open != 4 {
			t.Fatalf("splitFast took %q but the opening line ends at %d", data, open)
		}
		refLen, refStart, refOK := splitReference(data, open)
		if !refOK || refLen != yamlLen || refStart != bodyStart {
			t.Fatalf("split %q: fast (%d, %d), adrg/frontmatter (%d, %d, %v)", data, yamlLen, bodyStart, refLen, refStart, refOK)
		}
	})
}
