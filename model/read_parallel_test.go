package model

import (
	"context"
	"fmt"
	"io"
	"strings"
	"testing"
)

// Chunks are decoded several at a time; what Next returns must still be
// the file's order, with every damaged line and every event's line exact,
// across many chunks.
func TestEventStreamKeepsFileOrderAcrossChunksDecodedAtOnce(t *testing.T) {
	var b strings.Builder
	var wantIDs []string
	wantLines := map[string]int{}
	var damaged []int
	pad := strings.Repeat("x", 900)
	for i := range 12000 { // about 11 MB: a dozen chunks
		line := i + 1
		if i%997 == 0 {
			fmt.Fprintf(&b, "{\"id\": \"broken_%d\", \n", i)
			damaged = append(damaged, line)
			continue
		}
		id := fmt.Sprintf("audit_log_%06d", i)
		fmt.Fprintf(&b, `{"id":%q,"type":"login.succeeded","effective_at":%d,"note":%q}`+"\n", id, 1_900_000_000-i, pad)
		wantIDs = append(wantIDs, id)
		wantLines[id] = line
	}
	st := NewEventStream(context.Background(), strings.NewReader(b.String()))
	defer st.Close()
	var gotIDs []string
	var gotDamaged []int
	chunks := 0
	for {
		events, skipped, err := st.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		chunks++
		for i, e := range events {
			gotIDs = append(gotIDs, e.ID)
			if got := st.Line(i); got != wantLines[e.ID] {
				t.Fatalf("%s: Line says %d, want %d", e.ID, got, wantLines[e.ID])
			}
		}
		for _, s := range skipped {
			gotDamaged = append(gotDamaged, s.Line)
		}
	}
	if chunks < 8 {
		t.Fatalf("the input came in %d chunks; the test needs several", chunks)
	}
	if strings.Join(gotIDs, ",") != strings.Join(wantIDs, ",") {
		t.Fatalf("%d events came back, want %d in file order", len(gotIDs), len(wantIDs))
	}
	if fmt.Sprint(gotDamaged) != fmt.Sprint(damaged) {
		t.Fatalf("damaged lines reported %v, want %v", gotDamaged, damaged)
	}
	if _, _, err := st.Next(); err != io.EOF {
		t.Fatalf("Next after the end said %v, want io.EOF again", err)
	}
}
