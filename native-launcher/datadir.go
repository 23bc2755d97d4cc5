package main

import (
	"path/filepath"
	"strings"
)

// environment is what the launcher reads of its process, injectable for tests.
type environment struct {
	lookup   func(string) (string, bool)
	goos     string
	homeDir  func() (string, error)
	selfPath func() (string, error)
}

func (e environment) get(name string) string {
	v, _ := e.lookup(name)
	return strings.TrimSpace(v)
}

// dataDir follows main/config/data-dir.ts: RELAIS_DATA_DIR › Windows %APPDATA%\Relais ›
// macOS ~/Library/Application Support/Relais › elsewhere ~/.relais.
func dataDir(e environment) string {
	if explicit := e.get("RELAIS_DATA_DIR"); explicit != "" {
		return explicit
	}
	home, _ := e.homeDir()
	join := filepath.Join
	if e.goos == "windows" {
		// filepath joins with the host's separator; on Windows that is the backslash.
		appData := e.get("APPDATA")
		if appData == "" {
			appData = join(home, "AppData", "Roaming")
		}
		return join(appData, "Relais")
	}
	if e.goos == "darwin" {
		return join(home, "Library", "Application Support", "Relais")
	}
	return join(home, ".relais")
}
