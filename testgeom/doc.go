// Package testgeom tests which plasticity geometry is most consistent with
// synaptic weights measured before and after learning, following Pogodin et
// al., "Synaptic Weight Distributions Depend on the Geometry of Plasticity"
// (ICLR 2024).
//
// A geometry is a mirror-descent potential (Potential): the p-norms
// (p = 2 is Euclidean gradient descent), negative entropy (NE,
// multiplicative updates), the continuous Box–Cox family joining them
// (λ = p − 1, λ = 0 is NE) and hypentropy. Under a potential with dual map
// g the theory predicts g(w1) = g(w0) + ξ with ξ Gaussian and independent of
// w0; the package measures how well each candidate meets that prediction.
package testgeom
