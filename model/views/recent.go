package views

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

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

// recentList is the query history file: a version and the queries, in JSON.
var recentList = listFile{what: "the query history", oldest: 1, known: RecentVersion,
	decode: func(data []byte) (int, []string, error) {
		var f recentFile
		err := json.Unmarshal(data, &f)
		return f.Version, f.Queries, err
	},
	encode: func(queries []string) ([]byte, error) {
		data, err := json.MarshalIndent(recentFile{Version: RecentVersion, Queries: queries[max(0, len(queries)-MaxRecent):]}, "", " ")
		return append(data, '\n'), err
	},
}

// LoadRecent reads the queries kept at path, oldest first. A missing file
// is no history and no error; one that cannot be read, or that a newer
// auditui wrote, gives none and a sentence naming the file.
func LoadRecent(path string) ([]string, error) { return recentList.load(path) }

// SaveRecent keeps queries (oldest first, the newest MaxRecent) at path,
// written whole and renamed (see writeWhole). A file this version cannot
// read, or a newer one, is left as it is and the error says so.
func SaveRecent(path string, queries []string) error { return recentList.save(path, queries) }

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
