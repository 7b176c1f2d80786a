#!/usr/bin/python3
"""Writes six synthetic tensor maps on a 2 mm brain grid (96x114x96, float32) as OUTDIR/{FA,MD,AD,RD,S0}.nii and
OUTDIR/V1.nii (96x114x96x3): zero outside an ellipsoid "brain", smooth values inside (no noise), uncompressed.
Usage: make_maps.py OUTDIR
"""
import os
import sys

import nibabel as nib
import numpy as np


def maps():
    nx, ny, nz = 96, 114, 96
    x, y, z = np.meshgrid(np.arange(nx), np.arange(ny), np.arange(nz), indexing="ij")
    r = ((x - 48) / 36.0) ** 2 + ((y - 60) / 44.0) ** 2 + ((z - 42) / 34.0) ** 2
    inside = r <= 1.0
    wave = np.sin(x / 6.0) * np.cos(y / 8.0) * np.sin(z / 7.0)
    fa = 0.45 + 0.3 * wave + 0.1 * np.cos(5 * np.sqrt(r))
    md = 0.0008 + 0.0003 * np.cos(4 * np.sqrt(r)) + 0.0001 * wave
    ad = md * (1 + fa)
    rd = md * (1 - fa / 2)
    s0 = 900 + 300 * np.cos(6 * np.sqrt(r)) + 50 * wave
    theta, phi = x / 15.0 + y / 40.0, z / 12.0 - y / 30.0
    v1 = np.stack([np.sin(theta) * np.cos(phi), np.sin(theta) * np.sin(phi), np.cos(theta)], axis=-1)
    out = {"FA": fa, "MD": md, "AD": ad, "RD": rd, "S0": s0, "V1": v1}
    return {k: np.where(inside[..., None] if v.ndim == 4 else inside, v, 0).astype(np.float32) for k, v in out.items()}


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    aff = np.array([[-2, 0, 0, 96], [0, 2, 0, -132], [0, 0, 2, -78], [0, 0, 0, 1]], dtype=float)
    for name, data in maps().items():
        img = nib.Nifti1Image(data, aff)
        img.header.set_xyzt_units("mm", "sec")
        nib.save(img, os.path.join(out, name + ".nii"))


if __name__ == "__main__":
    main()
