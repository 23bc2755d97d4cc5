package main

import (
	_ "embed"
	"encoding/json"
	"regexp"
)

// launcher-data.json is written by scripts/build-launcher.ts from the one French catalogue
// (contract/i18n/cli.fr.ts, contract/i18n/errors.fr.ts) and the launch fields
// (main/launch/context.ts), so the launcher says exactly what the Node command says.
//
//go:embed launcher-data.json
var launcherData []byte

type catalogue struct {
	Text struct {
		Usage        string `json:"usage"`
		Opened       string `json:"opened"`
		Refused      string `json:"refused"`
		NotAnswering string `json:"notAnswering"`
		Starting     string `json:"starting"`
		Field        string `json:"field"`
		ErrorLine    string `json:"errorLine"`
	} `json:"text"`
	Errors       map[string]string `json:"errors"`
	LaunchFields []string          `json:"launchFields"`
	// Launch errors (exit 2) and launches held in the window (exit 3), as forward.ts has them.
	InvalidLaunch []string `json:"invalidLaunch"`
	HeldLaunch    []string `json:"heldLaunch"`
}

var fr = mustCatalogue()

func mustCatalogue() catalogue {
	var c catalogue
	if err := json.Unmarshal(launcherData, &c); err != nil {
		panic("launcher-data.json: " + err.Error())
	}
	return c
}

var placeholder = regexp.MustCompile(`\{(\w+)\}`)

// fill replaces {name} by its value in one pass, as cliText does in contract/i18n/cli.fr.ts (a
// value holding "{message}" is not expanded again).
func fill(template string, values map[string]string) string {
	return placeholder.ReplaceAllStringFunc(template, func(whole string) string {
		if v, ok := values[whole[1:len(whole)-1]]; ok {
			return v
		}
		return whole
	})
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
