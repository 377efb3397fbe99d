//go:build race

package main

// raceDetector: the race detector slows every step about tenfold, so load
// sizes are scaled down to keep the suite's time bounded; the behaviours
// tested stay the same.
const raceDetector = true
