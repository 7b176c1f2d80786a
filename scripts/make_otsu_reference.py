#!/usr/bin/env python3
"""Reference thresholds and masks for BrainMask.otsu / BrainMask.medianOtsu (issue 15): DIPY 1.6 run live.

Writes test-data/diffusion/otsu_reference.tsv: for each case, DIPY's otsu() threshold (repr: the exact double),
how many voxels median_otsu's rule `mask > thresh` keeps, how many equal the threshold exactly, and, for the 3D cases
run through dipy.segment.mask.median_otsu, the mask as a 0/1 string (x fastest, as ketaprint's grids).

The inputs are built from integers and + - * / only (a 64-bit LCG), so that
src/test/java/org/ketaprint/diffusion/OtsuReferenceTest.java rebuilds them bit for bit.

Run from the repo root: /usr/bin/python3 scripts/make_otsu_reference.py
"""
import os

import dipy
import numpy as np
from dipy.segment.mask import median_otsu, multi_median
from dipy.segment.threshold import otsu

OUT = os.path.join("test-data", "diffusion", "otsu_reference.tsv")
M64 = (1 << 64) - 1


def lcg(seed, n):
    """n doubles in [0, 1): state = state * 6364136223846793005 + 1442695040888963407 mod 2^64, top 53 bits / 2^53."""
    s = seed & M64
    out = []
    for _ in range(n):
        s = (s * 6364136223846793005 + 1442695040888963407) & M64
        out.append((s >> 11) / 9007199254740992.0)
    return out


def bimodal(seed, n):
    """30 % dark (20 + 10 u), 70 % bright (300 + 80 u), u from the same LCG: a b0-like histogram."""
    u = lcg(seed, 2 * n)
    return np.array([20 + 10 * u[2 * i + 1] if u[2 * i] < 0.3 else 300 + 80 * u[2 * i + 1] for i in range(n)])


def cases():
    # two levels: every split of the 256 bins has the same between-class variance, np.argmax takes the first, so the
    # threshold is the left edge of bin 0: the lower level itself, which `>` leaves out
    yield "two_levels", np.r_[np.zeros(50), np.full(50, 10.0)], None
    # bins of width 1 from 0 to 256; putting 100 with the dark class wins (hand computation in the test), and the
    # threshold is then 100, the left edge of the bin holding 100: the voxel equal to it is out
    yield "tie_at_edge", np.r_[np.zeros(50), [100.0], np.full(50, 255.0), [256.0]], None
    # a voxel on a bin edge where (x - lo) * 256 / (hi - lo) rounds below the bin: np.histogram's correction moves it
    # up to the bin whose left edge it is, the threshold is that edge, and the voxel equal to it is out
    e = np.linspace(0, 0.7, 257)
    assert e[3] == 3 * (0.7 / 256) and int(e[3] * (256 / 0.7)) == 2
    yield "edge_probe_up", np.r_[np.zeros(50), [e[3]], np.full(50, 0.7)], None
    # a voxel just below a bin edge where the same product rounds up to that bin: the correction moves it down, the
    # threshold is the left edge of the lower bin, and the voxel, above it, is in although Otsu put it in the dark class
    e = np.linspace(0, 0.3, 257)
    below = np.nextafter(e[19], -np.inf)
    assert e[19] == 19 * (0.3 / 256) and int(below * (256 / 0.3)) == 19
    yield "edge_probe_down", np.r_[np.zeros(50), [below], np.full(50, 0.3)], None
    yield "lcg_bimodal", bimodal(15, 4096), None
    # 3D, through median_otsu: halves of 0 and 10 (the median keeps the step), and a bimodal volume
    halves = np.zeros((8, 8, 8))
    halves[4:] = 10.0
    yield "halves_median_r1_p2", halves, (1, 2)
    vol = bimodal(7, 12 * 10 * 8).reshape((12, 10, 8), order="F")
    yield "lcg_bimodal_median_r1_p1", vol, (1, 1)


def main():
    rows = ["case\tthreshold\tabove\tequal\tmask"]
    for name, v, med in cases():
        if med is None:
            t = otsu(v)
            mask = v > t
            m = ""
        else:
            r, p = med
            f = multi_median(v, r, p)
            t = otsu(f)
            _, mask = median_otsu(v, median_radius=r, numpass=p)
            assert (mask == (f > t)).all()
            m = "".join("1" if b else "0" for b in mask.ravel(order="F"))
            v = f
        rows.append(f"{name}\t{float(t)!r}\t{int(mask.sum())}\t{int((v == t).sum())}\t{m}")
        print(name, repr(float(t)), int(mask.sum()), "equal:", int((v == t).sum()))
    with open(OUT, "w") as fh:
        fh.write(f"# DIPY {dipy.__version__}, numpy {np.__version__}: scripts/make_otsu_reference.py\n")
        fh.write("\n".join(rows) + "\n")


if __name__ == "__main__":
    main()
