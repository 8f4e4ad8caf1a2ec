package main

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/spf13/pflag"
)

// version is set at release time with -ldflags "-X main.version=v1.2.3".
var version = "dev"

func init() {
	register(&command{
		name:    "version",
		summary: "print the version of syngeom and of Go",
		usage:   "syngeom version",
		flags:   bind(noFlags, runVersionCommand),
	})
}

// runVersionCommand prints the version of syngeom and of Go.
func runVersionCommand(env *runEnv, _ *pflag.FlagSet, _ struct{}, args []string) error {
	if len(args) > 0 {
		return usagef("version takes no arguments")
	}
	v := version
	if bi, ok := debug.ReadBuildInfo(); ok && v == "dev" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		v = bi.Main.Version
	}
	fmt.Fprintf(env.stdout, "syngeom %s (%s, %s/%s)\n", v, runtime.Version(), runtime.GOOS, runtime.GOARCH)
	return nil
}
