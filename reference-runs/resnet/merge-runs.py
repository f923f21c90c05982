#!/usr/bin/env python3
"""Adds the runs of a node call's ResNet sweep folder to the committed one, without overwriting any.

  merge-runs.py SRC_SWEEP DST_SWEEP      e.g. merge-runs.py /tmp/g/gpuos-results/resnet/sweep reference-runs/resnet/20261202-h200/sweep

A call resumes from a copy of DST, so SRC holds DST's runs again and its new ones. A run whose JSON has the same bytes
as any run of its point in DST is already there (skipped: merging twice adds nothing). A new run whose name is taken
in DST (two calls that resumed from the same copy) is an independent process of the same point: it gets the next
free run number. Every file of a run (run-K.json, run-K.log, run-K.json.preload.json) moves
together. Prints one line per run added.
"""
import glob
import hashlib
import os
import re
import shutil
import sys


def digest(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def main(src, dst):
    if not os.path.isdir(src) or not os.path.isdir(dst):
        sys.exit(f"merge-runs: {src if not os.path.isdir(src) else dst} is not a folder; give the call's sweep/ and the committed sweep/")
    added = 0
    for f in sorted(glob.glob(os.path.join(src, "*", "run-*.json"))):
        m = re.search(r"/run-(\d+)\.json$", f)
        if not m:
            continue
        point, k = os.path.basename(os.path.dirname(f)), int(m.group(1))
        if digest(f) in {digest(g) for g in glob.glob(os.path.join(dst, point, "run-*.json"))}:
            continue  # already merged, or the resumed copy of a committed run
        os.makedirs(os.path.join(dst, point), exist_ok=True)
        n = k
        while os.path.exists(os.path.join(dst, point, f"run-{n}.json")):
            n += 1
        for sibling in glob.glob(os.path.join(src, point, f"run-{k}.*")):
            shutil.copy(sibling, os.path.join(dst, point, f"run-{n}." + os.path.basename(sibling).split(".", 1)[1]))
        print(f"merge-runs: {point} run {k} -> run-{n}")
        added += 1
    print(f"merge-runs: {added} runs added to {dst}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: merge-runs.py SRC_SWEEP DST_SWEEP")
    main(sys.argv[1], sys.argv[2])
