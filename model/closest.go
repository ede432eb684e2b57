package model

import (
	"cmp"
	"slices"
	"strings"
)

// ClosestTypes returns up to n catalogue type names nearest to name, for
// "did you mean": names it begins or is contained in first, then those a
// few edits away; none when nothing is near.
func ClosestTypes(name string, n int) []string {
	name = strings.ToLower(strings.TrimSpace(name))
	type near struct {
		name string
		dist int
	}
	var found []near
	limit := max(2, len(name)/3)
	for _, t := range catalogue {
		d := editDistance(name, t.Name)
		switch {
		case name != "" && strings.HasPrefix(t.Name, name):
			d = 0
		case name != "" && strings.Contains(t.Name, name):
			d = 1
		case d > limit:
			continue
		}
		found = append(found, near{t.Name, d})
	}
	slices.SortStableFunc(found, func(a, b near) int { return cmp.Compare(a.dist, b.dist) })
	out := make([]string, 0, min(n, len(found)))
	for _, f := range found[:min(n, len(found))] {
		out = append(out, f.name)
	}
	return out
}

// editDistance is the Levenshtein distance between a and b, in bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
