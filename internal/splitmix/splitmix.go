// Package splitmix derives well-mixed random seeds and keys from integers, the
// same way in every package (splitmix64, Steele, Lea and Flood 2014), so
// that nearby inputs such as consecutive chunk or simulation indices give
// unrelated streams.
package splitmix

import "math/rand/v2"

// Mix is splitmix64: the golden-ratio increment, then Finalize.
func Mix(z uint64) uint64 { return Finalize(z + 0x9e3779b97f4a7c15) }

// Finalize is the splitmix64 finaliser, a bijection of uint64 in which
// every input bit affects every output bit.
func Finalize(z uint64) uint64 {
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// Stream is the random source of replicate b for one purpose, named by
// tag: a PCG generator whose two state words are both hashed, so seeds and
// replicate numbers that differ in a few bits still give unrelated streams.
// testgeom and noise draw their simulations and resamples from it.
func Stream(seed, tag, b uint64) *rand.Rand {
	return rand.New(rand.NewPCG(Mix(seed^tag<<32), Mix(b^tag)))
}
