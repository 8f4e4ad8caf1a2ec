// Command syngeom is the command-line front end of the syngeom packages.
// It parses flags, routes inputs (tables to ingest, pairs of network
// checkpoints to checkpoint, large inputs to stream), calls the library and
// prints: analysis runs `analyze`, fit, testgeom, power and datasets the
// other commands, report renders text and HTML. Each subcommand lives in
// its own file and registers itself in init.
//
// Besides wiring, the package still assembles the document of `syngeom
// test` (test*.go: the JSON of the in-memory test, the noise-aware and
// control analyses, unpaired data and consecutive-session chains) and the
// per-tensor report on checkpoints (checkpoint*.go). It owns exit codes
// (0 success, 2 usage or input error, 1 other failures, 130/143 on
// signals) and the removal of partial output files on SIGINT/SIGTERM.
//
// docs/architecture.md maps the packages and the data flow of `analyze`.
package main
