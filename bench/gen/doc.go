// Command gen writes the synthetic paired weights that the benchmark
// harness of syngeom measures: N pairs (columns w0 and w1, float64) as
// zstd-compressed Parquet, optionally split into K shard files, plus one raw
// little-endian float64 file per column (<prefix>.w0.f64, <prefix>.w1.f64)
// that numpy.fromfile reads without a Parquet library.
//
// The weights before are drawn from a datasets.Law (by default the
// log-normal EPSP amplitudes of Song et al. 2005) and change by a
// multiplicative and an additive Gaussian part,
//
//	w1 = |w0·exp(m·ξ1) + a·ξ2|,   ξ1, ξ2 ~ N(0, 1),
//
// reflected at zero so that weights stay positive, as measured sizes do.
// Neither negative entropy (a = 0) nor the Euclidean geometry (m = 0) is
// exactly right, so the geometry scan has to do real work and the answer
// (λ̂ between 0 and 1) is not a grid end point.
//
// Generation streams: rows are produced in fixed chunks of 65536, each from
// its own PCG stream keyed by the seed and the chunk index, and written in
// batches, so memory does not grow with N and the same seed gives
// bit-identical files for any shard count, batch size or number of cores.
// Shards hold whole chunks, in order: concatenated, they are the unsharded
// table.
//
// Usage:
//
//	go run ./bench/gen --n 1e7 --out bench/out/pairs_1e7 [--shards 4] [--seed 1]
package main
