#!/usr/bin/env bash
# Oracle: `ketaprint apply-transform` and `transform-point` against nibabel + numpy + scipy, live.
# Random oblique/anisotropic grids and affines written as ITK .txt, ANTs .mat (scipy.io.savemat v4) and
# FSL FLIRT .mat; warps as ITK displacement-field NIfTI and as fMRIPrep-layout .h5 composites (h5py),
# on a field grid coarser than the reference; the real AAL and JHU atlases (mricron-data) resampled to
# oblique native grids; JHU cingulum FA through an MNI->native transform. References: nearest = numpy
# rounding (half up), linear = scipy.ndimage.map_coordinates(order=1) with ITK's inside rule.
# Run from the repo root after `mvn -B package -DskipTests`. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
PY=/usr/bin/python3
T=/usr/share/mricron/templates
for f in "$T/aal.nii.gz" "$T/JHU-WhiteMatter-labels-2mm.nii.gz"; do
  [ -f "$f" ] || { echo "FAIL: missing $f (install mricron-data)"; exit 1; }
done
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
$PY - "$tmp" "$T" <<'PYEOF'
import subprocess, sys
import h5py, nibabel as nib, numpy as np, scipy.io
from scipy.ndimage import map_coordinates

tmp, T = sys.argv[1], sys.argv[2]
F = np.diag([-1.0, -1.0, 1.0, 1.0])
fails = 0


def check(ok, what):
    global fails
    print(('ok    ' if ok else 'FAIL  ') + what)
    if not ok:
        fails += 1


def ketaprint(*args):
    r = subprocess.run(['bin/ketaprint', *args], capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit(f'FAIL: ketaprint {" ".join(args)}: {r.stderr.strip()}')
    return r.stdout


def rand_rot(rng, deg):
    a = np.deg2rad(rng.uniform(-deg, deg, 3))
    cx, sx, cy, sy, cz, sz = np.cos(a[0]), np.sin(a[0]), np.cos(a[1]), np.sin(a[1]), np.cos(a[2]), np.sin(a[2])
    rx = np.array([[1, 0, 0], [0, cx, -sx], [0, sx, cx]])
    ry = np.array([[cy, 0, sy], [0, 1, 0], [-sy, 0, cy]])
    rz = np.array([[cz, -sz, 0], [sz, cz, 0], [0, 0, 1]])
    return rx @ ry @ rz


def grid(rng, shape, zooms, deg, flip=False, centre=(0, 0, 0)):
    a = np.eye(4)
    a[:3, :3] = rand_rot(rng, deg) @ np.diag(zooms)
    if flip:
        a[:3, 0] *= -1
    a[:3, 3] = np.asarray(centre) - a[:3, :3] @ ((np.asarray(shape) - 1) / 2)
    return a


def world(shape, aff):
    ijk = np.stack(np.meshgrid(*[np.arange(n) for n in shape], indexing='ij'), 0).reshape(3, -1, order='F')
    return aff @ np.vstack([ijk, np.ones((1, ijk.shape[1]))])


def sample(q, img_aff, data):
    """nearest (with tie mask) and trilinear at world points q (4, N)."""
    c = (np.linalg.inv(img_aff) @ q)[:3]
    n = np.array(data.shape[:3])[:, None]
    r = np.floor(c + 0.5)
    inside = np.all((r >= 0) & (r < n), 0)
    nn = np.zeros(c.shape[1])
    ri = r[:, inside].astype(int)
    nn[inside] = data[ri[0], ri[1], ri[2]]
    tie = np.any(np.abs(c - np.floor(c) - 0.5) < 1e-5, 0)
    lin = map_coordinates(data.astype(float), c, order=1, mode='nearest')
    lin[~np.all((c >= -0.5) & (c <= n - 0.5), 0)] = 0
    return nn, lin, tie


def itk_params(Tras, c):
    Tl = F @ Tras @ F
    return np.concatenate([Tl[:3, :3].ravel(), Tl[:3, 3] - c + Tl[:3, :3] @ c])


def write_txt(path, Tras, c):
    p = itk_params(Tras, c)
    open(path, 'w').write('#Insight Transform File V1.0\n#Transform 0\nTransform: AffineTransform_double_3_3\n'
                          'Parameters: ' + ' '.join(repr(float(x)) for x in p) + '\nFixedParameters: '
                          + ' '.join(repr(float(x)) for x in c) + '\n')


def write_mat(path, Tras, c):
    scipy.io.savemat(path, {'AffineTransform_double_3_3': itk_params(Tras, c).reshape(12, 1),
                            'fixed': c.reshape(3, 1)}, format='4')


def fslvox(shape, aff):
    z = np.sqrt((aff[:3, :3] ** 2).sum(0))
    v = np.diag([*z, 1.0])
    if np.linalg.det(aff[:3, :3]) > 0:
        v[0, 0], v[0, 3] = -z[0], (shape[0] - 1) * z[0]
    return v


def write_flirt(path, Tras, rshape, raff, mshape, maff):
    m = np.linalg.inv(fslvox(mshape, maff) @ np.linalg.inv(maff) @ Tras @ raff @ np.linalg.inv(fslvox(rshape, raff)))
    np.savetxt(path, m, fmt='%.12f')


def write_field_nii(path, shape, aff, d_ras):
    data = np.zeros(tuple(shape) + (1, 3), np.float32)
    for k, s in enumerate([-1, -1, 1]):
        data[..., 0, k] = s * d_ras[k].reshape(shape, order='F')
    img = nib.Nifti1Image(data, aff)
    img.header.set_intent('vector')
    nib.save(img, path)


def write_h5(path, Tras, c, shape, aff, d_ras):
    zooms = np.sqrt((aff[:3, :3] ** 2).sum(0))
    fixed = np.concatenate([np.asarray(shape, float), (F @ aff)[:3, 3], zooms, ((F @ aff)[:3, :3] / zooms).ravel()])
    params = (d_ras * np.array([-1.0, -1.0, 1.0])[:, None]).T.ravel()
    with h5py.File(path, 'w') as f:
        g = f.create_group('TransformGroup')
        g.create_group('0').create_dataset('TransformType', data=['CompositeTransform_double_3_3'], dtype=h5py.string_dtype('ascii'))
        g1 = g.create_group('1')
        g1.create_dataset('TransformType', data=['AffineTransform_double_3_3'], dtype=h5py.string_dtype('ascii'))
        g1.create_dataset('TransformParameters', data=itk_params(Tras, c))
        g1.create_dataset('TransformFixedParameters', data=c)
        g2 = g.create_group('2')
        g2.create_dataset('TransformType', data=['DisplacementFieldTransform_double_3_3'], dtype=h5py.string_dtype('ascii'))
        g2.create_dataset('TransformParameters', data=params, compression='gzip')
        g2.create_dataset('TransformFixedParameters', data=fixed)


def field_at(q, faff, fshape, d_ras):
    """ITK displacement at world points: trilinear, clamped, zero beyond half a voxel."""
    c = (np.linalg.inv(faff) @ q)[:3]
    n = np.array(fshape)[:, None]
    out = np.vstack([map_coordinates(d_ras[k].reshape(fshape, order='F'), c, order=1, mode='nearest') for k in range(3)])
    out[:, ~np.all((c >= -0.5) & (c <= n - 0.5), 0)] = 0
    return out


def compare(tag, out_path, want_nn=None, want_lin=None, tie=None):
    got = np.asanyarray(nib.load(out_path).dataobj).astype(float).ravel(order='F')
    if want_nn is not None:
        keep = ~tie
        bad = int((got[keep] != want_nn[keep]).sum())
        check(bad == 0, f'{tag}: nearest labels equal numpy on {keep.sum()} voxels ({tie.sum()} near-ties skipped), {bad} differ')
    if want_lin is not None:
        d = float(np.max(np.abs(got - want_lin)))
        check(d < 1e-4 * max(1.0, np.abs(want_lin).max()), f'{tag}: trilinear max |diff| vs map_coordinates = {d:.2e}')


rng = np.random.default_rng(20261122)
for case in range(3):
    mshape = tuple(rng.integers(18, 30, 3))
    maff = grid(rng, mshape, rng.uniform(0.8, 3.0, 3), 25, flip=bool(case % 2))
    rshape = tuple(rng.integers(16, 28, 3))
    raff = grid(rng, rshape, rng.uniform(0.8, 3.0, 3), 30, flip=not bool(case % 2), centre=rng.uniform(-3, 3, 3))
    Pm = world(mshape, maff)
    labels = (1 + (np.floor(Pm[0] / 6) + 3 * np.floor(Pm[1] / 7) + 5 * np.floor(Pm[2] / 5)) % 11).reshape(mshape, order='F')
    cont = (np.sin(Pm[0] / 6) * np.cos(Pm[1] / 8) + Pm[2] / 20).reshape(mshape, order='F').astype(np.float32)
    nib.save(nib.Nifti1Image(labels.astype(np.int16), maff), f'{tmp}/lab{case}.nii.gz')
    nib.save(nib.Nifti1Image(cont, maff), f'{tmp}/map{case}.nii.gz')
    nib.save(nib.Nifti1Image(np.zeros(rshape, np.uint8), raff), f'{tmp}/ref{case}.nii.gz')
    Tr = np.eye(4)
    Tr[:3, :3] = rand_rot(rng, 15) @ np.diag(rng.uniform(0.9, 1.1, 3))
    Tr[:3, 3] = rng.uniform(-5, 5, 3)
    c = rng.uniform(-10, 10, 3)
    write_txt(f'{tmp}/a{case}.txt', Tr, c)
    write_mat(f'{tmp}/a{case}.mat', Tr, c)
    write_flirt(f'{tmp}/f{case}.mat', Tr, rshape, raff, mshape, maff)
    Q = world(rshape, raff)
    nn, lin, tie = sample(Tr @ Q, maff, labels)
    _, lin, _ = sample(Tr @ Q, maff, cont.astype(float))
    for x in (f'a{case}.txt', f'a{case}.mat', f'f{case}.mat'):
        ketaprint('apply-transform', f'{tmp}/lab{case}.nii.gz', '-r', f'{tmp}/ref{case}.nii.gz', '-t', f'{tmp}/{x}',
                  '-n', 'nearest', '-o', f'{tmp}/o.nii.gz')
        compare(f'case {case} affine {x} {mshape}->{rshape}', f'{tmp}/o.nii.gz', want_nn=nn, tie=tie)
        ketaprint('apply-transform', f'{tmp}/map{case}.nii.gz', '-r', f'{tmp}/ref{case}.nii.gz', '-t', f'{tmp}/{x}',
                  '-o', f'{tmp}/o.nii.gz')
        compare(f'case {case} affine {x}', f'{tmp}/o.nii.gz', want_lin=lin)
    # warp on a coarser, differently oriented field grid; composite [affine, warp] and the field alone
    fshape = tuple(rng.integers(8, 14, 3))
    faff = grid(rng, fshape, rng.uniform(3.0, 5.0, 3), 20)
    Pf = world(fshape, faff)
    d = np.vstack([3 * np.sin(Pf[1] / 9), 2 * np.cos(Pf[2] / 7), 2.5 * np.sin(Pf[0] / 11)])
    write_field_nii(f'{tmp}/w{case}.nii.gz', fshape, faff, d)
    d32 = np.asanyarray(nib.load(f'{tmp}/w{case}.nii.gz').dataobj)[..., 0, :].reshape(-1, 3, order='F').T.astype(float)
    d32[:2] *= -1
    write_h5(f'{tmp}/c{case}.h5', Tr, c, fshape, faff, d)
    Qw = Q.copy()
    Qw[:3] += field_at(Q, faff, fshape, d32)
    nn, _, tie = sample(Qw, maff, labels)
    _, lin, _ = sample(Qw, maff, cont.astype(float))
    ketaprint('apply-transform', f'{tmp}/lab{case}.nii.gz', '-r', f'{tmp}/ref{case}.nii.gz', '-t', f'{tmp}/w{case}.nii.gz',
              '-n', 'nearest', '-o', f'{tmp}/o.nii.gz')
    compare(f'case {case} displacement field {fshape}', f'{tmp}/o.nii.gz', want_nn=nn, tie=tie)
    ketaprint('apply-transform', f'{tmp}/map{case}.nii.gz', '-r', f'{tmp}/ref{case}.nii.gz', '-t', f'{tmp}/w{case}.nii.gz',
              '-o', f'{tmp}/o.nii.gz')
    compare(f'case {case} displacement field', f'{tmp}/o.nii.gz', want_lin=lin)
    Qc = Q.copy()
    Qc[:3] += field_at(Q, faff, fshape, d)
    nn, _, tie = sample(Tr @ Qc, maff, labels)
    _, lin, _ = sample(Tr @ Qc, maff, cont.astype(float))
    ketaprint('apply-transform', f'{tmp}/lab{case}.nii.gz', '-r', f'{tmp}/ref{case}.nii.gz', '-t', f'{tmp}/c{case}.h5',
              '-n', 'nearest', '-o', f'{tmp}/o.nii.gz')
    compare(f'case {case} h5 composite (h5py, fMRIPrep layout)', f'{tmp}/o.nii.gz', want_nn=nn, tie=tie)
    ketaprint('apply-transform', f'{tmp}/map{case}.nii.gz', '-r', f'{tmp}/ref{case}.nii.gz', '-t', f'{tmp}/c{case}.h5',
              '-o', f'{tmp}/o.nii.gz')
    compare(f'case {case} h5 composite', f'{tmp}/o.nii.gz', want_lin=lin)
    # a point through the composite (forward) and back (inverse)
    p = np.array([1.5, -2.0, 3.0, 1.0])[:, None]
    pc = p.copy()
    pc[:3] += field_at(p, faff, fshape, d)
    want = (Tr @ pc)[:3, 0]
    got = np.array(ketaprint('transform-point', *map(str, p[:3, 0]), '-t', f'{tmp}/c{case}.h5', '--forward').split(), float)
    check(np.abs(got - want).max() < 1e-5, f'case {case} point forward through h5: |diff| {np.abs(got - want).max():.1e}')
    back = np.array(ketaprint('transform-point', *map(str, want), '-t', f'{tmp}/c{case}.h5').split(), float)
    check(np.abs(back - p[:3, 0]).max() < 1e-5, f'case {case} point inverse through h5: |diff| {np.abs(back - p[:3, 0]).max():.1e}')

# real atlases: AAL (1 mm) onto an oblique 2.7 x 3.1 x 3.4 mm native grid; JHU (2 mm) likewise
for name, shape in (('aal', (60, 72, 52)), ('JHU-WhiteMatter-labels-2mm', (64, 70, 50))):
    atl = nib.load(f'{T}/{name}.nii.gz')
    data = np.asanyarray(atl.dataobj)
    raff = grid(rng, shape, [2.7, 3.1, 3.4], 20, centre=[0, -18, 8])
    nib.save(nib.Nifti1Image(np.zeros(shape, np.uint8), raff), f'{tmp}/native.nii.gz')
    R = np.eye(4)
    R[:3, :3] = rand_rot(rng, 10) @ np.diag([1.06, 1.02, 1.09])
    R[:3, 3] = [3, -5, 4]
    c = np.zeros(3)
    write_txt(f'{tmp}/r.txt', R, c)
    nn, _, tie = sample(R @ world(shape, raff), atl.affine, data)
    ketaprint('apply-transform', f'{T}/{name}.nii.gz', '-r', f'{tmp}/native.nii.gz', '-t', f'{tmp}/r.txt',
              '-n', 'nearest', '-o', f'{tmp}/{name}_native.nii.gz')
    compare(f'{name} -> oblique native grid', f'{tmp}/{name}_native.nii.gz', want_nn=nn, tie=tie)
    if name.startswith('JHU'):
        # cingulum FA: a smooth FA field in MNI space, sampled on the native grid through R
        def fa(q):
            return 0.35 + 0.002 * q[1] + 0.0015 * q[2] + 0.03 * np.sin(q[0] / 9)
        mni_fa = fa(world(data.shape, atl.affine))
        nat_fa = fa(R @ world(shape, raff))
        got = np.asanyarray(nib.load(f'{tmp}/{name}_native.nii.gz').dataobj).ravel(order='F')
        for lab in (35, 36):
            m_mni = mni_fa[data.ravel(order='F') == lab].mean()
            m_nat = nat_fa[got == lab].mean()
            check(abs(m_mni - m_nat) < 0.01, f'JHU label {lab} (cingulum) FA: MNI {m_mni:.4f}, native {m_nat:.4f} '
                  f'({(got == lab).sum()} native voxels)')

print('spaces oracle:', 'all passed' if fails == 0 else f'{fails} FAILED')
sys.exit(1 if fails else 0)
PYEOF
