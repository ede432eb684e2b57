package ui

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/auditui/auditui/model"
)

// A record whose id ends a bracketed paste and runs a command when pasted
// into a shell, with C1, DEL, a BiDi override and a lone 0x9b byte in it.
const pasteAttack = "{\"id\":\"evt\\u001b[201~\\ntouch pwned\\n\",\"type\":\"project.updated\",\"effective_at\":1720814100," +
	"\"project\":{\"id\":\"proj_1\",\"name\":\"a\u009b2J \x9b31m \x7f e\u202ev \U000e0041\"}}"

func TestCopyIsSafeToPaste(t *testing.T) {
	e, err := model.DecodeEvent([]byte(pasteAttack))
	if err != nil {
		t.Fatal(err)
	}
	m := feed(t, newTestModel(&pagedSource{}, 120, 40), []model.Event{e}, 10)
	_, cmd := m.Update(keyMsg("Y"))
	id := fmt.Sprint(cmd())
	if id != `evt\x1b[201~\x0atouch pwned\x0a` {
		t.Fatalf("Y copied %q, want the id escaped on one line", id)
	}
	_, cmd = m.Update(keyMsg("y"))
	raw := fmt.Sprint(cmd())
	for _, r := range raw {
		if r < 0x20 || r >= 0x7f && r < 0xa0 || r == 0x202e || r >= 0xe0000 {
			t.Fatalf("y copied %U raw: %q", r, raw)
		}
	}
	if strings.Contains(raw, "\x9b") {
		t.Fatalf("y copied a lone 0x9b byte: %q", raw)
	}
	var got, want any
	if err := json.Unmarshal([]byte(raw), &got); err != nil {
		t.Fatalf("y copied JSON that does not parse: %v\n%q", err, raw)
	}
	_ = json.Unmarshal([]byte(pasteAttack), &want)
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("y copied JSON reading %v, want %v", got, want)
	}
}
