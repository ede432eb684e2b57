package sqlite_test

import (
	"path/filepath"
	"testing"

	"github.com/auditui/auditui/model/store"
	"github.com/auditui/auditui/model/store/sqlite"
	"github.com/auditui/auditui/model/store/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) storetest.Opener {
		path := filepath.Join(t.TempDir(), "auditui", "org.db")
		return func() (store.Store, error) { return sqlite.Open(path, sqlite.Options{Create: true}) }
	})
}
