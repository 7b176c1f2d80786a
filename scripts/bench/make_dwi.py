#!/usr/bin/python3
"""Writes a synthetic 2 mm DWI like a QSIPrep/fMRIPrep output (96x114x96, 3 b0 + 30 b=1000, float32 .nii.gz).

A head: a brain ellipsoid (CSF bright, grey/white contrast, tensor-free exponential decay along each
direction), a scalp shell, Rician background noise everywhere (not skull-stripped, as QSIPrep writes it).
Usage: make_dwi.py OUTDIR  ->  OUTDIR/dwi.nii.gz, dwi.bval, dwi.bvec
"""
import sys

import nibabel as nib
import numpy as np


def main(out):
    shape, nb0, ndir = (96, 114, 96), 3, 30
    rng = np.random.default_rng(0)
    x, y, z = np.meshgrid(*[np.arange(n, dtype=np.float32) for n in shape], indexing="ij")
    r = np.sqrt(((x - 48) / 36) ** 2 + ((y - 58) / 44) ** 2 + ((z - 44) / 36) ** 2)
    brain = r <= 1
    scalp = (r > 1.08) & (r <= 1.2)
    ventricles = np.sqrt(((x - 48) / 8) ** 2 + ((y - 60) / 16) ** 2 + ((z - 50) / 6) ** 2) <= 1
    wm = (r < 0.75) & ~ventricles
    s0 = np.where(brain, 900.0, 0) + np.where(wm, -250.0, 0) + np.where(ventricles, 900.0, 0) + np.where(scalp, 500.0, 0)
    s0 *= 1 + 0.1 * np.sin(x / 9) * np.cos(y / 11)
    md = np.where(ventricles, 3e-3, np.where(wm, 0.7e-3, 0.9e-3))
    g = rng.normal(size=(ndir, 3))
    g /= np.linalg.norm(g, axis=1)[:, None]
    bval = np.r_[np.zeros(nb0), np.full(ndir, 1000.0)]
    bvec = np.vstack([np.zeros((nb0, 3)), g])
    data = np.empty(shape + (nb0 + ndir,), np.float32)
    for t, b in enumerate(bval):
        aniso = 1 + 0.3 * np.where(wm, np.cos(x / 5 + t), 0)
        sig = s0 * np.exp(-b * md * aniso)
        data[..., t] = np.hypot(sig + rng.normal(0, 25, shape), rng.normal(0, 25, shape))
    aff = np.array([[2.0, 0, 0, -96], [0, 2, 0, -132], [0, 0, 2, -78], [0, 0, 0, 1]])
    nib.save(nib.Nifti1Image(data, aff), out + "/dwi.nii.gz")
    np.savetxt(out + "/dwi.bval", bval[None], fmt="%g")
    np.savetxt(out + "/dwi.bvec", bvec.T, fmt="%.8f")


if __name__ == "__main__":
    main(sys.argv[1])
