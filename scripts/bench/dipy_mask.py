#!/usr/bin/python3
"""Times DIPY's median_otsu(data, vol_idx=b0 indices) the way ketaprint bench-mask times BrainMask.medianOtsu.

Usage: dipy_mask.py DWI BVAL BVEC [--repeat N]
The data is loaded (nib.load(...).get_fdata(), float64) before the timed calls. median_otsu computes the
mean b0, 4 passes of scipy's median_filter (size 9), the Otsu threshold, and also returns the masked 4D
data (applymask), which ketaprint does not compute; applymask alone is timed once, apart.
Prints one JSON object: runs and cpu_runs (wall and process CPU time, s), best_s, median_s, load_s, applymask_s, mask_voxels, mask_crc32 (CRC-32
of the mask as uint8 0/1, x fastest, as bench-mask computes it).
"""
import argparse
import json
import statistics
import time
import zlib

import nibabel as nib
import numpy as np
from dipy.core.gradients import gradient_table
from dipy.io.gradients import read_bvals_bvecs
from dipy.segment.mask import applymask, median_otsu


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dwi")
    ap.add_argument("bval")
    ap.add_argument("bvec")
    ap.add_argument("--repeat", type=int, default=1)
    a = ap.parse_args()
    t = time.perf_counter()
    data = nib.load(a.dwi).get_fdata()
    load = time.perf_counter() - t
    idx = np.where(gradient_table(*read_bvals_bvecs(a.bval, a.bvec)).b0s_mask)[0]
    runs, cpu = [], []
    for _ in range(a.repeat):
        t, c = time.perf_counter(), time.process_time()
        _, mask = median_otsu(data, vol_idx=idx)
        runs.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    t = time.perf_counter()
    applymask(data, mask)
    am = time.perf_counter() - t
    print(json.dumps({"tool": "dipy", "dims": list(mask.shape), "b0s": len(idx), "runs": runs, "cpu_runs": cpu,
                      "best_s": min(runs), "median_s": statistics.median(runs),
                      "median_cpu_s": statistics.median(cpu), "load_s": load,
                      "applymask_s": am, "mask_voxels": int(mask.sum()),
                      "mask_crc32": "%08x" % zlib.crc32(mask.astype(np.uint8).tobytes(order="F"))}))


if __name__ == "__main__":
    main()
