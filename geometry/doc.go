// Package geometry holds the geometries of plasticity: separable
// mirror-descent potentials φ seen through their dual maps g = φ′
// (negative entropy, p-norms, the Box–Cox family that joins them, and
// hypentropy), the paper's grid of candidates and the parser of candidate
// lists. It is a leaf: the tests (testgeom), the simulators (datasets) and
// the report use it, and it imports only the standard library and the
// project's input-error marker.
package geometry
