// Command syngeom is the command-line front end of the syngeom packages.
// It only wires: ingest reads files, fit and testgeom compute, report renders.
// Each subcommand lives in its own file and registers itself in init.
package main
