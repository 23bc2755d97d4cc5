package main

import (
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

type instance struct {
	Host       string
	ControlURL string
	Token      string
}

// Only a loopback endpoint: instance.json is the user's own file, but the token it holds must
// never be sent anywhere else.
var loopbackControl = regexp.MustCompile(`^http://127\.0\.0\.1:\d{1,5}$`)

// The file is a few hundred bytes; anything much larger is not ours.
const maxInstanceFile = 64 * 1024

// readInstance checks instance.json by hand, as main/cli/forward.ts does.
func readInstance(dir string) (instance, bool) {
	var raw struct {
		Host       *string `json:"host"`
		ControlURL *string `json:"controlUrl"`
		Token      *string `json:"token"`
	}
	f, err := os.Open(filepath.Join(dir, "instance.json"))
	if err != nil {
		return instance{}, false
	}
	defer f.Close()
	body, err := io.ReadAll(io.LimitReader(f, maxInstanceFile+1))
	if err != nil || len(body) > maxInstanceFile || json.Unmarshal(body, &raw) != nil {
		return instance{}, false
	}
	if raw.Host == nil || raw.ControlURL == nil || raw.Token == nil || len(*raw.Token) < 32 {
		return instance{}, false
	}
	found := instance{Host: *raw.Host, ControlURL: strings.TrimSuffix(*raw.ControlURL, "/"), Token: *raw.Token}
	if !loopbackControl.MatchString(found.ControlURL) {
		return instance{}, false
	}
	return found, true
}
