#!/usr/bin/python3
"""Prints the bench_read.sh table from the JSON records of bench-read and nibabel_read.py.

Usage: table.py RESULT.json...  (in the order to print; each file one record, 'format' added by name)
Each nibabel row's last columns are ketaprint's median time and peak memory over that row's, for the
same format. Exits 1 when a tool's checksum differs from ketaprint's (they did not read the same data).
"""
import json
import sys


def row_label(r):
    if r["tool"] == "ketaprint":
        return "ketaprint readFloat()"
    mode = r.get("mode", "default")
    return {"default": "nibabel get_fdata", "touch": "nibabel get_fdata+touch",
            "nommap": "nibabel get_fdata mmap=False"}[mode]


def main():
    recs = [json.load(open(p)) for p in sys.argv[1:]]
    hdr = ("format", "tool", "best s", "median s", "GB/s", "peak heap MB", "x data", "peak RSS MB",
           "time k/n", "mem k/n")
    fmt = "{:<8} {:<29} {:>8} {:>8} {:>6} {:>12} {:>6} {:>11} {:>8} {:>7}"
    print(fmt.format(*hdr))
    bad = 0
    ref = {}
    for r in recs:
        f = "nii.gz" if r["file"].endswith(".gz") else "nii"
        if r["tool"] == "ketaprint":
            ref[f] = r
        k = ref.get(f)
        tk = mk = ""
        if k is not None and r is not k:
            tk = "%.2f" % (k["median_s"] / r["median_s"])
            mk = "%.2f" % (k["peak_heap_bytes"] / r["peak_heap_bytes"]) if r["peak_heap_bytes"] > 1e6 else "-"
            if abs(k["checksum"] - r["checksum"]) > 1e-9 * abs(k["checksum"]) + 1e-6 or \
                    k.get("nonfinite") != r.get("nonfinite"):
                print("checksum mismatch: %s %s sum %r, ketaprint %r" % (f, row_label(r), r["checksum"],
                                                                        k["checksum"]), file=sys.stderr)
                bad += 1
        print(fmt.format(f, row_label(r), "%.3f" % r["best_s"], "%.3f" % r["median_s"],
                         "%.2f" % (r["data_bytes"] / r["median_s"] / 1e9), "%.1f" % (r["peak_heap_bytes"] / 1e6),
                         "%.2f" % r["peak_heap_ratio"],
                         "%.1f" % (r["peak_rss_bytes"] / 1e6) if r["peak_rss_bytes"] > 0 else "n/a", tk, mk))
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
