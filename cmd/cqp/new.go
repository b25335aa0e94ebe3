package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/cqp-catalogue/cqp/generator/catalog"
	"github.com/cqp-catalogue/cqp/generator/scaffold"
	"github.com/cqp-catalogue/cqp/generator/schema"
	"github.com/cqp-catalogue/cqp/generator/site"
)

const newUsage = `Usage :
  cqp new cqp|branch|page <id> [--src DIR] [--title TITRE] [--branches ID,ID]
  cqp new site <dossier> [--title TITRE] [--base-url URL] [--branch ID] [--branch-name NOM] [--cqp-version VERSION]
  cqp new schema [--src DIR]

  cqp new cqp|branch|page écrit une fiche dont chaque clé est commentée, qui
  passe « cqp check » telle quelle ; un fichier existant n'est jamais remplacé.
  cqp new site crée un nouveau dépôt de catalogue : contenu d'exemple,
  vérification et publication par GitHub Actions ou GitLab CI, README.
  cqp new schema met à jour le dossier schema/ du catalogue (les schémas JSON
  que lisent les éditeurs de texte) après un changement de version de cqp.

Codes de sortie : 0 fichier créé, 1 fichier existant ou catalogue incomplet,
2 erreur d'usage (identifiant refusé, option inconnue).
`

func runNew(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, newUsage)
		return exitUsage
	}
	switch kind := args[0]; kind {
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, newUsage)
		return exitOK
	case "site":
		return newSite(args[1:], stdout, stderr)
	case "schema":
		return newSchema(args[1:], stdout, stderr)
	default:
		if slices.Contains(scaffold.Kinds(), kind) {
			return newFile(kind, args[1:], stdout, stderr)
		}
		fmt.Fprintf(stderr, "cqp new : type « %s » inconnu : choisir parmi %s, site ou schema\n\n%s", kind, strings.Join(scaffold.Kinds(), ", "), newUsage)
		return exitUsage
	}
}

// parseInterleaved parses flags written before, between or after the
// positional arguments (cqp new cqp soudeur --src site), which the flag
// package alone stops at, and returns the positional arguments.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if len(args) > len(rest) && args[len(args)-len(rest)-1] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// parseNewFlags parses and checks the number of positional arguments; it
// returns the exit code to use when parsing failed, or -1.
func parseNewFlags(fs *flag.FlagSet, args []string, want int, stderr io.Writer) ([]string, int) {
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, exitOK
		}
		return nil, exitUsage
	}
	if len(pos) != want {
		if len(pos) < want {
			fmt.Fprintf(stderr, "cqp %s : argument manquant\n", fs.Name())
		} else {
			fmt.Fprintf(stderr, "cqp %s : argument inattendu « %s »\n", fs.Name(), pos[want])
		}
		fs.Usage()
		return nil, exitUsage
	}
	return pos, -1
}

func newFile(kind string, args []string, stdout, stderr io.Writer) int {
	synopsis := "<id> [--src DIR] [--title TITRE]"
	if kind == "cqp" {
		synopsis += " [--branches ID,ID]"
	}
	flags := newFlags("new "+kind, synopsis, stderr)
	src := flags.String("src", ".", "dossier du catalogue (celui qui contient content/)")
	title := flags.String("title", "", "titre (ou nom de la branche) ; par défaut, tiré de l'identifiant")
	var branches *string
	if kind == "cqp" {
		branches = flags.String("branches", "", "branches qui délivrent le CQP, séparées par des virgules ; par défaut, la branche propriétaire du site")
	}
	pos, code := parseNewFlags(flags, args, 1, stderr)
	if code >= 0 {
		return code
	}
	id := pos[0]
	if err := scaffold.CheckID(kind, id); err != nil {
		fmt.Fprintf(stderr, "cqp new : %v\n", err)
		var ie *scaffold.IDError
		if errors.As(err, &ie) && *title == "" && ie.Suggestion != "" && strings.ContainsAny(id, " ") {
			fmt.Fprintf(stderr, "  par exemple : cqp new %s %s --title %q\n", kind, ie.Suggestion, id)
		}
		return exitUsage
	}
	if code := requireSite(*src, stderr); code >= 0 {
		return code
	}
	rel, _ := scaffold.Path(kind, id)
	target := filepath.Join(*src, filepath.FromSlash(rel))
	if _, err := os.Lstat(target); err == nil {
		fmt.Fprintf(stderr, "cqp new : « %s » existe déjà : cqp new ne remplace jamais un fichier ; modifier celui-ci ou choisir un autre identifiant\n", target)
		return exitContent
	}

	cat, _ := site.Check(os.DirFS(*src), site.Options{})
	opts := scaffold.FileOptions{Title: *title}
	doc, _ := scaffold.Doc(kind)
	opts.Schema = schemaRef(*src, rel, doc, cat)
	if kind == "cqp" {
		ids, code := cqpBranches(cat, *branches, stderr)
		if code >= 0 {
			return code
		}
		opts.Branches = ids
	}
	text, err := scaffold.File(kind, id, opts)
	if err != nil {
		fmt.Fprintf(stderr, "cqp new : %v\n", err)
		return exitUsage
	}
	if err := createFile(target, text); err != nil {
		fmt.Fprintf(stderr, "cqp new : %v\n", err)
		return exitContent
	}
	fmt.Fprintf(stdout, "%s créé : chaque clé y est expliquée. Compléter la fiche, puis vérifier avec « cqp check ».\n", target)
	if kind == "cqp" {
		fmt.Fprintln(stdout, "Tant que le résumé (summary) et les blocs (blocks) manquent, « cqp check » le rappelle par un avertissement.")
	}
	return exitOK
}

// requireSite refuses a folder that holds no catalogue.
func requireSite(src string, stderr io.Writer) int {
	if st, err := os.Stat(src); err != nil || !st.IsDir() {
		fmt.Fprintf(stderr, "cqp : dossier du catalogue « %s » introuvable\n", src)
		return exitUsage
	}
	if _, err := os.Stat(filepath.Join(src, "content", "_index.md")); err != nil {
		fmt.Fprintf(stderr, "cqp new : pas de catalogue dans « %s » (content/_index.md absent) : créer un catalogue avec « cqp new site DOSSIER », ou indiquer son dossier avec --src\n", src)
		return exitUsage
	}
	return -1
}

// cqpBranches picks the branches of a new CQP: those given, which must
// exist, else the site's owner, else its first branch.
func cqpBranches(cat *catalog.Catalog, given string, stderr io.Writer) ([]string, int) {
	var known []string
	for _, b := range cat.Branches {
		known = append(known, b.ID)
	}
	slices.Sort(known)
	if given != "" {
		var ids []string
		for _, id := range strings.Split(given, ",") {
			id = strings.TrimSpace(id)
			if id == "" || slices.Contains(ids, id) {
				continue
			}
			if cat.Branch(id) == nil {
				fmt.Fprintf(stderr, "cqp new : branche « %s » inconnue (pas de content/branches/%s.md) ; branches du catalogue : %s\n", id, id, listOrNone(known))
				return nil, exitContent
			}
			ids = append(ids, id)
		}
		if len(ids) > 0 {
			return ids, -1
		}
	}
	if o := cat.Owner(); o != nil {
		return []string{o.ID}, -1
	}
	if len(cat.Branches) > 0 {
		return []string{cat.Branches[0].ID}, -1
	}
	fmt.Fprintln(stderr, "cqp new : aucune branche dans content/branches/ : un CQP est délivré par au moins une branche ; créer d'abord la sienne, par exemple « cqp new branch metallurgie »")
	return nil, exitContent
}

func listOrNone(ids []string) string {
	if len(ids) == 0 {
		return "aucune"
	}
	return strings.Join(ids, ", ")
}

// schemaRef picks what the modeline of a new file points at: the schema
// kept in the catalogue's repository when there is one (it works offline
// and before the first publication, and stays in step with the version of
// cqp the repository pins), else the one published with the site.
func schemaRef(src, rel string, doc *schema.Doc, cat *catalog.Catalog) string {
	for _, dir := range []string{"", "docs/"} {
		p := dir + schema.JSONSchemaPath(doc)
		if _, err := os.Stat(filepath.Join(src, filepath.FromSlash(p))); err == nil {
			return scaffold.RelativeSchema(rel, p)
		}
	}
	if cat.Site != nil && strings.HasPrefix(cat.Site.BaseURL, "http") {
		return cat.Site.BaseURL + schema.JSONSchemaPath(doc)
	}
	return scaffold.RelativeSchema(rel, schema.JSONSchemaPath(doc))
}

// createFile writes a new file, never replacing one.
func createFile(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("« %s » existe déjà : cqp new ne remplace jamais un fichier", path)
		}
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func newSite(args []string, stdout, stderr io.Writer) int {
	flags := newFlags("new site", "<dossier> [--title TITRE] [--base-url URL] [--branch ID] [--branch-name NOM] [--cqp-version VERSION]", stderr)
	var opts scaffold.SiteOptions
	flags.StringVar(&opts.Title, "title", "", "nom du site ; par défaut « Catalogue des CQP : » et le nom de la branche")
	flags.StringVar(&opts.BaseURL, "base-url", "", "adresse publique du site ; par défaut "+scaffold.DefaultBaseURL+", à remplacer")
	flags.StringVar(&opts.Branch, "branch", "", "identifiant de la branche qui publie le catalogue (par défaut ma-branche)")
	flags.StringVar(&opts.BranchName, "branch-name", "", "nom de cette branche ; par défaut, tiré de l'identifiant")
	flags.StringVar(&opts.CQPVersion, "cqp-version", "", "version de cqp qu'installe la CI ; par défaut celle-ci, ou "+scaffold.DefaultCQPVersion+" pour une version de développement")
	pos, code := parseNewFlags(flags, args, 1, stderr)
	if code >= 0 {
		return code
	}
	dir := pos[0]
	if opts.CQPVersion == "" && scaffold.ValidVersion(versionString()) {
		opts.CQPVersion = versionString()
	}
	files, err := scaffold.Site(opts)
	if err != nil {
		fmt.Fprintf(stderr, "cqp new site : %v\n", err)
		return exitUsage
	}
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		fmt.Fprintf(stderr, "cqp new site : le dossier « %s » n'est pas vide : cqp new site crée un catalogue dans un dossier vide ou absent, sans rien remplacer\n", dir)
		return exitContent
	} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
		fmt.Fprintf(stderr, "cqp new site : %v\n", err)
		return exitContent
	}
	paths := make([]string, 0, len(files))
	for p := range files {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	for _, p := range paths {
		if err := createFile(filepath.Join(dir, filepath.FromSlash(p)), files[p]); err != nil {
			fmt.Fprintf(stderr, "cqp new site : %v\n", err)
			return exitContent
		}
	}
	fmt.Fprintf(stdout, "Catalogue créé dans %s (%d fichiers). Pour commencer :\n", dir, len(paths))
	fmt.Fprintf(stdout, "  1. lire %s ;\n", filepath.Join(dir, "README.md"))
	fmt.Fprintf(stdout, "  2. vérifier le catalogue : cqp check --src %s\n", dir)
	fmt.Fprintf(stdout, "  3. créer un CQP : cqp new cqp soudeur-industriel --src %s\n", dir)
	fmt.Fprintln(stdout, "  4. publier : pousser le dossier dans un dépôt GitHub (ou GitLab) ; chaque pull request est vérifiée, la branche main est publiée.")
	return exitOK
}

func newSchema(args []string, stdout, stderr io.Writer) int {
	flags := newFlags("new schema", "[--src DIR]", stderr)
	src := flags.String("src", ".", "dossier du catalogue (celui qui contient content/)")
	if _, code := parseNewFlags(flags, args, 0, stderr); code >= 0 {
		return code
	}
	if code := requireSite(*src, stderr); code >= 0 {
		return code
	}
	schemas := schema.JSONSchemas()
	paths := make([]string, 0, len(schemas))
	for p := range schemas {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	for _, p := range paths {
		target := filepath.Join(*src, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			fmt.Fprintf(stderr, "cqp new schema : %v\n", err)
			return exitContent
		}
		if err := os.WriteFile(target, schemas[p], 0o644); err != nil {
			fmt.Fprintf(stderr, "cqp new schema : %v\n", err)
			return exitContent
		}
		fmt.Fprintln(stdout, target)
	}
	return exitOK
}
