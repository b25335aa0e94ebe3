package catalog_test

import (
	"io/fs"

	"github.com/cqp-catalogue/cqp/generator/content"
	"github.com/cqp-catalogue/cqp/generator/diag"
)

func contentLoad(fsys fs.FS) ([]*content.File, diag.List) { return content.Load(fsys) }
