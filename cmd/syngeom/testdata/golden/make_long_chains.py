"""Writes long_chains.csv: 120 synthetic synapses imaged in 3 sessions.

Initial weights log-normal(0, 0.5); each session's weight is the previous one
moved by one negative-entropy step, w' = w·exp(ξ), ξ ~ N(0.02, 0.15²), with
each synapse's own step scale exp(0.3·z), z ~ N(0, 1); 2% of values missing.
The true geometry is negative entropy (λ = 0). Python's random module only,
seeded, so the file is the same on every machine.
"""
import math
import random

rng = random.Random(11)
with open("long_chains.csv", "w") as f:
    f.write("synapse,session,value\n")
    for s in range(120):
        w = math.exp(0.5 * rng.gauss(0, 1))
        scale = 0.15 * math.exp(0.3 * rng.gauss(0, 1))
        for t in range(1, 4):
            v = "NA" if rng.random() < 0.02 else repr(round(w, 6))
            f.write(f"s{s:03d},{t},{v}\n")
            w *= math.exp(0.02 + scale * rng.gauss(0, 1))
