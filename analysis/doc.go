// Package analysis runs syngeom's main job on one table of synaptic
// weights: ingest → distribution fits of the before sample, the after sample
// and the dual shifts of one geometry (Options.ShiftGeometry; by default the
// best) → the geometry test (paired or unpaired) → warnings and a verdict,
// on all synapses pooled and on each group. It returns one Result, plain data with JSON tags whose encoding is
// the stable "syngeom/1" contract (docs/json.md); package report renders it
// as text and HTML.
//
// The package only assembles: the statistics live in fit (distributions)
// and testgeom (geometries), file formats in ingest. What it adds is the
// choice of what to run on which values, the settings record that makes a
// run reproducible and citable, and the warnings that concern the whole
// analysis (small samples, every model fitting poorly, large changes, many
// zeros or sign flips).
//
// Entry points: Run and RunContext read files, RunDemo the built-in demo,
// Analyze a table already loaded, AnalyzeSlices weights held in memory, and
// RunStream paired files in two passes with bounded memory (Result.WriteShifts
// reads them a third time for the per-synapse shifts). With
// groups, a paired analysis headlines the common-λ comparison
// (Result.GroupComparison) and labels the pooled fit PooledLabel.
//
// The Result also holds, outside the JSON, what the report's figures draw
// (Scope.Figures, ScopeFigures): samples of at most FigureMaxN weights and
// dual shifts, drawn from the pairs the geometry test keeps for its
// diagnostics, and the relative profile log-likelihood from the test's own
// sums, the same whether the data were in memory or streamed (RunStream).
// The report then only draws.
//
// The package also builds the document of `syngeom test` (testdoc.go,
// testnoise.go): Test reads the files in two passes (stream) or into
// memory, TestStream runs the two passes over any stream source (tables or
// network checkpoints), and TestData tests data in memory by their shape: the paired test
// with its noise-corrected estimate, control and group comparisons
// (TestNoise), the unpaired test, or the single-sample analysis. The
// noise, control and group analyses take the pairs in the canonical order
// of the second pass's kept sample (testgeom.CanonicalOrder), streamed or
// in memory, so both give the same document while the pairs fit in it. Its
// TestDocument encodes as the "syngeom/1" document of that design.
//
// On two network checkpoints (a checkpoint.Source) it builds both
// documents (checkpoint.go, checkpoint_rounding.go): TestCheckpoints
// returns the CheckpointTestDocument of `syngeom test` and
// AnalyzeCheckpoints the CheckpointAnalysis of `syngeom analyze`, each
// with the CheckpointReport (one TensorRow per tensor, one GroupRow per
// tensor, layer kind or block, their LayerGeometry, and the precision
// warnings); with CheckpointTestOptions.RoundingNoise the test adds λ̂
// corrected for rounding to the stored dtype (RoundingNoise), on a seeded
// subsample of the pairs.
//
// Results are deterministic: the same data, Options and seed give the same
// Result, byte for byte in JSON, at any GOMAXPROCS. Distribution fits of
// more than Options.FitMaxN values use a deterministic random subsample
// (reported), because their cost grows with n while their precision stops
// mattering long before 10^7 values.
package analysis
