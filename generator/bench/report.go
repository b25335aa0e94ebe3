package bench

import (
	"fmt"
	"math"
	"strings"
)

// Markdown writes docs/performance.md from a result; svgName is the plot's
// file name beside it. The text is in French, like the rest of docs/. The
// same result always gives the same bytes.
func (r *Result) Markdown(svgName string) []byte {
	var b strings.Builder
	p := func(format string, a ...any) { fmt.Fprintf(&b, format, a...) }

	p("# Performances : cqp face à Hugo et Pagefind\n\n")
	p("<!-- Généré par « make bench » (cmd/cqpbench, generator/bench) : ne pas modifier à la main. -->\n\n")
	p("Mesuré le %s, en une seule exécution de `make bench`, sur la machine décrite plus bas. ", r.Date)
	p("Les deux outils construisent les mêmes catalogues synthétiques (`generator/synth`, graine %d) : ", r.Seed)
	p("`cqp build` d'un côté, qui écrit aussi l'index de recherche ; Hugo puis Pagefind de l'autre, ")
	p("la solution habituelle pour un site statique avec recherche. ")
	p("Chaque temps et chaque mémoire est la médiane de %d exécution%s. ", r.Runs, plural(r.Runs))
	p("Le **rapport** est cqp divisé par l'autre outil : sous 1, cqp fait mieux (÷ 5 : cinq fois moins).\n\n")
	if len(r.Sizes) > 0 && r.Sizes[0].Hugo == nil {
		p("**Comparaison non faite** : Hugo et Pagefind n'ont pas été mesurés (la raison est sous « Non mesuré », plus bas) ; ")
		p("seules les mesures de cqp figurent ici.\n\n")
	}

	r.targetsTable(&b)
	if len(r.Sizes) > 1 || (len(r.Sizes) == 1 && r.Sizes[0].Hugo != nil) {
		p("![Temps et mémoire de pointe selon la taille du catalogue, pour cqp, Hugo et Pagefind](%s)\n\n", svgName)
	}
	for _, s := range r.Sizes {
		r.sizeTable(&b, s)
	}
	r.pagesSection(&b)
	r.machineSection(&b)
	methodSection(&b, r)
	r.commandsSection(&b)
	r.profilesSection(&b)
	r.notesSection(&b)
	return []byte(b.String())
}

func plural(n int) string {
	if n > 1 {
		return "s"
	}
	return ""
}

func (r *Result) targetsTable(b *strings.Builder) {
	if len(r.Sizes) == 0 {
		return
	}
	fmt.Fprintf(b, "## Objectifs\n\n")
	fmt.Fprintf(b, "Les objectifs de l'issue 8, mesurés en rapports dans la même exécution.\n\n")
	b.WriteString("| Objectif |")
	for _, s := range r.Sizes {
		fmt.Fprintf(b, " %s CQP |", fmtInt(int64(s.N)))
	}
	b.WriteString("\n|---|")
	for range r.Sizes {
		b.WriteString("---|")
	}
	b.WriteString("\n")
	for _, id := range []string{TargetBuildTime, TargetBuildMemory, TargetFirstBytes, TargetKeystroke, TargetReload} {
		fmt.Fprintf(b, "| %s |", targetText[id])
		for _, s := range r.Sizes {
			cell := "non mesuré"
			for _, t := range s.Targets {
				if t.ID == id {
					cell = targetCell(t)
				}
			}
			fmt.Fprintf(b, " %s |", cell)
		}
		b.WriteString("\n")
	}
	b.WriteString("\n")
}

// targetCell shows a target's status and figure; a ratio is computed from
// the two medians, as in the size's table, so that both show the same.
func targetCell(t Target) string {
	var word string
	switch t.Status {
	case Met:
		word = "**atteint** : "
	case Missed:
		word = "**manqué** : "
	default:
		return "non mesuré"
	}
	if t.Absolute {
		return word + fmtMs(t.Value)
	}
	return word + fmtRatio(ratio(t.Ours, t.Theirs))
}

// row is one line of a size's table.
type row struct {
	what, ours, theirs, ratio string
}

const dash = "—"

func (r *Result) sizeTable(b *strings.Builder, s Size) {
	fmt.Fprintf(b, "## %s CQP\n\n", fmtInt(int64(s.N)))
	theirName := "Hugo + Pagefind"
	h := s.Hugo
	if h == nil {
		h = &Side{}
		theirName = "Hugo + Pagefind (non mesuré)"
	}
	c := s.CQP
	var rows []row
	add := func(what, ours, theirs, ratio string) { rows = append(rows, row{what, ours, theirs, ratio}) }
	procRows := func(label string, o, t Proc) {
		add(label+" : temps", secs(o.Wall), secs(t.Wall), ratioOf(o.Wall, t.Wall))
		add(label+" : temps CPU (utilisateur + système)", secs(o.CPU), secs(t.CPU), ratioOf(o.CPU, t.CPU))
		add(label+" : mémoire de pointe", mib(o.Peak), mib(t.Peak), ratioOf(o.Peak, t.Peak))
	}
	add("`cqp check` : temps", secs(c.Check.Wall), dash, "")
	add("`cqp check` : mémoire de pointe", mib(c.Check.Peak), dash, "")
	procRows("construction (`cqp build` / `hugo`)", c.Build, h.Build)
	add("indexation (comprise / `pagefind`) : temps", "comprise", secs(h.Index.Wall), "")
	add("indexation : temps CPU", "comprise", secs(h.Index.CPU), "")
	add("indexation : mémoire de pointe", "comprise", mib(h.Index.Peak), "")
	add("site avec recherche (construction + indexation) : temps", fsecs(c.SiteWall()), fsecs(h.SiteWall()), fmtRatio(ratio(c.SiteWall(), h.SiteWall())))
	add("site avec recherche : mémoire de pointe", fmib(c.SitePeak()), fmib(h.SitePeak()), fmtRatio(ratio(c.SitePeak(), h.SitePeak())))
	add("sortie : fichiers", treeFiles(c.Output), treeFiles(h.Output), "")
	add("sortie : taille", treeBytes(c.Output), treeBytes(h.Output), fmtRatio(ratio(float64(c.Output.Bytes), float64(h.Output.Bytes))))
	add("index de recherche : fichiers", treeFiles(c.Search), treeFiles(h.Search), "")
	add("index de recherche : taille", treeBytes(c.Search), treeBytes(h.Search), fmtRatio(ratio(float64(c.Search.Bytes), float64(h.Search.Bytes))))
	var cq, hq Query
	if c.Query != nil {
		cq = *c.Query
	}
	if h.Query != nil {
		hq = *h.Query
	}
	add("octets téléchargés avant le premier résultat", statBytes(cq.Bytes), statBytes(hq.Bytes), ratioOf(cq.Bytes, hq.Bytes))
	add("requêtes avant le premier résultat", statCount(cq.Requests), statCount(hq.Requests), "")
	add("frappe : appel de recherche (médiane / max)", statMs(cq.KeyCall), statMs(hq.KeyCall), ratioOf(cq.KeyCall, hq.KeyCall))
	add("frappe : de la touche aux résultats (médiane / max)", statMs(cq.KeyWall), statMs(hq.KeyWall), ratioOf(cq.KeyWall, hq.KeyWall))
	var cs, hs Reload
	if c.Serve != nil {
		cs = *c.Serve
	}
	if h.Serve != nil {
		hs = *h.Serve
	}
	add("serveur de dév. : enregistrement → message de rechargement", statMsOnly(cs.Reload), dash, "")
	add("serveur de dév. : enregistrement → page servie à jour", statMsOnly(cs.Served), statMsOnly(hs.Served), ratioOf(cs.Served, hs.Served))
	add("serveur de dév. : reconstruction complète, selon le serveur", statMsOnly(cs.Internal), statMsOnly(hs.Internal), ratioOf(cs.Internal, hs.Internal))
	add("serveur de dév. : construction initiale", startup(cs), startup(hs), "")
	add("pages CQP / branches / niveaux", pagesCell(c.Pages), pagesCell(h.Pages), samePages(s))

	fmt.Fprintf(b, "| Mesure | cqp | %s | Rapport |\n|---|---:|---:|---:|\n", theirName)
	for _, r := range rows {
		fmt.Fprintf(b, "| %s | %s | %s | %s |\n", r.what, r.ours, r.theirs, r.ratio)
	}
	b.WriteString("\n")
}

func secs(s Stat) string {
	if !s.Valid() {
		return dash
	}
	return fmtSeconds(s.Median)
}

func fsecs(v float64) string {
	if math.IsNaN(v) {
		return dash
	}
	return fmtSeconds(v)
}

func mib(s Stat) string {
	if !s.Valid() {
		return dash
	}
	return fmtMiB(s.Median)
}

func fmib(v float64) string {
	if math.IsNaN(v) || v == 0 {
		return dash
	}
	return fmtMiB(v)
}

func ratioOf(o, t Stat) string {
	if !o.Valid() || !t.Valid() {
		return ""
	}
	return fmtRatio(ratio(o.Median, t.Median))
}

func treeFiles(t Tree) string {
	if t.Files == 0 {
		return dash
	}
	return fmtInt(int64(t.Files))
}

func treeBytes(t Tree) string {
	if t.Files == 0 {
		return dash
	}
	return fmtBytes(t.Bytes)
}

func statBytes(s Stat) string {
	if !s.Valid() {
		return dash
	}
	return fmtBytes(int64(s.Median))
}

func statCount(s Stat) string {
	if !s.Valid() {
		return dash
	}
	return decimal(s.Median, 0)
}

func statMs(s Stat) string {
	if !s.Valid() {
		return dash
	}
	return fmtMs(s.Median) + " / " + fmtMs(s.Max)
}

func statMsOnly(s Stat) string {
	if !s.Valid() {
		return dash
	}
	return fmtMs(s.Median)
}

func startup(r Reload) string {
	if r.Startup == 0 {
		return dash
	}
	return fmtSeconds(r.Startup)
}

func pagesCell(p Pages) string {
	if p.Total == 0 {
		return dash
	}
	return fmtInt(int64(p.CQP)) + " / " + fmtInt(int64(p.Branch)) + " / " + fmtInt(int64(p.Level))
}

func samePages(s Size) string {
	switch {
	case s.Hugo == nil:
		return ""
	case len(s.PageDifferences) == 0:
		return "identiques"
	}
	return "**différentes**"
}

func (r *Result) pagesSection(b *strings.Builder) {
	var diffs []string
	for _, s := range r.Sizes {
		for _, d := range s.PageDifferences {
			diffs = append(diffs, fmtInt(int64(s.N))+" CQP : "+d)
		}
	}
	if len(diffs) == 0 {
		return
	}
	b.WriteString("## Attention : les deux sites n'ont pas les mêmes pages\n\n")
	b.WriteString("La comparaison n'est juste que si les deux outils construisent autant de pages de CQP, de branches et de niveaux. Écarts :\n\n")
	for _, d := range diffs {
		fmt.Fprintf(b, "- %s\n", d)
	}
	b.WriteString("\n")
}

func (r *Result) machineSection(b *strings.Builder) {
	m := r.Machine
	b.WriteString("## Machine\n\n")
	fmt.Fprintf(b, "- Processeurs : %d (%s)\n", m.CPUs, orUnknown(m.CPUModel))
	fmt.Fprintf(b, "- Mémoire : %s\n", fmtMiB(float64(m.MemoryMiB)))
	fmt.Fprintf(b, "- Système : %s, noyau %s\n", orUnknown(m.OS), orUnknown(m.Kernel))
	fmt.Fprintf(b, "- Go : %s ; cqp : %s\n", m.Go, orUnknown(m.CQP))
	fmt.Fprintf(b, "- Hugo : %s ; Pagefind : %s ; Chromium : %s\n\n", orNone(m.Hugo), orNone(m.Pagefind), orNone(m.Chromium))
	b.WriteString("La machine peut être partagée avec d'autres travaux : les médianes en atténuent l'effet, pas entièrement. ")
	b.WriteString("Les rapports, pris dans la même exécution, varient moins que les valeurs.\n\n")
}

func orUnknown(s string) string {
	if s == "" {
		return "inconnu"
	}
	return s
}

func orNone(s string) string {
	if s == "" {
		return "absent"
	}
	return s
}

func methodSection(b *strings.Builder, r *Result) {
	b.WriteString("## Méthode\n\n")
	b.WriteString("- **Temps et mémoire** : chaque commande est le binaire construit (pas `go run`), lancée comme processus fils, chaque exécution dans un dossier de sortie neuf (point suivant). ")
	b.WriteString("Temps : horloge monotone du lancement à la fin. Mémoire de pointe : `ru_maxrss` du fils, lu par `wait4` (`ProcessState.SysUsage`).\n")
	b.WriteString("- **Des dossiers neufs, rien d'effacé avant la fin** : sur la machine où ce banc a été mis au point, la racine est un ext4 sans journal. ")
	b.WriteString("Dans ce mode, pour créer un inode, le noyau saute chaque inode effacé depuis moins de 60 s (300 s de plus tant que son bloc de la table des inodes n'est pas écrit sur le disque) : ")
	b.WriteString("juste après un `rm -rf` d'une grande arborescence, `perf record` montre 57 % du temps de création des fichiers dans `recently_deleted` et `find_get_block_common`, sous `__ext4_new_inode`, ")
	b.WriteString("et chaque `mkdir` ou `open(O_CREAT)` coûte environ 420 µs au lieu d'environ 10 µs (10 000 dossiers avec chacun un fichier de 22 Ko : 8,6 s juste après l'effacement d'une arborescence, 0,3 s sur tmpfs). ")
	b.WriteString("Effacer la sortie précédente avant chaque exécution faisait payer cet effacement à chaque construction mesurée, de cqp comme de Hugo : les chiffres mesuraient ce travers plus que les outils, et pénalisaient l'outil qui écrit le plus de fichiers. ")
	b.WriteString("Les deux outils écrivent donc dans des dossiers neufs : l'exécution k de `cqp build` et de `hugo` dans `public.run-k`, qui n'existait pas ; celle de Pagefind indexe la sortie de l'exécution k de Hugo et y écrit son dossier `pagefind/`, neuf lui aussi ; les catalogues de chaque taille sont écrits dans des dossiers neufs. ")
	b.WriteString("Rien n'est effacé avant que toutes les mesures soient prises : ce qu'une exécution précédente du banc a laissé est d'abord mis de côté (un renommage, qui ne libère aucun inode), et tout est effacé à la fin. ")
	b.WriteString("Les tailles, les pages et les recherches sont celles des sites de la dernière exécution.\n")
	b.WriteString("- **Site avec recherche** : pour cqp, `cqp build`, qui écrit l'index ; pour l'autre côté, Hugo puis Pagefind : temps additionnés, mémoire la plus grande des deux.\n")
	fmt.Fprintf(b, "- **Octets avant le premier résultat** : Chromium sans interface, profil vide, le site servi sans compression par un serveur statique local. ")
	fmt.Fprintf(b, "Sont comptées les réponses des fichiers de la recherche (`search/` ou `pagefind/`), en-têtes compris, telles que le domaine Network de DevTools les compte (`encodedDataLength`), y compris celles d'un web worker ; ")
	fmt.Fprintf(b, "le script d'un worker, que DevTools ne mesure pas, est compté par le serveur. ")
	fmt.Fprintf(b, "cqp : la page d'accueil ouverte, la requête tapée au clavier dans le champ de recherche, jusqu'à l'affichage des résultats de la requête entière (l'interface en charge %d). ", 20)
	fmt.Fprintf(b, "Pagefind : comme `shared/bench/pagefind_query_bytes.cjs`, une petite page ouverte (non comptée), puis `pagefind.js` importé, `search()` et les données des %d premiers résultats, ce qu'affiche son interface par défaut. ", r.Results)
	fmt.Fprintf(b, "Médiane sur les requêtes : %s.\n", quoteList(r.Queries))
	b.WriteString("- **Frappe** : la même requête retapée lettre à lettre dans la même page (index déjà chargé). ")
	b.WriteString("cqp : « appel de recherche » est le temps que donne le script de recherche lui-même (`cqpSearch.timing.total` : requête et affichage) ; « de la touche aux résultats » va de l'événement `input` aux résultats affichés. ")
	b.WriteString("Pagefind : `pagefind.search()`, puis avec le chargement des données des résultats montrés. ")
	b.WriteString("L'objectif « moins de 10 ms » porte sur la médiane de cqp « de la touche aux résultats » ; le maximum, montré aussi, est la frappe qui charge un nouveau morceau de l'index.\n")
	b.WriteString("- **Serveur de développement** : une fiche CQP enregistrée tour à tour avec une phrase de plus dans le corps et un titre changé (qui change aussi les listes). ")
	b.WriteString("cqp : `cqp serve`, temps jusqu'au message de rechargement sur son flux d'événements (SSE), puis jusqu'à la page servie à jour. ")
	b.WriteString("Hugo : `hugo server` (rendu en mémoire, mode rapide par défaut), comme `shared/bench/server_rebuild.sh` : la page interrogée toutes les 10 ms jusqu'à ce qu'elle montre la modification. ")
	b.WriteString("Le rapport compare les deux « page servie à jour ». ")
	b.WriteString("Les deux serveurs servent la page ouverte avant d'avoir reconstruit le reste : chaque enregistrement attend que le précédent soit fini, ce que chaque serveur écrit dans son journal (« N fichiers reconstruits en … » pour cqp, « Total in … ms » pour Hugo), et ce chiffre est la ligne « reconstruction complète ».\n")
	b.WriteString("- **Pages** : les deux sites doivent avoir autant de pages de CQP, de branches et de niveaux ; le tableau les compte. Les listes et leur pagination diffèrent à dessein (Hugo met tout le catalogue sur l'accueil, cqp pagine).\n\n")
}

func quoteList(q []string) string {
	var s []string
	for _, x := range q {
		s = append(s, "« "+x+" »")
	}
	return strings.Join(s, ", ")
}

func (r *Result) commandsSection(b *strings.Builder) {
	b.WriteString("## Commandes\n\n```sh\n")
	b.WriteString("make bench                 # BENCH_RUNS=3 par défaut ; BENCH_LARGE=1 ajoute 30 000 CQP\n")
	for _, c := range r.Commands {
		fmt.Fprintf(b, "%s\n", c)
	}
	b.WriteString("```\n\n")
}

func (r *Result) profilesSection(b *strings.Builder) {
	if len(r.Profiles) == 0 {
		return
	}
	b.WriteString("## Profils\n\n")
	fmt.Fprintf(b, "Des objectifs sont manqués (%s) : `make bench` a profilé la construction.\n\n", r.Profiles[0].Why)
	for _, p := range r.Profiles {
		title := "CPU"
		if p.Kind == "alloc_space" {
			title = "Allocations (octets alloués, `-sample_index=alloc_space`)"
		}
		fmt.Fprintf(b, "### %s\n\n", title)
		if len(p.Stages) > 0 {
			b.WriteString("Où va le temps CPU, par étape (part cumulée des échantillons) :\n\n| Étape | Part |\n|---|---:|\n")
			for _, st := range p.Stages {
				fmt.Fprintf(b, "| %s | %s %% |\n", st.Name, decimal(st.Percent, 1))
			}
			b.WriteString("\n")
		}
		if hot := HotSpots(p.Top, 5); len(hot) > 0 {
			b.WriteString("Les fonctions qui coûtent le plus par elles-mêmes :\n\n")
			for _, h := range hot {
				fmt.Fprintf(b, "- `%s`\n", h)
			}
			b.WriteString("\n")
		}
		fmt.Fprintf(b, "`%s`\n\n```\n%s\n```\n\n", p.Command, p.Top)
	}
}

func (r *Result) notesSection(b *strings.Builder) {
	if len(r.Skipped) == 0 && len(r.Failures) == 0 {
		return
	}
	b.WriteString("## Non mesuré\n\n")
	for _, s := range r.Skipped {
		fmt.Fprintf(b, "- %s\n", s)
	}
	for _, f := range r.Failures {
		fmt.Fprintf(b, "- **Échec** : %s\n", strings.ReplaceAll(f, "\n", " "))
	}
	b.WriteString("\n")
}

// PlotOf makes the figure of a result: time and peak memory of the steps to
// a searchable site, for each tool, against catalogue size.
func PlotOf(r *Result) Plot {
	p := Plot{Title: "cqp, Hugo et Pagefind : temps et mémoire selon la taille du catalogue"}
	nan := math.NaN()
	var cqpT, hugoT, siteT, cqpM, hugoM, pfM []float64
	for _, s := range r.Sizes {
		p.Sizes = append(p.Sizes, s.N)
		cqpT = append(cqpT, statOr(s.CQP.Build.Wall, nan))
		cqpM = append(cqpM, statOr(s.CQP.Build.Peak, nan))
		if s.Hugo != nil {
			hugoT = append(hugoT, statOr(s.Hugo.Build.Wall, nan))
			siteT = append(siteT, s.Hugo.SiteWall())
			hugoM = append(hugoM, statOr(s.Hugo.Build.Peak, nan))
			pfM = append(pfM, statOr(s.Hugo.Index.Peak, nan))
		} else {
			hugoT, siteT, hugoM, pfM = append(hugoT, nan), append(siteT, nan), append(hugoM, nan), append(pfM, nan)
		}
	}
	p.Panels = []Panel{
		{Title: "Temps de construction", Unit: "secondes", Series: []Series{
			{Name: "cqp build (recherche comprise)", Values: cqpT},
			{Name: "Hugo", Values: hugoT},
			{Name: "Hugo + Pagefind", Values: siteT},
		}},
		{Title: "Mémoire de pointe", Unit: "Mo", Series: []Series{
			{Name: "cqp build (recherche comprise)", Values: cqpM},
			{Name: "Hugo", Values: hugoM},
			{Name: "Pagefind", Values: pfM},
		}},
	}
	return p
}

func statOr(s Stat, def float64) float64 {
	if !s.Valid() {
		return def
	}
	return s.Median
}
