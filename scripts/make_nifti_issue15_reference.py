#!/usr/bin/env python3
"""Issue 15 reference images: scl_inter with slope 1, SPM2 Analyze funused/cal/glmin scaling, qforms rotated
about x and y. Writes tiny files and issue15.json (what nibabel 5.0 reads) to test-data/nifti/issue15.

Run from the repository root: /usr/bin/python3 scripts/make_nifti_issue15_reference.py
Files are written byte by byte (header binaryblock + raw Fortran-order data) so nibabel cannot rewrite scaling.
"""
import json
import os

import numpy as np
import nibabel as nib
from nibabel.nifti1 import Nifti1Header
from nibabel.spm2analyze import Spm2AnalyzeHeader, Spm2AnalyzeImage

OUT = os.path.join('test-data', 'nifti', 'issue15')
SHAPE = (4, 3, 2)
refs = {}


def data(lo):
    return (np.arange(np.prod(SHAPE), dtype=np.int16) * 3 + lo).reshape(SHAPE, order='F')


def nifti(name, h, arr):
    h.set_data_dtype(arr.dtype)
    h.set_data_shape(arr.shape)
    h['vox_offset'] = 352
    path = os.path.join(OUT, name + '.nii')
    with open(path, 'wb') as f:
        f.write(h.binaryblock)
        f.write(b'\0' * 4)
        f.write(arr.tobytes(order='F'))
    img = nib.load(path)
    refs[name] = {'file': name + '.nii', 'affine': img.affine.tolist(),
                  'qform': img.header.get_qform().tolist(),
                  'data': np.asarray(img.dataobj).ravel(order='F').astype(float).tolist()}


def analyze(name, h, arr):
    h.set_data_dtype(arr.dtype)
    h.set_data_shape(arr.shape)
    with open(os.path.join(OUT, name + '.hdr'), 'wb') as f:
        f.write(h.binaryblock)
    with open(os.path.join(OUT, name + '.img'), 'wb') as f:
        f.write(arr.tobytes(order='F'))
    img = Spm2AnalyzeImage.from_filename(os.path.join(OUT, name + '.hdr'))
    refs[name] = {'file': name + '.hdr', 'affine': img.affine.tolist(),
                  'slope_inter': [float(v) for v in h.get_slope_inter()],
                  'data': np.asarray(img.dataobj).ravel(order='F').astype(float).tolist()}


def rot(axis, deg):
    t = np.deg2rad(deg)
    c, s = np.cos(t), np.sin(t)
    r = np.eye(3)
    i, j = [(1, 2), (0, 2), (0, 1)][axis]
    r[i, i], r[i, j], r[j, i], r[j, j] = c, -s, s, c
    return r


os.makedirs(OUT, exist_ok=True)

# 1. NIfTI scl_slope 1 with scl_inter 7: nibabel adds the intercept
h = Nifti1Header()
h['scl_slope'], h['scl_inter'] = 1, 7
nifti('slope1_inter7', h, data(-20))

# 2. SPM2 Analyze: funused1 slope with a negative funused2 intercept; gl/cal with non-zero glmin and negative cal_min
h = Spm2AnalyzeHeader()
h.set_data_shape(SHAPE)
h.set_zooms((2.0, 2.5, 3.0))
h['origin'][:3] = [2, 3, 1]
h['scl_slope'], h['scl_inter'] = 0.5, -3
analyze('analyze_funused_inter', h, data(-20))
h = Spm2AnalyzeHeader()
h['scl_slope'] = 0
h['glmin'], h['glmax'], h['cal_min'], h['cal_max'] = 100, 1100, -5.0, 15.0
analyze('analyze_glmin_calmin', h, data(100))

# 3. qform-only rotations about x (30 deg) and y (-40 deg), one with qfac -1, non-unit zooms, offsets
for name, axis, deg, zooms, flip in [('qform_rot_x30', 0, 30, (1.5, 2.0, 2.5), 1),
                                     ('qform_rot_y_minus40', 1, -40, (2.0, 1.0, 3.0), 1),
                                     ('qform_rot_x30_qfac_neg', 0, 30, (1.0, 2.0, 3.0), -1)]:
    a = np.eye(4)
    a[:3, :3] = rot(axis, deg) @ np.diag([zooms[0], zooms[1], zooms[2] * flip])
    a[:3, 3] = [-10.5, 20.25, 7.0]
    h = Nifti1Header()
    h.set_qform(a, code=1)
    h.set_sform(None, code=0)
    nifti(name, h, data(0))
    refs[name]['constructed'] = a.tolist()

with open(os.path.join(OUT, 'issue15.json'), 'w') as f:
    json.dump({'nibabel': nib.__version__, 'images': refs}, f, indent=1)
