package ui

import (
	"strings"
	"testing"

	"github.com/auditui/auditui/model"
)

// TestBytesThatAreNotUTF8AreShownSanitised: a record from a latin-1 file
// keeps its bytes (export writes them back as they were) but is drawn with
// U+FFFD for each byte that is not UTF-8, in the list, the detail and the
// raw view, at full width and no wider.
func TestBytesThatAreNotUTF8AreShownSanitised(t *testing.T) {
	raw := "{\"id\":\"evt_latin1\",\"type\":\"login.failed\",\"effective_at\":1720807000,\"project\":{\"id\":\"p\",\"name\":\"Se\xf1or\"}," +
		"\"actor\":{\"type\":\"session\",\"session\":{\"user\":{\"id\":\"u\",\"email\":\"jos\xe9@example.com\"},\"user_agent\":\"Caf\xe9 cr\xe8me\"}}}"
	e := decode(t, raw)
	if string(e.Raw) != raw {
		t.Fatal("decoding changed the record's bytes")
	}
	m := feed(t, newTestModel(&pagedSource{name: "file"}, 160, 45), []model.Event{e}, 1)
	for _, keys := range [][]string{nil, {"enter"}, {"enter", "r"}} {
		s := screenText(press(t, m, keys...))
		assertFits(t, s, 160, 45)
		if !strings.Contains(s, "jos\uFFFD@example.com") {
			t.Fatalf("after %v the email should be drawn with U+FFFD for the latin-1 byte:\n%s", keys, s)
		}
	}
	if s := screenText(press(t, m, "enter")); !strings.Contains(s, "Caf\uFFFD cr\uFFFDme") || !strings.Contains(s, "Se\uFFFDor") {
		t.Fatalf("the detail should show the user agent and project sanitised:\n%s", s)
	}
}
