#!/usr/bin/env python3
"""Markdown tables from one node-job.sh result folder (gpujob-bench, the round trip, ResNet-50 through the interposer).

  summarize.py RESULTS_DIR > tables.md

The process is the unit of replication: every figure is the mean over processes, with the smallest and largest
process value in brackets; with 1-3 processes no interval is claimed. Ratios are of those means.
Exit 2 with one line when the folder holds no result of node-job.sh.
"""
import glob
import json
import os
import re
import sys
from collections import defaultdict


def fail(msg):
    print(f"summarize: {msg}", file=sys.stderr)
    sys.exit(2)


def spread(values, fmt):
    m = sum(values) / len(values)
    if len(values) == 1:
        return fmt.format(m)
    return f"{fmt.format(m)} [{fmt.format(min(values))}, {fmt.format(max(values))}]"


def mean(values):
    return sum(values) / len(values)


def bench(folder):
    files = sorted(glob.glob(os.path.join(folder, "bench-*.json")))
    if not files:
        return
    rows = defaultdict(list)  # (t_us, mode) -> [result per process]
    submit = []
    for f in files:
        d = json.load(open(f))
        for r in d["results"]:
            rows[(r["t_us"], r["mode"])].append(r)
        if d.get("submit_ns") is not None:
            submit.append((d["submit_ns"], d.get("launch_ns"), d.get("graph_launch_ns"), d.get("submit_unfolded_ns")))
    print(f"### gpujob-bench: one launch/submit + one wait per op ({len(files)} processes)\n")
    print("| T | mode | µs/op (p99) | x driver-spin | CPU µs/op | x driver-spin CPU | syscalls/op | vol. ctx sw/op | early/late wakes |")
    print("|---|---|---|---|---|---|---|---|---|")
    for t in sorted({k[0] for k in rows}):
        base = rows.get((t, "driver-spin"))
        for mode in ["driver-spin", "driver-blocking", "driver-sleep", "job-spin", "job-blocking", "job-fd", "job-predict"]:
            rs = rows.get((t, mode))
            if not rs:
                continue
            wall = [r["wall_us"]["mean"] for r in rs]
            p99 = [r["wall_us"]["p99"] for r in rs]
            cpu = [r["cpu_us_per_op"] for r in rs]
            sc = [r["syscalls_per_op"] for r in rs if r.get("syscalls_per_op") is not None]
            vcs = [r["voluntary_ctxsw_per_op"] for r in rs]
            ratio = mean(wall) / mean([r["wall_us"]["mean"] for r in base]) if base else float("nan")
            cratio = mean(cpu) / mean([r["cpu_us_per_op"] for r in base]) if base else float("nan")
            wakes = ""
            if "wakes_early" in rs[0]:
                wakes = f"{sum(r['wakes_early'] for r in rs)}/{sum(r['wakes_late'] for r in rs)}"
            print(f"| {t:g} µs | {mode} | {spread(wall, '{:.1f}')} ({mean(p99):.1f}) | {ratio:.3f} | {spread(cpu, '{:.1f}')} | {cratio:.3f} | "
                  f"{spread(sc, '{:.2f}') if sc else 'n/a'} | {mean(vcs):.2f} | {wakes} |")
    if submit:
        s = [x[0] for x in submit]
        l = [x[1] for x in submit if x[1] is not None]
        g = [x[2] for x in submit if x[2] is not None]
        own = [x[0] - x[2] for x in submit if x[2] is not None]
        u = [x[3] for x in submit if x[3] is not None]
        u_own = [x[3] - x[2] for x in submit if x[3] is not None and x[2] is not None]
        unfolded = (f" Unfolded (GPUJOB_CUDA_FOLD=0: events and word write as separate driver calls): {spread(u, '{:.0f}')} ns, "
                    f"own cost {spread(u_own, '{:.0f}')} ns." if u else "")
        print(f"\ngj_submit without waiting: {spread(s, '{:.0f}')} ns per call; cuLaunchKernel of the same kernel: "
              f"{spread(l, '{:.0f}') if l else 'n/a'} ns per call; cuGraphLaunch of it captured: "
              f"{spread(g, '{:.0f}') if g else 'n/a'} ns; the library's own cost (gj_submit - cuGraphLaunch): "
              f"{spread(own, '{:.0f}') if own else 'n/a'} ns.{unfolded}\n")


def roundtrip(folder):
    pat = re.compile(r"policy=(\w+)\s+us_per_roundtrip=([\d.]+).*voluntary_ctxsw_per_roundtrip=([\d.]+)")
    files = sorted(glob.glob(os.path.join(folder, "roundtrip-*.txt")))
    if not files:
        return
    print("### The unmodified C round trip (cuLaunchKernel + cuCtxSynchronize), plain and through the interposer\n")
    print("| run | context policy | µs/round trip | vol. ctx sw/round trip | syncs served by the job library |")
    print("|---|---|---|---|---|")
    for f in files:
        name = os.path.basename(f)[len("roundtrip-"):-4]
        served = ""
        js = f[:-4] + ".json"
        if os.path.exists(js):
            j = json.load(open(js))
            served = f"{j['served']}/{j['calls']}"
        for m in pat.finditer(open(f).read()):
            print(f"| {name} | {m.group(1)} | {float(m.group(2)):.2f} | {float(m.group(3)):.3f} | {served} |")
    print()


def resnet(folder):
    files = sorted(glob.glob(os.path.join(folder, "resnet-*-[0-9]*.json")))
    files = [f for f in files if not f.endswith(".preload.json")]
    if not files:
        return
    rows = defaultdict(list)
    preload = defaultdict(list)
    for f in files:
        for r in json.load(open(f)):
            rows[(r["batch"], r["label"])].append(r)
        p = f[:-5] + ".preload.json"
        if os.path.exists(p):
            j = json.load(open(p))
            label = json.load(open(f))[0]["label"]
            preload[(json.load(open(f))[0]["batch"], label)].append(j)
    n = max(len(v) for v in rows.values())
    print(f"### ResNet-50, CUDA graph replay, fp16, one synchronize per inference ({n} processes per row, 300 inferences each)\n")
    print("| batch | wait | ms/inference (p99) | x spin | CPU ms/inference | syscalls/inference | vol. ctx sw | syncs served |")
    print("|---|---|---|---|---|---|---|---|")
    for bs in sorted({k[0] for k in rows}):
        base = rows.get((bs, "spin"))
        for label in ["spin", "blocking", "job-predict", "job-fd"]:
            rs = rows.get((bs, label))
            if not rs:
                continue
            lat = [r["latencyMs"]["mean"] for r in rs]
            p99 = [r["latencyMs"]["p99"] for r in rs]
            cpu = [r["cpuMsPerInference"] for r in rs]
            sc = [r["syscallsPerInference"] for r in rs]
            vcs = [r["voluntaryCtxPerInference"] for r in rs]
            ratio = mean(lat) / mean([r["latencyMs"]["mean"] for r in base]) if base else float("nan")
            pl = preload.get((bs, label))
            served = f"{sum(j['served'] for j in pl)}/{sum(j['calls'] for j in pl)}" if pl else "(no interposer)"
            print(f"| {bs} | {label} | {spread(lat, '{:.3f}')} ({mean(p99):.3f}) | {ratio:.3f} | {spread(cpu, '{:.3f}')} | "
                  f"{spread(sc, '{:.2f}')} | {mean(vcs):.2f} | {served} |")
    print()


def main():
    if len(sys.argv) != 2 or not os.path.isdir(sys.argv[1]):
        fail("give the folder node-job.sh wrote (unpacked gpujob-node.tar.gz: .../gpujob-node)")
    folder = sys.argv[1]
    if not glob.glob(os.path.join(folder, "bench-*.json")) and not glob.glob(os.path.join(folder, "resnet-*.json")):
        fail(f"{folder} has no bench-*.json or resnet-*.json: is it a node-job.sh result folder?")
    node = os.path.join(folder, "node.txt")
    if os.path.exists(node):
        print("Node: " + " · ".join(l.strip() for l in open(node) if l.strip()) + "\n")
    bench(folder)
    roundtrip(folder)
    resnet(folder)


if __name__ == "__main__":
    main()
