#!/usr/bin/env python3
"""Summary of node-load-jmh.sh: per wait mode and N concurrent JMH processes, the time per launch round trip
(mean, p50, p99 of each process's samples), throughput, and process 0's CPU and syscalls per op (the one with the
profiler). One run: the spread shown is between the N processes of that run, not an interval over runs.

    python3 reference-runs/gpu-job/summarize-load-jmh.py OUTDIR
"""
import glob
import gzip
import json
import os
import statistics
import sys


def main(out):
    if not os.path.isdir(out):
        sys.exit(f"summarize-load-jmh: {out} is not a folder; pass the OUTDIR node-load-jmh.sh wrote")
    rows = []
    for mode_dir in sorted(glob.glob(os.path.join(out, "*"))):
        if not os.path.isdir(mode_dir):
            continue
        mode = os.path.basename(mode_dir)
        for n_dir in sorted(glob.glob(os.path.join(mode_dir, "n-*")), key=lambda p: int(p.rsplit("-", 1)[1])):
            n = int(n_dir.rsplit("-", 1)[1])
            procs = []
            # proc-<i>.json as written on the node, or gzipped as committed.
            for f in sorted(glob.glob(os.path.join(n_dir, "proc-*.json")) + glob.glob(os.path.join(n_dir, "proc-*.json.gz"))):
                try:
                    with (gzip.open(f, "rt") if f.endswith(".gz") else open(f)) as fh:
                        data = json.load(fh)
                except (OSError, ValueError):
                    continue
                if data:
                    procs.append((os.path.basename(f).removesuffix(".gz"), data[0]))
            if not procs:
                rows.append(f"| {mode} | {n} | 0 of {n} | | | | | | |")
                continue
            means = [p["primaryMetric"]["score"] for _, p in procs]
            p50 = [p["primaryMetric"]["scorePercentiles"]["50.0"] for _, p in procs]
            p99 = [p["primaryMetric"]["scorePercentiles"]["99.0"] for _, p in procs]
            first = dict(procs).get("proc-0.json", {}).get("secondaryMetrics", {})
            cpu = first.get("cpu.process.norm", {}).get("score")
            sysc = first.get("syscalls.total.norm", {}).get("score")
            done = "" if os.path.exists(os.path.join(n_dir, "done")) else " (not done)"
            rows.append(f"| {mode} | {n} | {len(procs)} of {n}{done} | {statistics.mean(means):.1f} ({min(means):.1f}-{max(means):.1f}) "
                        f"| {statistics.median(p50):.1f} | {statistics.median(p99):.1f} (max {max(p99):.1f}) "
                        f"| {sum(1e6 / m for m in means):.0f} | {'' if cpu is None else f'{cpu / 1000:.1f}'} "
                        f"| {'' if sysc is None else f'{sysc:.2f}'} |")
    if not rows:
        sys.exit(f"summarize-load-jmh: no <mode>/n-<N> folders in {out}")
    print("| wait | N | processes | time/op, µs: mean of processes (min-max) | p50, µs (median of processes) "
          "| p99, µs (median of processes) | round trips/s, all processes | process 0 CPU/op, µs | process 0 syscalls/op |")
    print("|---|---|---|---|---|---|---|---|---|")
    print("\n".join(rows))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: summarize-load-jmh.py OUTDIR")
    main(sys.argv[1])
