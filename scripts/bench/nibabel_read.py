#!/usr/bin/python3
"""Times nibabel reading FILE as float32, the way ketaprint bench-read times NiftiImage.readFloat().

Usage: nibabel_read.py FILE [--repeat N] [--warmup N] [--mode MODE]
MODE  default  nib.load(f).get_fdata(dtype=np.float32): for .nii nibabel returns a lazy memmap, so this
               times the header and the mapping, not reading the data
      touch    default, then read one value per 4 KiB page, so that every page is in memory
      nommap   nib.load(f, mmap=False).get_fdata(dtype=np.float32): the data read into an in-memory array
(.nii.gz cannot be memory-mapped: all three modes read the data.)
Prints one JSON object with the keys bench-read --json uses. Peak memory: tracemalloc's peak (numpy
reports its array allocations to it) and the process's peak RSS, both reset before each timed read.
"""
import argparse
import gc
import json
import statistics
import time
import tracemalloc

import nibabel as nib
import numpy as np


def reset_rss():
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def rss_peak():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return -1


def read(path, mode):
    if mode == "nommap":
        return nib.load(path, mmap=False).get_fdata(dtype=np.float32)
    a = nib.load(path).get_fdata(dtype=np.float32)
    if mode == "touch":
        flat = a.reshape(-1, order="A")
        flat[:: 4096 // a.itemsize].sum()
    return a


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--mode", choices=("default", "touch", "nommap"), default="default")
    a = ap.parse_args()
    for _ in range(a.warmup):
        read(a.file, a.mode)
    tracemalloc.start()
    runs = []
    checksum = nonfinite = None
    shape = None
    for _ in range(a.repeat):
        gc.collect()
        tracemalloc.reset_peak()
        base = tracemalloc.get_traced_memory()[0]
        rss_ok = reset_rss()
        t0 = time.perf_counter()
        data = read(a.file, a.mode)
        dt = time.perf_counter() - t0
        peak = tracemalloc.get_traced_memory()[1] - base
        runs.append({"time_s": dt, "heap_peak_bytes": peak, "rss_peak_bytes": rss_peak() if rss_ok else -1})
        finite = np.isfinite(data)
        checksum = float(data.sum(dtype=np.float64, where=finite))
        nonfinite = int(data.size - np.count_nonzero(finite))
        del finite
        shape = data.shape
        del data
    times = sorted(r["time_s"] for r in runs)
    nbytes = int(np.prod(shape)) * 4
    peak = max(r["heap_peak_bytes"] for r in runs)
    out = {
        "file": a.file, "tool": "nibabel " + nib.__version__, "mode": a.mode,
        "voxels": int(np.prod(shape)), "data_bytes": nbytes, "repeat": a.repeat,
        "best_s": times[0], "median_s": statistics.median(times),
        "best_gbps": nbytes / times[0] / 1e9, "median_gbps": nbytes / statistics.median(times) / 1e9,
        "peak_heap_bytes": peak, "peak_heap_ratio": peak / nbytes,
        "peak_rss_bytes": max(r["rss_peak_bytes"] for r in runs), "checksum": checksum, "nonfinite": nonfinite, "runs": runs,
    }
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
