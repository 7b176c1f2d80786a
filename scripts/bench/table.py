#!/usr/bin/python3
"""Prints the bench_read.sh table from the JSON records of bench-read and nibabel_read.py.

Usage: table.py RESULT.json...  (records of one or more rounds; rows in first-seen order)
Rows with the same format and tool are merged over rounds: best = fastest read of all, median = median
of the rounds' medians, peaks = the largest. Each nibabel row's last columns are ketaprint's median time
and peak memory over that row's, same format. Exits 1 when a record's checksum differs from ketaprint's
(the tools did not read the same data).
"""
import json
import statistics
import sys


def label(r):
    if r["tool"] == "ketaprint":
        return "ketaprint readFloat()"
    return {"default": "nibabel get_fdata", "touch": "nibabel get_fdata+touch",
            "nommap": "nibabel get_fdata mmap=False"}[r.get("mode", "default")]


def fmt_of(r):
    return "nii.gz" if r["file"].endswith(".gz") else "nii"


def main():
    recs = [json.load(open(p)) for p in sys.argv[1:]]
    rows = {}
    for r in recs:
        rows.setdefault((fmt_of(r), label(r)), []).append(r)
    bad = 0
    for (f, lab), rs in rows.items():
        k = rows.get((f, "ketaprint readFloat()"), [None])[0]
        for r in rs:
            if k is not None and (abs(k["checksum"] - r["checksum"]) > 1e-9 * abs(k["checksum"]) + 1e-6
                                  or k.get("nonfinite") != r.get("nonfinite")):
                print("checksum mismatch: %s %s sum %r, ketaprint %r" % (f, lab, r["checksum"], k["checksum"]),
                      file=sys.stderr)
                bad += 1
    merged = {}
    for key, rs in rows.items():
        merged[key] = {
            "n": len(rs), "bytes": rs[0]["data_bytes"], "best": min(r["best_s"] for r in rs),
            "median": statistics.median(r["median_s"] for r in rs),
            "heap": max(r["peak_heap_bytes"] for r in rs), "rss": max(r["peak_rss_bytes"] for r in rs),
        }
    line = "{:<7} {:<29} {:>7} {:>8} {:>6} {:>9} {:>6} {:>8} {:>8} {:>7}"
    print(line.format("format", "tool", "best s", "median s", "GB/s", "heap MB", "x data", "RSS MB",
                      "time k/n", "mem k/n"))
    for (f, lab), m in merged.items():
        k = merged.get((f, "ketaprint readFloat()"))
        tk = mk = ""
        if k is not None and k is not m:
            tk = "%.2f" % (k["median"] / m["median"])
            mk = "%.2f" % (k["heap"] / m["heap"]) if m["heap"] > 1e6 else "-"
        print(line.format(f, lab, "%.3f" % m["best"], "%.3f" % m["median"], "%.2f" % (m["bytes"] / m["median"] / 1e9),
                          "%.1f" % (m["heap"] / 1e6), "%.2f" % (m["heap"] / m["bytes"]),
                          "%.1f" % (m["rss"] / 1e6) if m["rss"] > 0 else "n/a", tk, mk))
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
