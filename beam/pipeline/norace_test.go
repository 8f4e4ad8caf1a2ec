//go:build !race

package pipeline

// raceDetector is true in tests built with -race.
const raceDetector = false
