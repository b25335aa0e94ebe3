// Package devserver is `cqp serve`: it builds the site in memory, serves
// it over HTTP, watches the site folder, rebuilds on every save and tells
// the open pages to reload. It writes nothing to disk.
//
// # What is served
//
// The bytes of each file are the bytes `cqp build` writes (same check, same
// render, same minification), with one addition: HTML responses get, just
// before </body>, a <script> element that loads /_cqp/live.js. Nothing else
// is injected, and nothing inline: a strict Content-Security-Policy holds.
// A test compares every served body, minus that element, with site.Build.
//
// Paths resolve as on a static host: a folder serves its index.html (and
// /cqp/x redirects to /cqp/x/), an unknown path gets the site's 404.html
// with status 404, every response says Cache-Control: no-store and
// carries the Content-Type of its extension. Paths with "..", ".",
// backslashes, NUL bytes or encoded slashes are refused with 400: since
// the site lives in memory, no other file can be reached anyway. When the
// server listens on a loopback address, requests that name another host
// are refused, so that a page elsewhere cannot reach it by DNS rebinding.
//
// The server's own files live under /_cqp/: live.js, live.css, events
// (server-sent events) and status.json (the diagnostics).
//
// # Rebuilds
//
// Server.Rebuild is one rebuild; the watcher calls it after each save with
// the paths that changed, and tests call it directly. It re-reads only the
// files that changed (catalog.Loader), plans the output (render.Plan, which
// keys each file with a fingerprint of everything it is made from), and
// renders and minifies only the files whose key changed. The result, after
// any sequence of edits, is byte for byte a full site.Build of the same
// content; tests check it after edits of every kind.
//
// A rebuild renders first the pages that open tabs show, publishes them and
// sends the reload message; the other files follow in the background, in
// batches. A request for a file that is still being rebuilt waits for it,
// so a page never mixes two builds. A new save stops the background work
// of the previous one at its next batch.
//
// While the content has errors, nothing is rendered: the last good pages
// stay served, and every page shows an overlay with all the diagnostics,
// the same text as `cqp check`. A theme or render error (a layout with its
// line) shows there too. When the files are fixed, the next rebuild
// removes the overlay and reloads what changed.
//
// # Live reload
//
// Each page opens /_cqp/events?page=<its path>. Messages are JSON:
//
//	{"type":"hello"|"status"|"build", "build":N, "built":bool,
//	 "errors":N, "diagnostics":[{"path","line","col","severity","message","text"}],
//	 "problem":"…", "changed":["cqp/x/index.html", …], "all":bool}
//
// hello comes first, with the current state; a page whose build number is
// not the current one reloads. build lists the files a rebuild changed (a
// name ending in "/" stands for every file under it: "search/" for the
// search index, whose files are only known once it is computed); a page
// reloads when its own file or a script it loaded is among them, and only
// swaps its stylesheets when stylesheets alone changed. status carries
// diagnostics when a rebuild found errors.
//
// # Watching
//
// The watcher (fsnotify) watches content/ and themes/ recursively, and the
// site folder itself so that those folders may appear later. Folders
// created later are watched as they appear. Editors save in many ways
// (write in place; write a temporary file and rename it over the old one;
// rename the old one away, write, delete the backup): watching folders
// rather than files, and treating every create, write, remove and rename
// as "this path changed", covers them all. Editor droppings (.swp, ~,
// .#…, 4913, …) are ignored. The events of one save are batched: a rebuild
// starts when no event has come for Debounce (30 ms by default).
package devserver
