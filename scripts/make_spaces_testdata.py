#!/usr/bin/python3
"""Writes test-data/spaces: phantoms, hand-written transforms in every format, and the expected
resampled images computed here from the definitions (numpy + scipy.ndimage.map_coordinates).

Run from the repo root with Debian's python: /usr/bin/python3 scripts/make_spaces_testdata.py
Conventions (ITK/antsApplyTransforms): a transform maps reference points to moving points; ITK files
are LPS (x, y negated w.r.t. NIfTI RAS); a chain [T1, T2] applies T2 first; a point is inside an image
when its voxel coordinates are within [-0.5, n - 0.5]; nearest rounds half up.
"""
import json
import os
import sys

import h5py
import nibabel as nib
import numpy as np
import scipy.io
from scipy.ndimage import map_coordinates

OUT = sys.argv[1] if len(sys.argv) > 1 else 'test-data/spaces'
os.makedirs(OUT, exist_ok=True)
os.makedirs(f'{OUT}/done', exist_ok=True)
F = np.diag([-1.0, -1.0, 1.0, 1.0])   # RAS <-> LPS


def rot(axis, deg):
    t = np.deg2rad(deg)
    c, s = np.cos(t), np.sin(t)
    m = np.eye(4)
    i, j = [(1, 2), (0, 2), (0, 1)][axis]
    m[i, i], m[i, j], m[j, i], m[j, j] = c, -s, s, c
    if axis == 1:
        m[i, j], m[j, i] = s, -s
    return m


def translate(v):
    m = np.eye(4)
    m[:3, 3] = v
    return m


def world(shape, aff):
    """World RAS points (4, N) of every voxel, x fastest (NIfTI / Fortran order)."""
    ijk = np.stack(np.meshgrid(*[np.arange(n) for n in shape], indexing='ij'), 0).reshape(3, -1, order='F')
    return aff @ np.vstack([ijk, np.ones((1, ijk.shape[1]))])


def itk_params(T_ras, center_lps):
    """ITK AffineTransform parameters (12) for a RAS point map, with a given LPS centre."""
    T = F @ T_ras @ F
    A, off = T[:3, :3], T[:3, 3]
    t = off - center_lps + A @ center_lps
    return np.concatenate([A.ravel(), t])


def write_itk_txt(path, transforms):
    """transforms: list of (params12, center3); several make a CompositeTransform, in ANTs order."""
    lines = ['#Insight Transform File V1.0']
    n = 0
    if len(transforms) > 1:
        lines += ['#Transform 0', 'Transform: CompositeTransform_double_3_3']
        n = 1
    for p, c in transforms:
        lines += [f'#Transform {n}', 'Transform: AffineTransform_double_3_3',
                  'Parameters: ' + ' '.join(repr(float(x)) for x in p),
                  'FixedParameters: ' + ' '.join(repr(float(x)) for x in c)]
        n += 1
    open(path, 'w').write('\n'.join(lines) + '\n')


def write_ants_mat(path, params, center):
    scipy.io.savemat(path, {'AffineTransform_double_3_3': np.asarray(params, float).reshape(12, 1),
                            'fixed': np.asarray(center, float).reshape(3, 1)}, format='4')


def write_mat_big_endian(path, params, center):
    """The same MATLAB v4 file written by hand, big-endian (MOPT type 1000 = big-endian double)."""
    with open(path, 'wb') as f:
        for name, v in (('AffineTransform_double_3_3', params), ('fixed', center)):
            v = np.asarray(v, '>f8').reshape(-1)
            f.write(np.array([1000, v.size, 1, 0, len(name) + 1], '>i4').tobytes())
            f.write(name.encode() + b'\0')
            f.write(v.tobytes())


def fsl_scaled_voxel(shape, aff):
    z = np.sqrt((aff[:3, :3] ** 2).sum(0))
    v = np.diag([z[0], z[1], z[2], 1.0])
    if np.linalg.det(aff[:3, :3]) > 0:
        v[0, 0], v[0, 3] = -z[0], (shape[0] - 1) * z[0]
    return v


def write_flirt(path, T_ras, ref_shape, ref_aff, mov_shape, mov_aff):
    """FLIRT matrix (moving FSL coords -> reference FSL coords) equivalent to RAS point map T_ras."""
    minv = fsl_scaled_voxel(mov_shape, mov_aff) @ np.linalg.inv(mov_aff) @ T_ras @ ref_aff @ \
        np.linalg.inv(fsl_scaled_voxel(ref_shape, ref_aff))
    m = np.linalg.inv(minv)
    open(path, 'w').write(''.join('  '.join(f'{x:.10f}' for x in row) + '  \n' for row in m))


def write_h5(path, parts, float_field=False, gzip=False, vlen=False):
    """ITK HDF5 composite as antsRegistration/fMRIPrep write it; parts in ANTs order:
    ('affine', params12, center3) or ('field', fixed18, params). ITK writes TransformType as a
    1-element variable-length string (vlen=True); fixed-length strings are read too."""
    def typ(name):
        if vlen:
            return dict(data=[name], dtype=h5py.string_dtype('ascii'))
        return dict(data=[np.bytes_(name)])

    with h5py.File(path, 'w') as f:
        f.create_dataset('HDFVersion', data=np.bytes_('1.10.4'))
        f.create_dataset('ITKVersion', data=np.bytes_('5.2.1'))
        g = f.create_group('TransformGroup')
        g0 = g.create_group('0')
        g0.create_dataset('TransformType', **typ('CompositeTransform_double_3_3'))
        for n, part in enumerate(parts, start=1):
            gi = g.create_group(str(n))
            if part[0] == 'affine':
                gi.create_dataset('TransformType', **typ('AffineTransform_double_3_3'))
                gi.create_dataset('TransformParameters', data=np.asarray(part[1], float))
                gi.create_dataset('TransformFixedParameters', data=np.asarray(part[2], float))
            else:
                t = 'DisplacementFieldTransform_float_3_3' if float_field else 'DisplacementFieldTransform_double_3_3'
                gi.create_dataset('TransformType', **typ(t))
                gi.create_dataset('TransformParameters', compression='gzip' if gzip else None,
                                  data=np.asarray(part[2], np.float32 if float_field else float))
                gi.create_dataset('TransformFixedParameters', data=np.asarray(part[1], float))


def field_fixed_and_params(shape, aff, d_ras):
    """ITK field fixed parameters (size, origin, spacing, direction; LPS) and flat LPS vectors.
    d_ras: (3, N) RAS displacements, voxels x fastest."""
    zooms = np.sqrt((aff[:3, :3] ** 2).sum(0))
    direction = (F @ aff)[:3, :3] / zooms
    origin = (F @ aff)[:3, 3]
    fixed = np.concatenate([np.asarray(shape, float), origin, zooms, direction.ravel()])
    d_lps = d_ras * np.array([-1.0, -1.0, 1.0])[:, None]
    params = d_lps.T.ravel()          # component fastest, then voxels x fastest
    return fixed, params


def write_itk_field(path, shape, aff, d_ras):
    """ITK/ANTs displacement field NIfTI: (X, Y, Z, 1, 3), intent vector, LPS mm."""
    d_lps = d_ras * np.array([-1.0, -1.0, 1.0])[:, None]
    data = np.zeros(tuple(shape) + (1, 3), np.float32)
    for c in range(3):
        data[..., 0, c] = d_lps[c].reshape(shape, order='F')
    img = nib.Nifti1Image(data, aff)
    img.header.set_intent('vector')
    img.header.set_xyzt_units('mm')
    nib.save(img, path)


def expected(q_ras, mov_shape, mov_aff, labels, cont):
    """Nearest (labels; -1 marks near-ties) and trilinear (cont) at world points q (4, N)."""
    c = np.linalg.inv(mov_aff) @ q_ras
    c = c[:3]
    n = np.array(mov_shape)[:, None]
    r = np.floor(c + 0.5)
    inside = np.all((r >= 0) & (r < n), 0)
    nn = np.zeros(c.shape[1])
    ri = r[:, inside].astype(int)
    nn[inside] = labels[ri[0], ri[1], ri[2]]
    tie = np.any(np.abs(c - np.floor(c) - 0.5) < 1e-6, 0)
    nn[tie] = -1
    lin = map_coordinates(cont, c, order=1, mode='nearest')
    lin[~np.all((c >= -0.5) & (c <= n - 0.5), 0)] = 0
    return nn, lin, int(tie.sum())


def save(path, flat, shape, aff, dtype):
    nib.save(nib.Nifti1Image(flat.reshape(shape, order='F').astype(dtype), aff), path)


ref_json = {}

# --- phantoms: moving grid LAS (det < 0), anisotropic --------------------------------------
mov_shape = (30, 28, 24)
mov_aff = np.array([[-2.0, 0, 0, 29.0], [0, 2.2, 0, -30.0], [0, 0, 2.5, -28.0], [0, 0, 0, 1]])
P = world(mov_shape, mov_aff)
ijk = np.stack(np.meshgrid(*[np.arange(n) for n in mov_shape], indexing='ij'), 0).reshape(3, -1, order='F')
lab = 1 + (ijk[0] // 5 + 3 * (ijk[1] // 7) + 7 * (ijk[2] // 6)) % 9
r2 = (P[0] / 27) ** 2 + (P[1] / 28) ** 2 + (P[2] / 26) ** 2
lab[r2 > 1] = 0
labels = lab.reshape(mov_shape, order='F')
cont = (np.sin(P[0] / 7) + np.cos(P[1] / 9) + 0.002 * P[2] ** 2).reshape(mov_shape, order='F')
save(f'{OUT}/moving_labels.nii.gz', labels.ravel(order='F'), mov_shape, mov_aff, np.int16)
save(f'{OUT}/moving_map.nii.gz', cont.ravel(order='F'), mov_shape, mov_aff, np.float32)
cont = np.asanyarray(nib.load(f'{OUT}/moving_map.nii.gz').dataobj).astype(float)  # what Java reads

# --- reference grid: oblique, anisotropic (det > 0) --------------------------------------------
ref_shape = (26, 24, 22)
ref_aff = rot(2, 15) @ rot(0, -10) @ np.diag([1.7, 2.3, 2.0, 1.0])
ref_aff[:3, 3] = -(ref_aff[:3, :3] @ np.array([12.5, 11.5, 10.5])) + [1.3, -0.7, 2.1]
nib.save(nib.Nifti1Image(np.zeros(ref_shape, np.uint8), ref_aff), f'{OUT}/ref.nii.gz')
Q0 = world(ref_shape, ref_aff)

# --- the known affine: reference point -> moving point (RAS) --------------------------------
T = translate([3.3, -4.1, 2.7]) @ rot(1, 8) @ rot(2, -6) @ np.diag([1.05, 0.97, 1.0, 1.0])
T[0, 1] += 0.03   # a little shear
center = np.array([5.0, -3.0, 10.0])
write_itk_txt(f'{OUT}/affine.txt', [(itk_params(T, center), center)])
write_ants_mat(f'{OUT}/affine.mat', itk_params(T, center), center)
write_mat_big_endian(f'{OUT}/affine_be.mat', itk_params(T, center), center)
open(f'{OUT}/affine_mob.txt', 'w').write(open(f'{OUT}/affine.txt').read().replace(
    'AffineTransform_double_3_3', 'MatrixOffsetTransformBase_double_3_3'))
write_flirt(f'{OUT}/affine_flirt.mat', T, ref_shape, ref_aff, mov_shape, mov_aff)
T2 = translate([-6.0, 2.5, 1.5]) @ rot(0, 20)            # chain [T1, T2] = T: T2 applied first
T1 = T @ np.linalg.inv(T2)
write_itk_txt(f'{OUT}/chain.txt', [(itk_params(T1, np.zeros(3)), np.zeros(3)),
                                  (itk_params(T2, center), center)])
nn, lin, ties = expected(T @ Q0, mov_shape, mov_aff, labels, cont)
save(f'{OUT}/expected_affine_nn.nii.gz', nn, ref_shape, ref_aff, np.int16)
save(f'{OUT}/expected_affine_lin.nii.gz', lin, ref_shape, ref_aff, np.float32)
ref_json['affine'] = {'ras': T.tolist(), 'ties': ties, 'nonzero_labels': int((nn > 0).sum())}

# --- an analytic warp on the reference grid ---------------------------------------------------
def warp(q):
    return np.vstack([2.5 * np.sin(2 * np.pi * q[1] / 40), 1.5 * np.cos(2 * np.pi * q[2] / 35),
                      2.0 * np.sin(2 * np.pi * q[0] / 50)])


d = warp(Q0)
write_itk_field(f'{OUT}/warp.nii.gz', ref_shape, ref_aff, d)
Qw = Q0.copy()
Qw[:3] += d
nn, lin, ties = expected(Qw, mov_shape, mov_aff, labels, cont)
save(f'{OUT}/expected_warp_nn.nii.gz', nn, ref_shape, ref_aff, np.int16)
save(f'{OUT}/expected_warp_lin.nii.gz', lin, ref_shape, ref_aff, np.float32)
ref_json['warp'] = {'ties': ties}

# composite [affine T, warp]: the warp first, then T (fMRIPrep layout)
fixed, params = field_fixed_and_params(ref_shape, ref_aff, d)
write_h5(f'{OUT}/composite.h5', [('affine', itk_params(T, center), center), ('field', fixed, params)], float_field=True)
nn, lin, ties = expected(T @ Qw, mov_shape, mov_aff, labels, cont)
save(f'{OUT}/expected_composite_nn.nii.gz', nn, ref_shape, ref_aff, np.int16)
save(f'{OUT}/expected_composite_lin.nii.gz', lin, ref_shape, ref_aff, np.float32)
ref_json['composite'] = {'ties': ties}
# points: reference points and their moving-space images through the composite (for toMoving/toReference)
pts = np.array([[0.0, 0.0, 0.0, 1], [10.0, -12.0, 6.0, 1], [-15.0, 8.0, -9.0, 1]]).T
ref_json['composite']['points_ref'] = pts[:3].T.tolist()
pw = pts.copy()
pw[:3] += warp(pts)   # analytic: exact only at grid points, so also through the field's trilinear value
c = np.linalg.inv(ref_aff) @ pts
field = [map_coordinates(d[k].reshape(ref_shape, order='F'), c[:3], order=1, mode='nearest') for k in range(3)]
pf = pts.copy()
pf[:3] += np.vstack(field)
ref_json['composite']['points_moving'] = (T @ pf)[:3].T.tolist()

# --- bad inputs ------------------------------------------------------------------------------
open(f'{OUT}/bad_unknown.xfm', 'w').write('this is not a transform\n')
open(f'{OUT}/bad_2d.txt', 'w').write('#Insight Transform File V1.0\n#Transform 0\n'
                                     'Transform: AffineTransform_double_2_2\nParameters: 1 0 0 1 0 0\n'
                                     'FixedParameters: 0 0\n')
bad = nib.Nifti1Image(np.zeros((4, 4, 4, 3), np.float32), np.eye(4))
bad.header.set_intent('vector')
nib.save(bad, f'{OUT}/bad_field_4d.nii.gz')
with h5py.File(f'{OUT}/bad_nogroup.h5', 'w') as f:
    f.create_dataset('something', data=np.arange(3.0))

# --- "done when": cingulum FA through an MNI -> native transform --------------------------------
# MNI 2 mm grid (RAS, like FSL's MNI152 2 mm but smaller); boxes with edges on voxel boundaries.
mni_shape = (40, 48, 40)
mni_aff = np.array([[2.0, 0, 0, -40.0], [0, 2.0, 0, -60.0], [0, 0, 2.0, -30.0], [0, 0, 0, 1]])
boxes = {35: ([3, -45, 5], [13, 35, 25]), 36: ([-13, -45, 5], [-3, 35, 25]),   # cingulum R/L (JHU ids)
         5: ([-9, -35, -15], [9, -25, -5])}                                   # a third region
names = {35: 'Cingulum_(cingulate_gyrus)_R', 36: 'Cingulum_(cingulate_gyrus)_L', 5: 'Body_of_corpus_callosum'}


def atlas_at(q):
    out = np.zeros(q.shape[1])
    for l, (lo, hi) in boxes.items():
        ins = np.all((q[:3] >= np.array(lo)[:, None]) & (q[:3] < np.array(hi)[:, None]), 0)
        out[ins] = l
    return out


def fa_at(q):
    a = atlas_at(q)
    fa = 0.15 + 0.001 * q[0]
    fa = np.where(a == 35, 0.45 + 0.004 * (q[1] + 45), fa)
    fa = np.where(a == 36, 0.50 + 0.006 * (q[2] - 5), fa)
    fa = np.where(a == 5, 0.70 - 0.01 * q[1] / 10, fa)
    return fa


Qm = world(mni_shape, mni_aff)
# box edges sit on voxel boundaries (odd mm): no voxel centre is ambiguous
atlas = atlas_at(Qm)
fa_mni = fa_at(Qm)
save(f'{OUT}/done/mni_atlas.nii.gz', atlas, mni_shape, mni_aff, np.uint8)
open(f'{OUT}/done/mni_atlas.nii.txt', 'w').write(''.join(f'{l} {names[l]}\n' for l in sorted(names)))
save(f'{OUT}/done/mni_fa.nii.gz', fa_mni, mni_shape, mni_aff, np.float32)
fa_mni32 = fa_mni.astype(np.float32).astype(float)
ref_json['done'] = {'mni_mean': {str(l): float(fa_mni32[atlas == l].mean()) for l in boxes},
                    'mni_count': {str(l): int((atlas == l).sum()) for l in boxes}}

# native DWI grid: 2.5 x 2.5 x 3 mm, oblique; R maps native points -> MNI points (mode-image MNI -> native)
nat_shape = (34, 40, 32)
nat_aff = rot(0, 6) @ rot(2, 4) @ np.diag([2.5, 2.5, 3.0, 1.0])
nat_aff[:3, 3] = -(nat_aff[:3, :3] @ np.array([16.5, 19.5, 15.5])) + [2.0, -8.0, 12.0]
R = translate([4.0, -6.0, 3.0]) @ rot(0, 12) @ rot(2, -7) @ np.diag([1.08, 1.04, 1.1, 1.0])
Qn = world(nat_shape, nat_aff)
Rc = np.array([1.5, 2.0, -4.0])
write_itk_txt(f'{OUT}/done/mni2native.txt', [(itk_params(R, Rc), Rc)])
write_ants_mat(f'{OUT}/done/mni2native.mat', itk_params(R, Rc), Rc)
save(f'{OUT}/done/native_fa_affine.nii.gz', fa_at(R @ Qn), nat_shape, nat_aff, np.float32)
# with a warp too (as in fMRIPrep's .h5): field on the native grid, applied first
dn = np.vstack([1.8 * np.sin(2 * np.pi * Qn[2] / 60), 1.2 * np.sin(2 * np.pi * Qn[0] / 45),
                1.5 * np.cos(2 * np.pi * Qn[1] / 70)])
fixed, params = field_fixed_and_params(nat_shape, nat_aff, dn)
write_h5(f'{OUT}/done/mni2native.h5', [('affine', itk_params(R, Rc), Rc), ('field', fixed, params)], gzip=True, vlen=True)
Qnw = Qn.copy()
Qnw[:3] += dn
save(f'{OUT}/done/native_fa_warp.nii.gz', fa_at(R @ Qnw), nat_shape, nat_aff, np.float32)
ref_json['done']['native_to_mni_ras'] = R.tolist()
ref_json['done']['native_count_affine'] = {str(l): int((atlas_at(R @ Qn) == l).sum()) for l in boxes}

with open(f'{OUT}/reference.json', 'w') as f:
    json.dump(ref_json, f, indent=1)
print('wrote', OUT)
