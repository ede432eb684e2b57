package views

import (
	"fmt"

	"github.com/auditui/auditui/model/sanitize"
)

// listFile is one of auditui's own files that holds a list of strings
// under a version: the columns, the query history.
type listFile struct {
	what          string // what it holds, in sentences
	oldest, known int    // the versions this auditui reads
	decode        func(data []byte) (version int, list []string, err error)
	encode        func(list []string) ([]byte, error)
}

// load reads the list in the file at path. A missing or empty file is no
// list and no error; one that cannot be read or decoded, or holds a version
// outside oldest to known, gives none and a sentence naming the file.
func (l listFile) load(path string) ([]string, error) {
	data, err := readFile(path, l.what)
	if err != nil || len(data) == 0 {
		return nil, err
	}
	v, list, err := l.decode(data)
	switch {
	case err != nil:
		return nil, fmt.Errorf("%s in %s cannot be read (%s): it is not used or changed", l.what, path, sanitize.OneLine(err.Error()))
	case v > l.known:
		return nil, fmt.Errorf("a newer auditui wrote %s in %s (version %d; this one knows %d): it is not used or changed", l.what, path, v, l.known)
	case v < l.oldest:
		return nil, fmt.Errorf("%s in %s holds version %d, which no auditui writes: it is not used or changed", l.what, path, v)
	}
	return list, nil
}

// save writes list over the file at path whole (see writeWhole), unless
// the file there cannot be loaded: that one is left as it is and the error
// says so.
func (l listFile) save(path string, list []string) error {
	if _, err := l.load(path); err != nil {
		return fmt.Errorf("%w; the new one was not saved", err)
	}
	data, err := l.encode(list)
	if err != nil {
		return fmt.Errorf("cannot save %s: %w", l.what, err)
	}
	if err := writeWhole(path, data); err != nil {
		return fmt.Errorf("cannot save %s in %s: %w", l.what, path, err)
	}
	return nil
}
