package views

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/BurntSushi/toml"
)

// ColumnsFileName is the browser's chosen list columns, beside the views
// file in auditui's config directory.
const ColumnsFileName = "columns.toml"

// ColumnsVersion is the columns file's version this auditui writes; it
// reads no newer one and never replaces one.
const ColumnsVersion = 1

// ColumnsPath is where the chosen columns are kept.
func ColumnsPath() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("cannot find the config directory for the list's columns: %w", err)
	}
	return filepath.Join(dir, "auditui", ColumnsFileName), nil
}

type columnsFile struct {
	Version int      `toml:"version"`
	Columns []string `toml:"columns"`
}

// columnsList is the columns file: a version and the names, in TOML.
var columnsList = listFile{what: "the list's columns", oldest: 0, known: ColumnsVersion,
	decode: func(data []byte) (int, []string, error) {
		var f columnsFile
		_, err := toml.Decode(string(data), &f)
		return f.Version, f.Columns, err
	},
	encode: func(names []string) ([]byte, error) {
		var b strings.Builder
		b.WriteString("# The browser's list columns, in order; w in the browser changes them.\n")
		err := toml.NewEncoder(&b).Encode(columnsFile{Version: ColumnsVersion, Columns: names})
		return []byte(b.String()), err
	},
}

// LoadColumns reads the column names saved at path, in order. A missing
// file is no choice and no error; a file that cannot be read, or one a
// newer auditui wrote, gives no names and a sentence naming the file.
func LoadColumns(path string) ([]string, error) { return columnsList.load(path) }

// SaveColumns keeps names as the chosen columns at path: written whole to
// a private file beside it and renamed over it, so the file is never half
// written. A file this version cannot read, or a newer one, is left as it
// is and the error says so.
func SaveColumns(path string, names []string) error { return columnsList.save(path, names) }

// writeWhole writes data to a private file beside path and renames it over
// path, making path's folder (private) if needed: path is never half
// written, and on failure nothing is left beside it.
func writeWhole(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+"-*") // 0600
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // gone once renamed
	_, err = tmp.Write(data)
	if err = errors.Join(err, tmp.Sync(), tmp.Close()); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
