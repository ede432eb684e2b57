package store

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// DataDir is where auditui keeps data between runs (stores, query
// history) under an auditui folder: $XDG_DATA_HOME, else the platform's place for user data.
func DataDir() (string, error) {
	if d := os.Getenv("XDG_DATA_HOME"); filepath.IsAbs(d) {
		return d, nil
	}
	switch runtime.GOOS {
	case "windows":
		if d := os.Getenv("LocalAppData"); d != "" {
			return d, nil
		}
	case "darwin", "ios":
		home, err := os.UserHomeDir()
		if err != nil {
			return "", errors.New("cannot tell where to keep data (no home directory)")
		}
		return filepath.Join(home, "Library", "Application Support"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", errors.New("cannot tell where to keep data (no home directory)")
	}
	return filepath.Join(home, ".local", "share"), nil
}

// FileName keeps an organisation id to characters safe in a file name,
// "default" for none.
func FileName(org string) string {
	if org == "" {
		return "default"
	}
	return strings.Map(func(r rune) rune {
		switch {
		case 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z', '0' <= r && r <= '9', r == '-', r == '_', r == '.':
			return r
		}
		return '_'
	}, strings.TrimLeft(org, "."))
}
