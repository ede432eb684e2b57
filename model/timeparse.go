package model

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ParseTime reads a time bound as people type it: RFC 3339, YYYY-MM-DD
// (midnight UTC), Unix seconds (negative too: records may be dated before
// 1970), or a duration back from now ("90m", "24h", "7d", "2w", "1h30m").
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
		if n < -maxBoundUnix || n > maxBoundUnix {
			return time.Time{}, fmt.Errorf("%q is out of range for Unix seconds", s)
		}
		return time.Unix(n, 0).UTC(), nil
	}
	if d, err := parseAgo(s); err == nil {
		return now.Add(-d).UTC(), nil
	}
	return time.Time{}, fmt.Errorf("%q is not a time: use RFC 3339, YYYY-MM-DD, Unix seconds or a duration such as 24h or 7d", s)
}

// maxBoundUnix bounds a time given in Unix seconds: beyond both ends of
// what a record may carry (±1e11) by more than a histogram bar reaches.
const maxBoundUnix = 1e12

// FormatTimeBound writes t so that ParseTime reads it back exactly: RFC
// 3339 in UTC for the years it can spell (0000-9999), Unix seconds outside.
func FormatTimeBound(t time.Time) string {
	if y := t.UTC().Year(); y >= 0 && y <= 9999 {
		return t.UTC().Format(time.RFC3339Nano)
	}
	return strconv.FormatInt(t.Unix(), 10)
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
