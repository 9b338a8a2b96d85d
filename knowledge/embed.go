package knowledge

import (
	"embed"
	"io/fs"
)

//go:embed base
var curated embed.FS

// Curated returns the curated knowledge base that ships inside the binary.
func Curated() fs.FS {
	sub, err := fs.Sub(curated, "base")
	if err != nil {
		panic(err) // the embedded folder is fixed at build time
	}
	return sub
}
