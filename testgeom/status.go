package testgeom

// StatusOK is the Status of every result of this package that is complete
// (Result, Candidate, UnpairedResult, SnapshotResult, StepModels, LambdaFit,
// …) and of the analyses built on it (packages compare and noise); any other
// Status is a sentence saying why the result is incomplete.
const StatusOK = "ok"
