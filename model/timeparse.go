package model

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ParseTime reads a time bound as people type it: RFC 3339, YYYY-MM-DD
// (midnight UTC), Unix seconds, or a duration back from now ("90m", "24h",
// "7d", "2w", "1h30m").
func ParseTime(s string, now time.Time) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, errors.New("empty time")
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UTC(), nil
	}
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t, nil
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		if n < 0 || n > 1e11 {
			return time.Time{}, fmt.Errorf("%q is out of range for Unix seconds", s)
		}
		return time.Unix(n, 0).UTC(), nil
	}
	if d, err := parseAgo(s); err == nil {
		return now.Add(-d).UTC(), nil
	}
	return time.Time{}, fmt.Errorf("%q is not a time: use RFC 3339, YYYY-MM-DD, Unix seconds or a duration such as 24h or 7d", s)
}

// maxAgo bounds a duration back from now; summing many parts could
// otherwise overflow into a time in the future.
const maxAgo = 100 * 365 * 24 * time.Hour

// parseAgo is time.ParseDuration plus days and weeks, positive only.
func parseAgo(s string) (time.Duration, error) {
	var total time.Duration
	rest := s
	for rest != "" {
		i := 0
		for i < len(rest) && (rest[i] >= '0' && rest[i] <= '9') {
			i++
		}
		if i == 0 || i == len(rest) {
			return 0, errors.New("bad duration")
		}
		n, err := strconv.ParseInt(rest[:i], 10, 64)
		if err != nil || n > 1e6 {
			return 0, errors.New("bad duration")
		}
		j := i
		for j < len(rest) && (rest[j] < '0' || rest[j] > '9') {
			j++
		}
		unit := map[string]time.Duration{"s": time.Second, "m": time.Minute, "h": time.Hour, "d": 24 * time.Hour, "w": 7 * 24 * time.Hour}[rest[i:j]]
		if unit == 0 {
			return 0, errors.New("bad duration unit")
		}
		total += time.Duration(n) * unit
		if total > maxAgo {
			return 0, errors.New("duration too long")
		}
		rest = rest[j:]
	}
	return total, nil
}
