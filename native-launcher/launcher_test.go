package main

import (
	"bufio"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func envOf(goos string, vars map[string]string) environment {
	return environment{
		lookup:   func(k string) (string, bool) { v, ok := vars[k]; return v, ok },
		goos:     goos,
		homeDir:  func() (string, error) { return "/home/dr", nil },
		selfPath: func() (string, error) { return "", errors.New("unused") },
	}
}

func TestDataDirFollowsTheNodeRule(t *testing.T) {
	cases := []struct {
		goos string
		vars map[string]string
		want string
	}{
		{"linux", map[string]string{"RELAIS_DATA_DIR": "  /srv/relais  "}, "/srv/relais"},
		{"linux", nil, filepath.Join("/home/dr", ".relais")},
		{"darwin", nil, filepath.Join("/home/dr", "Library", "Application Support", "Relais")},
		{"windows", map[string]string{"APPDATA": "/roaming"}, filepath.Join("/roaming", "Relais")},
		{"windows", map[string]string{"APPDATA": "  "}, filepath.Join("/home/dr", "AppData", "Roaming", "Relais")},
	}
	for _, c := range cases {
		if got := dataDir(envOf(c.goos, c.vars)); got != c.want {
			t.Errorf("%s %v: got %q, want %q", c.goos, c.vars, got, c.want)
		}
	}
}

func TestInstanceFileIsCheckedBeforeTheTokenIsSent(t *testing.T) {
	token := "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
	cases := map[string]bool{
		`{"host":"web","controlUrl":"http://127.0.0.1:4567/","token":"` + token + `"}`:   true,
		`{"host":"web","controlUrl":"http://127.0.0.1:4567","token":"short"}`:            false,
		`{"host":"web","controlUrl":"http://evil.example:4567","token":"` + token + `"}`: false,
		`{"host":"web","controlUrl":"https://127.0.0.1:4567","token":"` + token + `"}`:   false,
		`{"controlUrl":"http://127.0.0.1:4567","token":"` + token + `"}`:                 false,
		`{"host":1,"controlUrl":"http://127.0.0.1:4567","token":"` + token + `"}`:        false,
		`not json`: false,
		``:         false,
	}
	for content, want := range cases {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "instance.json"), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		got, ok := readInstance(dir)
		if ok != want {
			t.Errorf("%s: ok=%v, want %v", content, ok, want)
		}
		if ok && got.ControlURL != "http://127.0.0.1:4567" {
			t.Errorf("trailing slash kept: %q", got.ControlURL)
		}
	}
	if _, ok := readInstance(t.TempDir()); ok {
		t.Error("a missing instance.json was accepted")
	}
}

func TestAppLaunchArgsPutTheLaunchAfterTheTerminator(t *testing.T) {
	got, ok := appLaunchArgs([]string{"relais://patient/open?ins=1"})
	if !ok || !reflect.DeepEqual(got, []string{"--", "relais://patient/open?ins=1"}) {
		t.Fatalf("URL: %v %v", got, ok)
	}
	got, ok = appLaunchArgs([]string{"--ins", "295109912611193", "--birth-name=Dupont", "--first-names", "Marie Anne"})
	if !ok || len(got) != 2 || got[0] != "--" {
		t.Fatalf("options: %v %v", got, ok)
	}
	u, err := url.Parse(got[1])
	if err != nil || u.Scheme != "relais" || u.Host != "patient" || u.Path != "/open" {
		t.Fatalf("not a launch URL: %q", got[1])
	}
	q := u.Query()
	if q.Get("ins") != "295109912611193" || q.Get("birthName") != "Dupont" || q.Get("firstNames") != "Marie Anne" {
		t.Errorf("query: %v", q)
	}
	for _, bad := range [][]string{
		{"--gpu-launcher=evil"},
		{"--ins", "1", "--ins", "2"},
		{"--ins"},
		{"positional"},
		{},
	} {
		if got, ok := appLaunchArgs(bad); ok {
			t.Errorf("%v accepted as %v", bad, got)
		}
	}
}

func TestFillIsOnePass(t *testing.T) {
	got := fill("Erreur {code}{field} : {message}", map[string]string{"code": "X", "field": " {message}", "message": "m"})
	if got != "Erreur X {message} : m" {
		t.Errorf("got %q", got)
	}
	if fill("{unknown}", nil) != "{unknown}" {
		t.Error("an unknown placeholder was replaced")
	}
}

func TestEveryCodeTheCatalogueNamesHasAMessage(t *testing.T) {
	for _, code := range append(append([]string{"INTERNAL"}, fr.InvalidLaunch...), fr.HeldLaunch...) {
		if fr.Errors[code] == "" {
			t.Errorf("no French message for %s", code)
		}
	}
}

func TestReadAnswerSizedChunkedOrToTheEnd(t *testing.T) {
	body := `{"ok":true}`
	cases := map[string]string{
		"HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\n" + body:                                          body,
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{\"ok\"\r\n6\r\n:true}\r\n0\r\n\r\n": body,
		"HTTP/1.1 422 Unprocessable\r\nConnection: close\r\n\r\n" + body:                                body,
	}
	for raw, want := range cases {
		_, got, err := readAnswer(bufio.NewReader(strings.NewReader(raw)))
		if err != nil || string(got) != want {
			t.Errorf("%q: got %q, %v", raw, got, err)
		}
	}
	for _, garbage := range []string{"", "SSH-2.0-OpenSSH\r\n", "HTTP/1.1 abc\r\n\r\n", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"} {
		if _, _, err := readAnswer(bufio.NewReader(strings.NewReader(garbage))); err == nil {
			t.Errorf("%q accepted", garbage)
		}
	}
}
