package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"

	"github.com/cqp-catalogue/cqp/generator/diag"
	"github.com/cqp-catalogue/cqp/generator/site"
)

// Exit codes, as the content model's command line says.
const (
	exitOK      = 0
	exitContent = 1
	exitUsage   = 2
	// exitInterrupted is the shell's code for a command stopped by
	// Ctrl-C (128 + SIGINT): `cqp build` stops, removes what it had
	// written, and leaves the output folder as it was.
	exitInterrupted = 130
)

const usage = `cqp construit le site d'un catalogue de CQP à partir de fichiers Markdown.

Usage :
  cqp build [--src DIR] [--out DIR] [--base-url URL] [--no-minify]
  cqp check [--src DIR] [--strict] [--format text|github|json]
  cqp serve [--src DIR] [--addr 127.0.0.1:1313]
  cqp new cqp|branch|page <id> [--src DIR] [--title TITRE]
  cqp new site <dossier> [--base-url URL] [--branch ID] [--branch-name NOM]
  cqp new schema [--src DIR]
  cqp version

Commandes :
  build     vérifie le contenu puis construit le site dans public/ (remplacé d'un coup)
  check     vérifie le contenu et affiche chaque problème (fichier:ligne:colonne)
  serve     construit le site en mémoire, le sert et le met à jour à chaque enregistrement
  new       crée une fiche commentée (CQP, branche, page) ou un nouveau catalogue
  version   affiche la version

« cqp <commande> -h » détaille les options d'une commande.
`

// version is set at link time (-ldflags "-X main.version=v1.2.3"); when it
// is not, the module version recorded by go install is used.
var version = ""

// run is the whole command, testable without a process: it returns the
// exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	switch args[0] {
	case "build":
		return runBuild(ctx, args[1:], stdout, stderr, getenv)
	case "check":
		return runCheck(args[1:], stdout, stderr, getenv)
	case "serve":
		return runServe(ctx, args[1:], stdout, stderr, getenv)
	case "new":
		return runNew(args[1:], stdout, stderr)
	case "version", "--version", "-version":
		fmt.Fprintln(stdout, "cqp", versionString())
		return exitOK
	case "help", "-h", "--help", "-help":
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	fmt.Fprintf(stderr, "cqp : commande inconnue « %s »\n\n%s", args[0], usage)
	return exitUsage
}

func versionString() string {
	if version != "" {
		return version
	}
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" && info.Main.Version != "(devel)" {
		return info.Main.Version
	}
	return "(développement)"
}

// newFlags makes a flag set that reports usage errors to stderr.
func newFlags(name, synopsis string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage : cqp %s %s\n\nOptions :\n", name, synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses and refuses stray arguments; it returns the exit code
// to use when parsing failed, or -1.
func parseFlags(fs *flag.FlagSet, args []string, stderr io.Writer) int {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "cqp %s : argument inattendu « %s »\n", fs.Name(), fs.Arg(0))
		fs.Usage()
		return exitUsage
	}
	return -1
}

func runCheck(args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	fs := newFlags("check", "[--src DIR] [--strict] [--format text|github|json]", stderr)
	src := fs.String("src", ".", "dossier du site (celui qui contient content/)")
	strict := fs.Bool("strict", false, "traiter les avertissements comme des erreurs")
	format := fs.String("format", "text", "format des diagnostics : text, github ou json")
	if code := parseFlags(fs, args, stderr); code >= 0 {
		return code
	}
	f, err := diag.ParseFormat(*format)
	if err != nil {
		fmt.Fprintf(stderr, "cqp check : %v\n", err)
		return exitUsage
	}
	opts, code := siteOptions(*src, getenv, stderr)
	if code >= 0 {
		return code
	}
	opts.Strict = *strict
	cat, list := site.Check(os.DirFS(*src), opts)
	if err := list.Write(stderr, f); err != nil {
		return exitContent
	}
	if f == diag.Text {
		fmt.Fprintln(stdout, summary(list, len(cat.CQPs), len(cat.Branches), len(cat.Pages)))
	}
	if list.Errors() > 0 {
		return exitContent
	}
	return exitOK
}

// siteOptions checks the site folder and reads SOURCE_DATE_EPOCH.
func siteOptions(src string, getenv func(string) string, stderr io.Writer) (site.Options, int) {
	if st, err := os.Stat(src); err != nil || !st.IsDir() {
		fmt.Fprintf(stderr, "cqp : dossier du site « %s » introuvable\n", src)
		return site.Options{}, exitUsage
	}
	today, err := site.Today(getenv)
	if err != nil {
		fmt.Fprintf(stderr, "cqp : %v\n", err)
		return site.Options{}, exitUsage
	}
	return site.Options{Today: today}, -1
}

func summary(list diag.List, cqps, branches, pages int) string {
	counts := fmt.Sprintf("%d CQP, %d branche%s, %d page%s", cqps, branches, s(branches), pages, s(pages))
	errs, warns := list.Errors(), list.Warnings()
	if errs == 0 && warns == 0 {
		return counts + " : aucun problème."
	}
	var parts []string
	if errs > 0 {
		parts = append(parts, fmt.Sprintf("%d erreur%s", errs, s(errs)))
	}
	if warns > 0 {
		parts = append(parts, fmt.Sprintf("%d avertissement%s", warns, s(warns)))
	}
	return counts + " : " + strings.Join(parts, ", ") + "."
}

func s(n int) string {
	if n > 1 {
		return "s"
	}
	return ""
}
