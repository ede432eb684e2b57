package pgtest

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// Team is a server set up as the README's "A team's store" section says,
// its statements run as written.
type Team struct {
	Admin  string // the superuser on the auditui database
	Writer string // auditui_sync, the sync job's role
	Reader string // auditui_reader, the analysts' role
	// Checkpoints is the README's grant for a reader that keeps a
	// checkpoint, to run (as Admin) after the first sync.
	Checkpoints string
}

// TeamRoles runs the README's CREATE DATABASE, CREATE ROLE and GRANT
// statements, as written there, on a private server for t; readme is the
// README's path from the test's package.
func TeamRoles(t testing.TB, readme string) Team {
	t.Helper()
	text, err := os.ReadFile(readme)
	if err != nil {
		t.Fatal(err)
	}
	section := string(text)
	if i := strings.Index(section, "## A team's store: PostgreSQL"); i >= 0 {
		section = section[i:]
	} else {
		t.Fatalf("%s has no section on a team's store", readme)
	}
	block := regexp.MustCompile("(?s)```sql\n(.*?)```").FindStringSubmatch(section)
	grant := regexp.MustCompile("`(GRANT INSERT, UPDATE ON auditui.checkpoints TO [a-z_]+;)`").FindStringSubmatch(section)
	if block == nil || grant == nil {
		t.Fatalf("%s: the team's store section lost its SQL or its checkpoints grant", readme)
	}
	srv := Private(t)
	db := srv.URL
	var stmt strings.Builder
	for line := range strings.SplitSeq(block[1], "\n") {
		line, _, _ = strings.Cut(line, "--")
		line = strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(line, `\c `):
			db = WithDatabase(t, srv.URL, strings.TrimSpace(strings.TrimPrefix(line, `\c `)))
		case line != "":
			stmt.WriteString(line + " ")
			if strings.HasSuffix(line, ";") {
				Exec(t, db, stmt.String())
				stmt.Reset()
			}
		}
	}
	if stmt.Len() > 0 {
		t.Fatalf("%s: a statement without its semicolon: %s", readme, stmt.String())
	}
	pw := map[string]string{}
	for _, m := range regexp.MustCompile(`CREATE ROLE ([a-z_]+) LOGIN PASSWORD '([^']*)'`).FindAllStringSubmatch(block[1], -1) {
		pw[m[1]] = m[2]
	}
	u := WithDatabase(t, srv.URL, "auditui")
	return Team{Admin: u, Writer: WithUser(t, u, "auditui_sync", pw["auditui_sync"]),
		Reader: WithUser(t, u, "auditui_reader", pw["auditui_reader"]), Checkpoints: grant[1]}
}
