package main

import (
	"os"
	"testing"

	"go.uber.org/goleak"

	"github.com/auditui/auditui/model/store/postgres/pgtest"
)

// TestMain fails the package's tests if any goroutine they started is still
// running when they end, and stops the PostgreSQL server they started.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m, goleak.Cleanup(func(code int) {
		pgtest.StopShared()
		os.Exit(code)
	}))
}
