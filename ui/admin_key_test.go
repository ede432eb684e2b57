package ui

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/auditui/auditui/openai"
)

// TestErrorStateNeverShowsTheKey: whatever an answer repeats of the
// Authorization header, the error state's screen, window title and the
// screen after R show none of the admin key.
func TestErrorStateNeverShowsTheKey(t *testing.T) {
	const key = "sk-admin-UIKEYTEST-5b8e1f0c2d"
	bodies := map[int]string{
		200: `{"object":"%s","data":[]}`,
		400: `{"error":{"message":"bad %[1]s","type":"%[1]s","param":"%[1]s","code":"%[1]s"}}`,
		401: `{"error":{"message":"Incorrect API key provided: %s"}}`,
		403: `{"error":"%s"}`,
		404: `<html>%s</html>`,
		429: `{"detail":"%s"}`,
		500: `{"error":{"message":"%s"}}`,
		503: `{"object":"list","data":{"k":"%s"}}`,
	}
	for status, body := range bodies {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.Header().Set("Retry-After-Ms", "1")
				w.WriteHeader(status)
				fmt.Fprintf(w, body, r.Header.Get("Authorization"))
			}))
			defer srv.Close()
			// The key in the base URL too, where a 404's sentence names it.
			base := strings.Replace(srv.URL, "http://", "http://u:"+key+"@", 1) + "/" + key + "/v1?k=" + key
			client := openai.New(openai.Config{AdminKey: key, BaseURL: base, MaxRetryDelay: time.Millisecond})
			m := newModel(context.Background(), Options{Source: client, Now: func() time.Time { return testNow }, Location: testZone})
			defer m.cancel()
			m = send(m, tea.WindowSizeMsg{Width: 200, Height: 50})
			m = pump(t, m, m.Init(), func(m *Model) bool { return m.stream.err != nil })
			check := func(when string, m *Model) {
				t.Helper()
				v := m.View()
				for _, s := range []string{v.Content, v.WindowTitle, m.stream.err.Error()} {
					if strings.Contains(s, "UIKEYTEST") {
						t.Fatalf("%s the key shows:\n%q", when, s)
					}
				}
				if !strings.Contains(screenText(m), "⚠") {
					t.Fatalf("%s the error is not shown:\n%s", when, screenText(m))
				}
			}
			check("in the error state", m)
			nm, cmd := m.Update(keyMsg("R"))
			m = pump(t, nm.(*Model), cmd, func(m *Model) bool { return m.stream.err != nil })
			check("after R", m)
			if got := m.set.Len(); got != 0 {
				t.Fatalf("%d events loaded from error answers", got)
			}
		})
	}
}
