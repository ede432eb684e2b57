package postgres_test

import (
	"testing"

	"github.com/auditui/auditui/model/store"
	"github.com/auditui/auditui/model/store/postgres"
	"github.com/auditui/auditui/model/store/postgres/pgtest"
	"github.com/auditui/auditui/model/store/storetest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) storetest.Opener {
		u := pgtest.Database(t)
		return func() (store.Store, error) { return postgres.Open(u, postgres.Options{Create: true}) }
	})
}
