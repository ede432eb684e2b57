package ui

import (
	"os"
	"testing"

	"go.uber.org/goleak"

	"github.com/auditui/auditui/model/store/postgres/pgtest"
)

// TestMain fails the package's tests if any goroutine they started is still
// running when they end: the fetch, the filter workers, the program; and
// stops the PostgreSQL server a benchmark started.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m,
		// teatest waits for a SIGINT for as long as the test binary runs;
		// it is the harness's, and ends with the process.
		goleak.IgnoreTopFunction("github.com/charmbracelet/x/exp/teatest/v2.NewTestModel.func2"),
		// chroma's regexp2 keeps a coarse clock for match timeouts running
		// about a second past the last match, then stops it by itself.
		goleak.IgnoreAnyFunction("github.com/dlclark/regexp2/v2.runClock"),
		goleak.Cleanup(func(code int) {
			pgtest.StopShared()
			os.Exit(code)
		}),
	)
}
