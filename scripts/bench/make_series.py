#!/usr/bin/python3
"""Writes a synthetic 2 mm MNI-grid 4D series (91x109x91xT float32) as OUTDIR/series.nii and .nii.gz.

Brain-shaped signal (an ellipsoid with smooth tissue contrast, zero outside) times a slow drift, plus
Gaussian noise inside the brain: smooth where a real scan is smooth, incompressible where it is noisy, so
gzip sees realistic data. Written with nibabel (its default gzip level), like any nibabel user's file.
Usage: make_series.py OUTDIR [T]
"""
import os
import sys

import nibabel as nib
import numpy as np


def series(nt, seed=0):
    nx, ny, nz = 91, 109, 91
    x, y, z = np.meshgrid(np.arange(nx), np.arange(ny), np.arange(nz), indexing="ij")
    # MNI brain is about 140 x 170 x 130 mm; at 2 mm: radii 35, 42, 33 voxels around the AC
    r = ((x - 45) / 35.0) ** 2 + ((y - 60) / 42.0) ** 2 + ((z - 38) / 33.0) ** 2
    mask = r <= 1.0
    tissue = 700 + 250 * np.cos(6 * np.sqrt(r)) + 40 * np.sin(x / 7.0) * np.cos(y / 9.0)
    base = np.where(mask, tissue, 0).astype(np.float32)
    rng = np.random.default_rng(seed)
    data = np.empty((nx, ny, nz, nt), dtype=np.float32)
    m = mask.astype(np.float32)
    for t in range(nt):
        drift = 1 + 0.01 * np.sin(2 * np.pi * t / 60.0)
        noise = rng.standard_normal((nx, ny, nz), dtype=np.float32) * 12
        data[..., t] = base * np.float32(drift) + noise * m
    return data


def main():
    out = sys.argv[1]
    nt = int(sys.argv[2]) if len(sys.argv) > 2 else 300
    os.makedirs(out, exist_ok=True)
    aff = np.array([[-2, 0, 0, 90], [0, 2, 0, -126], [0, 0, 2, -72], [0, 0, 0, 1]], dtype=float)
    img = nib.Nifti1Image(series(nt), aff)
    img.header.set_xyzt_units("mm", "sec")
    img.header["pixdim"][4] = 2.0
    img.set_qform(aff, code=4)
    img.set_sform(aff, code=4)
    for name in ("series.nii", "series.nii.gz"):
        nib.save(img, os.path.join(out, name))
        print(os.path.join(out, name), os.path.getsize(os.path.join(out, name)), "bytes")


if __name__ == "__main__":
    main()
