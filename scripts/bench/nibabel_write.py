#!/usr/bin/python3
"""Times nibabel writing maps as .nii.gz, the way ketaprint bench-write times NiftiWriter.

Usage: nibabel_write.py MAP... --out-dir DIR [--level L] [--repeat N] [--warmup N]
The MAPs are loaded as float32 arrays first; each timed run is nib.save of every map in turn (float32,
same affine) to DIR/NAME.nii.gz, gzip level L (default: nibabel's own, Opener.default_compresslevel).
Prints one JSON object with the keys bench-write --json uses.
"""
import argparse
import json
import os
import statistics
import time

import nibabel as nib
import numpy as np
from nibabel.openers import Opener


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("maps", nargs="+")
    ap.add_argument("--out-dir", required=True)
    ap.add_argument("--level", type=int, default=None)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--warmup", type=int, default=1)
    a = ap.parse_args()
    if a.level is not None:
        Opener.default_compresslevel = a.level
    os.makedirs(a.out_dir, exist_ok=True)
    imgs = []
    for p in a.maps:
        src = nib.load(p)
        img = nib.Nifti1Image(np.asarray(src.get_fdata(dtype=np.float32)), src.affine, src.header)
        img.set_data_dtype(np.float32)
        name = os.path.basename(p).split(".nii")[0]
        imgs.append((img, os.path.join(a.out_dir, name + ".nii.gz")))
    for _ in range(a.warmup):
        for img, f in imgs:
            nib.save(img, f)
    runs = []
    for _ in range(a.repeat):
        t0 = time.perf_counter()
        for img, f in imgs:
            nib.save(img, f)
        runs.append(time.perf_counter() - t0)
    print(json.dumps({
        "tool": "nibabel", "compression": str(Opener.default_compresslevel), "threads": 1, "maps": len(imgs),
        "data_bytes": sum(img.get_fdata(dtype=np.float32).nbytes for img, _ in imgs),
        "file_bytes": sum(os.path.getsize(f) for _, f in imgs), "repeat": len(runs),
        "best_s": min(runs), "median_s": statistics.median(runs), "runs": runs}))


if __name__ == "__main__":
    main()
