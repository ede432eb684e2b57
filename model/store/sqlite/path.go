package sqlite

import (
	"fmt"
	"path/filepath"

	"github.com/auditui/auditui/model/store"
)

// DefaultPath is where the store of organisation org lives unless --store
// says otherwise: auditui/<org>.db under the user's data directory, org
// being "default" when empty.
func DefaultPath(org string) (string, error) {
	dir, err := store.DataDir()
	if err != nil {
		return "", fmt.Errorf("%w: name one with --store", err)
	}
	return filepath.Join(dir, "auditui", store.FileName(org)+".db"), nil
}
