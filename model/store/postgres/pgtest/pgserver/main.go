// Command pgserver starts and stops the throwaway PostgreSQL server CI
// runs the store's tests on: "pgserver start DIR" prints its superuser URL
// (for AUDITUI_TEST_POSTGRES), "pgserver stop DIR" stops it and removes DIR.
package main

import (
	"fmt"
	"os"

	"github.com/auditui/auditui/model/store/postgres/pgtest"
)

func main() {
	if len(os.Args) != 3 || (os.Args[1] != "start" && os.Args[1] != "stop") {
		fmt.Fprintln(os.Stderr, "usage: pgserver start|stop DIR")
		os.Exit(2)
	}
	dir := os.Args[2]
	var err error
	if os.Args[1] == "start" {
		var s *pgtest.Server
		if s, err = pgtest.Start(dir); err == nil {
			fmt.Println(s.URL)
		}
	} else {
		var s *pgtest.Server
		if s, err = pgtest.At(dir); err == nil {
			err = s.Stop()
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "pgserver:", err)
		os.Exit(1)
	}
}
