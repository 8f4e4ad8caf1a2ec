// Package exactsum adds float64 values without rounding error.
//
// A Sum keeps the exact total as a list of non-overlapping float64 partials
// (Shewchuk's expansion, the algorithm of Python's math.fsum). Because the
// total is exact, it does not depend on the order in which values are added
// or sums are merged; Float rounds it to the nearest float64 and Big gives it
// exactly. syngeom uses it to merge the partial results of chunks, shards
// and machines so that every way of splitting the work gives bit-identical
// output.
//
// Moments merges the count, mean and sum of squared deviations of chunks
// the same way: Shifted sums one chunk in float64 about its first value,
// Chunked cuts a stream of values into such chunks, and their partial
// moments are added exactly.
package exactsum
