#!/usr/bin/python3
"""Writes test-data/structural/convert_reference.json: what nibabel makes of MGH/MGZ files converted to NIfTI-1.

Run from the repo root with Debian's python: /usr/bin/python3 scripts/make_convert_reference.py
For each MGH file, nibabel converts it (Nifti1Image.from_image, saved and loaded again) and the record holds
the NIfTI's shape, sform and qform matrices, spatial zooms, the MGH TR (ms), the data sum and a few voxels.
ConvertCommandTest (src/test/java/org/ketaprint/nifti/) checks `ketaprint convert` against it. Nothing here
runs ketaprint.
"""
import json
import os
import tempfile

import nibabel as nib
import numpy as np

DIR = os.path.join('test-data', 'structural')
FILES = ['labels_oblique.mgz', 'float4d.mgz', 'badras.mgh']


def record(name, tmp):
    mgh = nib.load(os.path.join(DIR, name))
    out = os.path.join(tmp, name.split('.')[0] + '.nii')
    nib.save(nib.Nifti1Image.from_image(mgh), out)
    nii = nib.load(out)
    d = np.asanyarray(nii.dataobj).astype(np.float64)
    rng = np.random.default_rng(13)
    samples = []
    for _ in range(6):
        idx = tuple(int(rng.integers(0, s)) for s in d.shape)
        samples.append(list(idx) + [float(d[idx])])
    return {
        'shape': [int(s) for s in nii.shape],
        'mgh_affine': mgh.affine.tolist(),
        'sform': nii.header.get_sform().tolist(),
        'qform': nii.header.get_qform().tolist(),
        'zooms': [float(z) for z in nii.header.get_zooms()[:3]],
        'tr_ms': float(mgh.header['tr']),
        'sum': float(d.sum()),
        'samples': samples,
    }


def main():
    ref = {'nibabel': nib.__version__}
    with tempfile.TemporaryDirectory() as tmp:
        for name in FILES:
            ref[name] = record(name, tmp)
    with open(os.path.join(DIR, 'convert_reference.json'), 'w') as f:
        json.dump(ref, f, indent=1, sort_keys=True)
        f.write('\n')


if __name__ == '__main__':
    main()
