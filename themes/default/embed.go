// Package defaulttheme embeds cqp's default theme, so that the binary
// builds a complete site from content alone. The files themselves are the
// theme: layouts/ (html/template, named by their path), i18n/ (the UI
// strings and the texts every site shares, one YAML file per language) and
// static/ (copied to the output root). Package theme reads them through FS
// and lays a site's themes/<name>/ folder over them.
package defaulttheme

import "embed"

// FS holds layouts/, i18n/ and static/.
//
//go:embed layouts i18n static
var FS embed.FS
