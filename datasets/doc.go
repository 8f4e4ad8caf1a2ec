// Package datasets provides data with a known answer: the built-in demo
// dataset, simulators of the experiments of Pogodin et al., "Synaptic Weight
// Distributions Depend on the Geometry of Plasticity" (ICLR 2024), and a
// table of published weight distributions to make simulations realistic.
//
// Everything here is synthetic except the parameters in the literature
// table, and every generated table says so in its Description. Generation
// is deterministic: the same configuration and seed give bit-identical
// tables at any GOMAXPROCS.
//
//   - DualShift draws initial weights from a Law and applies one Gaussian
//     step in the dual space of a potential, g(w1) = g(w0) + ξ, then adds
//     measurement noise, turnover and missing values. PaperRobustness is the
//     paper's robustness setting.
//   - Mirror trains a linear regression to zero loss under a potential
//     (the paper's linear-regression experiment) and returns the weights
//     before and after.
//   - Chains simulates synapses imaged at several sessions, each
//     consecutive pair one dual step, for the consecutive-pair analyses.
//   - Demo is a two-cell-type table that exercises every reporting path;
//     Builtins and Load list and generate the built-in datasets.
//   - Literature lists published parameters with citations; each
//     quantitative entry is a Law usable as DualShift's initial law.
//
// Every generator returns a Pairs table, which Write saves as CSV, TSV or
// Parquet in the wide or long Layout; ParseLaw reads a law from the
// command line's syntax.
package datasets
