#!/usr/bin/python3
"""Writes the NIfTI/Analyze edge-case images in test-data/nifti/ and what nibabel reports for them.

Run from the repo root with Debian's python (nibabel 5.0, numpy):  /usr/bin/python3 scripts/make_nifti_testdata.py

Files are written byte by byte from nibabel header objects (binaryblock) plus raw data, so every header
field (slope, codes, pixdim, offsets, byte order) is exactly what we ask for; the reference values are
then what nib.load() reports, never what ketaprint computes.  Bad files (for the error tests) go in
test-data/nifti/bad/ and are listed in reference.json with the problem they must report.
"""
import gzip
import json
import os
import shutil
import struct
import sys

import numpy as np
import nibabel as nib
from nibabel.nifti1 import Nifti1Header, Nifti1PairHeader
from nibabel.nifti2 import Nifti2Header, Nifti2PairHeader
from nibabel.spm2analyze import Spm2AnalyzeHeader

OUT = os.path.join('test-data', 'nifti')
BAD = os.path.join(OUT, 'bad')
rng = np.random.default_rng(20240601)


def rot_affine(zooms, angles, offset, flip_z=False):
    """A rotation-times-zooms affine (qform-representable)."""
    ax, ay, az = angles
    rx = np.array([[1, 0, 0], [0, np.cos(ax), -np.sin(ax)], [0, np.sin(ax), np.cos(ax)]])
    ry = np.array([[np.cos(ay), 0, np.sin(ay)], [0, 1, 0], [-np.sin(ay), 0, np.cos(ay)]])
    rz = np.array([[np.cos(az), -np.sin(az), 0], [np.sin(az), np.cos(az), 0], [0, 0, 1]])
    z = np.array(zooms, float)
    if flip_z:
        z[2] = -z[2]
    a = np.eye(4)
    a[:3, :3] = rx @ ry @ rz @ np.diag(z)
    a[:3, 3] = offset
    return a


def values(dtype, shape):
    """Random values spanning the type, including its extremes."""
    dt = np.dtype(dtype)
    n = int(np.prod(shape))
    if dt.kind == 'f':
        v = rng.normal(100, 400, n).astype(dt)
    else:
        info = np.iinfo(dt)
        lo, hi = max(info.min, -40000), min(info.max, 70000)
        v = rng.integers(lo, hi, n, endpoint=True).astype(dt)
        # the type's extremes; 64-bit ones are kept to +-2**50 so float64 sums of them stay exact
        v[0], v[-1] = max(info.min, -2**50), min(info.max, 2**50)
    return v.reshape(shape, order='F')


def gzopen(path, mode='wb'):
    """gzip with a fixed mtime, so regenerating gives identical bytes."""
    return gzip.GzipFile(path, mode, mtime=0)


def data_bytes(arr, endian):
    return arr.astype(arr.dtype.newbyteorder(endian)).tobytes(order='F')


def write(name, hdr, arr, kind='single', gz=False, ext=b''):
    """kind: single (.nii), pair (.hdr/.img). ext: raw extension bytes after the header (single only)."""
    endian = hdr.endianness
    raw = data_bytes(arr, endian)
    opener = gzopen if gz else open
    suffix = '.gz' if gz else ''
    if kind == 'single':
        hsize = len(hdr.binaryblock)
        off = hsize + 4 + len(ext)
        off = (off + 15) // 16 * 16
        hdr['vox_offset'] = off
        flag = b'\x01\0\0\0' if ext else b'\0\0\0\0'
        blob = hdr.binaryblock + flag + ext
        blob += b'\0' * (off - len(blob))
        path = os.path.join(OUT, name + '.nii' + suffix)
        with opener(path, 'wb') as f:
            f.write(blob + raw)
        return path
    hdr['vox_offset'] = 0
    hpath = os.path.join(OUT, name + '.hdr' + suffix)
    with opener(hpath, 'wb') as f:
        f.write(hdr.binaryblock)
    with opener(os.path.join(OUT, name + '.img' + suffix), 'wb') as f:
        f.write(raw)
    return hpath


def nifti_header(klass, arr, endian='<', affine=None, qcode=1, scode=2, units=('mm', 'sec'), zooms=None):
    hdr = klass(endianness=endian)
    hdr.set_data_dtype(arr.dtype)
    hdr.set_data_shape(arr.shape)
    if affine is None:
        affine = rot_affine((2.0, 2.5, 3.0), (0.1, -0.2, 0.3), (-40.0, 12.5, 7.25))
    if qcode:
        hdr.set_qform(affine, code=qcode)
    else:
        hdr['qform_code'] = 0
    if scode:
        hdr.set_sform(affine, code=scode)
    else:
        hdr['sform_code'] = 0
    if zooms is not None:
        hdr.set_zooms(zooms)
    hdr.set_xyzt_units(*units)
    return hdr


def tr_seconds(img):
    h = img.header
    if len(img.shape) < 4:
        return None
    zt = float(h.get_zooms()[3])
    if not isinstance(h, Nifti1Header):  # Analyze: no units, pixdim[4] as stored
        return zt
    t = h.get_xyzt_units()[1]
    return zt * {'msec': 1e-3, 'usec': 1e-6}.get(t, 1.0)


def num(x):
    x = float(x)
    if np.isnan(x):
        return 'nan'
    if np.isinf(x):
        return 'inf' if x > 0 else '-inf'
    return x


def describe(path, samples):
    img = nib.load(path)
    h = img.header
    data = img.get_fdata()
    fin = np.isfinite(data)
    version = 2 if isinstance(img, (nib.Nifti2Image, nib.Nifti2Pair)) else (
        1 if isinstance(img, (nib.Nifti1Image, nib.Nifti1Pair)) else 0)
    rec = {
        'file': os.path.relpath(path, OUT),
        'nibabel_class': type(img).__name__,
        'shape': [int(s) for s in img.shape],
        'datatype': h.get_data_dtype().name,
        'byteorder': 'big' if h.endianness == '>' else 'little',
        'zooms': [float(z) for z in h.get_zooms()],
        'affine': img.affine.tolist(),
        'tr': tr_seconds(img),
        'nifti_version': version,
        'sform_code': int(h['sform_code']) if version else 0,
        'qform_code': int(h['qform_code']) if version else 0,
        'min': float(data[fin].min()) if fin.any() else None,
        'max': float(data[fin].max()) if fin.any() else None,
        'mean': float(data[fin].mean()) if fin.any() else None,
        'sum': float(data[fin].sum()),
        'nonfinite': int((~fin).sum()),
        'samples': [{'index': list(ix), 'value': num(data[tuple(ix)])} for ix in samples],
    }
    if data.size <= 600:
        rec['data'] = [num(v) for v in data.ravel(order='F')]
    return rec


def corners(shape):
    s = [d - 1 for d in shape]
    mid = [d // 2 for d in shape]
    return [[0] * len(shape), s, mid, [s[0]] + [0] * (len(shape) - 1)]


def main():
    if os.path.isdir(OUT):
        shutil.rmtree(OUT)
    os.makedirs(BAD)
    made = []  # (path, samples)

    def add(path, shape, extra=()):
        made.append((path, corners(shape) + [list(e) for e in extra]))

    shape = (5, 4, 3)
    # every readable datatype, little-endian .nii
    for dt in ['uint8', 'int8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64', 'float32', 'float64']:
        arr = values(dt, shape)
        add(write('dtype_' + dt, nifti_header(Nifti1Header, arr), arr), shape)
    # big-endian
    for dt in ['int16', 'float32', 'float64', 'uint16']:
        arr = values(dt, shape)
        add(write('bigendian_' + dt, nifti_header(Nifti1Header, arr, endian='>'), arr), shape)
    # scaled int16 (slope/inter), big-endian scaled, slope 0, slope NaN
    arr = values('int16', shape)
    h = nifti_header(Nifti1Header, arr)
    h['scl_slope'], h['scl_inter'] = 0.25, -12.5
    add(write('scaled_int16', h, arr), shape)
    h = nifti_header(Nifti1Header, arr, endian='>')
    h['scl_slope'], h['scl_inter'] = -1.5, 1000.0
    add(write('scaled_int16_be', h, arr), shape)
    u8 = values('uint8', shape)
    h = nifti_header(Nifti1Header, u8)
    h['scl_slope'], h['scl_inter'] = 0.003921569, 0.0
    add(write('scaled_uint8', h, u8), shape)
    h = nifti_header(Nifti1Header, arr)
    h['scl_slope'], h['scl_inter'] = 0.0, 55.0
    add(write('slope_zero', h, arr), shape)
    h = nifti_header(Nifti1Header, arr)
    h['scl_slope'], h['scl_inter'] = np.nan, 3.0
    add(write('slope_nan', h, arr), shape)
    # geometry: qform only (with qfac -1), sform/qform disagreeing, neither, invalid sform code
    f32 = values('float32', shape)
    qa = rot_affine((1.5, 1.5, 2.0), (0.05, 0.4, -0.7), (90.0, -126.0, -72.0), flip_z=True)
    add(write('qform_only', nifti_header(Nifti1Header, f32, affine=qa, qcode=1, scode=0), f32), shape)
    h = nifti_header(Nifti1Header, f32, affine=qa, qcode=1, scode=0)
    sa = np.array([[-2.0, 0.1, 0.2, 80.0], [0.05, 2.2, -0.3, -110.0], [0.0, 0.25, 2.4, -60.0], [0, 0, 0, 1]])
    h.set_sform(sa, code=4)
    add(write('sform_qform_disagree', h, f32), shape)
    h = nifti_header(Nifti1Header, f32, qcode=0, scode=0, zooms=(3.0, 2.0, 1.25))
    add(write('no_xform', h, f32), shape)
    h = nifti_header(Nifti1Header, f32, affine=qa, qcode=1, scode=0)
    h.set_sform(sa, code=2)
    h['sform_code'] = 9  # invalid: nibabel resets it to 0 and uses the qform
    add(write('bad_sform_code', h, f32), shape)
    # pixdim fixes: negative / zero zooms, qfac 0
    h = nifti_header(Nifti1Header, f32, qcode=1, scode=0)
    h['pixdim'][1:4] = [-2.0, 0.0, 3.0]
    h['pixdim'][0] = 0
    add(write('pixdim_fix', h, f32), shape)
    # an extension between header and data (vox_offset > 352)
    content = b'ketaprint test extension'
    esize = (8 + len(content) + 15) // 16 * 16
    ext = struct.pack('<ii', esize, 6) + content + b'\0' * (esize - 8 - len(content))
    arr = values('int16', shape)
    add(write('with_extension', nifti_header(Nifti1Header, arr), arr, ext=ext), shape)
    # compressed single file, pairs, compressed pairs (NIfTI-1)
    arr = values('int16', shape)
    add(write('gz_int16', nifti_header(Nifti1Header, arr), arr, gz=True), shape)
    arr = values('float32', shape)
    add(write('pair_nifti1', nifti_header(Nifti1PairHeader, arr), arr, kind='pair'), shape)
    arr = values('int16', shape)
    h = nifti_header(Nifti1PairHeader, arr, endian='>')
    h['scl_slope'], h['scl_inter'] = 2.0, 1.0
    add(write('pair_nifti1_gz', h, arr, kind='pair', gz=True), shape)
    # NIfTI-2 single, single big-endian gz, pair
    arr = values('float64', shape)
    add(write('nifti2_single', nifti_header(Nifti2Header, arr), arr), shape)
    arr = values('int32', shape)
    add(write('nifti2_be_gz', nifti_header(Nifti2Header, arr, endian='>'), arr, gz=True), shape)
    arr = values('int16', shape)
    h = nifti_header(Nifti2PairHeader, arr, affine=qa, qcode=2, scode=0)
    h['scl_slope'], h['scl_inter'] = 0.5, -3.0
    add(write('nifti2_pair', h, arr, kind='pair'), shape)
    # 4D with TR in ms (and gz), 4D in us, 5D, 7D, 2D
    s4 = (4, 3, 2, 6)
    arr = values('float32', s4)
    h = nifti_header(Nifti1Header, arr, units=('mm', 'msec'), zooms=(3.0, 3.0, 3.5, 2500.0))
    add(write('fmri_4d_tr_ms', h, arr), s4, [(1, 2, 1, 4), (3, 0, 1, 5)])
    arr = values('int16', s4)
    h = nifti_header(Nifti1Header, arr, units=('mm', 'msec'), zooms=(3.0, 3.0, 3.5, 800.0))
    h['scl_slope'], h['scl_inter'] = 0.1, 5.0
    add(write('fmri_4d_scaled_gz', h, arr, gz=True), s4, [(2, 1, 0, 3)])
    arr = values('float32', s4)
    h = nifti_header(Nifti1Header, arr, units=('mm', 'usec'), zooms=(2.0, 2.0, 2.0, 1.5e6))
    add(write('fmri_4d_tr_us', h, arr), s4, [(0, 2, 1, 2)])
    s5 = (3, 3, 2, 2, 3)
    arr = values('float32', s5)
    h = nifti_header(Nifti1Header, arr, zooms=(2.0, 2.0, 2.0, 1.0, 1.0))
    add(write('five_d', h, arr), s5, [(1, 2, 1, 1, 2), (2, 0, 1, 0, 1)])
    s7 = (2, 2, 2, 2, 1, 2, 2)
    arr = values('int16', s7)
    add(write('seven_d', nifti_header(Nifti1Header, arr), arr), s7, [(1, 0, 1, 1, 0, 1, 1)])
    s1 = (7,)
    arr = values('float64', s1)
    add(write('one_d', nifti_header(Nifti1Header, arr), arr), s1)
    s2 = (6, 5)
    arr = values('float32', s2)
    add(write('two_d', nifti_header(Nifti1Header, arr), arr), s2)
    # NaN / Inf in float data
    arr = values('float32', shape)
    flat = arr.reshape(-1, order='F')
    flat[[3, 17]] = np.nan
    flat[[8]] = np.inf
    flat[[40]] = -np.inf
    arr = flat.reshape(shape, order='F')
    add(write('nan_inf_float32', nifti_header(Nifti1Header, arr), arr), shape, [(3, 0, 0), (2, 3, 0)])
    arr64 = arr.astype('float64')
    add(write('nan_inf_float64_be', nifti_header(Nifti1Header, arr64, endian='>'), arr64), shape)
    # Analyze 7.5 pairs (read as SPM2): SPM origin, no origin, scale factor, big-endian, gz, glmin/cal scaling
    arr = values('int16', shape)

    def analyze(arr, endian='<', zooms=(2.0, 3.0, 4.0)):
        h = Spm2AnalyzeHeader(endianness=endian)
        h.set_data_dtype(arr.dtype)
        h.set_data_shape(arr.shape)
        h.set_zooms(zooms[:len(arr.shape)] if len(arr.shape) <= 3 else zooms + (1.0,) * (len(arr.shape) - 3))
        return h

    h = analyze(arr)
    h['origin'][:3] = [3, 2, 2]
    add(write('analyze_spm_origin', h, arr, kind='pair'), shape)
    add(write('analyze_center', analyze(arr), arr, kind='pair'), shape)
    h = analyze(arr)
    h['origin'][:3] = [40, 2, 2]  # outside the image: centre is used
    add(write('analyze_origin_out_of_range', h, arr, kind='pair'), shape)
    h = analyze(arr, endian='>')
    h['origin'][:3] = [1, 1, 1]
    h['scl_slope'] = 0.5
    add(write('analyze_scaled_be', h, arr, kind='pair'), shape)
    h = analyze(arr)
    h['scl_slope'] = 0
    h['glmin'], h['glmax'], h['cal_min'], h['cal_max'] = 0, 1000, 0.0, 10.0
    add(write('analyze_cal_scaling_gz', h, arr, kind='pair', gz=True), shape)
    u8 = values('uint8', s4)
    h = analyze(u8)
    h['pixdim'][4] = 2.0
    add(write('analyze_4d_uint8', h, u8, kind='pair'), s4, [(3, 2, 1, 5)])

    records = {}
    for path, samples in made:
        rec = describe(path, samples)
        records[os.path.splitext(rec['file'].replace('.gz', ''))[0]] = rec
    # sanity: the byte order we asked for is the one nibabel sees
    assert records['bigendian_int16']['byteorder'] == 'big'
    assert records['pair_nifti1']['nibabel_class'] == 'Nifti1Pair'
    assert records['analyze_spm_origin']['nibabel_class'] == 'Spm2AnalyzeImage'
    assert records['nifti2_pair']['nibabel_class'] == 'Nifti2Pair'

    bad = make_bad()
    with open(os.path.join(OUT, 'reference.json'), 'w') as f:
        json.dump({'generator': 'scripts/make_nifti_testdata.py', 'nibabel': nib.__version__,
                   'images': records, 'bad': bad}, f, indent=1)
    total = sum(os.path.getsize(os.path.join(d, n)) for d, _, fs in os.walk(OUT) for n in fs)
    print(f'{len(records)} images, {len(bad)} bad files, {total} bytes in {OUT}', file=sys.stderr)


def make_bad():
    """Broken files and the words the one-line error must contain."""
    bad = []
    shape = (4, 3, 2)
    arr = values('int16', shape)
    good = os.path.join(BAD, 'good.nii')
    hdr = nifti_header(Nifti1Header, arr)
    hdr['vox_offset'] = 352
    blob = hdr.binaryblock + b'\0' * 4 + data_bytes(arr, '<')
    with open(good, 'wb') as f:
        f.write(blob)

    def put(name, content, expect, gz=False):
        p = os.path.join(BAD, name)
        with (gzopen if gz else open)(p, 'wb') as f:
            f.write(content)
        bad.append({'file': name, 'expect': expect})

    def patched(field, value, klass=Nifti1Header):
        h = klass.from_header(hdr) if klass is not Nifti1Header else hdr.copy()
        h[field] = value
        return h.binaryblock

    put('truncated_header.nii', blob[:200], ['truncated'])
    put('empty.nii', b'', ['truncated'])
    bs = bytearray(blob)
    bs[0:4] = struct.pack('<i', 300)
    put('wrong_sizeof_hdr.nii', bytes(bs), ['sizeof_hdr'])
    put('short_data.nii', blob[:-10], ['shorter'])
    put('short_data.nii.gz', blob[:-10], ['shorter'], gz=True)
    h = hdr.copy()
    h['dim'][0] = 0
    put('dim0_zero.nii', h.binaryblock + blob[348:], ['dim[0]'])
    h['dim'][0] = 8
    put('dim0_eight.nii', h.binaryblock + blob[348:], ['dim[0]'])
    put('not_gzip.nii.gz', blob, ['gzip'])
    put('corrupt_gzip.nii.gz', gzip.compress(blob, mtime=0)[:40] + b'\xff' * 60, ['gzip'])
    h = hdr.copy()
    h['datatype'] = 999
    put('unknown_datatype.nii', h.binaryblock + blob[348:], ['datatype'])
    h = hdr.copy()
    h['datatype'], h['bitpix'] = 128, 24
    put('rgb24.nii', h.binaryblock + b'\0' * 4 + bytes(3 * arr.size), ['unsupported datatype', 'RGB24'])
    h = hdr.copy()
    h['datatype'], h['bitpix'] = 32, 64
    put('complex64.nii', h.binaryblock + b'\0' * 4 + bytes(8 * arr.size), ['unsupported datatype', 'complex'])
    h = hdr.copy()
    h['dim'][1:4] = [30000, 30000, 30000]
    put('huge_dims.nii', h.binaryblock + blob[348:], ['shorter'])
    put('huge_dims.nii.gz', h.binaryblock + blob[348:], ['shorter'], gz=True)
    ph = Nifti1PairHeader.from_header(hdr)
    put('missing_img.hdr', ph.binaryblock, ['missing', '.img'])
    put('not_an_image.nii', b'hello, this is not a NIfTI file at all\n' * 20, ['sizeof_hdr'])
    h = hdr.copy()
    h['dim'][2] = -3
    put('negative_dim.nii', h.binaryblock + blob[348:], ['dim[2]'])
    os.remove(good)
    return bad


if __name__ == '__main__':
    main()
