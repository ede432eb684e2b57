package model

import (
	"context"
	"slices"
	"strings"
	"testing"
)

func TestScanMatchesASerialWalkAcrossWorkers(t *testing.T) {
	s := &Set{}
	s.Append(synthEvents(3*scanParallelMin+17, 7))
	match := func(e *Event) bool { return strings.HasPrefix(e.Type, "login.") }
	for _, r := range [][2]int{{0, s.Len()}, {5, 9}, {scanParallelMin - 3, s.Len() - 2}, {4, 4}} {
		var want []int32
		for i := r[0]; i < r[1]; i++ {
			if match(s.At(i)) {
				want = append(want, int32(i))
			}
		}
		got, err := s.Scan(context.Background(), r[0], r[1], match)
		if err != nil || !slices.Equal(got, want) || len(want) == 0 && r[0] == 0 {
			t.Fatalf("Scan%v: %d positions (err %v), want %d", r, len(got), err, len(want))
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.Scan(ctx, 0, s.Len(), match); err == nil {
		t.Fatal("a cancelled scan should say so")
	}
}
