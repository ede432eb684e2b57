package sqlite

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// DefaultPath is where the store of organisation org lives unless --store
// says otherwise: auditui/<org>.db under the user's data directory, org
// being "default" when empty.
func DefaultPath(org string) (string, error) {
	dir, err := dataDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "auditui", fileName(org)+".db"), nil
}

// dataDir is $XDG_DATA_HOME, else the platform's place for user data.
func dataDir() (string, error) {
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
			return "", errors.New("cannot tell where to keep the store (no home directory): name one with --store")
		}
		return filepath.Join(home, "Library", "Application Support"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", errors.New("cannot tell where to keep the store (no home directory): name one with --store")
	}
	return filepath.Join(home, ".local", "share"), nil
}

// fileName keeps an organisation id to characters safe in a file name.
func fileName(org string) string {
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
