package query_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/auditui/auditui/model/query"
)

func TestParseWithFlags(t *testing.T) {
	flags := []query.Flag{
		{Name: "type", Key: query.KeyType, Value: "login.failed"},
		{Name: "type", Key: query.KeyType, Value: " "},
		{Name: "actor", Key: query.KeyActor, Value: " alice@example.com "},
		{Name: "project", Key: query.KeyProject, Value: "Beta research"},
		{Name: "since", Key: query.KeySince, Value: "7d"},
	}
	q, err := query.ParseWithFlags(`type:logout.* -"bot"`, flags, testNow)
	if err != nil {
		t.Fatal(err)
	}
	want := `type:logout.* -bot type:login.failed actor:alice@example.com project:"Beta research" since:7d`
	if q.String() != want {
		t.Errorf("String() = %q, want %q", q.String(), want)
	}
	// The flag's type ORs with the query's: both families are pushed.
	p := query.Compile(q, testNow)
	if len(p.Server.Types) != 3 || p.Server.Types[2] != "login.failed" {
		t.Errorf("Types = %v, want logout.* then login.failed", p.Server.Types)
	}

	tests := []struct {
		text       string
		flags      []query.Flag
		flag, msg  string // a FlagError with these, or
		pos, len   int    // a SyntaxError at this span in text
		syntaxWant bool
	}{
		{text: "type:x", flags: []query.Flag{{Name: "type", Key: query.KeyType, Value: "nothing.*"}},
			flag: "type", msg: `no known event type matches "nothing.*"`},
		{text: "", flags: []query.Flag{{Name: "since", Key: query.KeySince, Value: "yesterday"}},
			flag: "since", msg: `"yesterday" is not a time`},
		{text: "since:2026-02-01", flags: []query.Flag{{Name: "until", Key: query.KeyUntil, Value: "2026-01-01"}},
			flag: "until", msg: "the time range is empty"},
		{text: `"unclosed`, flags: []query.Flag{{Name: "project", Key: query.KeyProject, Value: "two words"}},
			syntaxWant: true, pos: 0, len: 9},
		{text: "tpye:x", flags: []query.Flag{{Name: "actor", Key: query.KeyActor, Value: "a@example.com"}},
			syntaxWant: true, pos: 0, len: 4},
	}
	for _, tt := range tests {
		_, err := query.ParseWithFlags(tt.text, tt.flags, testNow)
		var fe *query.FlagError
		var se *query.SyntaxError
		switch {
		case tt.syntaxWant:
			if !errors.As(err, &se) || se.Pos != tt.pos || se.Len != tt.len {
				t.Errorf("ParseWithFlags(%q, %v) = %v, want a SyntaxError at %d+%d", tt.text, tt.flags, err, tt.pos, tt.len)
			}
		case !errors.As(err, &fe):
			t.Errorf("ParseWithFlags(%q, %v) = %v, want a FlagError", tt.text, tt.flags, err)
		case fe.Flag != tt.flag || !strings.Contains(fe.Msg, tt.msg) || !strings.Contains(fe.Error(), "--"+tt.flag+" "):
			t.Errorf("ParseWithFlags(%q, %v) = %q, want --%s ...%s...", tt.text, tt.flags, fe.Error(), tt.flag, tt.msg)
		}
	}
}

func TestSameServer(t *testing.T) {
	plan := func(s string) query.Plan {
		q, err := query.Parse(s, testNow)
		if err != nil {
			t.Fatal(err)
		}
		return query.Compile(q, testNow)
	}
	a := plan("type:login.* country:us")
	if !a.SameServer(plan("country:de type:login.* alice")) {
		t.Errorf("changing only local terms changed the server part")
	}
	if a.SameServer(plan("type:login.failed country:us")) || a.SameServer(plan("type:login.* since:1d")) {
		t.Errorf("a different type set or time range kept the server part")
	}
}
