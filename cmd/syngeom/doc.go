// Command syngeom is the command-line front end of the syngeom packages.
// Each subcommand lives in its own file: it registers itself in init with
// a function that declares its flags and a named runXCommand function that
// checks them, calls the library once and prints the result (text, or
// JSON with --json); bind (main.go) joins the two.
//
// Routing is the only logic here: tables go to ingest and the library,
// pairs of network checkpoints to checkpoint, large inputs to stream.
// analysis builds the documents of `analyze` and `test` (analysis.Test:
// paired, unpaired and single-sample tests, the noise, control and group
// analyses, the streamed path; analysis.TestCheckpoints and
// AnalyzeCheckpoints on two network checkpoints, with the per-tensor
// report and the rounding-noise correction), fit, testgeom, power and
// datasets serve the other commands, and report renders text and HTML
// (report.WriteTestText is the text of the test document,
// report.WriteCheckpointTestText that of the checkpoint test).
//
// On checkpoints (checkpoint*.go) the package declares the flags, opens
// the pair and makes those calls. It owns exit codes (0 success, 2 usage or
// input error, 1 other failures, 130/143 on signals) and the removal of
// partial output files on SIGINT/SIGTERM.
//
// docs/architecture.md maps the packages and the data flow of `analyze`.
package main
