package theme_test

import (
	"bytes"
	"fmt"
	"html/template"
	"strings"
	"testing"

	"github.com/cqp-catalogue/cqp/generator/publish"
	"github.com/cqp-catalogue/cqp/generator/render"
	"github.com/cqp-catalogue/cqp/generator/site"
	"github.com/cqp-catalogue/cqp/generator/synth"
	"github.com/cqp-catalogue/cqp/generator/theme"
)

// cqpView is a CQP page of the size of a synthetic catalogue's: six
// blocks, facts, branches, jobs, in French with its apostrophes.
func cqpView(th *theme.Theme) render.CQPView {
	h := func(name string, data any) template.HTML {
		out, err := th.Partial(name, data)
		if err != nil {
			panic(err)
		}
		return out
	}
	chrome := render.Chrome{Lang: "fr", SiteTitle: "Catalogue des CQP", Home: "../../", Root: "../../",
		Nav: []render.Link{{Text: "Rechercher", URL: "../../recherche/"}, {Text: "Branches", URL: "../../branches/"}, {Text: "CQPI", URL: "../../cqpi/"}}}
	v := render.CQPView{
		Page: render.Page{
			Lang: "fr", Locale: "fr_FR", Title: "Agent d'accueil et d'orientation — Catalogue des CQP",
			Heading: "Agent d'accueil et d'orientation", Description: "Le CQP « Agent d'accueil » certifie l'accueil du public & l'orientation.",
			Path: "cqp/agent-accueil/index.html", Root: "../../", Canonical: "https://example.org/cqp/agent-accueil/",
			OGType: "article", SiteTitle: "Catalogue des CQP", Home: "../../", Stylesheet: "../../style.css",
			Favicon: "../../favicon.svg", Feed: "../../feed.xml", Scripts: []string{"../../site.js"},
			Header: h("layouts/partials/header.html", chrome), Footer: h("layouts/partials/footer.html", chrome),
			Breadcrumbs: []render.Link{{Text: "Accueil", URL: "../../"}, {Text: "Branches", URL: "../../branches/"}},
			JSONLD:      `{"@context":"https://schema.org","@type":"EducationalOccupationalCredential","name":"Agent d'accueil"}`,
		},
	}
	q := &v.CQP
	q.ID, q.Title, q.Kind, q.KindShort = "agent-accueil", "Agent d'accueil et d'orientation", "Certificat de qualification professionnelle", "CQP"
	q.Summary = "Accueillir, renseigner et orienter le public d'un établissement, en présentiel et à distance."
	for i := range 6 {
		q.Facts = append(q.Facts, render.Fact{Term: fmt.Sprintf("Fait n° %d", i), Text: "Valeur d'exemple",
			Links: []render.Link{{Text: "Lien", URL: "../../branches/x/"}, {Text: "Autre", URL: "../../branches/y/"}}})
	}
	q.Registration = render.Registration{Label: "Inscrit au RNCP", Number: "RNCP38123", URL: "https://www.francecompetences.fr/recherche/rncp/38123/",
		Explanation: "Le certificat est reconnu par l'État.", Since: render.Date{Text: "1er mars 2024", ISO: "2024-03-01"},
		Until: render.Date{Text: "1er mars 2029", ISO: "2029-03-01"}, Level: &render.Link{Text: "Niveau 4", URL: "../../niveaux/4/"}, LevelText: "baccalauréat"}
	q.CPF = render.Eligibility{Open: true, Answer: "Oui", Reason: "inscrit au RNCP"}
	q.VAE = render.Eligibility{Answer: "Non", Reason: "pas encore ouverte"}
	q.Publics = []string{"Salariés", "Demandeurs d'emploi", "Alternants"}
	q.Routes = []render.Step{{Title: "Formation", Text: "En centre & en entreprise."}, {Title: "Alternance", Text: "Contrat de professionnalisation."}}
	q.Funding = []render.Step{{Title: "OPCO", Text: "Prise en charge par l'OPCO de la branche."}}
	q.Duration = "420"
	q.Body = template.HTML("<p>" + strings.Repeat("Le titulaire accueille le public et l'oriente. ", 30) + "</p>")
	q.BlocksTotal = "6 blocs, 420 heures"
	for i := range 6 {
		b := render.BlockView{ID: fmt.Sprintf("bloc-%d", i), Code: fmt.Sprintf("RNCP38123BC0%d", i), Title: "Accueillir et renseigner le public",
			Hours: "70", Assessment: "Mise en situation professionnelle & entretien avec le jury."}
		for j := range 5 {
			b.Skills = append(b.Skills, fmt.Sprintf("Compétence %d : identifier la demande de l'usager", j))
		}
		b.Passerelles = []render.Passerelle{{CQP: "Agent de sûreté", Kind: "CQP", Block: "RNCP90301BC01 — Contrôler l'accès", URL: "../agent-surete/#bloc-1"}}
		q.Blocks = append(q.Blocks, b)
	}
	q.Jobs = []render.Job{{Title: "Agent d'accueil", ROME: "M1601"}, {Title: "Hôte d'accueil", ROME: "M1601"}}
	q.Steps = h("layouts/partials/steps.html", []render.Step{{Title: "S'informer", Text: "Auprès de la branche."}, {Title: "Se former", Text: "En centre."}})
	q.Branches = []render.BranchPartner{{Name: "Propreté", URL: "../../branches/proprete/", Website: "https://example.org/", CPNE: "CPNE Propreté", OPCO: "Akto", IsOwner: true},
		{Name: "Sécurité privée", URL: "../../branches/securite/", Catalogue: "https://example.org/catalogue", OPCO: "Akto"}}
	q.Contacts = h("layouts/partials/contacts.html", []render.Contact{{Label: "CPNE", URL: "https://example.org/", Email: "contact@example.org", Phone: "01 02 03 04 05", Tel: "tel:+33102030405"}})
	q.Updated = render.Date{Text: "2 janvier 2026", ISO: "2026-01-02"}
	return v
}

// BenchmarkExecuteCQP executes a CQP page, with tmplexec and with
// html/template, minified as cqp build does.
func BenchmarkExecuteCQP(b *testing.B) {
	for _, exec := range []string{"tmplexec", "html-template"} {
		b.Run(exec, func(b *testing.B) {
			th, err := theme.LoadWith(nil, "", "fr", theme.Options{Compact: publish.MinifyLayout})
			if err != nil {
				b.Fatal(err)
			}
			if exec == "html-template" {
				theme.HTMLTemplateOnly(th)
			}
			view := cqpView(th)
			var buf bytes.Buffer
			b.ReportAllocs()
			for b.Loop() {
				buf.Reset()
				if err := th.Execute(&buf, "layouts/cqp.html", view); err != nil {
					b.Fatal(err)
				}
			}
			b.SetBytes(int64(buf.Len()))
		})
	}
}

// BenchmarkRender renders a catalogue of 300 CQPs (every page, feeds and
// data files), with tmplexec and with html/template.
func BenchmarkRender(b *testing.B) {
	fsys, err := synth.FS(synth.Options{N: 300, Seed: 42})
	if err != nil {
		b.Fatal(err)
	}
	cat, list := site.Check(fsys, site.Options{Today: today})
	if list.Errors() > 0 {
		b.Fatal(list)
	}
	for _, exec := range []string{"tmplexec", "html-template"} {
		b.Run(exec, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				th, err := site.LoadTheme(fsys, cat, false)
				if err != nil {
					b.Fatal(err)
				}
				if exec == "html-template" {
					theme.HTMLTemplateOnly(th)
				}
				if _, err := render.Render(cat, th, render.Options{Today: today}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
