#!/usr/bin/env python3
"""Markdown tables from a folder of resnet_infer.py results (node-resnet.sh and node-load.sh).

  python3 reference-runs/resnet/summarize.py DIR > DIR/summary.md

Sweep points (DIR/<point>/run-<k>.json): one row per point and mode; each value is the mean over runs of the
run's figure (the run, one process, is the unit of replication) +- the half-width of its 95% t interval
(n >= 2 runs, else no interval). The ratio column divides the point's mean latency and CPU by those of its
baseline: the same mode, batch, dtype, allocator and inferences with wait "default" (PyTorch's spin).
Load (DIR/<wait>/run-<r>/proc-<i>.json, entries with loadN): per wait and N, per run: throughput (all
inferences of the round over its span, first start to last end), p50/p99 of the pooled latency samples, CPU time,
context switches per inference (all processes), syscalls per inference (processes with the counter); then the
same mean +- t interval over runs. Standard library only.
"""
import glob
import json
import math
import os
import statistics
import sys
from collections import defaultdict

# Two-sided 95% Student t quantiles t(0.975, df), df = 1..30; beyond, 1.96 is within 2%.
T975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
        2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042]


def interval(values):
    """(mean, half-width of the 95% t interval or None, n)."""
    v = [x for x in values if x is not None and not math.isnan(x)]
    if not v:
        return float("nan"), None, 0
    m = statistics.fmean(v)
    if len(v) < 2:
        return m, None, len(v)
    t = T975[len(v) - 2] if len(v) - 1 <= len(T975) else 1.96
    return m, t * statistics.stdev(v) / math.sqrt(len(v)), len(v)


def fmt(ci, digits=3):
    m, h, _ = ci
    if math.isnan(m):
        return "-"
    return f"{m:.{digits}f}" if h is None else f"{m:.{digits}f} ± {h:.{digits}f}"


def percentile(sorted_values, q):
    i = min(len(sorted_values) - 1, max(0, int(round(q * (len(sorted_values) - 1)))))
    return sorted_values[i]


def load_entries(d):
    out = []
    for f in sorted(glob.glob(os.path.join(d, "**", "*.json"), recursive=True)):
        if f.endswith(".preload.json"):
            continue
        with open(f) as fh:
            data = json.load(fh)
        if isinstance(data, list):
            for e in data:
                if isinstance(e, dict) and "mode" in e:
                    out.append(dict(e, _file=f))
    return out


POINT_KEY = ("mode", "batch", "dtype", "wait", "allocator", "iters")
BASE_KEY = ("mode", "batch", "dtype", "allocator", "iters")


def sweep_table(entries):
    runs = defaultdict(list)
    errors = defaultdict(int)
    for e in entries:
        key = tuple(e.get(k) for k in POINT_KEY)
        if "error" in e:
            errors[key] += 1
        else:
            runs[key].append(e)
    if not runs and not errors:
        return []
    cis = {}
    for key, es in runs.items():
        cis[key] = {
            "mean": interval([e["latencyMs"]["mean"] for e in es]), "p50": interval([e["latencyMs"]["p50"] for e in es]),
            "p99": interval([e["latencyMs"]["p99"] for e in es]), "cpu": interval([e["cpuMsPerInference"] for e in es]),
            "sc": interval([e.get("syscallsPerInference") for e in es]),
            "vcsw": interval([e["voluntaryCtxPerInference"] for e in es]), "ivcsw": interval([e["involuntaryCtxPerInference"] for e in es]),
        }
    lines = ["| mode | batch | dtype | wait | allocator | inferences | runs | ms/inference | p50 ms | p99 ms | CPU ms/inference | "
             "syscalls/inference | vol. ctx/inf | invol. ctx/inf | latency, CPU vs default wait |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for key in sorted(set(cis) | set(errors), key=lambda k: tuple(str(x) for x in k)):
        mode, batch, dtype, wait, alloc, iters = key
        if key not in cis:
            lines.append(f"| {mode} | {batch} | {dtype} | {wait} | {alloc} | {iters} | 0 | failed in {errors[key]} runs | | | | | | | |")
            continue
        c = cis[key]
        base = cis.get(tuple(dict(zip(POINT_KEY, key), wait="default")[k] for k in POINT_KEY))
        ratio = f"{c['mean'][0] / base['mean'][0]:.2f}x, {c['cpu'][0] / base['cpu'][0]:.2f}x" if base and wait != "default" else ""
        failed = f" ({errors[key]} failed)" if errors.get(key) else ""
        lines.append(f"| {mode} | {batch} | {dtype} | {wait} | {alloc} | {iters} | {c['mean'][2]}{failed} | {fmt(c['mean'])} | {fmt(c['p50'])} | "
                     f"{fmt(c['p99'])} | {fmt(c['cpu'])} | {fmt(c['sc'], 2)} | {fmt(c['vcsw'], 2)} | {fmt(c['ivcsw'], 2)} | {ratio} |")
    return lines


def load_table(entries):
    # one cell per (wait, N, run folder): all processes of that round
    cells = defaultdict(list)
    for e in entries:
        cells[(e["wait"], e["loadN"], os.path.dirname(e["_file"]))].append(e)
    per = defaultdict(lambda: defaultdict(list))
    for (wait, n, run), es in cells.items():
        total = sum(e["iters"] for e in es)
        span_s = (max(e["endEpochNs"] for e in es) - min(e["startEpochNs"] for e in es)) / 1e9
        lat = sorted(v for e in es for v in e["latencyUs"])
        counted = [e for e in es if "syscallsPerInference" in e]
        m = per[(wait, n)]
        m["complete"].append(len(es) == n)
        m["tput"].append(total / span_s if span_s > 0 else float("nan"))
        m["p50"].append(percentile(lat, 0.5) / 1e3)
        m["p99"].append(percentile(lat, 0.99) / 1e3)
        m["cpu"].append(sum(e["cpuMsPerInference"] * e["iters"] for e in es) / total)
        m["vcsw"].append(sum(e["voluntaryCtxPerInference"] * e["iters"] for e in es) / total)
        m["ivcsw"].append(sum(e["involuntaryCtxPerInference"] * e["iters"] for e in es) / total)
        m["sc"].append(statistics.fmean(e["syscallsPerInference"] for e in counted) if counted else None)
    lines = ["| wait | N | runs | inferences/s (all) | p50 ms | p99 ms | CPU ms/inference | syscalls/inference | vol. ctx/inf | invol. ctx/inf |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for (wait, n) in sorted(per, key=lambda k: (k[0], k[1])):
        m = per[(wait, n)]
        short = "" if all(m["complete"]) else " (a round short of processes)"
        lines.append(f"| {wait} | {n} | {len(m['tput'])}{short} | {fmt(interval(m['tput']), 0)} | {fmt(interval(m['p50']))} | {fmt(interval(m['p99']))} | "
                     f"{fmt(interval(m['cpu']))} | {fmt(interval(m['sc']), 2)} | {fmt(interval(m['vcsw']), 2)} | {fmt(interval(m['ivcsw']), 2)} |")
    return lines


def main():
    if len(sys.argv) != 2 or not os.path.isdir(sys.argv[1]):
        print("usage: summarize.py DIR (a node-resnet.sh or node-load.sh folder)", file=sys.stderr)
        sys.exit(2)
    entries = load_entries(sys.argv[1])
    if not entries:
        print(f"summarize: no resnet_infer.py results under {sys.argv[1]}", file=sys.stderr)
        sys.exit(1)
    sweep = sweep_table([e for e in entries if "loadN" not in e])
    load = load_table([e for e in entries if "loadN" in e])
    out = []
    if sweep:
        out += ["## Per point (mean ± 95% t half-width over runs; a run is one process)", ""] + sweep + [""]
    if len(load) > 2:
        out += ["## Under load (per wait and N concurrent processes; mean ± 95% t half-width over runs)", ""] + load + [""]
    print("\n".join(out))


if __name__ == "__main__":
    main()
