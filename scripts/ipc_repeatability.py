#!/usr/bin/env python3
"""Runs `coreduel-cli ipc --json` N times in a row and prints a Markdown table of each row's
central value per run, the N-run median, the largest deviation from it, and whether the row
repeats: every run within +-TOL of the median, or (for a row with two modes) both modes within
+-TOL of their own medians in every run that found two modes.

  scripts/ipc_repeatability.py build/app/coreduel-cli [runs=5] [extra ipc arguments...]
"""

import json
import os
import statistics
import subprocess
import sys

TOL = 0.20


def load_avg():
    with open("/proc/loadavg") as f:
        return f.read().split()[:3]


def within(values, tol=TOL):
    if not values:
        return True, 0.0
    med = statistics.median(values)
    dev = max(abs(v / med - 1) for v in values) if med > 0 else 0.0
    return dev <= tol, dev


def main():
    cli = sys.argv[1]
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    extra = sys.argv[3:]
    results, meta = [], []
    for i in range(runs):
        before = load_avg()
        out = subprocess.run([cli, "ipc", "--json", *extra], check=True, capture_output=True,
                             text=True).stdout
        doc = json.loads(out)
        # coreduel.ipc/3 has a row per placement; /2 rows were all unpinned ("any").
        results.append({(r["mechanism"], r.get("placement", "any"), r["bytes"]): r
                        for r in doc["results"]})
        meta.append((doc["seed"], before, load_avg()))
        print(f"run {i + 1}: seed {doc['seed']}, load before {before}, after {load_avg()}",
              file=sys.stderr)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip()
    print(f"`coreduel-cli ipc {' '.join(extra)}`, {runs} runs, commit {commit}, placement "
          f"{doc.get('placement', 'any')}, schema {doc.get('schema')}\n")
    keys = []
    for r in results:
        keys += [k for k in r if k not in keys]
    print(f"| row | " + " | ".join(f"run {i + 1}" for i in range(runs)) +
          " | median | max dev | repeats (±20 %) |")
    print("|---|" + "---:|" * runs + "---:|---:|---|")
    passed = 0
    for key in keys:
        rows = [r.get(key) for r in results]
        central = [r["p50_us"] for r in rows if r]
        ok, dev = within(central)
        cells = []
        for r in rows:
            if not r:
                cells.append("—")
                continue
            m = r["modes"]
            cell = f"{r['p50_us']:.2f}"
            if m["two_modes"]:
                cell += (f" ({m['fast']['us']:.1f}/{m['slow']['us']:.1f}"
                         f" {100 * m['fast']['share']:.0f}%)")
            cells.append(cell)
        verdict = "yes" if ok else "no"
        two = [r for r in rows if r and r["modes"]["two_modes"]]
        if not ok and len(two) == len(central):
            fast_ok, fdev = within([r["modes"]["fast"]["us"] for r in two])
            slow_ok, sdev = within([r["modes"]["slow"]["us"] for r in two])
            if fast_ok and slow_ok:
                verdict = f"two modes: yes (fast ±{100 * fdev:.0f} %, slow ±{100 * sdev:.0f} %)"
            else:
                verdict = f"no; two modes: fast ±{100 * fdev:.0f} %, slow ±{100 * sdev:.0f} %"
        if verdict.startswith("yes") or verdict.startswith("two modes: yes"):
            passed += 1
        where = {"same": "same CPU", "split": "across", "any": ""}.get(key[1], key[1])
        name = f"{key[0]} {where} {key[2]} B".replace("  ", " ")
        print(f"| {name} | " + " | ".join(cells) +
              f" | {statistics.median(central):.2f} | {100 * dev:.0f} % | {verdict} |")
    print(f"\n{passed} of {len(keys)} rows repeat within ±{100 * TOL:.0f} %.")
    print("\nseeds and load averages (1, 5, 15 min) before / after each run:\n")
    for i, (seed, before, after) in enumerate(meta):
        print(f"- run {i + 1}: seed {seed}; load {' '.join(before)} / {' '.join(after)}")


if __name__ == "__main__":
    main()
