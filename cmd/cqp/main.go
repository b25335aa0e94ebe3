// Command cqp builds a static website from a catalogue of CQPs written as
// Markdown files with YAML front matter. See README.md for the commands.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	// Ctrl-C, or a CI job cancelled: the command stops cleanly (build
	// removes its unfinished folder, serve closes its server).
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	limitHeap = true
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr, os.Getenv)
	stop()
	os.Exit(code)
}
