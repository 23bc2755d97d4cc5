// relais-launch: the practice software's way into a running Relais (issue 17, item 5).
//
// It does what `relais launch` does (bin/relais.mjs → main/cli/forward.ts) without starting
// Node: read instance.json, one POST to the running instance's control endpoint, print its
// answer in French, exit with the same codes (0 opened, 2 invalid launch, 3 held in the window
// for an identity confirmation or a choice, 1 anything else). A Node start alone takes 70–140 ms
// on a practice PC; this takes a few milliseconds. When no instance answers it hands over to
// the full command (a source or npm install) or starts the installed app with the launch.
package main

import (
	"fmt"
	"os"
	"runtime"
)

func main() {
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int {
	env := environment{
		lookup:   os.LookupEnv,
		goos:     runtime.GOOS,
		homeDir:  os.UserHomeDir,
		selfPath: os.Executable,
	}
	out := func(line string) { fmt.Fprintln(os.Stdout, line) }
	errOut := func(line string) { fmt.Fprintln(os.Stderr, line) }
	if len(args) >= 2 && args[0] == "launch" {
		if instance, ok := readInstance(dataDir(env)); ok {
			if code, answered := forward(instance, forwardArgv(args[1:]), out, errOut); answered {
				return code
			}
		}
	}
	return fallBack(env, args, out, errOut)
}
