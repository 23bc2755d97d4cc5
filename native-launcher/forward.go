package main

import (
	"encoding/json"
	"errors"
	"net"
	"strconv"
	"strings"
	"time"
)

// The instance answers once the patient is open, which over a slow line can take seconds.
const answerTimeout = 60 * time.Second

// The control endpoint answers a few hundred bytes.
const maxAnswer = 64 * 1024

// forwardArgv is main/launch/argv.ts cliLaunchArgv: a URL goes after "--".
func forwardArgv(args []string) []string {
	if len(args) > 0 && strings.HasPrefix(strings.ToLower(args[0]), "relais:") {
		return append([]string{"--"}, args...)
	}
	return append([]string{}, args...)
}

type answer struct {
	OK    bool `json:"ok"`
	Value *struct {
		Opened bool `json:"opened"`
	} `json:"value"`
	Error *struct {
		Code  *string `json:"code"`
		Field string  `json:"field"`
	} `json:"error"`
}

// forward posts the launch to the running instance. answered is false when nothing answered
// (no connection): the caller then falls back, as forward.ts returns null.
func forward(inst instance, argv []string, out, errOut func(string)) (code int, answered bool) {
	body, _ := json.Marshal(map[string][]string{"argv": argv})
	status, raw, err := postLoopback(inst.ControlURL, "/launch", map[string]string{
		"Authorization": "Bearer " + inst.Token,
		"Content-Type":  "application/json",
	}, body, answerTimeout)
	var dialErr *dialError
	if errors.As(err, &dialErr) {
		return 0, false
	}
	if err != nil && isTimeout(err) {
		// The launch was delivered; starting another Relais would not help.
		errOut(fr.Text.NotAnswering)
		return 1, true
	}
	var parsed answer
	if err != nil || json.Unmarshal(raw, &parsed) != nil {
		if status == 0 {
			// Connected, then nothing readable: the instance went away mid-answer.
			errOut(fr.Text.NotAnswering)
			return 1, true
		}
		errOut(fill(fr.Text.Refused, map[string]string{"status": strconv.Itoa(status)}))
		return 1, true
	}
	return explainAnswer(inst, parsed, status, out, errOut), true
}

func explainAnswer(inst instance, a answer, status int, out, errOut func(string)) int {
	if a.OK {
		// No launch in these arguments (the instance opened nothing): the usage.
		if a.Value == nil || !a.Value.Opened {
			errOut(fr.Text.Usage)
			return 2
		}
		out(fill(fr.Text.Opened, map[string]string{"host": inst.Host}))
		return 0
	}
	if a.Error == nil || a.Error.Code == nil {
		errOut(fill(fr.Text.Refused, map[string]string{"status": strconv.Itoa(status)}))
		return 1
	}
	code := *a.Error.Code
	field := ""
	if a.Error.Field != "" {
		field = fill(fr.Text.Field, map[string]string{"field": a.Error.Field})
	}
	message, known := fr.Errors[code]
	if !known {
		message = fr.Errors["INTERNAL"]
	}
	errOut(fill(fr.Text.ErrorLine, map[string]string{"code": code, "field": field, "message": message}))
	switch {
	case contains(fr.InvalidLaunch, code):
		return 2
	case contains(fr.HeldLaunch, code):
		return 3
	}
	return 1
}

// isTimeout: the request reached the instance but no answer came in time.
func isTimeout(err error) bool {
	var netErr net.Error
	return errors.As(err, &netErr) && netErr.Timeout()
}
