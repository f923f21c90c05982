#!/usr/bin/env python3
"""Java against C, launch + synchronize round trip per wait policy: C runs (one value per process) from
cuda-roundtrip output, Java forks (one value per fork) from JMH's JSON; ratio of means Java / C with a 95%
percentile-bootstrap CI (each side resampled independently, 10 000 times, seed 1).

    python3 reference-runs/gpu-node/roundtrip-compare.py reference-runs/gpu-node/roundtrip-f10/cuda-roundtrip-x10.txt \
        reference-runs/gpu-node/roundtrip-f10/launchsync-f10.json
"""
import json
import random
import re
import statistics as st
import sys


def main(c_file, jmh_file):
    c = {}
    for line in open(c_file):
        m = re.search(r"policy=(\w+)\s+us_per_roundtrip=([\d.]+)", line)
        if m:
            c.setdefault(m.group(1), []).append(float(m.group(2)))
    java = {}
    for e in json.load(open(jmh_file)):
        java[e["params"]["waitPolicy"]] = [sum(f) / len(f) for f in e["primaryMetric"]["rawData"]]
    random.seed(1)
    print("| policy | C, µs (n processes: min-max) | Java, µs (n forks: min-max) | Java / C [95% CI] |")
    print("|---|---|---|---|")
    for policy, j in java.items():
        if policy not in c:
            continue
        k = c[policy]
        ratios = sorted(st.mean(random.choices(j, k=len(j))) / st.mean(random.choices(k, k=len(k))) for _ in range(10000))
        print(f"| {policy} | {st.mean(k):.2f} ({len(k)}: {min(k):.1f}-{max(k):.1f}) | {st.mean(j):.2f} ({len(j)}: {min(j):.1f}-{max(j):.1f}) "
              f"| {st.mean(j) / st.mean(k):.3f} [{ratios[249]:.3f}, {ratios[9749]:.3f}] |")


def fail(line):
    """Bad input: one line on stderr, exit 2 (the suite's convention)."""
    print(line, file=sys.stderr)
    sys.exit(2)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        fail("roundtrip-compare.py: roundtrip-compare.py <cuda-roundtrip output> <JMH launchSync JSON>")
    try:
        main(sys.argv[1], sys.argv[2])
    except (OSError, ValueError, KeyError) as e:
        # One line: which input is wrong; nothing is written anywhere.
        fail(f"roundtrip-compare.py: cannot read the input ({type(e).__name__}: {e}); roundtrip-compare.py <cuda-roundtrip output> <JMH launchSync JSON>")
