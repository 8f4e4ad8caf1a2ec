// Package signalsafe keeps the list of temporary files that are being
// written, so that a process stopped by SIGINT or SIGTERM can remove them
// before it exits and leave no partial output behind.
//
// Writers create their temporary file with CreateTemp instead of
// os.CreateTemp, then rename it into place and call Forget, or drop it with
// Remove. The command's signal handler calls RemoveAll and exits; RemoveAll
// holds the registry's lock until the process ends, so no temporary file can
// be created after it has run or escape the list while it runs.
package signalsafe
