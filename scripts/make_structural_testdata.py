#!/usr/bin/python3
"""Regenerates test-data/structural/ and its reference.json with nibabel + numpy.

Run from the repo root with Debian's python: /usr/bin/python3 scripts/make_structural_testdata.py
Every reference number is computed here from the definition (numpy counts, nibabel's MGH affine),
never by ketaprint.
"""
import json
import os
import shutil

import nibabel as nib
import numpy as np

OUT = os.path.join('test-data', 'structural')
rng = np.random.default_rng(20261122)
ref = {}


def rot(ax, deg):
    t = np.deg2rad(deg)
    c, s = np.cos(t), np.sin(t)
    m = np.eye(3)
    i, j = [k for k in range(3) if k != ax]
    m[i, i], m[i, j], m[j, i], m[j, j] = c, -s, s, c
    return m


def oblique_affine():
    # rotation x anisotropic zooms (0.7, 1.2, 2.5 mm) + a flip: an oblique, left-handed grid
    r = rot(0, 17) @ rot(1, -23) @ rot(2, 31)
    a = np.eye(4)
    a[:3, :3] = r @ np.diag([-0.7, 1.2, 2.5])
    a[:3, 3] = [12.5, -30.25, 7.0]
    return a


def counts(data, aff):
    labels, n = np.unique(data, return_counts=True)
    vv = abs(np.linalg.det(aff[:3, :3]))
    return {str(int(l)): {'voxels': int(c), 'volume_mm3': float(c * vv)} for l, c in zip(labels, n)}, float(vv)


def samples(data, k=12):
    pts = []
    for _ in range(k):
        idx = tuple(int(rng.integers(0, s)) for s in data.shape)
        pts.append(list(idx) + [float(data[idx])])
    return pts


def mgh_record(path):
    img = nib.load(path)
    d = np.asanyarray(img.dataobj)
    h = img.header
    return {
        'shape': [int(s) for s in img.shape],
        'dtype': str(img.get_data_dtype().newbyteorder('=')),
        'affine': img.affine.tolist(),
        'zooms': [float(z) for z in h['delta']],
        'tr_ms': float(h['tr']),
        'good_ras_flag': int(h['goodRASFlag']),
        'sum': float(d.astype(np.float64).sum()),
        'samples': samples(d),
    }


def main():
    os.makedirs(OUT, exist_ok=True)
    aff = oblique_affine()
    shape = (17, 19, 13)

    # label image: boxes of known size for the default FreeSurfer labels, scattered others
    lab = np.zeros(shape, np.int16)
    lab[rng.random(shape) < 0.3] = 2
    lab[rng.random(shape) < 0.05] = 41
    lab[1:4, 2:6, 3:8] = 17        # 3 x 4 x 5 = 60 voxels
    lab[10:12, 10:13, 1:5] = 53    # 2 x 3 x 4 = 24
    lab[5:6, 14:16, 9:12] = 26     # 1 x 2 x 3 = 6
    lab[14:16, 1:3, 10:11] = 58    # 2 x 2 x 1 = 4
    lab[0, 0, 0] = 1000            # a label outside the built-in LUT
    nii = os.path.join(OUT, 'labels_oblique.nii.gz')
    nib.save(nib.Nifti1Image(lab, aff), nii)
    aff = nib.load(nii).affine  # as stored (float32 sform), which is what a reader sees
    mgz = os.path.join(OUT, 'labels_oblique.mgz')
    nib.save(nib.MGHImage(lab, aff), mgz)
    c, vv = counts(np.asanyarray(nib.load(nii).dataobj), aff)
    ref['labels_oblique.nii.gz'] = {'voxel_volume_mm3': vv, 'counts': c, 'affine': aff.tolist(),
                                    'boxes': {'17': 60, '53': 24, '26': 6, '58': 4}}
    m = nib.load(mgz)
    c2, vv2 = counts(np.asanyarray(m.dataobj), m.affine)
    ref['labels_oblique.mgz'] = {'voxel_volume_mm3': vv2, 'counts': c2, **mgh_record(mgz)}

    # brain mask on the same grid, and one on another grid
    mask = np.zeros(shape, np.uint8)
    mask[1:16, 1:18, 1:12] = 1
    nib.save(nib.Nifti1Image(mask, aff), os.path.join(OUT, 'brainmask.nii.gz'))
    ref['brainmask.nii.gz'] = {'nonzero': int(mask.sum()), 'volume_mm3': float(mask.sum() * vv),
                               'labels_inside': counts(lab[mask > 0], aff)[0]}
    nib.save(nib.Nifti1Image(mask[:, :, :12], aff), os.path.join(OUT, 'mask_other_grid.nii.gz'))

    # float label image with a non-integer value
    fl = lab.astype(np.float32)
    fl[7, 8, 9] = 17.5
    nib.save(nib.Nifti1Image(fl, aff), os.path.join(OUT, 'labels_nonint.nii.gz'))

    # probability maps: a 3D partial-volume map (FSL FAST style) and a 4D probseg
    p3 = rng.random(shape).astype(np.float32)
    p3[rng.random(shape) < 0.4] = 0
    nib.save(nib.Nifti1Image(p3, aff), os.path.join(OUT, 'pve.nii.gz'))
    p4 = rng.dirichlet([1, 1, 1], size=shape).astype(np.float32)  # sums to 1 over the 4th dim
    nib.save(nib.Nifti1Image(p4, aff), os.path.join(OUT, 'probseg_4d.nii.gz'))
    ref['pve.nii.gz'] = {'volume_mm3': float(p3.astype(np.float64).sum() * vv)}
    ref['probseg_4d.nii.gz'] = {'volume_mm3': [float(p4[..., t].astype(np.float64).sum() * vv) for t in range(3)]}

    # MGH files of each type, plain and gzipped, one 4D with a TR
    zooms_aff = np.array([[-1.1, 0, 0, 60], [0, 0, 1.3, -70], [0, -0.9, 0, 50], [0, 0, 0, 1.0]])
    kinds = {
        'uchar.mgh': rng.integers(0, 256, (6, 5, 4)).astype(np.uint8),
        'short.mgz': rng.integers(-3000, 3000, (6, 5, 4)).astype(np.int16),
        'int.mgz': rng.integers(-100000, 100000, (6, 5, 4)).astype(np.int32),
        'float4d.mgz': rng.normal(size=(6, 5, 4, 3)).astype(np.float32),
    }
    for name, d in kinds.items():
        p = os.path.join(OUT, name)
        img = nib.MGHImage(d, oblique_affine() if name == 'int.mgz' else zooms_aff)
        if d.ndim == 4:
            img.header.set_zooms(list(img.header.get_zooms()[:3]) + [2500.0])
        nib.save(img, p)
        ref[name] = mgh_record(p)

    # goodRASFlag = 0: nibabel ignores the stored geometry and uses its default affine
    src = os.path.join(OUT, 'uchar.mgh')
    raw = bytearray(open(src, 'rb').read())
    raw[28:30] = b'\x00\x00'
    p = os.path.join(OUT, 'badras.mgh')
    open(p, 'wb').write(bytes(raw))
    ref['badras.mgh'] = mgh_record(p)

    # nibabel's own test.mgz (MIT licence, nibabel/tests/data)
    shutil.copy('/usr/lib/python3/dist-packages/nibabel/tests/data/test.mgz', os.path.join(OUT, 'test.mgz'))
    ref['test.mgz'] = mgh_record(os.path.join(OUT, 'test.mgz'))

    with open(os.path.join(OUT, 'reference.json'), 'w') as f:
        json.dump(ref, f, indent=1, sort_keys=True)
        f.write('\n')


if __name__ == '__main__':
    main()
