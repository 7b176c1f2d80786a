#!/usr/bin/python3
"""Prints the bench_write.sh table from the JSON records of bench-write --json and nibabel_write.py.

Usage: write_table.py RESULT.json...  (records of one or more rounds)
Rows (tool, threads, level) merged over rounds: best = fastest run, median = median of the rounds' medians.
"vs 1 thread": ketaprint's single-threaded median over this row's; "k/n": this row's median over nibabel's at
the same level (below 1: ketaprint faster); "cores": CPU time / wall time (median), ketaprint only.
"""
import json
import statistics
import sys


def main():
    rows = {}
    for p in sys.argv[1:]:
        r = json.load(open(p))
        rows.setdefault((r["compression"], r["tool"], r["threads"]), []).append(r)
    med = {k: statistics.median(r["median_s"] for r in rs) for k, rs in rows.items()}
    line = "{:<5} {:<10} {:>7} {:>7} {:>8} {:>6} {:>6} {:>8} {:>11} {:>6}"
    print(line.format("level", "tool", "threads", "best s", "median s", "MB/s", "cores", "file MB", "vs 1 thread", "k/n"))
    for key in sorted(rows, key=lambda k: (k[0], k[1] != "ketaprint", k[2])):
        level, tool, threads = key
        rs = rows[key]
        m = med[key]
        single = med.get((level, "ketaprint", 1))
        nib_keys = [k for k in med if k[0] == level and k[1] == "nibabel"]
        vs1 = "%.2fx" % (single / m) if tool == "ketaprint" and single else "-"
        kn = "%.2f" % (m / med[nib_keys[0]]) if tool == "ketaprint" and nib_keys else "-"
        cores = "%.2f" % statistics.median(r["cpu_per_wall"] for r in rs) if "cpu_per_wall" in rs[0] else "-"
        print(line.format(level, tool, threads, "%.3f" % min(r["best_s"] for r in rs), "%.3f" % m,
                          "%.0f" % (rs[0]["data_bytes"] / 1e6 / m), cores, "%.2f" % (rs[0]["file_bytes"] / 1e6), vs1, kn))


if __name__ == "__main__":
    main()
