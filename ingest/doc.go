// Package ingest reads tables of synaptic weights from CSV, TSV (optionally
// gzip-compressed) and Parquet files, maps columns to roles (before, after,
// id, time, value, group), reduces them to one of the analysis shapes
// (paired, unpaired, single sample) and validates every value.
//
// It is the only package that knows file formats, so it also holds the
// writers for simulated data and per-synapse results. Nothing is dropped
// silently: every excluded row is counted under a reason, and malformed input
// is an *Error naming the file, line (or row group and row) and column.
package ingest
