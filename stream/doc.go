// Package stream runs the paired geometry test over inputs larger than
// memory, and over many machines, in two passes over the files.
//
// Each input file is a shard; Config.Source can replace the files by any
// reader of paired batches (package checkpoint's pairs of network
// checkpoints, for one). Pass1 reads a shard once and returns its
// partial first pass (testgeom.Scan for all synapses and for each group,
// with the reader's counts); partial results merge exactly, in any order.
// Pass2 reads the shard again with the merged first pass and returns its
// partial second pass (the exact ΔCDF counts, higher moments, the fine
// likelihood ladder and a deterministic subsample of pairs). Finish turns
// the merged passes into the JSON document of `syngeom test`. Memory is
// bounded by the reader's batch, the accumulators and the subsample
// (about testgeom.DefaultSampleMax pairs per scope, Config.GroupSampleMax
// per group when set), whatever the number of pairs. Assemble finishes all
// scopes together (testgeom.Results: shared null simulations, scopes side
// by side on the cores). Config.Test are the test's options, a
// testgeom.Options as for an in-memory run; every entry point has a
// ...Context variant that stops after the batch being read.
//
// In one process, Run does both passes over all shards and Finish, and
// Passes returns the merged passes for callers that go on (CompareGroups
// tests one λ across the groups from them). SameAsInMemory says whether
// streaming given files gives the document of reading them into memory, so
// that a caller may stream by default, and with which reading options (a
// wide table whose synapse ids never repeat streams with
// ingest.Options.DistinctIDs). EachBatch reads the pairs a third
// time, for outputs that list every pair. A long table is pivoted once for
// both passes of Passes (ingest.Pivot); in several files it is one table,
// whose pairs all come as the first shard's.
//
// Partial results encode to bytes (MarshalBinary), so the same functions
// run inside a distributed pipeline (the Apache Beam module of this
// repository). Because chunk results are added exactly and chunks restart
// at each shard, every way of scheduling the shards gives byte-identical
// output, and a single file gives the output of the in-memory test. One
// warning is the reading's own: the first pass looks at the rows in file
// order and, in a table without synapse ids laid out as chains of
// consecutive measurements (each row's before the previous row's after;
// chains.go), warns every scope that its pairs are not independent.
package stream
