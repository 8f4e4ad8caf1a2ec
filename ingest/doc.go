// Package ingest reads tables of synaptic weights from CSV, TSV (optionally
// gzip-compressed) and Parquet files, maps columns to roles (before, after,
// id, time, value, condition, group), reduces them to one of the analysis
// shapes (paired, unpaired, single sample) and validates every value.
//
// Three entry points share one reading path:
//
//   - Scan streams validated pairs (or values) to a callback in batches of
//     columnar float64 slices with aligned group codes; for wide tables its
//     memory is bounded by the batch size, and a long table larger than
//     about 10^6 rows is pivoted by partitioning its rows by id through
//     temporary files (pivot.go), in bounded memory. Pivot keeps a scan's
//     pairs in a temporary file for readers that scan them again
//     (replay.go): the two passes of a streamed test pivot a long table
//     once.
//   - Load is a Scan that keeps everything in memory, as a *Data.
//   - Inspect describes every column and the shape a Scan would produce, for
//     the `syngeom inspect` command.
//
// DistinctIDs reads only a wide table's id column and says whether its ids
// never repeat (distinct.go): such pairs are independent, and a Scan with
// Options.DistinctIDs streams them with the summary Load would give.
//
// Roles come from Options or are detected from common column names
// (before/after, pre/post, w0/w1, w_pre/w_post, initial/final, t0/t1,
// baseline/followup; id or synapse_id with time, session or day and value
// for long tables), ignoring case; every detection is reported in the
// notes, and an absent or ambiguous choice is an error that lists the
// columns.
//
// Nothing is dropped silently. A pair with an empty, NA, NaN or null value
// is excluded and counted under "missing", ±Inf under "non_finite", zeros
// with Options.Zero = "missing" under "zero", ids seen at only one of the
// two times under "unmatched"; zeros, negative values and sign flips that
// are kept are counted too. Text that is not a decimal number, duplicate
// (id, time) rows, duplicate or absent columns, text, nested or
// unsupported columns asked for as weights, content that does not match
// the file's extension and corrupt or truncated files are an *Error naming
// the file, the CSV line or the Parquet row group and row, and the column.
//
// FromSlices applies the same checks and counts to weights already in
// memory (Slices) and returns the same *Data.
//
// It is the only package that knows table formats, so it also holds the
// writers (Writer) for simulated data and per-synapse results. Network checkpoints
// are read by package checkpoint, which emits the same Batch and Summary.
package ingest
