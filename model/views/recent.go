package views

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/auditui/auditui/model/sanitize"
	"github.com/auditui/auditui/model/store"
)

// RecentVersion is the query history file's version this auditui writes;
// it reads no newer one and never replaces one.
const RecentVersion = 1

// MaxRecent is how many queries the history keeps, the newest.
const MaxRecent = 200

// RecentPath is where the browser's query history of organisation org
// (a source's name such as "demo" for the demo) is kept: one file per
// organisation under auditui in the data directory, so that one's actors
// and projects are never offered in another's.
func RecentPath(org string) (string, error) {
	dir, err := store.DataDir()
	if err != nil {
		return "", fmt.Errorf("%w: the query history is not kept", err)
	}
	return filepath.Join(dir, "auditui", "queries-"+store.FileName(org)+".json"), nil
}

// recentFile holds queries only, oldest first: never a key or an event.
type recentFile struct {
	Version int      `json:"version"`
	Queries []string `json:"queries"`
}

// LoadRecent reads the queries kept at path, oldest first. A missing file
// is no history and no error; one that cannot be read, or that a newer
// auditui wrote, gives none and a sentence naming the file.
func LoadRecent(path string) ([]string, error) {
	data, err := readFile(path, "the query history")
	if err != nil || len(data) == 0 {
		return nil, err
	}
	var f recentFile
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("the query history in %s cannot be read (%s): it is not used or changed", path, sanitize.OneLine(err.Error()))
	}
	if f.Version > RecentVersion || f.Version < 1 {
		return nil, fmt.Errorf("the query history in %s is version %d and this auditui knows %d: it is not used or changed", path, f.Version, RecentVersion)
	}
	return f.Queries, nil
}

// SaveRecent keeps queries (oldest first, the newest MaxRecent) at path,
// written whole and renamed (see writeWhole). A file this version cannot
// read, or a newer one, is left as it is and the error says so.
func SaveRecent(path string, queries []string) error {
	if _, err := LoadRecent(path); err != nil {
		return err
	}
	data, err := json.MarshalIndent(recentFile{Version: RecentVersion, Queries: queries[max(0, len(queries)-MaxRecent):]}, "", " ")
	if err != nil {
		return err
	}
	if err := writeWhole(path, append(data, '\n')); err != nil {
		return fmt.Errorf("cannot save the query history in %s: %w", path, err)
	}
	return nil
}

// AddRecent returns queries with q as the newest, once (an earlier copy
// is dropped), and no more than MaxRecent; an empty q is not kept.
func AddRecent(queries []string, q string) []string {
	if strings.TrimSpace(q) == "" {
		return queries
	}
	out := slices.DeleteFunc(slices.Clone(queries), func(s string) bool { return s == q })
	out = append(out, q)
	return out[max(0, len(out)-MaxRecent):]
}
