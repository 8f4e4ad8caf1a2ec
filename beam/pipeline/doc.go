// Package pipeline runs syngeom's paired geometry test as an Apache Beam
// pipeline over many Parquet (or CSV) shards, so that it executes on any Beam
// runner: prism on one machine, Flink, Spark or Dataflow on a cluster.
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
// Every worker opens the shards by the paths in the Config: on a cluster they
// must be on a file system that all workers mount at the same path. The
// result is written through Beam's file system registry (local paths, gs://
// and any other scheme a binary registers).
package pipeline
