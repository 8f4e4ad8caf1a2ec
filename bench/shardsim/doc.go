// Command shardsim simulates the paired test's two passes on a machine
// with one core for each shard, on whatever machine is at hand.
//
// The passes of package stream split by shard: every shard's first pass
// runs alone, the partial results merge exactly, then every shard's second
// pass runs alone given the merged first pass, and the merged second pass
// is finished into the document (the route of syngeom-beam, and of any
// runner that gives each shard a core). shardsim runs each shard's pass on
// one core (GOMAXPROCS=1 and one worker), one shard after another, and
// times each; it times the merges and the finish likewise. With those
// times it projects the wall time on k cores for several k by placing the
// shards of each pass on the cores longest first (the makespan of each
// pass, plus the merges and the finish, which run on one core):
//
//	shardsim --before w0 --after w1 --bootstrap 0 --null-replicates 0 pairs-*-of-016.parquet
//
// It writes the document to --json when asked, so that it can be checked
// against the one-process run. What the projection leaves out: the memory
// bandwidth and the last-level cache that k cores share (the passes read
// about 16 bytes a pair from memory, far below a server's bandwidth), and
// reading the shards from storage rather than the page cache.
package main
