// Command syngeom-beam runs syngeom's paired geometry test over many shard
// files as an Apache Beam pipeline and writes the JSON document that
// `syngeom test --json` prints for the same files.
//
// Usage:
//
//	syngeom-beam --input 'shards/*.parquet' --before w0 --after w1 --output result.json [beam flags]
//	syngeom-beam --output result.json [flags] shard-000.parquet shard-001.parquet ...
//
// --input takes a comma-separated list of files or glob patterns (each
// pattern expanded in lexical order); file arguments after the flags are
// appended. The shards are numbered in that order. Shards and the output
// may be local paths (on a cluster: of a file system every worker mounts)
// or gs:// and s3:// URLs; each worker copies a remote shard to a local
// temporary file for each pass.
//
// The runner is chosen by Beam's own flags: --runner (default prism, which
// runs in this process), --endpoint, --environment_type, --environment_config,
// --worker_binary and the runner-specific ones (see docs/beam.md).
package main
