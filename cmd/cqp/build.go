package main

import (
	"context"
	"fmt"
	"io"
	"iter"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
	"time"

	"github.com/cqp-catalogue/cqp/generator/diag"
	"github.com/cqp-catalogue/cqp/generator/publish"
	"github.com/cqp-catalogue/cqp/generator/site"
)

// runBuild is `cqp build`: check, render, write. The check comes first and
// is the same as `cqp check`'s; on any content error nothing is written
// and an existing output folder is left as it was.
func runBuild(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	fs := newFlags("build", "[--src DIR] [--out DIR] [--base-url URL] [--no-minify]", stderr)
	src := fs.String("src", ".", "dossier du site (celui qui contient content/)")
	out := fs.String("out", "public", "dossier de sortie, remplacé en entier (relatif au dossier courant)")
	baseURL := fs.String("base-url", "", "adresse publique du site, à la place de base_url (https://…)")
	noMinify := fs.Bool("no-minify", false, "ne pas minifier HTML, CSS, JS, JSON, SVG et XML (pour déboguer)")
	strict := fs.Bool("strict", false, "traiter les avertissements comme des erreurs")
	cpuProfile := fs.String("profile-cpu", "", "écrire le profil CPU de la construction dans ce fichier (go tool pprof)")
	memProfile := fs.String("profile-mem", "", "écrire le profil mémoire (allocations) de la construction dans ce fichier (go tool pprof)")
	if code := parseFlags(fs, args, stderr); code >= 0 {
		return code
	}
	stop, err := startProfiles(*cpuProfile, *memProfile)
	if err != nil {
		fmt.Fprintf(stderr, "cqp build : %v\n", err)
		return exitUsage
	}
	defer func() {
		if err := stop(); err != nil {
			fmt.Fprintf(stderr, "cqp build : %v\n", err)
		}
	}()
	if *baseURL != "" {
		u, err := checkBaseURL(*baseURL)
		if err != nil {
			fmt.Fprintf(stderr, "cqp build : %v\n", err)
			return exitUsage
		}
		*baseURL = u
	}
	if strings.TrimSpace(*out) == "" {
		fmt.Fprintln(stderr, "cqp build : --out ne peut pas être vide")
		return exitUsage
	}
	opts, code := siteOptions(*src, getenv, stderr)
	if code >= 0 {
		return code
	}
	opts.Strict = *strict
	wopts, err := publish.EnvOptions(getenv)
	if err != nil {
		fmt.Fprintf(stderr, "cqp : %v\n", err)
		return exitUsage
	}
	wopts.Source = *src

	start := time.Now()
	fsys := os.DirFS(*src)
	bopts := site.BuildOptions{Options: opts, BaseURL: *baseURL, Minify: !*noMinify}
	cat, list := site.Check(fsys, opts)
	if werr := list.Write(stderr, diag.Text); werr != nil {
		return exitContent
	}
	if list.Errors() > 0 {
		fmt.Fprintln(stderr, summary(list, len(cat.CQPs), len(cat.Branches), len(cat.Pages))+" Rien n'a été écrit.")
		return exitContent
	}
	defer boundHeap(getenv)()
	// The pages go to a new folder beside the output as they are rendered;
	// it takes the output's place only once complete.
	tree, err := wopts.Create(*out)
	if err != nil {
		fmt.Fprintf(stderr, "cqp build : %v\n", err)
		return exitContent
	}
	sink := &buildSink{ctx: ctx, tree: tree}
	err = site.Render(fsys, cat, bopts, sink)
	if err == nil {
		err = ctx.Err()
	}
	if err != nil {
		tree.Abort()
		if ctx.Err() != nil {
			fmt.Fprintf(stderr, "cqp build : interrompu ; rien n'a été écrit, %s est tel qu'avant.\n", *out)
			return exitInterrupted
		}
		fmt.Fprintf(stderr, "cqp build : %v\nRien n'a été écrit.\n", err)
		return exitContent
	}
	if err := tree.Commit(); err != nil {
		fmt.Fprintf(stderr, "cqp build : %v\n", err)
		return exitContent
	}
	n := int(sink.pages.Load())
	fmt.Fprintf(stdout, "%d CQP, %d page%s HTML, %d fichiers (%s) écrits dans %s en %s.\n",
		len(cat.CQPs), n, s(n), tree.Files(), humanSize(tree.Size()), *out, time.Since(start).Round(time.Millisecond))
	if w := list.Warnings(); w > 0 {
		fmt.Fprintf(stdout, "%d avertissement%s (voir ci-dessus).\n", w, s(w))
	}
	return exitOK
}

// checkBaseURL accepts an absolute http(s) URL with a host, and gives it a
// trailing slash so that paths join under it.
func checkBaseURL(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Opaque != "" {
		return "", fmt.Errorf("--base-url « %s » refusé : une adresse absolue http(s) est attendue, par exemple https://cqp.example.org/", raw)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("--base-url « %s » refusé : l'adresse du site ne peut pas avoir de « ? » ni de « # »", raw)
	}
	if !strings.HasSuffix(raw, "/") {
		raw += "/"
	}
	return raw, nil
}

// humanSize writes a size in bytes the French way: "1,2 Mo".
func humanSize(n int64) string {
	switch {
	case n >= 1<<20:
		return strings.Replace(fmt.Sprintf("%.1f Mo", float64(n)/(1<<20)), ".", ",", 1)
	case n >= 1<<10:
		return fmt.Sprintf("%d Ko", (n+512)>>10)
	}
	return fmt.Sprintf("%d octets", n)
}

// buildSink writes the site's files into the new tree and counts the
// pages. Once ctx is done (Ctrl-C), every worker stops at its next file.
type buildSink struct {
	ctx   context.Context
	tree  *publish.Tree
	pages atomic.Int64
}

func (s *buildSink) Put(p string, b []byte) error {
	if err := s.ctx.Err(); err != nil {
		return err
	}
	if strings.HasSuffix(p, ".html") {
		s.pages.Add(1)
	}
	return s.tree.Put(p, b)
}

func (s *buildSink) PutParts(p string, parts iter.Seq2[[]byte, error]) error {
	if err := s.ctx.Err(); err != nil {
		return err
	}
	return s.tree.PutParts(p, parts)
}
