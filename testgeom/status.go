package testgeom

// StatusOK is the Status of every result of this package that is complete
// (Result, Candidate, UnpairedResult, SnapshotResult, StepModels,
// GroupComparison, NoiseEstimate, NoiseCorrection, ControlComparison, …);
// any other Status is a sentence saying why the result is incomplete.
const StatusOK = "ok"
