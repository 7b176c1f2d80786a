#!/usr/bin/python3
"""Oracle: ketaprint's NIfTI reader and writer against live nibabel (run by nifti_conformance.sh).

1. `ketaprint info --json --stats` on nibabel's test images, the mricron templates and test-data/nifti: shape, datatype, zooms,
   affine (1e-6), TR, NIfTI version, min/max/mean/sum of finite get_fdata() values.
2. Round trip: `ketaprint convert IN OUT --datatype T` for every writer type, .nii and .nii.gz; nibabel
   reads OUT: data equal to nibabel's get_fdata(IN) converted to T (round half to even, clamp, NaN -> 0),
   same affine, same sform/qform codes and matrices (to float32 precision).
3. MGH/MGZ (nibabel's test.mgz, test-data/structural): `info` as nibabel's MGHImage (zooms with the TR in ms for
   4D, as get_zooms), and `convert` to NIfTI-1: nibabel reads the MGH's affine as sform and qform (code 1), its
   data, voxel sizes and the TR in seconds.
"""
import glob
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import nibabel as nib

KP = os.environ.get('KETAPRINT', 'bin/ketaprint')
NIB_DATA = os.path.join(os.path.dirname(nib.__file__), 'tests', 'data')
failures = []
checks = 0


def check(ok, what):
    global checks
    checks += 1
    if not ok:
        failures.append(what)
        print('FAIL', what)


def close(a, b, rtol=1e-9, atol=1e-9):
    if a is None or b is None:
        return a is None and b is None
    return bool(np.allclose(np.asarray(a, float), np.asarray(b, float), rtol=rtol, atol=atol))


def inputs():
    names = ['example4d.nii.gz', 'anatomical.nii', 'functional.nii', 'standard.nii.gz',
             'example_nifti2.nii.gz', 'reoriented_anat_moved.nii', 'resampled_anat_moved.nii']
    files = [os.path.join(NIB_DATA, n) for n in names]
    for h in sorted(glob.glob(os.path.join(NIB_DATA, '*.hdr'))):
        if os.path.exists(h[:-4] + '.img'):
            files.append(h)
    # real atlases and templates (mricron-data), when installed
    files += sorted(glob.glob('/usr/share/mricron/templates/*.nii.gz'))
    own = sorted(glob.glob('test-data/nifti/*.nii*') + glob.glob('test-data/nifti/*.hdr*'))
    return files + own


def tr_seconds(img):
    if len(img.shape) < 4:
        return None
    z = float(img.header.get_zooms()[3])
    if not isinstance(img.header, nib.Nifti1Header):
        return z
    return z * {'msec': 1e-3, 'usec': 1e-6}.get(img.header.get_xyzt_units()[1], 1.0)


def version(img):
    if isinstance(img, (nib.Nifti2Image, nib.Nifti2Pair)):
        return 2
    return 1 if isinstance(img, (nib.Nifti1Image, nib.Nifti1Pair)) else 0


def info(files):
    out = subprocess.run([KP, 'info', '--json', '--stats'] + files, capture_output=True, text=True)
    if out.returncode != 0:
        print(out.stderr, file=sys.stderr)
    check(out.returncode == 0, f'info exit code {out.returncode}')
    recs = json.loads(out.stdout)
    return {r['file']: r for r in (recs if isinstance(recs, list) else [recs])}


def compare_info(files):
    got = info(files)
    for f in files:
        name = os.path.basename(f)
        r = got.get(f)
        check(r is not None, f'{name}: no info record')
        if r is None:
            continue
        img = nib.load(f)
        d = img.get_fdata()
        fin = np.isfinite(d)
        check(r['shape'] == list(img.shape), f'{name}: shape {r["shape"]} vs nibabel {list(img.shape)}')
        check(r['datatype'] == img.get_data_dtype().name, f'{name}: datatype {r["datatype"]} vs {img.get_data_dtype().name}')
        check(close(r['zooms'], img.header.get_zooms(), 1e-7, 0), f'{name}: zooms {r["zooms"]} vs {img.header.get_zooms()}')
        check(close(r['affine'], img.affine, 0, 1e-6), f'{name}: affine\n{np.array(r["affine"])}\nvs nibabel\n{img.affine}')
        check(close(r['tr'], tr_seconds(img), 1e-7, 0), f'{name}: tr {r["tr"]} vs {tr_seconds(img)}')
        check(r['nifti_version'] == version(img), f'{name}: nifti_version {r["nifti_version"]} vs {version(img)}')
        if fin.any():
            for k, v in [('min', d[fin].min()), ('max', d[fin].max()), ('mean', d[fin].mean()), ('sum', d[fin].sum())]:
                check(close(r[k], v, 1e-9, 1e-9), f'{name}: {k} {r[k]} vs nibabel {v}')
        check(r['nonfinite'] == int((~fin).sum()), f'{name}: nonfinite {r["nonfinite"]} vs {int((~fin).sum())}')
        print(f'ok   info {name}: shape {list(img.shape)} {img.get_data_dtype().name} v{version(img)}'
              if not failures or failures[-1].split(':')[0] != name else f'bad  info {name}')


def convert_expected(d, t):
    if t in ('float32', 'float64'):
        return d.astype(t).astype(float)
    info = np.iinfo(t)
    x = np.where(np.isnan(d), 0, d)
    return np.clip(np.rint(x), info.min, info.max)


def roundtrip(files, tmp):
    types = ['uint8', 'int16', 'int32', 'float32', 'float64']
    for f in files:
        name = os.path.basename(f)
        src = nib.load(f)
        d = src.get_fdata()
        sh, qh = src.header, src.header
        v = version(src)
        for t in types:
            for ext in ('.nii', '.nii.gz'):
                out = os.path.join(tmp, f'rt_{t}{ext}')
                p = subprocess.run([KP, 'convert', f, out, '--datatype', t], capture_output=True, text=True)
                check(p.returncode == 0, f'{name} -> {t}{ext}: exit {p.returncode} {p.stderr.strip()}')
                if p.returncode:
                    continue
                o = nib.load(out)
                bad0 = len(failures)
                check(isinstance(o, nib.Nifti1Image), f'{name} -> {t}{ext}: not NIfTI-1 ({type(o).__name__})')
                check(o.get_data_dtype().name == t, f'{name} -> {t}{ext}: datatype {o.get_data_dtype().name}')
                check(o.shape == src.shape, f'{name} -> {t}{ext}: shape {o.shape} vs {src.shape}')
                want = convert_expected(d, t)
                got = o.get_fdata()
                check(np.array_equal(got, want, equal_nan=True),
                      f'{name} -> {t}{ext}: data differ in {int((got != want).sum())} voxels')
                scale = max(1.0, np.abs(src.affine).max())
                check(close(o.affine, src.affine, 0, 2e-7 * scale * 4), f'{name} -> {t}{ext}: affine\n{o.affine}\nvs\n{src.affine}')
                check(close(o.header.get_zooms(), src.header.get_zooms(), 1e-7, 0),
                      f'{name} -> {t}{ext}: zooms {o.header.get_zooms()} vs {src.header.get_zooms()}')
                if len(src.shape) > 3:
                    check(close(tr_seconds(o), tr_seconds(src), 1e-7, 0), f'{name} -> {t}{ext}: TR {tr_seconds(o)} vs {tr_seconds(src)}')
                if v:
                    sform, scode = src.header.get_sform(coded=True)
                    qform, qcode = src.header.get_qform(coded=True)
                    osf, osc = o.header.get_sform(coded=True)
                    oqf, oqc = o.header.get_qform(coded=True)
                    check(int(osc) == int(scode) and int(oqc) == int(qcode),
                          f'{name} -> {t}{ext}: codes sform {osc} qform {oqc} vs {scode} {qcode}')
                    if scode:
                        check(close(osf, sform, 0, 2e-7 * scale * 4), f'{name} -> {t}{ext}: sform differs')
                    if qcode:
                        check(close(oqf, qform, 0, 2e-7 * scale * 4), f'{name} -> {t}{ext}: qform differs')
                else:
                    check(int(o.header['sform_code']) > 0, f'{name} -> {t}{ext}: Analyze source lost its affine')
                if len(failures) == bad0:
                    print(f'ok   convert {name} -> {t}{ext}')


def mgh(tmp):
    files = [os.path.join(NIB_DATA, 'test.mgz')] + sorted(glob.glob('test-data/structural/*.mg[hz]'))
    got = info(files)
    for f in files:
        name = os.path.basename(f)
        r = got.get(f)
        check(r is not None, f'{name}: no info record')
        if r is None:
            continue
        img = nib.load(f)
        d = img.get_fdata()
        bad0 = len(failures)
        check(r['format'] == 'MGH', f'{name}: format {r["format"]}')
        check(r['shape'] == list(img.shape), f'{name}: shape {r["shape"]} vs nibabel {list(img.shape)}')
        check(r['datatype'] == img.get_data_dtype().name, f'{name}: datatype {r["datatype"]} vs {img.get_data_dtype().name}')
        check(close(r['zooms'], img.header.get_zooms(), 1e-7, 0), f'{name}: zooms {r["zooms"]} vs {img.header.get_zooms()}')
        check(close(r['affine'], img.affine, 0, 1e-5), f'{name}: affine\n{np.array(r["affine"])}\nvs nibabel\n{img.affine}')
        tr = float(img.header['tr']) / 1000 if len(img.shape) > 3 and img.header['tr'] > 0 else None
        check(close(r['tr'], tr, 1e-7, 0), f'{name}: tr {r["tr"]} vs {tr}')
        check(close(r['sum'], d.sum(), 1e-9, 1e-9), f'{name}: sum {r["sum"]} vs {d.sum()}')
        for t in ('float32', 'int16'):
            out = os.path.join(tmp, f'mgh_{t}.nii.gz')
            p = subprocess.run([KP, 'convert', f, out, '--datatype', t], capture_output=True, text=True)
            check(p.returncode == 0, f'{name} -> {t}: exit {p.returncode} {p.stderr.strip()}')
            if p.returncode:
                continue
            o = nib.load(out)
            check(o.shape == img.shape, f'{name} -> {t}: shape {o.shape} vs {img.shape}')
            check(np.array_equal(o.get_fdata(), convert_expected(d, t)), f'{name} -> {t}: data differ')
            # a shearing affine (nibabel's test.mgz) has no qform: code 0 then
            m = img.affine[:3, :3]
            sizes = np.sqrt((m ** 2).sum(axis=0))
            gram = (m / sizes).T @ (m / sizes)
            orthogonal = bool(np.allclose(gram, np.eye(3), atol=1e-6))
            check(int(o.header['sform_code']) == 1 and int(o.header['qform_code']) == (1 if orthogonal else 0),
                  f'{name} -> {t}: codes {o.header["sform_code"]} {o.header["qform_code"]}')
            check(close(o.header.get_sform(), img.affine, 0, 1e-5), f'{name} -> {t}: sform\n{o.header.get_sform()}\nvs\n{img.affine}')
            if orthogonal:
                check(close(o.header.get_qform(), img.affine, 0, 1e-3), f'{name} -> {t}: qform\n{o.header.get_qform()}\nvs\n{img.affine}')
            # pixdim: the affine's voxel sizes (the MGH delta, unless its direction cosines are not unit vectors)
            check(close(o.header.get_zooms()[:3], sizes, 1e-6, 0), f'{name} -> {t}: zooms {o.header.get_zooms()} vs {sizes}')
            if tr is not None:
                check(close(tr_seconds(o), tr, 1e-7, 0), f'{name} -> {t}: TR {tr_seconds(o)} vs {tr}')
        if len(failures) == bad0:
            print(f'ok   MGH info and convert {name}')


def main():
    files = inputs()
    print(f'checking {len(files)} images against nibabel {nib.__version__}')
    compare_info(files)
    rt = [f for f in files if os.path.basename(f) in (
        'example4d.nii.gz', 'anatomical.nii', 'example_nifti2.nii.gz', 'standard.nii.gz')]
    # a cross-section of the edge cases (all of them x 10 outputs would be ~500 JVM runs)
    picks = ['scaled_int16.nii', 'scaled_int16_be.nii', 'qform_only.nii', 'sform_qform_disagree.nii',
             'no_xform.nii', 'bad_sform_code.nii', 'pixdim_fix.nii', 'nan_inf_float32.nii', 'dtype_uint32.nii',
             'dtype_int64.nii', 'fmri_4d_tr_ms.nii', 'fmri_4d_tr_us.nii', 'five_d.nii', 'pair_nifti1_gz.hdr.gz',
             'nifti2_pair.hdr', 'nifti2_be_gz.nii.gz', 'analyze_spm_origin.hdr', 'analyze_4d_uint8.hdr']
    rt += [f for f in files if os.path.basename(f) in picks]
    with tempfile.TemporaryDirectory() as tmp:
        roundtrip(rt, tmp)
        mgh(tmp)
    print(f'{checks} checks, {len(failures)} failures')
    sys.exit(1 if failures else 0)


if __name__ == '__main__':
    main()
