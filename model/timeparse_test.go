package model

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestParseTime(t *testing.T) {
	now := time.Date(2026, 11, 26, 15, 0, 0, 0, time.UTC)
	cases := []struct {
		in   string
		want time.Time
	}{
		{"2024-07-12T17:09:50Z", time.Date(2024, 7, 12, 17, 9, 50, 0, time.UTC)},
		{"2024-07-12T19:09:50+02:00", time.Date(2024, 7, 12, 17, 9, 50, 0, time.UTC)},
		{"2024-07-12T17:09:50.25Z", time.Date(2024, 7, 12, 17, 9, 50, 250e6, time.UTC)},
		{"2024-07-12", time.Date(2024, 7, 12, 0, 0, 0, 0, time.UTC)},
		{"  2024-07-12\n", time.Date(2024, 7, 12, 0, 0, 0, 0, time.UTC)},
		{"1720804190", time.Unix(1720804190, 0).UTC()},
		{"0", time.Unix(0, 0).UTC()},
		{"-5", time.Unix(-5, 0).UTC()},
		{"-100000000000", time.Unix(-1e11, 0).UTC()},
		{"99999999999", time.Unix(99999999999, 0).UTC()},
		{"90m", now.Add(-90 * time.Minute)},
		{"24h", now.Add(-24 * time.Hour)},
		{"7d", now.Add(-7 * 24 * time.Hour)},
		{"2w", now.Add(-14 * 24 * time.Hour)},
		{"1h30m", now.Add(-90 * time.Minute)},
		{"1d12h", now.Add(-36 * time.Hour)},
		{"45s", now.Add(-45 * time.Second)},
		{"0s", now},
	}
	for _, c := range cases {
		got, err := ParseTime(c.in, now)
		if err != nil {
			t.Errorf("ParseTime(%q): %v", c.in, err)
			continue
		}
		if !got.Equal(c.want) || got.Location() != time.UTC {
			t.Errorf("ParseTime(%q) = %v, want %v in UTC", c.in, got, c.want)
		}
	}
}

func TestParseTimeLocalNowIsUTC(t *testing.T) {
	now := time.Date(2026, 11, 26, 15, 0, 0, 0, time.FixedZone("CET", 3600))
	got, err := ParseTime("1h", now)
	if err != nil || got.Location() != time.UTC || !got.Equal(now.Add(-time.Hour)) {
		t.Errorf("ParseTime(1h) = %v, %v; want %v in UTC", got, err, now.Add(-time.Hour))
	}
}

func TestParseTimeErrors(t *testing.T) {
	now := time.Date(2026, 11, 26, 15, 0, 0, 0, time.UTC)
	for _, in := range []string{"", "   ", "yesterday", "7x", "h", "1h30", "99999999999999",
		"2024-13-01", "2024-07-12T25:00:00Z", "1000001d", "-7d", "7 d", "1e3", "7D",
		strings.Repeat("1000000w", 20), // would overflow into the future
		"36600d",                       // more than a century back
	} {
		got, err := ParseTime(in, now)
		if err == nil {
			t.Errorf("ParseTime(%q) = %v, want an error", in, got)
			continue
		}
		if in != "" && strings.TrimSpace(in) != "" && !strings.Contains(err.Error(), strconv.Quote(strings.TrimSpace(in))) {
			t.Errorf("ParseTime(%q) error %q does not quote the input", in, err)
		}
	}
}

// TestFormatTimeBound: every time a record may carry, and a histogram bar
// past either end, is written so that ParseTime reads back the same instant.
func TestFormatTimeBound(t *testing.T) {
	now := time.Date(2026, 11, 26, 15, 0, 0, 0, time.UTC)
	for _, at := range []time.Time{
		time.Unix(-1e11, 0), time.Unix(-62167219201, 0), time.Unix(-62167219200, 0), time.Unix(0, 0),
		time.Unix(1760000000, 250e6), time.Unix(253402300799, 0), time.Unix(253402300800, 0),
		time.Unix(99999999999, 0), time.Unix(1e11+365*86400, 0),
		time.Date(2026, 1, 1, 0, 0, 0, 0, time.FixedZone("X", 5*3600)),
	} {
		s := FormatTimeBound(at)
		got, err := ParseTime(s, now)
		if err != nil || !got.Equal(at) {
			t.Errorf("FormatTimeBound(%v) = %q, read back as %v, %v", at, s, got, err)
		}
	}
}

// FuzzParseTime: no input panics, every success is in UTC, and a
// successful parse of Unix seconds round-trips.
func FuzzParseTime(f *testing.F) {
	now := time.Date(2026, 11, 26, 15, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseTime(s, now)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error")
			}
			return
		}
		if got.Location() != time.UTC {
			t.Fatalf("ParseTime(%q) = %v, not UTC", s, got)
		}
		if n, perr := strconv.ParseInt(strings.TrimSpace(s), 10, 64); perr == nil {
			if got.Unix() != n || got.Nanosecond() != 0 {
				t.Fatalf("ParseTime(%q) = %v (Unix %d), want Unix %d", s, got, got.Unix(), n)
			}
		}
	})
}
