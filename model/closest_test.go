package model

import (
	"slices"
	"testing"
)

func TestClosestTypes(t *testing.T) {
	cases := []struct {
		in   string
		want string // among the first three
	}{
		{"login.f", "login.failed"},
		{"login.faild", "login.failed"},
		{"api_key.create", "api_key.created"},
		{"apikey.created", "api_key.created"},
	}
	for _, c := range cases {
		if got := ClosestTypes(c.in, 3); !slices.Contains(got, c.want) {
			t.Errorf("ClosestTypes(%q) = %v, want %s among them", c.in, got, c.want)
		}
	}
	if got := ClosestTypes("zzzzzzzzzzzz", 3); len(got) != 0 {
		t.Errorf("nothing is near zzzzzzzzzzzz, got %v", got)
	}
}
