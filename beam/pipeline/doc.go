// Package pipeline runs syngeom's paired geometry test as an Apache Beam
// pipeline over many shard files (Parquet, or CSV and TSV through the same
// reader), so that it executes on any Beam runner: prism on one machine,
// Flink, Spark or Dataflow on a cluster.
//
// The pipeline is the two-pass computation of package stream spread over
// workers:
//
//	shard indices ─ParDo(Pass1)─▶ Part1 bytes ─Combine(merge)─▶ first ───────┐ side input
//	shard indices ─ParDo(Pass2, first)─▶ Part2 bytes ─Combine(merge)─▶ second ─ParDo(Finish, first)─▶ JSON
//
// Partial results travel between workers as the bytes of their
// MarshalBinary methods and merge exactly, so the document is byte-identical
// to stream.Run (and to `syngeom test --stream`) on the same files, whatever
// the runner, the number of workers, the bundling of shards or the order in
// which the runner merges partial results.
//
// A shard is a local path, which on a cluster must name the same file on
// every worker, or a URL of a Beam file system (gs://, s3://, ...), which
// the worker copies to a local temporary file for each pass. The document is
// written through Beam's file systems too.
package pipeline
