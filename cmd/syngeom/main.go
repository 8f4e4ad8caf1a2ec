package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/spf13/pflag"
	"github.com/syngeom/syngeom/analysis"
)

// Exit codes shared by every subcommand.
const (
	exitOK      = 0
	exitFailure = 1 // any failure that is not the user's input
	exitInput   = 2 // usage error or bad input file
)

// command is one subcommand. Each lives in its own file and registers itself
// in init, so the dispatcher never needs to know the list.
type command struct {
	name    string
	summary string // one line for the command list
	usage   string // synopsis, e.g. "syngeom fit FILE [flags]"
	help    string // paragraphs after the synopsis
	// flags declares the command's flags on fs and returns the function that
	// runs it once the flags are parsed; positional arguments come in args.
	flags func(fs *pflag.FlagSet) func(env *runEnv, args []string) error
}

// runEnv carries the streams a command writes to, so tests can run commands
// in-process.
type runEnv struct {
	stdout io.Writer
	stderr io.Writer
	stdin  io.Reader
	// args are the arguments after the program name, for the command line
	// recorded in reports.
	args []string
}

// bind makes a command's flags function from the function that declares
// its flags and the named function that runs it, so that no command's work
// hides in a closure.
func bind[F any](declare func(*pflag.FlagSet) F, run func(*runEnv, *pflag.FlagSet, F, []string) error) func(*pflag.FlagSet) func(*runEnv, []string) error {
	return func(fs *pflag.FlagSet) func(*runEnv, []string) error {
		f := declare(fs)
		return func(env *runEnv, args []string) error { return run(env, fs, f, args) }
	}
}

// noFlags declares no flags, for a command that takes none.
func noFlags(*pflag.FlagSet) struct{} { return struct{}{} }

var commands = map[string]*command{}

func register(c *command) {
	if _, dup := commands[c.name]; dup {
		panic("syngeom: command registered twice: " + c.name)
	}
	commands[c.name] = c
}

// usageError is a mistake in how the command was called; it exits with exitInput.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

// Is makes a usage error an input error (analysis.ErrInput).
func (e *usageError) Is(target error) bool { return target == analysis.ErrInput }

func usagef(format string, a ...any) error { return &usageError{fmt.Sprintf(format, a...)} }

// asUsage makes the library's errors about a setting usage errors, which
// point to the command's help, naming the settings by their flags.
func asUsage(err error) error {
	var oe *analysis.OptionError
	if errors.As(err, &oe) {
		return usagef("%s", strings.Replace(err.Error(), oe.Error(), oe.Message(flagOf), 1))
	}
	return err
}

// settingFlags are the flags of the library's settings (OptionError's
// names, without the prefixes "Analysis." and "Test." of nested options).
var settingFlags = map[string]string{
	"Bootstrap": "--bootstrap", "NullReplicates": "--null-replicates", "Candidates": "--candidates",
	"GOFSamples": "--gof-samples", "GOFMaxN": "--gof-max-n", "FitMaxN": "--fit-max-n", "ShiftGeometry": "--shift-geometry",
	"GroupSample": "--group-sample", "GroupBootstrap": "--group-bootstrap", "RoundingPairs": "--rounding-noise-pairs",
	"Stream": "--stream", "GroupByStep": "--group-by-step", "Ingest.Group": "--group", "Ingest.Consecutive": "--consecutive",
	"Noise.CV": "--noise-cv", "Noise.SD": "--noise-sd", "Noise.From": "--noise-from", "Noise.Value": "--noise-value",
	"Noise.RepeatBefore": "--repeat-before", "Noise.RepeatAfter": "--repeat-after", "Noise.Kind": "--noise-kind",
	"Noise.Method": "--noise-method", "Noise.Replicates": "--noise-replicates", "Noise.Bootstrap": "--noise-bootstrap",
	"Noise.Control": "--control", "Noise.ControlGroup": "--control-group",
}

// flagOf is the flag of a setting, or "" (its Go name is shown) when no
// flag sets it.
func flagOf(setting string) string {
	s := strings.TrimPrefix(setting, "Analysis.")
	return settingFlags[strings.TrimPrefix(s, "Test.")]
}

// exitCode is exitInput for every error about the input: those of every
// package match analysis.ErrInput.
func exitCode(err error) int {
	if err == nil {
		return exitOK
	}
	if errors.Is(err, analysis.ErrInput) {
		return exitInput
	}
	if errors.Is(err, pflag.ErrHelp) {
		return exitOK
	}
	return exitFailure
}

func main() {
	stopOnSignal(os.Stderr)
	stopProfile := startProfile(os.Stderr)
	code := run(os.Args[1:], &runEnv{stdout: os.Stdout, stderr: os.Stderr, stdin: os.Stdin})
	stopProfile()
	os.Exit(code)
}

// run dispatches to a subcommand and turns its error into a message on
// stderr and an exit code.
func run(args []string, env *runEnv) int {
	env.args = args
	if len(args) == 0 {
		printCommandList(env.stderr)
		return exitInput
	}
	name := args[0]
	switch name {
	case "-h", "--help", "help":
		if len(args) > 1 {
			c, ok := commands[args[1]]
			if !ok {
				fmt.Fprintf(env.stderr, "syngeom: unknown command %q\n", args[1])
				return exitInput
			}
			fs := newFlagSet(c)
			c.flags(fs)
			printCommandHelp(env.stdout, c, fs)
			return exitOK
		}
		printCommandList(env.stdout)
		return exitOK
	case "-v", "--version":
		name = "version"
	}
	c, ok := commands[name]
	if !ok {
		fmt.Fprintf(env.stderr, "syngeom: unknown command %q (run 'syngeom help' for the list)\n", name)
		return exitInput
	}
	fs := newFlagSet(c)
	fs.SetOutput(io.Discard)
	runFn := c.flags(fs)
	if err := fs.Parse(args[1:]); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			printCommandHelp(env.stdout, c, fs)
			return exitOK
		}
		fmt.Fprintf(env.stderr, "syngeom %s: %v\n  (run 'syngeom help %s' for usage)\n", c.name, err, c.name)
		return exitInput
	}
	err := asUsage(runFn(env, fs.Args()))
	if err != nil && !errors.Is(err, pflag.ErrHelp) {
		msg := err.Error()
		hint := ""
		var ue *usageError
		if errors.As(err, &ue) {
			hint = fmt.Sprintf("\n  (run 'syngeom help %s' for usage)", c.name)
		}
		fmt.Fprintf(env.stderr, "syngeom %s: %s%s\n", c.name, msg, hint)
	}
	return exitCode(err)
}

func newFlagSet(c *command) *pflag.FlagSet {
	fs := pflag.NewFlagSet("syngeom "+c.name, pflag.ContinueOnError)
	fs.SortFlags = false
	return fs
}

func printCommandList(w io.Writer) {
	fmt.Fprintln(w, "syngeom: which geometry of plasticity shaped your synaptic weights?")
	fmt.Fprintln(w, "\nUsage: syngeom <command> [flags] [FILE...]\n\nCommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\nRun 'syngeom help <command>' for a command's flags.")
	fmt.Fprintln(w, "Exit codes: 0 success, 2 usage or input error, 1 any other failure,\n130 or 143 stopped by SIGINT or SIGTERM (unfinished output files are removed).")
}

func printCommandHelp(w io.Writer, c *command, fs *pflag.FlagSet) {
	fmt.Fprintf(w, "Usage: %s\n\n", c.usage)
	if c.help != "" {
		fmt.Fprintln(w, strings.TrimSpace(c.help))
		fmt.Fprintln(w)
	}
	if fs.HasFlags() {
		fmt.Fprintln(w, "Flags:")
		fmt.Fprint(w, fs.FlagUsages())
	}
}
