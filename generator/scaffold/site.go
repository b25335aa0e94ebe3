package scaffold

import (
	"bytes"
	"embed"
	"fmt"
	"net/url"
	"path"
	"strings"
	"text/template"

	"github.com/cqp-catalogue/cqp/generator/schema"
)

// Module is the Go module that `go install` fetches in a catalogue's CI.
const Module = "github.com/cqp-catalogue/cqp"

// ProjectURL is cqp's home, named in a new catalogue's README.
const ProjectURL = "https://" + Module

// DefaultCQPVersion is the version a new catalogue's CI installs when the
// running cqp does not know its own (a development build): the first
// release. A released cqp pins itself.
const DefaultCQPVersion = "v0.1.0"

// The new site's example files: one CQP, one page. The names are
// exported so that the README and tests can name them.
const (
	ExampleCQP  = "tuteur-en-entreprise"
	ExamplePage = "obtenir-un-cqp"
)

//go:embed site
var siteFiles embed.FS

// SiteOptions tune a new catalogue repository.
type SiteOptions struct {
	Title      string // the site's name; default from the branch's name
	BaseURL    string // the public address; default https://example.org/
	Branch     string // the publishing branch's id; default ma-branche
	BranchName string // its name; default from the id
	// CQPVersion is the version of cqp the CI installs, a module version
	// such as v1.2.0; default DefaultCQPVersion.
	CQPVersion string
}

// DefaultBaseURL is written when no address is given. The README's first
// step replaces it; the CI's build takes the address GitHub or GitLab Pages
// gives, so the published site is right either way.
const DefaultBaseURL = "https://example.org/"

// Site returns every file of a new catalogue repository, by path relative
// to its folder: the content (the site, one branch, one CQP, one page), the
// JSON Schemas in schema/, a GitHub workflow and a GitLab CI file that
// check every change and publish the main branch, VS Code tasks, a
// .gitignore and a README for the editors. The content passes
// `cqp check --strict` as written.
func Site(opts SiteOptions) (map[string][]byte, error) {
	if opts.Branch == "" {
		opts.Branch = "ma-branche"
	}
	if err := CheckID("branch", opts.Branch); err != nil {
		return nil, err
	}
	if opts.BranchName == "" {
		opts.BranchName = TitleFromID(opts.Branch)
	}
	if opts.Title == "" {
		opts.Title = "Catalogue des CQP : " + opts.BranchName
	}
	if opts.BaseURL == "" {
		opts.BaseURL = DefaultBaseURL
	}
	if u, err := url.Parse(opts.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("adresse « %s » refusée : il faut une adresse complète qui commence par https://", opts.BaseURL)
	}
	if !strings.HasSuffix(opts.BaseURL, "/") {
		opts.BaseURL += "/"
	}
	if opts.CQPVersion == "" {
		opts.CQPVersion = DefaultCQPVersion
	}
	if !ValidVersion(opts.CQPVersion) {
		return nil, fmt.Errorf("version « %s » refusée : il faut une version publiée de cqp, par exemple %s", opts.CQPVersion, DefaultCQPVersion)
	}
	const cqpTitle = "Tuteur en entreprise"
	data := map[string]string{
		"Title":      opts.Title,
		"BranchID":   opts.Branch,
		"BranchName": opts.BranchName,
		"CQPVersion": opts.CQPVersion,
		"CQPID":      ExampleCQP,
		"CQPLink":    "[" + cqpTitle + "](cqp:" + ExampleCQP + ")",
		"PageSlug":   ExamplePage,
		"Module":     Module,
		"ProjectURL": ProjectURL,
		"GuideURL":   GuideURL,
	}
	files := map[string][]byte{}
	for name, target := range map[string]string{
		"README.md":         "README.md",
		"workflow.yml":      ".github/workflows/cqp.yml",
		"gitlab-ci.yml":     ".gitlab-ci.yml",
		"gitignore":         ".gitignore",
		"vscode-tasks.json": ".vscode/tasks.json",
	} {
		b, err := execute(name, data)
		if err != nil {
			return nil, err
		}
		files[target] = b
	}
	for p, b := range schema.JSONSchemas() {
		files[p] = b
	}

	body := func(name string) string {
		b, err := execute(name, data)
		if err != nil {
			panic(err) // embedded templates: a failure is a bug every test shows
		}
		return string(b)
	}
	ref := func(file string, doc *schema.Doc) string { return RelativeSchema(file, schema.JSONSchemaPath(doc)) }

	home := "content/_index.md"
	files[home] = render("site", schema.Site, ref(home, schema.Site), map[string]string{
		"title":       Scalar(opts.Title),
		"description": Scalar("Les certificats de qualification professionnelle (CQP) de la branche « " + opts.BranchName + " » : métiers, blocs de compétences, accès par la formation ou par la VAE."),
		"base_url":    Scalar(opts.BaseURL),
		"language":    "fr",
		"owner":       opts.Branch,
		"contacts": "\n" + strings.Join([]string{
			"- label: France Travail",
			"  url: https://www.francetravail.fr/",
			"  note: Pour les personnes en recherche d'emploi.",
			"- label: Mission locale",
			"  note: Pour les jeunes de 16 à 25 ans qui cherchent une formation ou un emploi.",
			"- label: Cap emploi",
			"  note: Pour les personnes en situation de handicap, salariées ou en recherche d'emploi.",
		}, "\n"),
	}, body("home.md"))

	branch := "content/branches/" + opts.Branch + ".md"
	files[branch] = render("branch", schema.Branch, ref(branch, schema.Branch), map[string]string{
		"name": Scalar(opts.BranchName),
	}, "")

	cqpPath := "content/cqp/" + ExampleCQP + ".md"
	files[cqpPath] = render("cqp", schema.CQP, ref(cqpPath, schema.CQP), map[string]string{
		"title":                 Scalar(cqpTitle),
		"branches":              FlowList([]string{opts.Branch}),
		"registration.register": "none",
		"summary":               Scalar("Accueillir une personne en formation dans l'entreprise, lui transmettre les savoir-faire du métier et suivre sa progression."),
		"publics":               "[salaries]",
		"access":                "[formation]",
		"funding":               "[plan, opco]",
		"blocks": "\n" + strings.Join([]string{
			"- code: B01",
			"  title: Accueillir et intégrer la personne en formation",
			"  skills:",
			"    - Préparer son arrivée et lui présenter l'entreprise, le poste et les règles de sécurité",
			"    - Organiser son parcours de travail avec l'organisme de formation",
			"  assessment: Présentation au jury d'un tutorat réel, à partir d'un dossier.",
			"- code: B02",
			"  title: Transmettre les savoir-faire en situation de travail",
			"  skills:",
			"    - Expliquer et montrer les gestes et les méthodes du métier",
			"    - Confier des activités de difficulté croissante",
			"  assessment: Observation d'une séquence de transmission au poste de travail, puis entretien.",
			"- code: B03",
			"  title: Suivre la progression et en rendre compte",
			"  skills:",
			"    - Évaluer les acquis avec les outils de l'organisme de formation",
			"    - Faire le point régulièrement avec la personne et l'organisme de formation",
			"  assessment: Entretien avec l'évaluateur à partir des bilans de suivi.",
		}, "\n"),
		"keywords": "[tutorat, tuteur, accompagnement, transmission]",
	}, body("cqp.md"))

	pagePath := "content/pages/" + ExamplePage + ".md"
	files[pagePath] = render("page", schema.Page, ref(pagePath, schema.Page), map[string]string{
		"title":       "Obtenir un CQP",
		"description": Scalar("Les étapes pour obtenir un CQP, par la formation ou par la validation des acquis de l'expérience."),
		"menu":        "1",
	}, body("page.md"))
	return files, nil
}

func execute(name string, data map[string]string) ([]byte, error) {
	src, err := siteFiles.ReadFile("site/" + name)
	if err != nil {
		return nil, err
	}
	// [[ ]] rather than {{ }}: GitHub workflows use ${{ }} themselves.
	t, err := template.New(name).Delims("[[", "]]").Option("missingkey=error").Parse(string(src))
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := t.Execute(&b, data); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// ValidVersion accepts the module versions go install takes:
// vMAJOR.MINOR.PATCH with an optional pre-release or pseudo-version suffix.
func ValidVersion(v string) bool {
	rest, ok := strings.CutPrefix(v, "v")
	if !ok {
		return false
	}
	core, _, _ := strings.Cut(rest, "-")
	core, _, _ = strings.Cut(core, "+")
	parts := strings.Split(core, ".")
	if len(parts) != 3 {
		return false
	}
	for _, p := range parts {
		if p == "" || strings.Trim(p, "0123456789") != "" {
			return false
		}
	}
	return !strings.ContainsAny(v, " \t\n\"'$`\\")
}

// RelativeSchema returns the path of a schema (schema/<name>.schema.json,
// relative to the site folder) as seen from a content file, which is how
// yaml-language-server resolves a relative $schema: from the file.
func RelativeSchema(file, schemaPath string) string {
	depth := strings.Count(path.Dir(file), "/") + 1
	if path.Dir(file) == "." {
		depth = 0
	}
	return strings.Repeat("../", depth) + schemaPath
}
