#!/usr/bin/env python3
"""The README's compact Phase-2 verdict table, from a report's csv/verdicts.csv (made by the reports module).

    python3 reference-runs/gpu-node/verdict-matrix.py reference-runs/gpu-node/<run-id>/csv/verdicts.csv

One row per prediction, one column per backend and size; a cell is the verdict and the ratio
intervention / baseline of the metric's means (95% CIs and everything else: the report's verdict table).
"""
import csv
import sys

MARK = {"confirmed": "✔", "refuted": "✘", "inconclusive": "?"}


def size(b):
    b = int(b)
    return f"{b // 1048576} MiB" if b >= 1048576 else f"{b // 1024} KiB"


def ratio(r):
    if r["ratio"] == "":
        return "(base 0)"
    x = float(r["ratio"])
    return f"{x:.3g}×"


def main(path):
    rows = list(csv.DictReader(open(path, newline="")))
    sites = []
    for r in rows:
        site = (r["backend"] + (" " + r["platform"] if r["platform"] else ""), int(r["bytes"]))
        if site not in sites:
            sites.append(site)
    order = {"cuda": 0, "opencl nvidia": 1, "opencl pocl": 2, "cpu": 3}
    sites.sort(key=lambda s: (order.get(s[0], 9), s[1]))
    preds = []
    for r in rows:
        key = (r["family"], r["intervention"], f"`{r['metric']}` {r['direction']} vs `{r['against']}`")
        if key not in preds:
            preds.append(key)
    cells = {}
    for r in rows:
        site = (r["backend"] + (" " + r["platform"] if r["platform"] else ""), int(r["bytes"]))
        key = (r["family"], r["intervention"], f"`{r['metric']}` {r['direction']} vs `{r['against']}`")
        cells[(key, site)] = f"{MARK[r['verdict']]} {ratio(r)}"
    head = ["intervention", "prediction"] + [f"{b} {size(n)}" for b, n in sites]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for key in preds:
        print("| " + " | ".join([f"`{key[1]}`", key[2]] + [cells.get((key, s), "") for s in sites]) + " |")
    counts = {v: sum(1 for r in rows if r["verdict"] == v) for v in MARK}
    print()
    print(f"{len(rows)} checks: {counts['confirmed']} confirmed, {counts['refuted']} refuted, {counts['inconclusive']} inconclusive.")


def fail(line):
    """Bad input: one line on stderr, exit 2 (the suite's convention)."""
    print(line, file=sys.stderr)
    sys.exit(2)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        fail("verdict-matrix.py: verdict-matrix.py <run>/csv/verdicts.csv (made by the reports module)")
    try:
        main(sys.argv[1])
    except (OSError, ValueError, KeyError) as e:
        # One line: which input is wrong; nothing is written anywhere.
        fail(f"verdict-matrix.py: cannot read the input ({type(e).__name__}: {e}); verdict-matrix.py <run>/csv/verdicts.csv (made by the reports module)")
