#!/usr/bin/python3
"""numpy side of the resting-state benchmark, and the synthetic 2 mm MNI run it shares with ketaprint.

  bench_restingstate.py make DIR [--volumes 300] [--gm 70000]   write bold.nii, mask, gm mask, confounds
  bench_restingstate.py seedmap DIR                               numpy seed-to-voxel map, 24P + band, timed
  bench_restingstate.py gbc DIR [--coords]                        numpy blocked GBC (float32 BLAS, 2048-row
                                                                  blocks), timed; --coords: on residual-space
                                                                  coordinates as ketaprint does
Each timed command prints JSON: load_s, compute_s and a checksum-like summary to compare with ketaprint.
"""
import json
import sys
import time

import nibabel as nib
import numpy as np

sys.path.insert(0, __file__.rsplit("/", 2)[0])
from restingstate_reference import design, read_tsv, strategy_columns  # noqa: E402

AFF = np.array([[-2.0, 0, 0, 90], [0, 2, 0, -126], [0, 0, 2, -72], [0, 0, 0, 1]])
SHAPE = (91, 109, 91)


def make(d, n=300, ngm=70000):
    import os
    os.makedirs(d, exist_ok=True)
    rng = np.random.default_rng(0)
    ijk = np.indices(SHAPE).reshape(3, -1).T
    c = np.array([45, 63, 36])
    e = (((ijk - c) / [36, 45, 35]) ** 2).sum(1)
    brain = (e <= 1).reshape(SHAPE)
    order = np.argsort(-e[brain.reshape(-1)])  # outer shell first = "gray matter"
    gm = np.zeros(brain.sum(), bool)
    gm[order[:ngm]] = True
    gmvol = np.zeros(SHAPE, np.uint8)
    gmvol[brain] = gm
    nb = brain.sum()
    t = np.arange(n)
    mot = np.cumsum(rng.normal(0, 0.02, (n, 6)), 0)
    conf = {}
    for j, m in enumerate(["trans_x", "trans_y", "trans_z", "rot_x", "rot_y", "rot_z"]):
        dd = np.r_[np.nan, np.diff(mot[:, j])]
        conf[m], conf[m + "_derivative1"] = mot[:, j], dd
        conf[m + "_power2"], conf[m + "_derivative1_power2"] = mot[:, j] ** 2, dd ** 2
    fd = np.r_[np.nan, np.abs(np.diff(mot, axis=0)).sum(1)]
    fd[rng.choice(n, 10, replace=False)] = 0.9
    conf["framewise_displacement"] = fd
    conf["global_signal"] = rng.normal(0, 1, n)
    with open(f"{d}/confounds.tsv", "w") as f:
        f.write("\t".join(conf) + "\n")
        for i in range(n):
            f.write("\t".join("n/a" if np.isnan(conf[k][i]) else repr(float(conf[k][i])) for k in conf) + "\n")
    # a few shared components + noise, so that correlations are not all ~0
    comps = rng.normal(0, 1, (n, 8)).astype(np.float32)
    data = np.zeros(SHAPE + (n,), np.float32)
    w = rng.normal(0, 1, (nb, 8)).astype(np.float32)
    ts = 1000 + w @ comps.T + rng.normal(0, 2, (nb, n)).astype(np.float32)
    data[brain] = ts
    img = nib.Nifti1Image(data, AFF)
    img.header["pixdim"][4] = 2.0
    img.header.set_xyzt_units("mm", "sec")
    nib.save(img, f"{d}/bold.nii")
    nib.save(nib.Nifti1Image(brain.astype(np.uint8), AFF), f"{d}/mask.nii.gz")
    nib.save(nib.Nifti1Image(gmvol, AFF), f"{d}/gm.nii.gz")
    print(json.dumps({"brain_voxels": int(nb), "gm_voxels": int(ngm), "volumes": n}))


def load(d, strategy):
    t0 = time.time()
    img = nib.load(f"{d}/bold.nii")
    brain = np.asarray(nib.load(f"{d}/mask.nii.gz").dataobj) > 0
    y = np.asarray(img.dataobj)[brain].T  # time x voxels, float32
    conf = read_tsv(f"{d}/confounds.tsv")
    cols, gsr = strategy_columns(strategy)
    mats = [conf[c] for c in cols] + ([conf["global_signal"]] if gsr else [])
    keep = conf["framewise_displacement"] <= 0.5
    x = design(y.shape[0], 2.0, np.column_stack(mats), (0.01, 0.1))
    return img, brain, y, x, keep, time.time() - t0


def clean64(y, x, keep):
    """Residuals on the kept rows, float64: Q from a QR of the design, R = Y - Q (Q^T Y)."""
    q, _ = np.linalg.qr(x[keep])
    yk = y[keep].astype(np.float64)
    return yk - q @ (q.T @ yk)


def seedmap(d):
    img, brain, y, x, keep, load_s = load(d, "24P")
    t0, c0 = time.time(), time.process_time()
    ijk = np.indices(brain.shape).reshape(3, -1).T[brain.reshape(-1)]
    xyz = nib.affines.apply_affine(img.affine, ijk)
    seed = ((xyz - [6, 16, -10]) ** 2).sum(1) <= 100
    r = clean64(y, x, keep)
    r -= r.mean(0)
    s = r[:, seed].mean(1)
    rmap = (r.T @ s) / np.sqrt((r * r).sum(0) * (s @ s))
    zmap = np.arctanh(rmap)
    compute_s, cpu_s = time.time() - t0, time.process_time() - c0
    print(json.dumps({"load_s": load_s, "compute_s": compute_s, "compute_cpu_s": cpu_s, "voxels": int(brain.sum()),
                      "mean_z": float(np.nanmean(zmap))}))


def gbc(d, block=2048, coords=False):
    """coords: correlate residual-space coordinates (W^T y, W an orthonormal basis of the design's
    complement; dof instead of volumes per voxel), the same math ketaprint does."""
    img, brain, y, x, keep, load_s = load(d, "24P+gsr")
    gm = np.asarray(nib.load(f"{d}/gm.nii.gz").dataobj)[brain] > 0
    t0, c0 = time.time(), time.process_time()
    if coords:
        q = np.linalg.qr(x[keep], mode="complete")[0]
        w = q[:, np.linalg.matrix_rank(x[keep]):]
        r = w.T @ y[keep][:, gm].astype(np.float64)
    else:
        r = clean64(y[:, gm], x, keep)
        r -= r.mean(0)
    z = (r / np.sqrt((r * r).sum(0))).T.astype(np.float32).copy()  # voxels x time
    n = z.shape[0]
    sums = np.zeros(n)
    for b in range(0, n, block):
        c = z[b:b + block] @ z.T  # float32 BLAS, all cores
        np.clip(c, -(1 - 1e-7), 1 - 1e-7, out=c)
        np.arctanh(c, out=c)
        idx = np.arange(b, min(n, b + block))
        c[idx - b, idx] = 0
        sums[b:b + block] = c.sum(1, dtype=np.float64)
    g = sums / (n - 1)
    compute_s, cpu_s = time.time() - t0, time.process_time() - c0
    print(json.dumps({"load_s": load_s, "compute_s": compute_s, "compute_cpu_s": cpu_s, "gm_voxels": int(n),
                      "dims": int(z.shape[1]), "mean_gbc": float(g.mean())}))


if __name__ == "__main__":
    cmd, d = sys.argv[1], sys.argv[2]
    if cmd == "make":
        make(d, int(sys.argv[sys.argv.index("--volumes") + 1]) if "--volumes" in sys.argv else 300,
             int(sys.argv[sys.argv.index("--gm") + 1]) if "--gm" in sys.argv else 70000)
    elif cmd == "seedmap":
        seedmap(d)
    elif cmd == "gbc":
        gbc(d, coords="--coords" in sys.argv)
