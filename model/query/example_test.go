package query_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/auditui/auditui/model/query"
)

func ExampleCompile() {
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	q, err := query.Parse(`type:login.failed actor:alice@example.com -ip:198.51.100.0/24 since:2026-11-01 "wrong password"`, now)
	if err != nil {
		panic(err)
	}
	p := query.Compile(q, now)
	fmt.Println(p.Server.Types, p.Server.ActorEmails, p.Server.Since.Format(time.DateOnly))
	for _, t := range p.Terms {
		fmt.Printf("%-28s %s\n", t.Term, t.Where)
	}
	// Output:
	// [login.failed] [alice@example.com] 2026-11-01
	// type:login.failed            server
	// actor:alice@example.com      server
	// -ip:198.51.100.0/24          local
	// since:2026-11-01             server
	// "wrong password"             local
}

func ExampleSyntaxError() {
	text := `type:login.failed tpye:api_key.*`
	_, err := query.Parse(text, time.Now())
	var se *query.SyntaxError
	if errors.As(err, &se) {
		fmt.Println(se)
		fmt.Println(se.Pointer(text))
	}
	// Output:
	// query column 19: unknown key "tpye": use type, category, actor, project, resource, ip, country, since or until, or put the text in quotes to search for it
	// type:login.failed tpye:api_key.*
	//                   ^^^^
}
