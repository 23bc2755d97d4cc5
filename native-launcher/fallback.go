package main

import (
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// fallBack runs when no instance answered (or the command is not a launch):
//   - beside a source checkout or an npm install (bin/relais.mjs found from the launcher's folder
//     upwards: dist/launcher/<os>-<arch>/), the full Node command runs with the same arguments
//     and its exit code is ours: it checks the launch locally and says what is wrong;
//   - installed beside the app (Relais.exe, Relais.app's Relais, the Linux relais), the app starts
//     with the launch and opens the patient once the professional has signed in.
func fallBack(env environment, args []string, out, errOut func(string)) int {
	self, err := env.selfPath()
	if err != nil {
		errOut(fr.Text.NotAnswering)
		return 1
	}
	// Through a symlink (/usr/bin/relais-launch → the install folder): the folder of the file.
	if resolved, linkErr := filepath.EvalSymlinks(self); linkErr == nil {
		self = resolved
	}
	dir := filepath.Dir(self)
	if script := findUp(dir, filepath.Join("bin", "relais.mjs"), 4); script != "" {
		if node, lookErr := exec.LookPath("node"); lookErr == nil {
			return runInherited(node, append([]string{script}, args...))
		}
	}
	if app := findApp(dir, env.goos); app != "" && len(args) >= 2 && args[0] == "launch" {
		appArgs, ok := appLaunchArgs(args[1:])
		if !ok {
			errOut(fr.Text.Usage)
			return 2
		}
		cmd := exec.Command(app, appArgs...)
		if err := cmd.Start(); err != nil {
			errOut(fr.Text.NotAnswering)
			return 1
		}
		// The app lives on in the tray: not waited for.
		_ = cmd.Process.Release()
		out(fr.Text.Starting)
		return 0
	}
	errOut(fr.Text.Usage)
	return 2
}

func findUp(dir, rel string, levels int) string {
	for i := 0; i <= levels; i++ {
		candidate := filepath.Join(dir, rel)
		if info, err := os.Stat(candidate); err == nil && !info.IsDir() {
			return candidate
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			break
		}
		dir = parent
	}
	return ""
}

func findApp(dir, goos string) string {
	names := []string{"relais"}
	if goos == "windows" {
		names = []string{"Relais.exe"}
	} else if goos == "darwin" {
		names = []string{"Relais"}
	}
	for _, name := range names {
		candidate := filepath.Join(dir, name)
		if info, err := os.Stat(candidate); err == nil && !info.IsDir() {
			return candidate
		}
	}
	return ""
}

// appLaunchArgs gives the app its launch as the OS registration does: `-- <relais:// URL>`, so
// nothing in it can be read as a Chromium switch. Options (--ins … --birth-name …) become that URL.
func appLaunchArgs(args []string) ([]string, bool) {
	if len(args) == 1 && strings.HasPrefix(strings.ToLower(args[0]), "relais:") {
		return []string{"--", args[0]}, true
	}
	query := url.Values{}
	for i := 0; i < len(args); i++ {
		name, value, hasValue := strings.Cut(strings.TrimPrefix(args[i], "--"), "=")
		if !strings.HasPrefix(args[i], "--") {
			return nil, false
		}
		field := camel(name)
		if !contains(fr.LaunchFields, field) || query.Has(field) {
			return nil, false
		}
		if !hasValue {
			if i+1 >= len(args) {
				return nil, false
			}
			i++
			value = args[i]
		}
		query.Set(field, value)
	}
	if len(query) == 0 {
		return nil, false
	}
	return []string{"--", "relais://patient/open?" + query.Encode()}, true
}

func camel(kebab string) string {
	parts := strings.Split(kebab, "-")
	for i := 1; i < len(parts); i++ {
		if parts[i] != "" {
			parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
		}
	}
	return strings.Join(parts, "")
}

func runInherited(program string, args []string) int {
	cmd := exec.Command(program, args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		if exitErr, ok := err.(*exec.ExitError); ok {
			return exitErr.ExitCode()
		}
		return 1
	}
	return 0
}
