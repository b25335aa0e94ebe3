package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"strings"

	"github.com/cqp-catalogue/cqp/generator/devserver"
	"github.com/cqp-catalogue/cqp/generator/diag"
)

// runServe is `cqp serve`: build in memory, serve, rebuild on every save
// and reload the open pages, until Ctrl-C (ctx is cancelled). It writes
// nothing to disk.
func runServe(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	fs := newFlags("serve", "[--src DIR] [--addr 127.0.0.1:1313]", stderr)
	src := fs.String("src", ".", "dossier du site (celui qui contient content/)")
	addr := fs.String("addr", "127.0.0.1:1313", "adresse d'écoute, hôte:port (127.0.0.1 : cette machine seulement ; port 0 : un port libre)")
	if code := parseFlags(fs, args, stderr); code >= 0 {
		return code
	}
	opts, code := siteOptions(*src, getenv, stderr)
	if code >= 0 {
		return code
	}
	if _, _, err := net.SplitHostPort(*addr); err != nil {
		fmt.Fprintf(stderr, "cqp serve : --addr « %s » refusé : écrire hôte:port, par exemple 127.0.0.1:1313\n", *addr)
		return exitUsage
	}
	// Listen first: a port in use is reported at once, not after a build.
	ln, err := devserver.Listen(*addr)
	if err != nil {
		fmt.Fprintf(stderr, "cqp serve : %v\n", err)
		return exitContent
	}
	defer ln.Close()
	srv, err := devserver.New(devserver.Options{Dir: *src, Today: opts.Today, Log: stderr})
	if err != nil {
		fmt.Fprintf(stderr, "cqp serve : %v\n", err)
		return exitContent
	}
	if err := srv.Watch(ctx); err != nil {
		fmt.Fprintf(stderr, "cqp serve : %v\n", err)
		return exitContent
	}

	// The first build of a large catalogue takes a few seconds: Ctrl-C
	// must stop it too.
	fmt.Fprintln(stdout, "Construction du site en mémoire…")
	built := make(chan devserver.Report, 1)
	go func() { built <- srv.Rebuild(nil) }()
	var rep devserver.Report
	select {
	case rep = <-built:
	case <-ctx.Done():
		fmt.Fprintln(stdout, "Serveur arrêté.")
		return exitOK
	}
	_ = rep.List.Write(stderr, diag.Text)
	switch {
	case rep.Errors > 0:
		fmt.Fprintln(stderr, summary(rep.List, rep.CQPs, rep.Branches, rep.Pages)+" Le site s'affichera dès que les erreurs seront corrigées.")
	case rep.Problem != "":
		fmt.Fprintf(stderr, "cqp serve : %s\nLe site s'affichera dès que le problème sera corrigé.\n", rep.Problem)
	default:
		fmt.Fprintf(stdout, "%d CQP, %d fichiers construits en mémoire en %s.\n", rep.CQPs, rep.Rendered, rep.Done.Round(1e6))
		if w := rep.Warnings; w > 0 {
			fmt.Fprintf(stdout, "%d avertissement%s (voir ci-dessus).\n", w, s(w))
		}
	}
	url := devserver.URL(ln)
	fmt.Fprintf(stdout, "Site servi sur %s (Ctrl-C pour arrêter). Les modifications de content/ et themes/ s'y affichent dès l'enregistrement.\n", url)
	if host, _, _ := net.SplitHostPort(*addr); !isLoopbackName(host) {
		fmt.Fprintf(stdout, "Attention : à l'adresse %s, le serveur est joignable depuis le réseau.\n", *addr)
	}
	if err := srv.Serve(ctx, ln); err != nil {
		fmt.Fprintf(stderr, "cqp serve : %v\n", err)
		return exitContent
	}
	fmt.Fprintln(stdout, "Serveur arrêté.")
	return exitOK
}

func isLoopbackName(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
