#!/usr/bin/python3
"""The attack suite's corpus: hostile (and valid) inputs for every ketaprint door, and the cases that run them.

    /usr/bin/python3 scripts/attack/make_corpus.py DIR [--repo REPO]

Writes into DIR (made anew; a few MB; deterministic: fixed seed, gzip mtime 0):
  files/      images (NIfTI-1/-2, Analyze, MGH, gzip), label images, YAML, TSV, transforms, a FIFO, folders
              named like images, tiny BIDS datasets
  cases.json  every case: id, group, steps (ketaprint command lines, and file operations between them), what is
              expected (valid: must read and equal nibabel; ref: nibabel reads it, so exit 0 must equal nibabel,
              a clean refusal is fine; refuse: must be refused cleanly, exit 0 is an accepted hostile input; any:
              exit 0 or a clean refusal), the check run.py makes on its output, nibabel's reference values, and
              which piece of work owns the behaviour (owner).
Nothing here runs ketaprint; run.py does (through the in-process AttackHarness).
"""
import base64
import gzip
import io
import json
import os
import shutil
import stat
import struct
import sys
import warnings
import zlib

import numpy as np
import nibabel as nib
from nibabel.nifti1 import Nifti1Header, Nifti1PairHeader
from nibabel.nifti2 import Nifti2Header
from nibabel.spm2analyze import Spm2AnalyzeHeader

warnings.simplefilter('ignore')
import logging  # noqa: E402
logging.getLogger('nibabel').setLevel(logging.CRITICAL)
np.seterr(all='ignore')

if len(sys.argv) < 2:
    sys.exit('usage: make_corpus.py DIR [--repo REPO]')
OUT = os.path.abspath(sys.argv[1])
REPO = os.path.abspath(sys.argv[sys.argv.index('--repo') + 1]) if '--repo' in sys.argv else \
    os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
F = os.path.join(OUT, 'files')
WORK = os.path.join(OUT, 'work')   # per-case output folders (made by the cases themselves)
rng = np.random.default_rng(14)
cases = []
ids = set()

OWN_NIFTI = 'nifti layer (gzip CRC/ISIZE, size checks, NIfTI-2 overflow, OOM at the top, FIFOs/devices/dirs)'
OWN_YAML = 'pipeline files (YAML bombs/aliases/size, errors naming the file, clinical: validation)'
OWN_TSV = 'participants.tsv (duplicates, strict numbers, negative MADRS, missing column, sub- prefixes)'
OWN_ATLAS = 'atlases/roistats (label values, singular/NaN affines), n/a reasons, --tr NaN'
OWN_SLURM = 'SLURM hint quoting, control characters in participant folders'
OWN_SKIP = '--skip-existing run hash'
OWN_GLM = 'task GLM (glm command, task stage: events, contrasts, parameters, output prefixes)'
OWN_NONE = '(no one yet)'


def path(*p):
    q = os.path.join(F, *p)
    os.makedirs(os.path.dirname(q), exist_ok=True)
    return q


def add(cid, group, steps, expect, check=None, owner=OWN_NONE, **extra):
    """One case. steps: a list of argument lists (ketaprint command lines) or file operations (dicts)."""
    assert cid not in ids, cid
    ids.add(cid)
    st = [s if isinstance(s, dict) else {'args': [str(a) for a in s]} for s in steps]
    c = {'id': cid, 'group': group, 'steps': st, 'expect': expect, 'check': check, 'owner': owner}
    c.update(extra)
    cases.append(c)


def work(cid):
    return os.path.join(WORK, cid.replace('/', '_'))


def op_write(p, data):
    return {'op': 'write', 'path': p, 'b64': base64.b64encode(data if isinstance(data, bytes) else data.encode()).decode()}


# ---------------------------------------------------------------- nibabel's reference

def nib_ref(p, max_vox=5e6):
    """What nibabel reads (shape, affine, zooms, dtype, finite min/max/mean/sum, non-finite count), or (None, why)."""
    try:
        img = nib.load(p)
        n = float(np.prod([float(s) for s in img.shape]))
        if n > max_vox:
            return None, 'too large for a reference (%g voxels)' % n
        d = np.asarray(img.get_fdata(), dtype=np.float64)
        fin = np.isfinite(d)
        h = img.header
        ref = {'shape': [int(s) for s in img.shape], 'affine': np.asarray(img.affine, float).tolist(),
               'zooms': [float(z) for z in h.get_zooms()], 'datatype': h.get_data_dtype().name,
               'nonfinite': int((~fin).sum()), 'sum': float(d[fin].sum()),
               'min': float(d[fin].min()) if fin.any() else None, 'max': float(d[fin].max()) if fin.any() else None,
               'mean': float(d[fin].mean()) if fin.any() else None}
        if not np.all(np.isfinite(img.affine)):
            ref['affine_nonfinite'] = True
        return ref, None
    except Exception as e:  # noqa: BLE001 - any failure means nibabel does not read it
        return None, '%s: %s' % (type(e).__name__, str(e).splitlines()[0] if str(e) else '')


def image_cases(name, p, expect=None, owner=OWN_NIFTI, commands=('info', 'convert'), ref=None, why=None, note='',
                expect_by=None):
    """info and convert on an image; expect defaults to 'ref' when nibabel reads it, else 'refuse'; expect_by
    overrides it for some commands."""
    if ref is None and why is None and expect != 'nonib':
        ref, why = nib_ref(p)
    if expect == 'nonib':
        expect = None
    if expect is None:
        expect = 'ref' if ref else 'refuse'
    if expect == 'valid' and ref is None and 'info' in commands:
        print('make_corpus: warning: nibabel does not read the valid file %s: %s' % (p, why), file=sys.stderr)
    overall = expect
    for c in commands:
        expect = (expect_by or {}).get(c, overall)
        cid = 'img/%s/%s' % (name, c)
        if c == 'info':
            add(cid, 'image', [['info', '--json', '--stats', p]], expect, 'info' if ref else None, owner,
                ref=ref, nibabel=why, note=note, names=p)
        elif c == 'convert':
            o = os.path.join(work(cid), 'out.nii.gz')
            add(cid, 'image', [{'op': 'delete', 'path': work(cid)}, ['convert', p, o, '--datatype', 'float64']],
                expect, 'convert' if ref else None, owner, ref=ref, nibabel=why, output=o, note=note, names=p)
        elif c == 'volumes':
            add(cid, 'image', [['volumes', '--json', p]], expect, None, owner, nibabel=why, names=p, note=note)
        elif c == 'roistats-map':
            add(cid, 'image', [['roistats', '--json', p, '--atlas', ATLAS_OK]], expect, None, owner, nibabel=why, names=p,
                note=note)
        elif c == 'roistats-atlas':
            add(cid, 'image', [['roistats', '--json', MAP_OK, '--atlas', p]], expect, None, owner, nibabel=why, names=p,
                note=note)
        elif c == 'measure-volume':
            add(cid, 'image', [['measure', 'volume', '--seg', p, '--label', '17']], expect, None, owner, nibabel=why, names=p,
                note=note)


# ---------------------------------------------------------------- writing images byte by byte

def affine_of(zooms=(2.0, 2.5, 3.0), perm=(0, 1, 2), flips=(1, 1, 1), offset=(-10.0, 12.5, 7.25)):
    a = np.zeros((4, 4))
    for col, ax in enumerate(perm):
        a[ax, col] = zooms[col] * flips[col]
    a[:3, 3] = offset
    a[3, 3] = 1
    return a


def header(version, arr, affine, endian='<', qcode=1, scode=1, pair=False):
    klass = {1: Nifti1PairHeader if pair else Nifti1Header, 2: Nifti2Header}[version]
    h = klass(endianness=endian)
    h.set_data_dtype(arr.dtype)
    h.set_data_shape(arr.shape)
    if qcode:
        h.set_qform(affine, code=qcode)
    if scode:
        h.set_sform(affine, code=scode)
    if not qcode:
        h['qform_code'] = 0
    if not scode:
        h['sform_code'] = 0
    h.set_xyzt_units('mm', 'sec')
    h['vox_offset'] = 0 if pair else (352 if version == 1 else 544)
    if pair and version == 2:
        h['magic'] = b'ni2'
    return h


def mutate(h, changes):
    sa = h._structarr
    for field, value in changes:
        if isinstance(field, tuple):
            sa[field[0]][field[1]] = value
        else:
            sa[field] = value
    return h


def nifti_blob(h, arr, endian='<', ext=b'', set_offset=False):
    """Header, extension flag (and extension), padding to the data offset, data. The header's vox_offset is
    left as it is (header() sets the right one) unless set_offset: mutated offsets stay mutated."""
    hsize = len(h.binaryblock)
    off = hsize + 4 + len(ext)
    off = (off + 15) // 16 * 16
    if set_offset:
        h._structarr['vox_offset'] = off
    flag = b'\x01\0\0\0' if ext else b'\0\0\0\0'
    blob = h.binaryblock + flag + ext
    blob += b'\0' * max(0, off - len(blob))
    raw = arr.astype(arr.dtype.newbyteorder(endian)).tobytes(order='F')
    return blob + raw


def gz(data, mtime=0, level=6):
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode='wb', mtime=mtime, compresslevel=level) as g:
        g.write(data)
    return buf.getvalue()


def write_bytes(p, data):
    with open(p, 'wb') as f:
        f.write(data)
    return p


def values(dt, shape):
    dt = np.dtype(dt)
    n = int(np.prod(shape))
    if dt.kind == 'f':
        v = rng.normal(100, 400, n).astype(dt)
    else:
        info = np.iinfo(dt)
        lo, hi = max(info.min, -40000), min(info.max, 70000)
        v = rng.integers(lo, hi, n, endpoint=True).astype(dt)
        v[0], v[-1] = max(info.min, -2 ** 50), min(info.max, 2 ** 50)
    return v.reshape(shape, order='F')


DTYPES = ['uint8', 'int8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64', 'float32', 'float64']


def valid_images():
    shape = (5, 4, 3)
    aff = affine_of()
    for dt in DTYPES:
        arr = values(dt, shape)
        for endian in '<>':
            e = 'le' if endian == '<' else 'be'
            h = header(1, arr, aff, endian)
            blob = nifti_blob(h, arr, endian)
            image_cases('valid/n1_%s_%s' % (dt, e), write_bytes(path('valid', 'n1_%s_%s.nii' % (dt, e)), blob), 'valid')
            image_cases('valid/n1gz_%s_%s' % (dt, e), write_bytes(path('valid', 'n1_%s_%s.nii.gz' % (dt, e)), gz(blob)),
                        'valid')
            h2 = header(2, arr, aff, endian)
            image_cases('valid/n2_%s_%s' % (dt, e), write_bytes(path('valid', 'n2_%s_%s.nii' % (dt, e)),
                                                                  nifti_blob(h2, arr, endian)), 'valid')
        # pair (.hdr/.img), NIfTI-1
        hp = header(1, arr, aff, '<', pair=True)
        hp['vox_offset'] = 0
        write_bytes(path('valid', 'pair_%s.img' % dt), arr.astype(arr.dtype.newbyteorder('<')).tobytes(order='F'))
        image_cases('valid/pair_%s' % dt, write_bytes(path('valid', 'pair_%s.hdr' % dt), hp.binaryblock), 'valid')
    # Analyze 7.5 (SPM2 flavour as nib.load reads it), int16 and float32
    for dt in ['uint8', 'int16', 'int32', 'float32', 'float64']:
        arr = values(dt, shape)
        h = Spm2AnalyzeHeader()
        h.set_data_dtype(arr.dtype)
        h.set_data_shape(arr.shape)
        h.set_zooms((2.0, 2.5, 3.0))
        write_bytes(path('valid', 'analyze_%s.img' % dt), arr.tobytes(order='F'))
        image_cases('valid/analyze_%s' % dt, write_bytes(path('valid', 'analyze_%s.hdr' % dt), h.binaryblock), 'valid')
    # every orientation: 6 axis permutations x 8 flips, qform and sform, .nii.gz
    import itertools
    arr = values('int16', (4, 3, 2))
    k = 0
    for perm in itertools.permutations(range(3)):
        for flips in itertools.product((1, -1), repeat=3):
            a = affine_of((1.5, 2.0, 2.5), perm, flips)
            h = header(1, arr, a, qcode=1 if k % 2 else 0, scode=0 if k % 2 else 2)
            image_cases('valid/orient_%02d' % k, write_bytes(path('valid', 'orient_%02d.nii.gz' % k),
                                                              gz(nifti_blob(h, arr))), 'valid', commands=('info',))
            k += 1
    # oblique, 4D with TR, scaled, multi-member gzip, gzip with header fields, extension, 1D..7D
    ob = affine_of()
    ob[:3, :3] = ob[:3, :3] @ np.array([[1, 0, 0], [0, np.cos(.3), -np.sin(.3)], [0, np.sin(.3), np.cos(.3)]])
    arr = values('float32', (4, 4, 3, 5))
    h = header(1, arr, ob)
    h.set_zooms((2.0, 2.5, 3.0, 1.5))
    blob = nifti_blob(h, arr)
    image_cases('valid/oblique_4d', write_bytes(path('valid', 'oblique_4d.nii'), blob), 'valid')
    half = len(blob) // 2
    image_cases('valid/multimember_gz', write_bytes(path('valid', 'multimember.nii.gz'),
                                                     gz(blob[:half]) + gz(blob[half:])), 'valid')
    parts = b''.join(gz(blob[i:i + 97]) for i in range(0, len(blob), 97))
    image_cases('valid/multimember_many_gz', write_bytes(path('valid', 'multimember_many.nii.gz'), parts), 'valid')
    image_cases('valid/gz_empty_member_first', write_bytes(path('valid', 'empty_member.nii.gz'), gz(b'') + gz(blob)),
                'valid')
    # a gzip header with FEXTRA, FNAME, FCOMMENT and FHCRC
    comp = zlib.compressobj(6, zlib.DEFLATED, -15)
    body = comp.compress(blob) + comp.flush()
    hdr = bytearray(b'\x1f\x8b\x08' + bytes([0x1e]) + b'\0\0\0\0' + b'\0\xff')
    hdr += struct.pack('<H', 6) + b'AB\x02\0xy'
    hdr += b'name.nii\0' + b'a comment\0'
    hdr += struct.pack('<H', zlib.crc32(bytes(hdr)) & 0xffff)
    trailer = struct.pack('<II', zlib.crc32(blob) & 0xffffffff, len(blob) & 0xffffffff)
    image_cases('valid/gz_all_header_fields', write_bytes(path('valid', 'gz_fields.nii.gz'), bytes(hdr) + body + trailer),
                'valid')
    image_cases('valid/gz_level1', write_bytes(path('valid', 'gz_level1.nii.gz'), gz(blob, level=1)), 'valid')
    image_cases('valid/gz_level0', write_bytes(path('valid', 'gz_level0.nii.gz'), gz(blob, level=0)), 'valid')
    s = values('int16', (4, 4, 3))
    h = header(1, s, ob)
    h['scl_slope'], h['scl_inter'] = 0.5, -7.0
    image_cases('valid/scaled_int16', write_bytes(path('valid', 'scaled_int16.nii'), nifti_blob(h, s)), 'valid')
    h = header(1, s, ob)
    ext = struct.pack('<ii', 32, 6) + b'{"a": "ext payload"}'.ljust(24, b' ')
    image_cases('valid/extension', write_bytes(path('valid', 'extension.nii'), nifti_blob(h, s, ext=ext, set_offset=True)), 'valid')
    for nd in (1, 2, 5, 6, 7):
        shp = (3, 2, 2, 2, 2, 2, 2)[:nd]
        a = values('float32', shp)
        h = header(1, a, ob)
        image_cases('valid/%dd' % nd, write_bytes(path('valid', 'd%d.nii' % nd), nifti_blob(h, a)), 'valid')
    # MGH / MGZ of every MGH type, 3D and 4D
    for dt in ['uint8', 'int16', 'int32', 'float32']:
        for shp in [(4, 3, 2), (4, 3, 2, 3)]:
            a = values(dt, shp)
            img = nib.MGHImage(a, ob)
            if len(shp) == 4:
                img.header['tr'] = 2000.0
            nm = 'mgh_%s_%dd' % (dt, len(shp))
            p = path('valid', nm + '.mgz')
            nib.save(img, p)
            # nibabel writes the mgz with the time in the gzip header: rewrite it with mtime 0 for determinism
            raw = gzip.decompress(open(p, 'rb').read())
            write_bytes(p, gz(raw))
            image_cases('valid/' + nm, p, 'valid')
            image_cases('valid/' + nm + '_mgh', write_bytes(path('valid', nm + '.mgh'), raw), 'valid', commands=('info',))
    return blob


# ---------------------------------------------------------------- hostile images

N1 = [('sizeof_hdr', [0, -1, 349, 540, 0x5c010000]),
      (('dim', 0), [0, -1, 8, 9, 32767, -32768]),
      (('dim', 1), [0, -1, -32768, 32767]),
      (('dim', 3), [0, -5]),
      ('datatype', [0, 1, 3, 5, 6, 32, 128, 1792, 2304, 32767, -1]),
      ('bitpix', [0, 7, 64, 255, -16]),
      ('vox_offset', [0.0, 100.0, 351.0, 353.0, -1.0, -352.0, 1e20, np.inf, np.nan, 3.5e9, 352.5]),
      (('pixdim', 0), [0.0, -1.0, np.nan, 2.0]),
      (('pixdim', 1), [0.0, -1.0, np.nan, np.inf, 1e38, 1e-38]),
      ('scl_slope', [np.nan, np.inf, -np.inf, 0.0, 1e38, -1e-38, 1e30]),
      ('scl_inter', [np.nan, np.inf, 1e38]),
      ('qform_code', [-1, 3, 5, 32767]),
      ('sform_code', [-1, 7, 32767]),
      ('quatern_b', [np.nan, np.inf, 2.0, 1.0]),
      ('quatern_c', [1.5]),
      ('qoffset_x', [np.nan, np.inf, 1e38]),
      (('srow_x', 0), [np.nan, np.inf, 1e38]),
      (('srow_x', 3), [np.nan]),
      ('magic', [b'n+2', b'ni1', b'xyz', b'']),
      ('xyzt_units', [255, 0x38]),
      ('dim_info', [255]),
      ('intent_code', [-1, 32767, 1007]),
      ('slice_code', [99]),
      ('cal_min', [np.nan]),
      ]
N2 = [('sizeof_hdr', [348, 0]),
      (('dim', 0), [0, -1, 8, 2 ** 62]),
      (('dim', 1), [0, -1, 2 ** 31, 2 ** 40, 2 ** 62, -2 ** 63]),
      ('datatype', [0, 3, 32767]),
      ('vox_offset', [0, 100, 543, -1, 2 ** 62, 2 ** 63 - 1, -2 ** 63]),
      (('pixdim', 1), [np.nan, np.inf, 0.0]),
      ('scl_slope', [np.nan, np.inf, 1e300]),
      ('qform_code', [-1, 2 ** 31 - 1]),
      ('sform_code', [2 ** 31 - 1]),
      ('quatern_b', [np.nan, 5.0]),
      (('srow_x', 0), [np.nan, np.inf]),
      ('magic', [b'n+1', b'n+2\0\r\n\x1a', b'n+2\0\x0d\x0a\x1a\x0a'])]


def hostile_headers():
    shape = (5, 4, 3)
    arr = values('int16', shape)
    aff = affine_of()
    k = 0
    for version, table in ((1, N1), (2, N2)):
        for field, vals in table:
            fname = field if isinstance(field, str) else '%s%d' % field
            for v in vals:
                h = header(version, arr, aff)
                try:
                    mutate(h, [(field, v)])
                except (OverflowError, ValueError):
                    continue
                blob = nifti_blob(h, arr)
                tag = str(v).replace('.', 'p').replace('-', 'm').replace('\\', '').replace("'", '')
                tag = ''.join(ch for ch in tag if ch.isalnum())[:16] or 'empty'
                nm = 'n%d_%s_%s' % (version, fname, tag)
                p = path('hdr', nm + '.nii')
                write_bytes(p, blob)
                # README: a .nii whose vox_offset is inside the header is read from the header's end (niftilib)
                low = field == 'vox_offset' and 0 <= float(v) < (352 if version == 1 else 544)
                # (so no comparison with nibabel, which reads the header as data)
                kw = dict(expect='any', ref=None, why='documented difference', note='README: data read from the end of the '
                          'header') if low else {}
                image_cases('hdr/' + nm, p, **kw)
                if k % 3 == 0:   # a third of them gzipped too
                    image_cases('hdr/' + nm + '_gz', write_bytes(path('hdr', nm + '.nii.gz'), gz(blob)), **kw)
                k += 1
    # singular and degenerate affines (sform code 1): zero matrix, rank 2, all NaN
    for nm, m in (('sform_zero', np.zeros((3, 4))), ('sform_rank2', np.array([[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 0, 0]], float)),
                  ('sform_nan', np.full((3, 4), np.nan)), ('sform_1e38', np.full((3, 4), 1e38))):
        h = header(1, arr, aff)
        h._structarr['srow_x'], h._structarr['srow_y'], h._structarr['srow_z'] = m[0], m[1], m[2]
        image_cases('hdr/' + nm, write_bytes(path('hdr', nm + '.nii'), nifti_blob(h, arr)),
                    commands=('info', 'convert', 'roistats-map', 'roistats-atlas'), owner=OWN_ATLAS)
    # pixdim-only affine (no codes) with zero/NaN zooms
    for nm, z in (('nocode_pixdim0', 0.0), ('nocode_pixdimnan', np.nan)):
        h = header(1, arr, aff, qcode=0, scode=0)
        h._structarr['pixdim'][1:4] = z
        image_cases('hdr/' + nm, write_bytes(path('hdr', nm + '.nii'), nifti_blob(h, arr)),
                    commands=('info', 'convert', 'roistats-map', 'roistats-atlas'), owner=OWN_ATLAS)
    # extensions: size 0, negative, not a multiple of 16, past vox_offset, huge
    for nm, esize in (('ext_size0', 0), ('ext_neg', -16), ('ext_odd', 13), ('ext_huge', 2 ** 31 - 16), ('ext_past', 64)):
        h = header(1, arr, aff)
        h._structarr['vox_offset'] = 368
        blob = h.binaryblock + b'\x01\0\0\0' + struct.pack('<ii', esize, 4) + b'\0' * 8 + arr.tobytes(order='F')
        image_cases('hdr/' + nm, write_bytes(path('hdr', nm + '.nii'), blob), 'any', note='extensions are skipped by vox_offset')
    # huge voxel counts: NIfTI-2 with 2^60-1 voxels (1D and 3D), products that wrap int64 to 0 or negative,
    # NIfTI-1 32767^7
    for nm, dims in (('n2_2p60m1_1d', [1, 2 ** 60 - 1]), ('n2_2p60m1_3d', [3, 2 ** 30 - 1, 2 ** 30 + 1, 1]),
                     ('n2_wrap_zero', [3, 2 ** 31, 2 ** 31, 4]), ('n2_wrap_neg', [3, 2 ** 40, 2 ** 22, 2 ** 1 + 1]),
                     ('n2_wrap_2p120', [3, 2 ** 40, 2 ** 40, 2 ** 40]), ('n2_2p31', [3, 2 ** 31, 1, 1]),
                     ('n2_int_max', [3, 2 ** 31 - 1, 1, 1])):
        h = header(2, arr, aff)
        d = [1] * 8
        d[:len(dims)] = dims
        h._structarr['dim'] = d
        image_cases('huge/' + nm, write_bytes(path('huge', nm + '.nii'), nifti_blob(h, arr)), 'refuse',
                    ref=None, why='not read (header only)', commands=('info', 'convert', 'volumes'))
    for nm, dims in (('n1_32767p7', [7] + [32767] * 7), ('n1_32767p3', [3, 32767, 32767, 32767]),
                     ('n1_32767p4_gz', [4, 32767, 32767, 32767, 32767])):
        h = header(1, arr, aff)
        h._structarr['dim'] = dims + [1] * (8 - len(dims))
        blob = nifti_blob(h, arr)
        if nm.endswith('_gz'):
            p = write_bytes(path('huge', nm + '.nii.gz'), gz(blob))
        else:
            p = write_bytes(path('huge', nm + '.nii'), blob)
        image_cases('huge/' + nm, p, 'refuse', ref=None, why='not read (header only)', commands=('info', 'convert', 'volumes'))


def gzip_attacks(blob):
    g = gz(blob)
    n = len(g)
    image_cases('gz/ok', write_bytes(path('gz', 'ok.nii.gz'), g), 'valid')
    # nibabel stops reading once it has the data, so it never sees a bad trailer: these must be refused all the same
    # (expect 'refuse'; the reference is still made, for the record)
    for nm, data in (('trunc_10', g[:10]), ('trunc_half', g[:n // 2]), ('no_trailer', g[:-8]), ('no_isize', g[:-4]),
                     ('trunc_last', g[:-1]), ('header_only', g[:18]), ('magic_only', g[:2])):
        image_cases('gz/' + nm, write_bytes(path('gz', nm + '.nii.gz'), data), 'refuse')
    body = bytearray(g)
    crc = bytearray(g)
    crc[-8] ^= 0x01
    image_cases('gz/bad_crc', write_bytes(path('gz', 'bad_crc.nii.gz'), bytes(crc)), 'refuse')
    for nm, delta in (('isize_plus1', 1), ('isize_minus1', -1), ('isize_zero', None), ('isize_huge', 2 ** 32 - 1)):
        b = bytearray(g)
        want = len(blob)
        val = 0 if delta is None else (delta if delta > 1000 else want + delta)
        b[-4:] = struct.pack('<I', val & 0xffffffff)
        image_cases('gz/' + nm, write_bytes(path('gz', nm + '.nii.gz'), bytes(b)), 'refuse')
    # flipped bits inside the deflate data (positions drawn from the seeded generator)
    for i, pos in enumerate(sorted(rng.choice(np.arange(12, n - 8), size=12, replace=False))):
        b = bytearray(body)
        b[int(pos)] ^= 1 << int(rng.integers(0, 8))
        image_cases('gz/flip_%02d_at%d' % (i, pos), write_bytes(path('gz', 'flip_%02d.nii.gz' % i), bytes(b)), 'refuse')
    # trailing garbage after the member, and trailing zeros
    image_cases('gz/trailing_garbage', write_bytes(path('gz', 'trailing_garbage.nii.gz'), g + b'garbage!'), 'refuse')
    image_cases('gz/trailing_zeros', write_bytes(path('gz', 'trailing_zeros.nii.gz'), g + b'\0' * 16), 'any')
    # a second member that is broken
    image_cases('gz/second_member_trunc', write_bytes(path('gz', 'second_trunc.nii.gz'), gz(blob[:200]) + gz(blob[200:])[:-6]),
                'refuse')
    # not gzip at all but named .gz; gzip named .nii
    image_cases('gz/not_gzip', write_bytes(path('gz', 'not_gzip.nii.gz'), blob))
    image_cases('gz/gzip_named_nii', write_bytes(path('gz', 'gzip_named.nii'), g), 'any', note='gzip recognised by its magic')
    # stored (level 0) block with a length that lies
    b = bytearray(gz(blob, level=0))
    b[11] ^= 0x40
    image_cases('gz/stored_len_lie', write_bytes(path('gz', 'stored_lie.nii.gz'), bytes(b)), 'refuse')
    # bombs: 1024^3 uint8 zeros (a real 1 GB image in ~1 MB), and a float32 1024^3 header whose stream holds 2 MB
    h = header(1, np.zeros((1, 1, 1), np.uint8), affine_of((1, 1, 1)))
    h.set_data_shape((1024, 1024, 1024))
    hb = nifti_blob(h, np.zeros((0,), np.uint8))
    comp = zlib.compressobj(9, zlib.DEFLATED, 31)
    chunk = b'\0' * (1 << 24)
    out = [comp.compress(hb)]
    for _ in range(64):
        out.append(comp.compress(chunk))
    out.append(comp.flush())
    bomb = write_bytes(path('bomb', 'zeros_1024cubed_uint8.nii.gz'), b''.join(out))
    image_cases('bomb/zeros_1024cubed_uint8', bomb, 'any', ref=None, why='1 GB: not read for the reference',
                commands=('info', 'volumes'), note='a real 1 GB image: refusal for memory is fine')
    h = header(1, np.zeros((1, 1, 1), np.float32), affine_of((1, 1, 1)))
    h.set_data_shape((1024, 1024, 1024))
    hb = nifti_blob(h, np.zeros((0,), np.float32))
    payload = hb + rng.integers(0, 256, 2 << 20, dtype=np.uint8).tobytes()
    image_cases('bomb/claims_1024cubed_float32', write_bytes(path('bomb', 'claims_1024cubed.nii.gz'), gz(payload)), 'refuse',
                ref=None, why='truncated', commands=('info', 'convert', 'volumes', 'roistats-map'))
    return g


def truncations(blob):
    for cut in (0, 1, 4, 100, 347, 348, 351, 352, 353, len(blob) // 2, len(blob) - 1):
        nm = 'n1_trunc_%d' % cut
        image_cases('trunc/' + nm, write_bytes(path('trunc', nm + '.nii'), blob[:cut]))
    h2 = header(2, values('int16', (5, 4, 3)), affine_of())
    b2 = nifti_blob(h2, values('int16', (5, 4, 3)))
    for cut in (0, 300, 539, 540, 544, len(b2) - 2):
        nm = 'n2_trunc_%d' % cut
        image_cases('trunc/' + nm, write_bytes(path('trunc', nm + '.nii'), b2[:cut]))
    # pairs: missing .img, short .img, .img a folder, header truncated
    arr = values('int16', (5, 4, 3))
    hp = header(1, arr, affine_of(), pair=True)
    hp['vox_offset'] = 0
    image_cases('trunc/pair_missing_img', write_bytes(path('trunc', 'pair_missing.hdr'), hp.binaryblock))
    write_bytes(path('trunc', 'pair_short.img'), arr.tobytes(order='F')[:50])
    image_cases('trunc/pair_short_img', write_bytes(path('trunc', 'pair_short.hdr'), hp.binaryblock))
    os.makedirs(path('trunc', 'pair_dir.img', 'x'), exist_ok=True)
    image_cases('trunc/pair_img_is_dir', write_bytes(path('trunc', 'pair_dir.hdr'), hp.binaryblock), 'refuse',
                ref=None, why='img is a folder')
    write_bytes(path('trunc', 'pair_trunc.img'), arr.tobytes(order='F'))
    image_cases('trunc/pair_hdr_trunc', write_bytes(path('trunc', 'pair_trunc.hdr'), hp.binaryblock[:200]))
    # Analyze with garbage
    h = Spm2AnalyzeHeader()
    h.set_data_dtype(np.int16)
    h.set_data_shape((5, 4, 3))
    h._structarr['pixdim'][1:4] = np.nan
    write_bytes(path('trunc', 'analyze_nanzoom.img'), arr.tobytes(order='F'))
    image_cases('trunc/analyze_nanzoom', write_bytes(path('trunc', 'analyze_nanzoom.hdr'), h.binaryblock))
    h = Spm2AnalyzeHeader()
    h.set_data_dtype(np.int16)
    h.set_data_shape((5, 4, 3))
    h._structarr['scl_slope'] = np.nan   # SPM2 scale factor (funused1)
    write_bytes(path('trunc', 'analyze_nanscale.img'), arr.tobytes(order='F'))
    image_cases('trunc/analyze_nanscale', write_bytes(path('trunc', 'analyze_nanscale.hdr'), h.binaryblock))


def mgh_attacks():
    a = values('int16', (4, 3, 2))
    img = nib.MGHImage(a, affine_of())
    buf = io.BytesIO()
    img.to_file_map({'image': nib.FileHolder(fileobj=buf)})
    raw = buf.getvalue()
    write_bytes(path('mgh', 'base.mgh'), raw)

    def put(off, fmt, val, base=raw):
        b = bytearray(base)
        b[off:off + struct.calcsize(fmt)] = struct.pack(fmt, val)
        return bytes(b)

    muts = {'version2': put(0, '>i', 2), 'width0': put(4, '>i', 0), 'width_neg': put(4, '>i', -4),
            'dims_huge': put(12, '>i', 2 ** 31 - 1, put(8, '>i', 2 ** 31 - 1, put(4, '>i', 2 ** 31 - 1))),
            'nframes0': put(16, '>i', 0), 'nframes_huge': put(16, '>i', 2 ** 31 - 1), 'type99': put(20, '>i', 99),
            'type_neg': put(20, '>i', -1), 'delta_nan': put(30, '>f', np.nan), 'delta_zero': put(38, '>f', 0.0, put(34, '>f', 0.0, put(30, '>f', 0.0))),
            'mdc_zero': raw[:42] + b'\0' * 36 + raw[78:],
            'mdc_nan': put(42, '>f', np.nan), 'pxyz_inf': put(78, '>f', np.inf),
            'trunc_100': raw[:100], 'trunc_283': raw[:283], 'trunc_284': raw[:284], 'trunc_data': raw[:284 + 10]}
    # NaN or zero voxel sizes and direction cosines: nibabel reads them (with a NaN or singular affine); info may show
    # them, convert must refuse to write such a geometry
    geometry = ('delta_nan', 'delta_zero', 'mdc_zero', 'mdc_nan', 'pxyz_inf')
    for nm, b in muts.items():
        for suffix in ('', '_mgz'):
            if suffix and nm not in ('dims_huge', 'trunc_data', 'type99', 'delta_nan'):
                continue
            p = write_bytes(path('mgh', nm + ('.mgz' if suffix else '.mgh')), gz(b) if suffix else b)
            if nm in geometry:   # (nibabel itself makes NaN zooms of a NaN direction cosine: nothing to compare)
                image_cases('mgh/' + nm + suffix, p, 'any', commands=('info',), ref=None, why='hostile geometry')
                image_cases('mgh/' + nm + suffix, p, 'refuse', commands=('convert',))
            else:
                image_cases('mgh/' + nm + suffix, p)


# ---------------------------------------------------------------- label images and maps

def save_nii(p, arr, aff=None, dt=None):
    aff = affine_of((2, 2, 2), offset=(-8, -8, -8)) if aff is None else aff
    arr = arr.astype(dt) if dt else arr
    raw = nifti_blob(header(1, arr, aff), arr)
    if p.endswith('.gz'):
        raw = gz(raw)
    return write_bytes(p, raw)


ATLAS_OK = MAP_OK = None


def label_attacks():
    global ATLAS_OK, MAP_OK
    shp = (8, 8, 8)
    lab = np.zeros(shp, np.int16)
    lab[1:4, 1:4, 1:4] = 1
    lab[4:7, 4:7, 4:7] = 2
    lab[1:3, 5:7, 2:6] = 17
    ATLAS_OK = save_nii(path('labels', 'atlas_ok.nii.gz'), lab)
    write_bytes(path('labels', 'atlas_ok.nii.txt'), b'1 One\n2 Two\n17 Left-Hippocampus\n')
    m = rng.normal(0.5, 0.1, shp).astype(np.float32)
    MAP_OK = save_nii(path('labels', 'map_ok.nii.gz'), m)
    add('labels/ok/roistats', 'labels', [['roistats', '--json', MAP_OK, '--atlas', ATLAS_OK]], 'valid', 'roistats',
        OWN_ATLAS, ref={'labels': {str(k): int((lab == k).sum()) for k in (1, 2, 17)}})
    add('labels/ok/volumes', 'labels', [['volumes', '--json', ATLAS_OK]], 'valid', 'volumes', OWN_ATLAS,
        ref={'labels': {str(k): int((lab == k).sum()) for k in (1, 2, 17)}})
    flt = lab.astype(np.float32)
    add('labels/float_integral/volumes', 'labels', [['volumes', '--json', save_nii(path('labels', 'float_integral.nii.gz'), flt)]],
        'valid', 'volumes', OWN_ATLAS, ref={'labels': {str(k): int((lab == k).sum()) for k in (1, 2, 17)}})
    bad = {'half': 1.5, 'nan': np.nan, 'inf': np.inf, 'ninf': -np.inf, '1e10': 1e10, '3e38': 3e38, 'neg': -1.0,
           'tiny': 1e-30, '2p31': 2.0 ** 31, '2p53p1': 2.0 ** 53 + 2}
    for nm, v in bad.items():
        a = lab.astype(np.float64 if nm == '2p53p1' else np.float32)
        a[0, 0, 0] = v
        a[7, 7, 7] = v
        p = save_nii(path('labels', 'label_%s.nii.gz' % nm), a)
        expect = 'any' if nm in ('neg',) else 'refuse'
        image_cases('labels/' + nm, p, expect, OWN_ATLAS, commands=('roistats-atlas', 'volumes', 'measure-volume'),
                    ref=None, why='label values')
    for nm, dt, v in (('int64_2p40', np.int64, 2 ** 40), ('uint32_4e9', np.uint32, 4_000_000_000), ('int32_max', np.int32, 2 ** 31 - 1),
                      ('int32_min', np.int32, -2 ** 31)):
        a = lab.astype(dt)
        a[0, 0, 0] = v
        p = save_nii(path('labels', 'label_%s.nii.gz' % nm), a)
        image_cases('labels/' + nm, p, 'any', OWN_ATLAS, commands=('roistats-atlas', 'volumes'), ref=None, why='label values')
    # scaled integer labels (slope 0.5 makes 1 -> 0.5)
    h = header(1, lab, affine_of((2, 2, 2), offset=(-8, -8, -8)))
    h['scl_slope'] = 0.5
    p = write_bytes(path('labels', 'label_scaled_half.nii'), nifti_blob(h, lab))
    image_cases('labels/scaled_half', p, 'refuse', OWN_ATLAS, commands=('roistats-atlas', 'volumes'), ref=None, why='label values')
    # 4D atlas, atlas on another grid far away (no overlap), map with NaNs everywhere
    a4 = np.stack([lab, lab], -1)
    image_cases('labels/atlas_4d', save_nii(path('labels', 'atlas_4d.nii.gz'), a4), 'any', OWN_ATLAS,
                commands=('roistats-atlas',), ref=None, why='4D')
    far = save_nii(path('labels', 'atlas_far.nii.gz'), lab, affine_of((2, 2, 2), offset=(1e6, 1e6, 1e6)))
    image_cases('labels/atlas_far', far, 'any', OWN_ATLAS, commands=('roistats-atlas',), ref=None, why='no overlap')
    nanmap = np.full(shp, np.nan, np.float32)
    image_cases('labels/map_all_nan', save_nii(path('labels', 'map_nan.nii.gz'), nanmap), 'any', OWN_ATLAS,
                commands=('roistats-map',), ref=None, why='all NaN')
    # label table oddities
    for nm, txt in (('lut_dupes', b'1 One\n1 Uno\n2 Two\n'), ('lut_garbage', b'\x00\xff\xfe garbage\n'),
                    ('lut_huge_label', b'99999999999999999999 Big\n1 One\n'), ('lut_nan', b'NaN Nope\n1 One\n'),
                    ('lut_empty', b'')):
        lp = write_bytes(path('labels', nm + '.txt'), txt)
        add('labels/%s/roistats' % nm, 'labels', [['roistats', '--json', MAP_OK, '--atlas', ATLAS_OK, '--lut', lp]], 'any',
            None, OWN_ATLAS)
    for nm, arg in (('labels_nan', 'NaN'), ('labels_huge', '1e99'), ('labels_neg', '-1'), ('labels_name_unknown', 'Nowhere'),
                    ('labels_empty', ''), ('labels_comma', ',,,')):
        add('labels/arg_%s/roistats' % nm, 'labels', [['roistats', '--json', MAP_OK, '--atlas', ATLAS_OK, '--labels', arg]],
            'any', None, OWN_ATLAS)
        add('labels/arg_%s/volumes' % nm, 'labels', [['volumes', '--json', ATLAS_OK, '--labels', arg]], 'any', None, OWN_ATLAS)


# ---------------------------------------------------------------- files that are not files

def not_files():
    fifo = path('special', 'fifo.nii')
    os.mkfifo(fifo)
    fifo_gz = path('special', 'fifo.nii.gz')
    os.mkfifo(fifo_gz)
    fifo_hdr = path('special', 'fifopair.hdr')
    os.mkfifo(fifo_hdr)
    d1 = path('special', 'folder.nii', 'x')
    d2 = path('special', 'folder.nii.gz', 'x')
    d3 = path('special', 'folder.mgz', 'x')
    devzero = path('special', 'devzero.nii')
    os.symlink('/dev/zero', devzero)
    devzero_gz = path('special', 'devzero.nii.gz')
    os.symlink('/dev/zero', devzero_gz)
    devnull = path('special', 'devnull.nii')
    os.symlink('/dev/null', devnull)
    loop = path('special', 'loop.nii')
    os.symlink(loop, loop)
    dangling = path('special', 'dangling.nii.gz')
    os.symlink(path('special', 'nowhere.nii.gz'), dangling)
    empty = write_bytes(path('special', 'empty.nii'), b'')
    empty_gz = write_bytes(path('special', 'empty.nii.gz'), b'')
    longname = os.path.join(F, 'special', 'x' * 300 + '.nii')
    for nm, p in (('fifo_nii', fifo), ('fifo_gz', fifo_gz), ('fifo_hdr', fifo_hdr), ('dir_nii', os.path.dirname(d1)),
                  ('dir_gz', os.path.dirname(d2)), ('dir_mgz', os.path.dirname(d3)), ('dev_zero', devzero),
                  ('dev_zero_gz', devzero_gz), ('dev_null', devnull), ('symlink_loop', loop), ('dangling', dangling),
                  ('empty', empty), ('empty_gz', empty_gz), ('long_name', longname), ('no_such', path('special', 'none.nii')),
                  ('dash', '-'), ('empty_arg', '')):
        image_cases('special/' + nm, p, 'refuse', ref=None, why='not a regular image file',
                    commands=('info', 'convert', 'volumes', 'roistats-map', 'roistats-atlas'))
    return fifo, os.path.dirname(d2)


# ---------------------------------------------------------------- pipelines (YAML)

STRUCT_STAGE = '''stages:
  - id: structural
    type: structural
    inputs:
      seg: {desc: aseg, suffix: dseg, extension: .nii.gz|.nii}
    features:
      - {column: hippocampus_l_vol_mm3, measure: volume, label: Left-Hippocampus}
'''
CLINICAL = '''clinical:
  baseline_column: madrs_baseline
  followup_column: madrs_24h
  responder_reduction: 0.5
  remitter_max: 10
  pre_session: pre
  post_session: post
'''
PIPE_OK = 'name: attack\n' + CLINICAL + STRUCT_STAGE


def clinical_with(**kv):
    lines = ['clinical:']
    base = {'baseline_column': 'madrs_baseline', 'followup_column': 'madrs_24h', 'responder_reduction': '0.5',
            'remitter_max': '10', 'pre_session': 'pre', 'post_session': 'post'}
    base.update(kv)
    for k, v in base.items():
        if v is not None:
            lines.append('  %s: %s' % (k, v))
    return 'name: attack\n' + '\n'.join(lines) + '\n' + STRUCT_STAGE


def pipelines(ds):
    """YAML attacks: validate-pipeline, a participant run and a group run with each."""
    laughs = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    prev = 'a'
    for ch in 'bcdefghi':
        laughs += '%s: &%s [%s]\n' % (ch, ch, ','.join(['*' + prev] * 9))
        prev = ch
    assert len(laughs) < 1024
    deep_list = 'name: x\nstages: ' + '[' * 20000 + ']' * 20000 + '\n'
    deep_map = 'name: x\nstages:\n' + ''.join(' ' * i + 'a%d:\n' % i for i in range(1, 1500)) + ' ' * 1500 + 'b: 1\n'
    deep_flow = 'name: x\nstages: ' + '{a: ' * 20000 + '1' + '}' * 20000 + '\n'
    big = PIPE_OK + ''.join('# %s\n' % ('x' * 76) for _ in range(2 * 1024 * 1024 // 80))
    bigdesc = 'name: x\ndescription: "' + 'y' * (2 * 1024 * 1024) + '"\n' + STRUCT_STAGE
    yamls = {
        'ok': (PIPE_OK, 'valid'),
        'billion_laughs': (laughs + STRUCT_STAGE, 'refuse'),
        'billion_laughs_in_stage': ('name: x\n' + laughs.replace('\n', '\n  ').replace('a: &a', 'x:\n  a: &a', 1) + '\n' + STRUCT_STAGE, 'refuse'),
        'recursive_alias_list': ('x: &a [*a]\n' + STRUCT_STAGE, 'refuse'),
        'recursive_alias_map': ('name: &a {k: *a}\n' + STRUCT_STAGE, 'refuse'),
        'recursive_alias_in_stage': ('name: x\nstages:\n  - &s {id: s, type: structural, inputs: *s}\n', 'refuse'),
        'merge_key_recursion': ('name: x\nbase: &b\n  <<: *b\n' + STRUCT_STAGE, 'refuse'),
        'oversize_comments_2mb': (big, 'refuse'),
        'oversize_description_2mb': (bigdesc, 'refuse'),
        'deep_list': (deep_list, 'refuse'),
        'deep_map': (deep_map, 'refuse'),
        'deep_flow_map': (deep_flow, 'refuse'),
        'empty': ('', 'refuse'),
        'only_doc_marker': ('---\n', 'refuse'),
        'two_documents': (PIPE_OK + '---\n' + PIPE_OK, 'refuse'),
        'scalar': ('just a string\n', 'refuse'),
        'list_top': ('- a\n- b\n', 'refuse'),
        'tab_indent': ('name: x\nstages:\n\t- id: s\n', 'refuse'),
        'nul_bytes': ('name: x\0\n' + STRUCT_STAGE, 'refuse'),
        'bad_utf8': (b'name: \xff\xfe\xfa\n' + STRUCT_STAGE.encode(), 'refuse'),
        'bom': ('\ufeff' + PIPE_OK, 'any'),
        'duplicate_keys': ('name: a\nname: b\n' + STRUCT_STAGE, 'any'),
        'global_tag_snakeyaml_gadget': ('name: !!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL ["http://127.0.0.1:1/"]]]]\n' + STRUCT_STAGE, 'refuse'),
        'java_tag': ('name: !!java.io.File ["/etc/passwd"]\n' + STRUCT_STAGE, 'refuse'),
        'binary_tag': ('name: !!binary aGVsbG8=\n' + STRUCT_STAGE, 'any'),
        'unclosed_quote': ('name: "x\n' + STRUCT_STAGE, 'refuse'),
        'stages_null': ('name: x\nstages:\n', 'refuse'),
        'stages_map': ('name: x\nstages: {a: 1}\n', 'refuse'),
        'stage_scalar': ('name: x\nstages: [3]\n', 'refuse'),
        'features_scalar': ('name: x\nstages:\n  - {id: s, type: structural, features: 3}\n', 'refuse'),
        'inputs_list': ('name: x\nstages:\n  - {id: s, type: structural, inputs: [1, 2], features: []}\n', 'refuse'),
        'column_tab': (PIPE_OK.replace('column: hippocampus_l_vol_mm3', 'column: "hip\\tpo"'), 'refuse'),
        'column_newline': (PIPE_OK.replace('column: hippocampus_l_vol_mm3', 'column: "hip\\npo"'), 'refuse'),
        'column_empty': (PIPE_OK.replace('column: hippocampus_l_vol_mm3', 'column: ""'), 'refuse'),
        'column_participant_id': (PIPE_OK.replace('column: hippocampus_l_vol_mm3', 'column: participant_id'), 'refuse'),
        'label_nan': (PIPE_OK.replace('label: Left-Hippocampus', 'label: .nan'), 'refuse'),
        'label_1e99': (PIPE_OK.replace('label: Left-Hippocampus', 'label: 1e99'), 'refuse'),
        'label_list_of_maps': (PIPE_OK.replace('label: Left-Hippocampus', 'label: [{a: 1}]'), 'refuse'),
        'param_nan': (PIPE_OK.replace('  - id: structural', '  - id: structural\n    params: {fd_threshold: .nan}'), 'refuse'),
        'rs_fd_nan': ('name: x\nstages:\n  - id: r\n    type: restingstate\n    params: {fd_threshold: .nan, min_seconds: -1, band: "0.1,0.01"}\n    rois: {s: {sphere: [0, 0, 0], radius: 4}}\n    features:\n      - {column: q, measure: quality, value: fd_mean}\n', 'refuse'),
        'rs_sphere_nan': ('name: x\nstages:\n  - id: r\n    type: restingstate\n    rois: {s: {sphere: [.nan, 0, 0], radius: .inf}}\n    features:\n      - {column: c, measure: alff, roi: s}\n', 'refuse'),
        'rs_radius_huge': ('name: x\nstages:\n  - id: r\n    type: restingstate\n    rois: {s: {sphere: [0, 0, 0], radius: 1e300}}\n    features:\n      - {column: c, measure: alff, roi: s}\n', 'any'),
        'huge_int': ('name: x\nversion: 123456789012345678901234567890\n' + STRUCT_STAGE, 'any'),
        'control_chars_name': ('name: "a\\u0007\\u001b[31mred"\n' + STRUCT_STAGE, 'any'),
    }
    clin = {
        'clinical_reduction_nan': (clinical_with(responder_reduction='.nan'), 'refuse'),
        'clinical_reduction_NaN_word': (clinical_with(responder_reduction='NaN'), 'refuse'),
        'clinical_reduction_half': (clinical_with(responder_reduction='half'), 'refuse'),
        'clinical_reduction_1p5': (clinical_with(responder_reduction='1.5'), 'refuse'),
        'clinical_reduction_neg': (clinical_with(responder_reduction='-0.5'), 'refuse'),
        'clinical_reduction_inf': (clinical_with(responder_reduction='.inf'), 'refuse'),
        'clinical_reduction_hex': (clinical_with(responder_reduction='0x1p-1'), 'refuse'),
        'clinical_reduction_32d': (clinical_with(responder_reduction='0.5d'), 'refuse'),
        'clinical_remitter_nan': (clinical_with(remitter_max='.nan'), 'refuse'),
        'clinical_remitter_ten': (clinical_with(remitter_max='ten'), 'refuse'),
        'clinical_remitter_neg': (clinical_with(remitter_max='-1'), 'refuse'),
        'clinical_pre_eq_post': (clinical_with(post_session='pre'), 'refuse'),
        'clinical_pre_empty': (clinical_with(pre_session='""'), 'refuse'),
        'clinical_session_slash': (clinical_with(pre_session='"../x"'), 'refuse'),
        'clinical_baseline_eq_followup': (clinical_with(followup_column='madrs_baseline'), 'refuse'),
        'clinical_column_empty': (clinical_with(baseline_column='""'), 'refuse'),
        'clinical_column_tab': (clinical_with(baseline_column='"a\\tb"'), 'refuse'),
        'clinical_list': ('name: x\nclinical: [1, 2]\n' + STRUCT_STAGE, 'refuse'),
        'clinical_scalar': ('name: x\nclinical: yes\n' + STRUCT_STAGE, 'refuse'),
        'clinical_null': ('name: x\nclinical:\n' + STRUCT_STAGE, 'any'),
        'clinical_nested_map': (clinical_with(remitter_max='{a: 1}'), 'refuse'),
        'clinical_unknown_key': (clinical_with(threshold='3'), 'refuse'),
    }
    out = {}
    for nm, (text, expect) in list(yamls.items()) + list(clin.items()):
        p = path('yaml', nm + '.yaml')
        write_bytes(p, text if isinstance(text, bytes) else text.encode('utf-8'))
        owner = OWN_YAML
        out[nm] = p
        add('yaml/%s/validate' % nm, 'yaml', [['validate-pipeline', p]], expect, None, owner, note='names the file',
            names=p)
        o = work('yaml/%s/run' % nm)
        add('yaml/%s/run' % nm, 'yaml', [{'op': 'delete', 'path': o},
                                          ['run', ds, o, 'participant', '--pipeline', p, '--quiet']],
            expect, 'run' if expect == 'valid' else None, owner, names=p)
        if nm.startswith('clinical') or nm in ('ok',):
            o2 = work('yaml/%s/group' % nm)
            add('yaml/%s/group' % nm, 'yaml', [{'op': 'delete', 'path': o2},
                                                ['run', ds, o2, 'participant', '--pipeline', PIPES['ok'], '--quiet'],
                                                ['run', ds, o2, 'group', '--pipeline', p, '--force']],
                expect, 'group' if expect == 'valid' else None, owner, names=p)
    return out


PIPES = {}

# ---------------------------------------------------------------- tiny BIDS datasets


def aseg(seed_shift=0):
    """Left-Hippocampus 27 voxels, Right-Hippocampus 18 (36 with seed_shift=1), label 2 16; voxels of 8 mm^3."""
    a = np.zeros((8, 8, 8), np.int16)
    a[1:4, 1:4, 1:4] = 17
    a[4:7, 4:7, 4:6 + 2 * seed_shift] = 53
    a[1:3, 5:7, 2:6] = 2
    return a


def write_dataset(root, subjects=('01', '02'), sessions=('pre', 'post'), participants=None, aseg_override=None):
    """A tiny BIDS dataset with fMRIPrep-style aseg segmentations only (the structural stage's input)."""
    os.makedirs(root, exist_ok=True)
    with open(os.path.join(root, 'dataset_description.json'), 'w') as f:
        json.dump({'Name': 'attack', 'BIDSVersion': '1.8.0'}, f)
    fp = os.path.join(root, 'derivatives', 'fmriprep')
    os.makedirs(fp, exist_ok=True)
    with open(os.path.join(fp, 'dataset_description.json'), 'w') as f:
        json.dump({'Name': 'fMRIPrep', 'BIDSVersion': '1.8.0', 'DatasetType': 'derivative',
                   'GeneratedBy': [{'Name': 'fMRIPrep'}]}, f)
    for s in subjects:
        for ses in sessions:
            d = os.path.join(root, 'sub-' + s, 'ses-' + ses)
            os.makedirs(d, exist_ok=True)
            with open(os.path.join(d, 'sub-%s_ses-%s_scans.tsv' % (s, ses)), 'w') as f:
                f.write('filename\n')
            a = os.path.join(fp, 'sub-' + s, 'ses-' + ses, 'anat')
            os.makedirs(a, exist_ok=True)
            p = os.path.join(a, 'sub-%s_ses-%s_desc-aseg_dseg.nii.gz' % (s, ses))
            if aseg_override and (s, ses) in aseg_override:
                aseg_override[(s, ses)](p)
            else:
                save_nii(p, aseg())
    with open(os.path.join(root, 'participants.tsv'), 'w', newline='') as f:
        f.write(participants if participants is not None else
                'participant_id\tage\tmadrs_baseline\tmadrs_24h\nsub-01\t34\t32\t16\nsub-02\t41\t30\t8\n')
    return root


def participants_cases():
    rows = {
        # name: (participants.tsv text, expect, {pid: wanted madrs_pct_change or 'na'})
        'ok': ('participant_id\tmadrs_baseline\tmadrs_24h\nsub-01\t32\t16\nsub-02\t30\t8\n', 'valid', {'sub-01': -50.0}),
        'crlf': ('participant_id\tmadrs_baseline\tmadrs_24h\r\nsub-01\t32\t16\r\nsub-02\t30\t8\r\n', 'ref', {'sub-01': -50.0}),
        'no_sub_prefix': ('participant_id\tmadrs_baseline\tmadrs_24h\n01\t32\t16\n02\t30\t8\n', 'ref', {'sub-01': -50.0}),
        'na_values': ('participant_id\tmadrs_baseline\tmadrs_24h\nsub-01\tn/a\t16\nsub-02\t30\t8\n', 'ref', {'sub-01': 'na'}),
        'baseline_zero': ('participant_id\tmadrs_baseline\tmadrs_24h\nsub-01\t0\t16\nsub-02\t30\t8\n', 'ref', {'sub-01': 'na'}),
        'number_32d': ('participant_id\tmadrs_baseline\tmadrs_24h\nsub-01\t32d\t16\nsub-02\t30\t8\n', 'refuse', {'sub-01': 'na'}),
        'number_32f': ('participant_id\tmadrs_baseline\tmadrs_24h\nsub-01\t32f\t16\nsub-02\t30\t8\n', 'refuse', {'sub-01': 'na'}),
        'number_hex': ('participant_id\tmadrs_baseline\tmadrs_24h\nsub-01\t0x1Ep0\t16\nsub-02\t30\t8\n', 'refuse', {'sub-01': 'na'}),
        'number_NaN': ('participant_id\tmadrs_baseline\tmadrs_24h\nsub-01\tNaN\t16\nsub-02\t30\t8\n', 'refuse', {'sub-01': 'na'}),
        'number_Infinity': ('participant_id\tmadrs_baseline\tmadrs_24h\nsub-01\tInfinity\t16\nsub-02\t30\t8\n', 'refuse', {'sub-01': 'na'}),
        'number_padded': ('participant_id\tmadrs_baseline\tmadrs_24h\nsub-01\t 32 \t16\nsub-02\t30\t8\n', 'any', {}),
        'negative_madrs': ('participant_id\tmadrs_baseline\tmadrs_24h\nsub-01\t32\t-16\nsub-02\t30\t8\n', 'refuse', {'sub-01': 'na'}),
        'negative_baseline': ('participant_id\tmadrs_baseline\tmadrs_24h\nsub-01\t-32\t16\nsub-02\t30\t8\n', 'refuse', {'sub-01': 'na'}),
        'madrs_over_60': ('participant_id\tmadrs_baseline\tmadrs_24h\nsub-01\t32\t99\nsub-02\t30\t8\n', 'any', {}),
        'duplicate_same': ('participant_id\tmadrs_baseline\tmadrs_24h\nsub-01\t32\t16\nsub-01\t32\t16\nsub-02\t30\t8\n', 'refuse', {'sub-01': 'na'}),
        'duplicate_differ': ('participant_id\tmadrs_baseline\tmadrs_24h\nsub-01\t32\t16\nsub-01\t20\t2\nsub-02\t30\t8\n', 'refuse', {'sub-01': 'na'}),
        'duplicate_prefix': ('participant_id\tmadrs_baseline\tmadrs_24h\nsub-01\t32\t16\n01\t20\t2\nsub-02\t30\t8\n', 'refuse', {'sub-01': 'na'}),
        'missing_followup_column': ('participant_id\tmadrs_baseline\nsub-01\t32\nsub-02\t30\n', 'refuse', {'sub-01': 'na'}),
        'missing_id_column': ('pid\tmadrs_baseline\tmadrs_24h\nsub-01\t32\t16\n', 'refuse', {}),
        'ragged_row': ('participant_id\tmadrs_baseline\tmadrs_24h\nsub-01\t32\nsub-02\t30\t8\t5\n', 'refuse', {'sub-01': 'na'}),
        'empty_file': ('', 'refuse', {}),
        'header_only': ('participant_id\tmadrs_baseline\tmadrs_24h\n', 'any', {}),
        'binary': ('\x00\x01\x02\xff garbage', 'refuse', {}),
        'empty_id': ('participant_id\tmadrs_baseline\tmadrs_24h\n\t32\t16\nsub-02\t30\t8\n', 'refuse', {}),
        'id_sub_only': ('participant_id\tmadrs_baseline\tmadrs_24h\nsub-\t32\t16\nsub-02\t30\t8\n', 'refuse', {}),
        'id_with_tab_quote': ('participant_id\tmadrs_baseline\tmadrs_24h\n"sub-01\t32"\t16\nsub-02\t30\t8\n', 'any', {}),
        'spaces_not_tabs': ('participant_id madrs_baseline madrs_24h\nsub-01 32 16\nsub-02 30 8\n', 'refuse', {}),
        'duplicate_column': ('participant_id\tmadrs_baseline\tmadrs_baseline\tmadrs_24h\nsub-01\t32\t1\t16\nsub-02\t30\t1\t8\n', 'refuse', {}),
        'feature_column_clash': ('participant_id\thippocampus_l_vol_mm3\tmadrs_baseline\tmadrs_24h\nsub-01\t1\t32\t16\nsub-02\t1\t30\t8\n', 'any', {}),
        'huge_row': ('participant_id\tmadrs_baseline\tmadrs_24h\tnotes\nsub-01\t32\t16\t' + 'z' * 200_000 + '\nsub-02\t30\t8\tok\n', 'any', {}),
    }
    for nm, (text, expect, want) in rows.items():
        cid = 'tsv/' + nm
        root = write_dataset(path('tsv', nm, 'bids'), participants=text)
        o = work(cid)
        add(cid, 'participants.tsv', [{'op': 'delete', 'path': o},
                                      ['run', root, o, 'participant', '--pipeline', PIPES['ok'], '--quiet'],
                                      ['run', root, o, 'group']],
            expect, 'group_clinical', OWN_TSV, out=o, want=want)


def dataset_cases(fifo, dirgz):
    """Hostile files inside a dataset: the participant level must fail the subject cleanly (or skip it)."""
    def fifo_at(p):
        os.mkfifo(p)

    def dir_at(p):
        os.makedirs(os.path.join(p, 'x'))

    def nan_labels(p):
        a = aseg().astype(np.float32)
        a[0, 0, 0] = np.nan
        a[7, 7, 7] = 1.5
        save_nii(p, a)

    def trunc_gz(p):
        save_nii(p, aseg())
        b = open(p, 'rb').read()
        write_bytes(p, b[:len(b) // 2])

    def flip_gz(p):
        save_nii(p, aseg())
        b = bytearray(open(p, 'rb').read())
        b[len(b) // 2] ^= 0x10
        write_bytes(p, bytes(b))

    def huge_gz(p):
        h = header(2, np.zeros((1, 1, 1), np.int16), affine_of())
        h._structarr['dim'] = [3, 2 ** 31, 2 ** 31, 4, 1, 1, 1, 1]
        write_bytes(p, gz(nifti_blob(h, np.zeros((0,), np.int16))))

    def singular(p):
        a = aseg()
        h = header(1, a, affine_of((2, 2, 2)), qcode=0)
        for r in ('srow_x', 'srow_y', 'srow_z'):
            h._structarr[r] = 0
        write_bytes(p, gz(nifti_blob(h, a)))

    def loop_link(p):
        os.symlink(p, p)

    def devzero(p):
        os.symlink('/dev/zero', p)

    for nm, fn in (('fifo_aseg', fifo_at), ('dir_aseg', dir_at), ('nan_labels', nan_labels), ('trunc_gz', trunc_gz),
                   ('flip_gz', flip_gz), ('huge_gz', huge_gz), ('singular_affine', singular), ('symlink_loop', loop_link),
                   ('devzero', devzero)):
        cid = 'dataset/' + nm
        root = write_dataset(path('dataset', nm, 'bids'), aseg_override={('01', 'pre'): fn})
        o = work(cid)
        add(cid, 'dataset', [{'op': 'delete', 'path': o},
                             ['run', root, o, 'participant', '--pipeline', PIPES['ok'], '--quiet', '--participant-label', '01']],
            'refuse', 'run_failed', OWN_NIFTI, out=o)
    # folder names with control characters, shell syntax, quotes (not valid BIDS labels)
    for nm, label in (('newline', '0\n1'), ('tab', '0\t1'), ('escape', '0\x1b[31m'), ('cmdsubst', '$(touch PWNED)'),
                      ('quote', "0'1"), ('dquote', '0"1'), ('space', '0 1'), ('backtick', '`touch PWNED`'),
                      ('unicode', '0\u00e91'), ('bell', '0\x071')):
        cid = 'subfolder/' + nm
        root = write_dataset(path('subfolder', nm, 'bids'), subjects=('01', label))
        o = work(cid)
        add(cid, 'dataset', [{'op': 'delete', 'path': o},
                             ['run', root, o, 'participant', '--pipeline', PIPES['ok'], '--quiet'],
                             ['run', root, o, 'group']],
            'any', 'no_control_chars', OWN_SLURM, out=o, label=label)
    # other dataset oddities
    root = write_dataset(path('dataset', 'desc_garbage', 'bids'))
    write_bytes(os.path.join(root, 'dataset_description.json'), b'{"Name": ')
    for nm, r in (('desc_garbage', root),):
        o = work('dataset/' + nm)
        add('dataset/' + nm, 'dataset', [{'op': 'delete', 'path': o}, ['run', r, o, 'participant', '--pipeline', PIPES['ok'], '--quiet']],
            'any', None, OWN_NONE)
    root = write_dataset(path('dataset', 'sub_is_file', 'bids'), subjects=('01',))
    write_bytes(os.path.join(root, 'sub-02'), b'not a folder')
    o = work('dataset/sub_is_file')
    add('dataset/sub_is_file', 'dataset', [{'op': 'delete', 'path': o}, ['run', root, o, 'participant', '--pipeline', PIPES['ok'], '--quiet']],
        'any', None, OWN_NONE)
    root = write_dataset(path('dataset', 'fifo_participants', 'bids'))
    os.remove(os.path.join(root, 'participants.tsv'))
    os.mkfifo(os.path.join(root, 'participants.tsv'))
    o = work('dataset/fifo_participants')
    add('dataset/fifo_participants', 'dataset', [{'op': 'delete', 'path': o},
                                                 ['run', root, o, 'participant', '--pipeline', PIPES['ok'], '--quiet'],
                                                 ['run', root, o, 'group']], 'any', None, OWN_NIFTI)


def skip_existing_cases():
    """--skip-existing: a changed input, a changed pipeline, a damaged provenance must be recomputed."""
    base = path('skip', 'bids')
    write_dataset(base, subjects=('01',), sessions=('pre',))
    alt = save_nii(path('skip', 'aseg_alt.nii.gz'), aseg(seed_shift=1))  # Right-Hippocampus grows; Left stays
    seg = os.path.join(base, 'derivatives', 'fmriprep', 'sub-01', 'ses-pre', 'anat', 'sub-01_ses-pre_desc-aseg_dseg.nii.gz')
    orig = save_nii(path('skip', 'aseg_orig.nii.gz'), aseg())
    pipe2 = write_bytes(path('skip', 'pipe_right.yaml'), PIPE_OK.replace('Left-Hippocampus', 'Right-Hippocampus').encode())
    right_orig = 18 * 8.0
    right_alt = 36 * 8.0
    feat = 'sub-01/ses-pre/sub-01_ses-pre_features.tsv'
    prov = 'sub-01/ses-pre/sub-01_ses-pre_provenance.json'

    def run(o, pipe, *more):
        return ['run', base, o, 'participant', '--pipeline', pipe, '--quiet', '--skip-existing'] + list(more)

    for nm, mid, pipe_after, want in (
            ('changed_input', [{'op': 'copy', 'from': alt, 'to': seg}], pipe2, right_alt),
            ('changed_pipeline', [], pipe2, right_orig),
            ('garbage_provenance', [{'op': 'write_rel', 'rel': prov, 'text': '{"run_hash": '}], pipe2, right_orig),
            ('empty_provenance', [{'op': 'write_rel', 'rel': prov, 'text': ''}], pipe2, right_orig),
            ('deleted_features', [{'op': 'delete_rel', 'rel': feat}], pipe2, right_orig),
            ('provenance_is_list', [{'op': 'write_rel', 'rel': prov, 'text': '[1, 2]'}], pipe2, right_orig)):
        cid = 'skip/' + nm
        o = work(cid)
        steps = [{'op': 'delete', 'path': o}, {'op': 'copy', 'from': orig, 'to': seg},
                 run(o, pipe2 if nm != 'changed_pipeline' else PIPES['ok'])]
        for m in mid:
            if m['op'] == 'write_rel':
                steps.append(op_write(os.path.join(o, m['rel']), m['text']))
            elif m['op'] == 'delete_rel':
                steps.append({'op': 'delete', 'path': os.path.join(o, m['rel'])})
            else:
                steps.append(m)
        steps.append(run(o, pipe_after))
        steps.append({'op': 'copy', 'from': orig, 'to': seg})
        add(cid, 'skip-existing', steps, 'valid', 'skip', OWN_SKIP, out=o, features=feat,
            column='hippocampus_l_vol_mm3', want=want)


# ---------------------------------------------------------------- resting state: TR and friends

def resting_cases():
    shp = (10, 10, 10, 40)
    aff = affine_of((4, 4, 4), offset=(-20, -20, -20))
    t = np.arange(shp[3])
    bold = rng.normal(1000, 10, shp).astype(np.float32) + (5 * np.sin(t / 3.0))[None, None, None, :].astype(np.float32)
    h = header(1, bold, aff)
    h.set_zooms((4, 4, 4, 2.0))
    bp = write_bytes(path('rest', 'bold.nii.gz'), gz(nifti_blob(h, bold)))
    mask = save_nii(path('rest', 'mask.nii.gz'), np.ones(shp[:3], np.uint8), aff)
    gm = save_nii(path('rest', 'gm.nii.gz'), np.ones(shp[:3], np.float32), aff)
    common = ['--mask', mask, '--strategy', 'none', '--fd-threshold', '0', '--min-seconds', '0', '--space', 'MNI152NLin2009cAsym']
    cmds = {'seedcorr': ['seedcorr', bp, '--seed', 'sphere:0,0,0,6', '--target', 'sphere:8,8,8,6'] + common,
            'alff': ['alff', bp, '--roi', 'sphere:0,0,0,6'] + common,
            'gbc': ['gbc', bp, '--gm-mask', gm, '--roi', 'sphere:0,0,0,6'] + common}
    for c, args in cmds.items():
        add('tr/ok/%s' % c, 'tr', [args], 'valid', None, OWN_ATLAS)
        for nm, v in (('nan', 'NaN'), ('inf', 'Infinity'), ('neg', '-2'), ('zero', '0'), ('tiny', '1e-300'),
                      ('huge', '1e300'), ('word', 'abc'), ('hex', '0x1p1'), ('d_suffix', '2d'), ('empty', '')):
            exp = 'any' if nm in ('hex', 'd_suffix', 'huge', 'tiny', 'empty') else 'refuse'
            add('tr/%s/%s' % (nm, c), 'tr', [args + ['--tr', v]], exp, None, OWN_ATLAS)
    # header TR NaN/0/negative with no --tr and no sidecar; sidecars with odd RepetitionTime
    for nm, z in (('hdr_tr_nan', np.nan), ('hdr_tr_zero', 0.0), ('hdr_tr_neg', -2.0), ('hdr_tr_inf', np.inf)):
        h = header(1, bold, aff)
        h.set_zooms((4, 4, 4, 2.0))
        h._structarr['pixdim'][4] = z
        p = write_bytes(path('rest', nm + '.nii.gz'), gz(nifti_blob(h, bold)))
        add('tr/%s/alff' % nm, 'tr', [['alff', p, '--roi', 'sphere:0,0,0,6'] + common], 'refuse', None, OWN_ATLAS)
    for nm, js in (('side_nan', '{"RepetitionTime": NaN}'), ('side_neg', '{"RepetitionTime": -2}'),
                   ('side_zero', '{"RepetitionTime": 0}'), ('side_string', '{"RepetitionTime": "2"}'),
                   ('side_list', '{"RepetitionTime": [2]}'), ('side_1e999', '{"RepetitionTime": 1e999}'),
                   ('side_garbage', '{"RepetitionTime": '), ('side_null', '{"RepetitionTime": null}')):
        d = path('rest', nm, 'x')
        d = os.path.dirname(d)
        p = os.path.join(d, 'sub-01_task-rest_bold.nii.gz')
        shutil.copy(bp, p)
        write_bytes(os.path.join(d, 'sub-01_task-rest_bold.json'), js.encode())
        exp = 'any' if nm in ('side_string', 'side_null') else 'refuse'
        add('tr/%s/alff' % nm, 'tr', [['alff', p, '--roi', 'sphere:0,0,0,6'] + common], exp, None, OWN_ATLAS)
    # ROI oddities
    for nm, roi in (('sphere_nan', 'sphere:NaN,0,0,6'), ('sphere_inf_r', 'sphere:0,0,0,Infinity'), ('sphere_neg_r', 'sphere:0,0,0,-6'),
                    ('sphere_outside', 'sphere:1e6,0,0,6'), ('sphere_huge_r', 'sphere:0,0,0,1e300'), ('sphere_few', 'sphere:0,0'),
                    ('atlas_fifo', 'atlas:%s:1' % path('special', 'fifo.nii')), ('atlas_nan', 'atlas:%s:1' % path('labels', 'label_nan.nii.gz')),
                    ('atlas_missing', 'atlas:/nonexistent.nii.gz:1'), ('garbage', 'garbage')):
        exp = 'any' if nm in ('sphere_huge_r',) else 'refuse'
        add('roi/%s/alff' % nm, 'roi', [['alff', bp, '--roi', roi] + common], exp, None, OWN_ATLAS)
    # confounds TSV oddities
    conf = 'trans_x\ttrans_y\n' + ''.join('%g\t%g\n' % (rng.normal(), rng.normal()) for _ in range(40))
    for nm, text, exp in (('ok', conf, 'valid'), ('short', conf[:200], 'refuse'), ('ragged', conf.replace('\n', '\t1\n', 5), 'refuse'),
                          ('nan_middle', conf.replace('\n', '\nNaN\tNaN\n', 20).replace('\nNaN\tNaN\n', '\n', 19), 'any'),
                          ('words', conf.replace('0', 'x'), 'refuse'), ('empty', '', 'refuse'), ('binary', '\x00\xff', 'refuse'),
                          ('hex', conf.replace('\n', '\n0x1p1\t0x1p1\n', 1)[:-1], 'any')):
        p = write_bytes(path('rest', 'conf_%s.tsv' % nm), text.encode('latin-1'))
        a = ['alff', bp, '--roi', 'sphere:0,0,0,6', '--mask', mask, '--confounds', p, '--strategy', 'trans_x,trans_y',
             '--fd-threshold', '0', '--min-seconds', '0', '--space', 'MNI152NLin2009cAsym']
        add('confounds/%s/alff' % nm, 'confounds', [a], exp, None, OWN_NONE)
    # dti: tiny DWI with bval/bvec oddities
    dwi = rng.uniform(100, 1000, (4, 4, 4, 7)).astype(np.float32)
    dwi[..., 0] = 1500
    dp = save_nii(path('dwi', 'dwi.nii.gz'), dwi)
    bv = '0 1000 1000 1000 1000 1000 1000\n'
    bvec = '0 1 0 0 0.7071 0.7071 0\n0 0 1 0 0.7071 0 0.7071\n0 0 0 1 0 0.7071 0.7071\n'
    for nm, bval, vec, exp in (('ok', bv, bvec, 'valid'), ('bval_nan', bv.replace('1000', 'NaN', 1), bvec, 'refuse'),
                               ('bval_count', '0 1000 1000\n', bvec, 'refuse'), ('bval_neg', bv.replace('1000', '-1000', 1), bvec, 'refuse'),
                               ('bvec_rows', bv, bvec.split('\n')[0] + '\n', 'refuse'), ('bvec_zero', bv, bvec.replace('0.7071', '0'), 'any'),
                               ('bvec_nan', bv, bvec.replace('0.7071', 'NaN', 1), 'refuse'), ('bval_huge', bv.replace('1000', '1e300', 1), bvec, 'any'),
                               ('bval_empty', '', bvec, 'refuse'), ('bval_words', 'a b c d e f g\n', bvec, 'refuse'),
                               ('no_b0', bv.replace('0 ', '1000 ', 1), bvec, 'any')):
        a = write_bytes(path('dwi', nm + '.bval'), bval.encode())
        b = write_bytes(path('dwi', nm + '.bvec'), vec.encode())
        o = os.path.join(work('dti/' + nm), 'out')
        add('dti/' + nm, 'dti', [{'op': 'delete', 'path': os.path.dirname(o)}, ['dti', dp, '--bval', a, '--bvec', b, '--out', o]],
            exp, None, OWN_NONE)


# ---------------------------------------------------------------- transforms and points

def transform_cases():
    itk = '#Insight Transform File V1.0\n#Transform 0\nTransform: AffineTransform_double_3_3\nParameters: %s\nFixedParameters: 0 0 0\n'
    ident = itk % '1 0 0 0 1 0 0 0 1 0 0 0'
    shift = itk % '1 0 0 0 1 0 0 0 1 1 2 3'
    tfs = {'identity': (ident, 'valid'), 'shift': (shift, 'valid'), 'singular': (itk % '0 0 0 0 0 0 0 0 0 0 0 0', 'refuse'),
           'nan': (itk % 'NaN 0 0 0 1 0 0 0 1 0 0 0', 'refuse'), 'inf': (itk % '1 0 0 0 1 0 0 0 1 Infinity 0 0', 'refuse'),
           'few_params': (itk % '1 0 0', 'refuse'), 'words': (itk % 'a b c d e f g h i j k l', 'refuse'),
           'huge': (itk % '1e308 0 0 0 1e308 0 0 0 1e308 0 0 0', 'any'), 'empty': ('', 'refuse'),
           'unknown_type': (ident.replace('AffineTransform', 'FancyTransform'), 'refuse'), 'binary': ('\x00\x01\xff', 'refuse'),
           'many_transforms': ((ident + '#Transform 1\nTransform: AffineTransform_double_3_3\nParameters: 1 0 0 0 1 0 0 0 1 0 0 0\nFixedParameters: 0 0 0\n') * 1, 'any')}
    for nm, (text, exp) in tfs.items():
        p = write_bytes(path('xfm', nm + '.txt'), text.encode('latin-1'))
        add('xfm/%s/point' % nm, 'transform', [['transform-point', '1', '2', '3', '-t', p]], exp,
            'point' if exp == 'valid' else None, OWN_NONE, want={'identity': [1, 2, 3], 'shift': [2, 4, 0]}.get(nm))
        # shift: ITK parameters are LPS, (1, 2, 3) LPS = (-1, -2, 3) RAS; the ROI-to-data map inverts it: (1,2,3) -> (2,4,0)
        o = os.path.join(work('xfm/%s/apply' % nm), 'o.nii.gz')
        add('xfm/%s/apply' % nm, 'transform', [{'op': 'delete', 'path': os.path.dirname(o)},
                                                ['apply-transform', MAP_OK, '-r', MAP_OK, '-t', p, '-o', o]], exp, None, OWN_NONE)
    for nm, text, exp in (('mat_singular', '0 0 0 0\n0 0 0 0\n0 0 0 0\n0 0 0 1\n', 'refuse'), ('mat_nan', 'NaN 0 0 0\n0 1 0 0\n0 0 1 0\n0 0 0 1\n', 'refuse'),
                          ('mat_short', '1 0 0\n', 'refuse')):
        p = write_bytes(path('xfm', nm + '.mat'), text.encode())
        add('xfm/%s/point' % nm, 'transform', [['transform-point', '1', '2', '3', '-t', p]], exp, None, OWN_NONE)
    h5 = write_bytes(path('xfm', 'fake.h5'), b'not hdf5 at all')
    add('xfm/fake_h5/point', 'transform', [['transform-point', '1', '2', '3', '-t', h5]], 'refuse', None, OWN_NONE)
    h5t = write_bytes(path('xfm', 'trunc.h5'), b'\x89HDF\r\n\x1a\n' + b'\0' * 40)
    add('xfm/trunc_h5/point', 'transform', [['transform-point', '1', '2', '3', '-t', h5t]], 'refuse', None, OWN_NONE)
    # displacement field with NaN vectors; a field that is 3D
    field = np.zeros((4, 4, 4, 1, 3), np.float32)
    field[1, 1, 1, 0, :] = np.nan
    fimg = nib.Nifti1Image(field, affine_of((4, 4, 4), offset=(-8, -8, -8)))
    fimg.header.set_intent('vector')
    fp = path('xfm', 'field_nan.nii.gz')
    raw = nifti_blob(fimg.header, field, set_offset=True)
    write_bytes(fp, gz(raw))
    add('xfm/field_nan/point', 'transform', [['transform-point', '-4', '-4', '-4', '-t', fp]], 'any', None, OWN_NONE)
    ident_p = os.path.join(F, 'xfm', 'identity.txt')
    for nm, pts, exp in (('nan', ['NaN', '0', '0'], 'refuse'), ('inf', ['Infinity', '0', '0'], 'refuse'), ('1e999', ['1e999', '0', '0'], 'refuse'),
                         ('two', ['1', '2'], 'refuse'), ('word', ['a', 'b', 'c'], 'refuse'), ('hex', ['0x1p1', '0', '0'], 'any')):
        add('points/%s' % nm, 'transform', [['transform-point'] + pts + ['-t', ident_p]], exp, None, OWN_NONE)
    for nm, text, exp in (('ragged', 'x y z\n1 2 3\n4 5\n', 'refuse'), ('nan', 'x y z\nNaN 0 0\n', 'refuse'),
                          ('big', 'x y z\n' + '1 2 3\n' * 20000, 'valid'), ('binary', '\x00\xff\n', 'refuse'),
                          ('only_header', 'x y z\n', 'any'), ('cols_swapped', 'z y x\n3 2 1\n', 'valid')):
        p = write_bytes(path('xfm', 'points_%s.tsv' % nm), text.encode('latin-1'))
        add('points/file_%s' % nm, 'transform', [['transform-point', '--points', p, '-t', ident_p]], exp,
            'points_file' if nm == 'cols_swapped' else None, OWN_NONE, want=[1, 2, 3])
    # apply-transform onto a 1 GB reference grid (the zeros bomb): the output would be 4 GB of float32
    o = os.path.join(work('xfm/huge_reference/apply'), 'o.nii.gz')
    add('xfm/huge_reference/apply', 'transform', [{'op': 'delete', 'path': os.path.dirname(o)},
                                                   ['apply-transform', MAP_OK, '-r', path('bomb', 'zeros_1024cubed_uint8.nii.gz'), '-o', o]],
        'any', None, OWN_NIFTI, note='a 4 GB output: a clean refusal for memory is right')
    o = os.path.join(work('xfm/nifti2_huge_reference/apply'), 'o.nii.gz')
    add('xfm/nifti2_huge_reference/apply', 'transform', [{'op': 'delete', 'path': os.path.dirname(o)},
                                                          ['apply-transform', MAP_OK, '-r', path('huge', 'n2_wrap_zero.nii'), '-o', o]],
        'refuse', None, OWN_NIFTI)


# ---------------------------------------------------------------- SLURM

def slurm_cases():
    fake = path('slurm', 'fake-ketaprint')
    with open(fake, 'w') as f:
        f.write('#!/bin/bash\n# records its arguments, NUL-separated, one call per file\n'
                'n=$(ls "$ATTACK_RECORD" 2>/dev/null | wc -l)\n'
                'printf "%s\\0" "$@" > "$ATTACK_RECORD/call$n"\nexit "${ATTACK_EXIT:-0}"\n')
    os.chmod(fake, 0o755)
    names = {'plain': 'plain', 'space': 'with space', 'cmdsubst': '$(touch PWNED)', 'backtick': '`touch PWNED`',
             'squote': "it's", 'dquote': 'say "hi"', 'semicolon': 'a;touch PWNED;b', 'newline': 'a\ntouch PWNED\nb',
             'percent': '100%A', 'dollar_var': '$HOME', 'glob': 'st*r', 'dash': '-rf', 'backslash': 'a\\nb',
             'cr': 'a\rb', 'hash': 'a #b'}
    for nm, word in names.items():
        base = path('slurm', nm, 'x')
        base = os.path.dirname(base)
        bids = os.path.join(base, 'bids ' + word if nm != 'plain' else 'bids')
        write_dataset(bids, subjects=('01', '02'), sessions=('pre',))
        atlas = os.path.join(base, 'atlas ' + word if nm != 'plain' else 'atlas')
        os.makedirs(atlas, exist_ok=True)
        cid = 'slurm/path_' + nm
        out = os.path.join(work(cid), 'out ' + word if nm != 'plain' else 'out')
        exp = 'any' if nm in ('newline', 'cr') else 'ref'
        add(cid, 'slurm', [{'op': 'delete', 'path': work(cid)},
                           ['slurm', bids, out, '--ketaprint', fake, '--pipeline', PIPES['ok'], '--atlas-dir', atlas]],
            exp, 'slurm', OWN_SLURM, bids=bids, out=out, fake=fake, labels=['01', '02'], pipeline=PIPES['ok'], atlas=atlas)
    spaced = path('slurm', 'launcher dir $(touch PWNED)', "ketaprint 'x'")
    shutil.copy(fake, spaced)
    os.chmod(spaced, 0o755)
    bids = os.path.join(F, 'slurm', 'plain', 'bids')
    cid = 'slurm/launcher_path'
    out = os.path.join(work(cid), 'out')
    add(cid, 'slurm', [{'op': 'delete', 'path': work(cid)}, ['slurm', bids, out, '--ketaprint', spaced, '--pipeline', PIPES['ok']]],
        'ref', 'slurm', OWN_SLURM, bids=bids, out=out, fake=spaced, labels=['01', '02'], pipeline=PIPES['ok'])
    # options that land in #SBATCH lines or the script
    bids = write_dataset(path('slurm', 'opts', 'bids'), subjects=('01',), sessions=('pre',))
    for nm, opt in (('partition_newline', ['--partition', 'short\ntouch PWNED']), ('partition_semicolon', ['--partition', 'a;touch PWNED']),
                    ('job_name_subst', ['--job-name', '$(touch PWNED)']), ('mem_garbage', ['--mem', '4G\ntouch PWNED']),
                    ('mem_words', ['--mem', 'lots']), ('time_garbage', ['--time', '1:00;touch PWNED']), ('account_quote', ['--account', "a'b"]),
                    ('array_var_subst', ['--array-index-var', '$(touch PWNED)']), ('array_var_space', ['--array-index-var', 'A B']),
                    ('cpus_zero', ['--cpus-per-task', '0']), ('cpus_neg', ['--cpus-per-task', '-3']), ('array_limit_neg', ['--array-limit', '-1']),
                    ('label_subst', ['--participant-label', '$(touch PWNED)']), ('label_newline', ['--participant-label', '01\ntouch PWNED']),
                    ('session_subst', ['--session-label', '$(touch PWNED)']), ('sbatch_arg_newline', ['--sbatch-arg', '--x\ntouch PWNED']),
                    ('dependency_bad', ['--dependency', 'afterok;touch PWNED'])):
        cid = 'slurm/opt_' + nm
        out = os.path.join(work(cid), 'out')
        add(cid, 'slurm', [{'op': 'delete', 'path': work(cid)},
                           ['slurm', bids, out, '--ketaprint', fake, '--pipeline', PIPES['ok']] + opt],
            'refuse' if 'PWNED' in ' '.join(opt) or nm in ('cpus_zero', 'cpus_neg', 'mem_words', 'array_limit_neg', 'array_var_space') else 'any',
            'slurm', OWN_SLURM, bids=bids, out=out, fake=fake, labels=None, pipeline=PIPES['ok'])
    # participant folders with shell syntax in a SLURM dataset
    bids = write_dataset(path('slurm', 'subs', 'bids'), subjects=('01', '$(touch PWNED)', "x'y", '0\n1'), sessions=('pre',))
    cid = 'slurm/subject_folders'
    out = os.path.join(work(cid), 'out')
    add(cid, 'slurm', [{'op': 'delete', 'path': work(cid)}, ['slurm', bids, out, '--ketaprint', fake, '--pipeline', PIPES['ok']]],
        'any', 'slurm', OWN_SLURM, bids=bids, out=out, fake=fake, labels=None, pipeline=PIPES['ok'])


# ---------------------------------------------------------------- command lines

def cli_cases():
    for nm, args in (('no_args', []), ('info_no_file', ['info']), ('unknown_cmd', ['frobnicate']), ('unknown_option', ['info', '--frob', 'x']),
                     ('convert_bad_type', ['convert', MAP_OK, os.path.join(WORK, 'cli_x.nii'), '--datatype', 'complex256']),
                     ('convert_out_dir', ['convert', MAP_OK, F]), ('convert_out_noext', ['convert', MAP_OK, os.path.join(WORK, 'cli_noext')]),
                     ('convert_out_missing_dir', ['convert', MAP_OK, '/nonexistent/dir/o.nii']),
                     ('convert_onto_itself', ['convert', path('cli', 'self.nii'), path('cli', 'self.nii')]),
                     ('run_level_typo', ['run', F, os.path.join(WORK, 'cli_o'), 'partcipant']),
                     ('run_same_dirs', ['run', path('tsv', 'ok', 'bids'), path('tsv', 'ok', 'bids'), 'participant']),
                     ('run_nthreads_zero', ['run', path('tsv', 'ok', 'bids'), os.path.join(WORK, 'cli_t0'), 'participant', '--nthreads', '0', '--pipeline', PIPES['ok']]),
                     ('run_nthreads_huge', ['run', path('tsv', 'ok', 'bids'), os.path.join(WORK, 'cli_th'), 'participant', '--nthreads', '2147483647', '--pipeline', PIPES['ok'], '--quiet']),
                     ('run_label_empty', ['run', path('tsv', 'ok', 'bids'), os.path.join(WORK, 'cli_le'), 'participant', '--participant-label', '', '--pipeline', PIPES['ok']]),
                     ('run_label_dotdot', ['run', path('tsv', 'ok', 'bids'), os.path.join(WORK, 'cli_ld'), 'participant', '--participant-label', '../..', '--pipeline', PIPES['ok']]),
                     ('run_session_dotdot', ['run', path('tsv', 'ok', 'bids'), os.path.join(WORK, 'cli_sd'), 'participant', '--session-label', '../../x', '--pipeline', PIPES['ok']]),
                     ('run_pipeline_dir', ['run', path('tsv', 'ok', 'bids'), os.path.join(WORK, 'cli_pd'), 'participant', '--pipeline', F]),
                     ('run_pipeline_fifo', ['run', path('tsv', 'ok', 'bids'), os.path.join(WORK, 'cli_pf'), 'participant', '--pipeline', path('special', 'fifo.nii')]),
                     ('validate_fifo', ['validate-pipeline', path('special', 'fifo.nii')]), ('validate_dir', ['validate-pipeline', F]),
                     ('validate_devzero', ['validate-pipeline', '/dev/zero']),
                     ('run_group_no_participant', ['run', path('tsv', 'ok', 'bids'), os.path.join(WORK, 'cli_gn'), 'group']),
                     ('measure_unknown', ['measure', 'nope']), ('measure_volume_no_input', ['measure', 'volume']),
                     ('volumes_mask_other_grid', ['volumes', ATLAS_OK, '--mask', path('valid', 'n1_int16_le.nii')]),
                     ('roistats_mask_fifo', ['roistats', MAP_OK, '--atlas', ATLAS_OK, '--mask', path('special', 'fifo.nii')]),
                     ('roistats_above_nan', ['roistats', MAP_OK, '--atlas', ATLAS_OK, '--above', 'NaN']),
                     ('info_many_same', ['info'] + [MAP_OK] * 50)):
        if nm == 'convert_onto_itself':
            shutil.copy(path('valid', 'n1_int16_le.nii'), path('cli', 'self.nii'))
        exp = 'any' if nm in ('info_many_same', 'run_nthreads_huge', 'convert_out_noext', 'convert_onto_itself', 'volumes_mask_other_grid',
                              'roistats_above_nan', 'no_args', 'convert_out_missing_dir', 'run_nthreads_zero',
                              'run_session_dotdot') else 'refuse'
        if nm in ('roistats_mask_fifo', 'validate_fifo', 'run_pipeline_fifo', 'validate_devzero', 'validate_dir', 'run_pipeline_dir'):
            owner = OWN_NIFTI if 'roistats' in nm else OWN_YAML
        else:
            owner = OWN_NONE
        add('cli/' + nm, 'cli', [args], exp, None, owner)


# ---------------------------------------------------------------- task fMRI: the glm command and the task stage

GLM_STATS = ('effect', 'variance', 't', 'z', 'p')


def glm_outputs(prefix, labels, ar1=True):
    """The files `glm --out PREFIX` writes for contrasts with these labels (default compression)."""
    fs = [prefix + '_design.tsv'] + [prefix + '_contrast-%s_stat-%s_statmap.nii.gz' % (l, s) for l in labels for s in GLM_STATS]
    return fs + ([prefix + '_ar1.nii.gz'] if ar1 else [])


def glm_run_data():
    """A small task run: 6x6x5 voxels of 4 mm, 60 volumes, TR 2 s (header), fearful/neutral blocks, 6P confounds and
    framewise_displacement with two spikes; returns the file paths and text."""
    shp = (6, 6, 5, 60)
    n = shp[3]
    tr = 2.0
    aff = affine_of((4, 4, 4), offset=(-10, -10, -8))
    t = np.arange(n) * tr
    fear = [(10.0 + 40 * k, 10.0) for k in range(3)]
    neut = [(30.0 + 40 * k, 10.0) for k in range(3)]

    def box(ev, lag=5.0):
        x = np.zeros(n)
        for o, d in ev:
            x[(t >= o + lag) & (t < o + d + lag)] = 1.0
        return x
    signal = 3.0 * box(fear) + 1.0 * box(neut)
    bold = rng.normal(1000, 5, shp).astype(np.float32)
    bold[1:4, 1:4, 1:4, :] += signal[None, None, None, :].astype(np.float32) * 10
    bold += np.linspace(0, 3, n)[None, None, None, :].astype(np.float32)   # slow drift
    h = header(1, bold, aff)
    h.set_zooms((4, 4, 4, tr))
    d = os.path.dirname(path('glm', 'x'))
    bp = write_bytes(os.path.join(d, 'sub-01_task-faces_bold.nii.gz'), gz(nifti_blob(h, bold)))
    mask_arr = np.ones(shp[:3], np.uint8)
    mask_arr[0, 0, 0] = 0
    mp = save_nii(os.path.join(d, 'sub-01_task-faces_mask.nii.gz'), mask_arr, aff)
    ev = 'onset\tduration\ttrial_type\tmodulation\n' + ''.join(
        '%g\t%g\t%s\t1\n' % (o, dd, c) for o, dd, c in sorted([(o, dd, 'fearful') for o, dd in fear] +
                                                             [(o, dd, 'neutral') for o, dd in neut]))
    evp = write_bytes(os.path.join(d, 'events_ok.tsv'), ev.encode())
    motion = rng.normal(0, 0.05, (n, 6))
    fd = np.abs(np.diff(motion[:, :3], axis=0)).sum(1) + 50 * np.abs(np.diff(motion[:, 3:] / 50, axis=0)).sum(1)
    fd[[20, 41]] = 1.5   # two spikes (volumes 21 and 42)
    cols = ['trans_x', 'trans_y', 'trans_z', 'rot_x', 'rot_y', 'rot_z', 'framewise_displacement']
    conf = '\t'.join(cols) + '\n' + ''.join(
        '\t'.join('%.6f' % v for v in motion[i]) + '\t' + ('n/a' if i == 0 else '%.6f' % fd[i - 1]) + '\n' for i in range(n))
    cp = write_bytes(os.path.join(d, 'confounds_ok.tsv'), conf.encode())
    return {'bold': bp, 'mask': mp, 'events': evp, 'events_text': ev, 'confounds': cp, 'confounds_text': conf,
            'bold_arr': bold, 'affine': aff, 'header': h, 'dir': d, 'n': n}


def glm_cases():
    """The glm command: hostile events, contrasts, parameters, inputs and output prefixes; valid variants that must
    give the reference run's outputs (same design.tsv, same maps)."""
    global GLM_RUN
    g = GLM_RUN = glm_run_data()
    d = g['dir']
    CON = 'fearful - neutral'
    LABEL = 'fearfulGtNeutral'

    def args(prefix, events=None, contrast=CON, bold=None, mask=None, confounds=None, extra=()):
        a = ['glm', bold or g['bold'], '--events', events or g['events'], '--mask', mask or g['mask'],
             '--roi', 'sphere:0,0,0,6', '--json']
        if confounds != '':
            a += ['--confounds', confounds or g['confounds']]
        for c in ([contrast] if isinstance(contrast, str) else contrast):
            a += ['--contrast', c]
        return a + list(extra) + ['--out', prefix]

    def case(cid, steps, expect, prefix, labels=(LABEL,), names=None, check=None, **kw):
        """prefix: the output prefix under test (absolute): after a refusal nothing may start with its name; after exit
        0 (check glm) its files must be there and readable."""
        add(cid, 'glm', [{'op': 'delete', 'path': work(cid)}] + steps, expect,
            check or ('glm' if expect != 'refuse' else None), OWN_GLM, prefix=prefix, labels=list(labels), shape=[6, 6, 5],
            names=names, **kw)

    # the reference: valid, and the outputs every valid variant is compared with
    cid = 'glm/valid/ok'
    ref = os.path.join(work(cid), 'sub-01')
    case(cid, [args(ref)], 'valid', ref)

    def vs_ref(cid, steps_for, expect='valid', names=None, labels=(LABEL,), contrast=CON, p=None, **kw):
        """A case whose output (prefix p) must equal a reference run made (first) in the same case."""
        r = os.path.join(work(cid), 'ref', 'sub-01')
        p = p or os.path.join(work(cid), 'test', 'sub-01')
        steps = [args(r, contrast=contrast)] + steps_for(p)
        case(cid, steps, expect, p, labels=labels, names=names, check='glm_same', ref_prefix=r, **kw)

    # ---- events files
    ev_ok = g['events_text']
    ev_lines = ev_ok.split('\n')
    head, rows = ev_lines[0], [l for l in ev_lines[1:] if l]
    hostile_events = {
        'empty': ('', 'refuse'),
        'header_only': (head + '\n', 'refuse'),
        'blank_lines_only': ('\n\n\n', 'refuse'),
        'no_onset_column': (ev_ok.replace('onset', 'start', 1), 'refuse'),
        'no_duration_column': (ev_ok.replace('duration', 'length', 1), 'refuse'),
        'na_duration': (ev_ok.replace('\t10\tneutral', '\tn/a\tneutral', 1), 'refuse'),
        'na_onset': (ev_ok.replace('30\t10', 'n/a\t10', 1), 'refuse'),
        'empty_onset': (ev_ok.replace('30\t10', '\t10', 1), 'refuse'),
        'nonnumeric_onset': (ev_ok.replace('30\t10', 'thirty\t10', 1), 'refuse'),
        'onset_infinity': (ev_ok.replace('30\t10', 'Infinity\t10', 1), 'refuse'),
        'onset_1e999': (ev_ok.replace('30\t10', '1e999\t10', 1), 'refuse'),
        'onset_hex': (ev_ok.replace('30\t10', '0x1Ep0\t10', 1), 'refuse'),
        'onset_d_suffix': (ev_ok.replace('30\t10', '30d\t10', 1), 'refuse'),
        'negative_duration': (ev_ok.replace('30\t10', '30\t-10', 1), 'refuse'),
        'ragged_short_row': (ev_ok.replace('\t10\tneutral\t1\n', '\t10\tneutral\n', 1), 'refuse'),
        'ragged_long_row': (ev_ok.replace('\t10\tneutral\t1\n', '\t10\tneutral\t1\textra\n', 1), 'refuse'),
        'nan_modulation': (ev_ok.replace('\tfearful\t1\n', '\tfearful\tNaN\n', 1), 'refuse'),
        'na_modulation': (ev_ok.replace('\tfearful\t1\n', '\tfearful\tn/a\n', 1), 'refuse'),
        'word_modulation': (ev_ok.replace('\tfearful\t1\n', '\tfearful\tstrong\n', 1), 'refuse'),
        'na_trial_type': (ev_ok.replace('\tneutral\t', '\tn/a\t', 1), 'refuse'),
        'binary': ('\x00\x01\xff\xfe garbage\n', 'refuse'),
        'bad_utf8': (b'onset\tduration\ttrial_type\n10\t10\tfe\xffrful\n30\t10\tneutral\n', 'refuse'),
        'spaces_not_tabs': (ev_ok.replace('\t', ' '), 'refuse'),
        'comma_separated': (ev_ok.replace('\t', ','), 'refuse'),
        'duplicate_onset_column': (ev_ok.replace('onset\tduration\ttrial_type\tmodulation', 'onset\tduration\ttrial_type\tonset')
                                   .replace('\t1\n', '\t999\n'), 'refuse'),
        # a trial type named like a design column: two design columns of one name
        'trial_type_constant': (ev_ok.replace('neutral', 'constant'), 'refuse'),
        'trial_type_trans_x': (ev_ok.replace('neutral', 'trans_x'), 'refuse'),
        # the contrasted condition's events all after the run (120 s): not estimable
        'fearful_all_after_end': (head + '\n' + '\n'.join(('%d\t10\tfearful\t1' % (500 + 40 * k)) if '\tfearful\t' in l
                                                          else l for k, l in enumerate(rows)) + '\n', 'refuse'),
        'fearful_1e308': (head + '\n' + '\n'.join(('1e308\t10\tfearful\t1') if '\tfearful\t' in l else l for l in rows) + '\n',
                          'refuse'),
    }
    for nm, (text, exp) in hostile_events.items():
        p = write_bytes(path('glm', 'events', nm + '.tsv'), text if isinstance(text, bytes) else text.encode('utf-8'))
        cid = 'glm/events/' + nm
        pre = os.path.join(work(cid), 'sub-01')
        case(cid, [args(pre, events=p)], exp, pre, names=p)
    # events that must give the reference's outputs: BOM, CRLF, an extra 1e308 fearful event (past the end: left out
    # with a warning), extra BIDS columns, rows in another order
    same_events = {
        'bom': '\ufeff' + ev_ok,
        'crlf': ev_ok.replace('\n', '\r\n'),
        'bom_crlf': '\ufeff' + ev_ok.replace('\n', '\r\n'),
        'extra_onset_1e308': ev_ok + '1e308\t10\tfearful\t1\n',
        'extra_columns': ev_ok.replace('modulation\n', 'modulation\tresponse_time\tstim_file\n', 1)
                              .replace('\t1\n', '\t1\tn/a\tface.png\n'),
        'rows_shuffled': head + '\n' + '\n'.join(rows[::-1]) + '\n',
        'trailing_blank_lines': ev_ok + '\n\n',
    }
    for nm, text in same_events.items():
        p = write_bytes(path('glm', 'events', nm + '.tsv'), text.encode('utf-8'))
        vs_ref('glm/events/' + nm, lambda pre, p=p: [args(pre, events=p)], 'ref', names=p)
    # events that are not regular files
    fifo = path('glm', 'events', 'fifo.tsv')
    os.mkfifo(fifo)
    dirp = os.path.dirname(path('glm', 'events', 'folder.tsv', 'x'))
    for nm, p in (('fifo', fifo), ('folder', dirp), ('missing', path('glm', 'events', 'none.tsv')),
                  ('dev_zero', '/dev/zero')):
        cid = 'glm/events/' + nm
        pre = os.path.join(work(cid), 'sub-01')
        case(cid, [args(pre, events=p)], 'refuse', pre, names=p)

    # ---- contrasts
    long_same = CON + ' + fearful - neutral' * 500                           # ~10 000 characters, 2 columns
    long_names = ' + '.join('c%d' % i for i in range(2000))                   # ~10 000 characters, absent columns
    contrasts = {
        'empty': ([''], 'refuse', None),
        'blank': (['   '], 'refuse', None),
        'two_words': (['a b'], 'refuse', 'a b'),
        'shift': (['a >> b'], 'refuse', 'a >> b'),
        'weight_1e999': (['1e999*fearful - neutral'], 'refuse', None),
        'weight_1e308_sum': (['1e308*fearful + 1e308*fearful - neutral'], 'refuse', None),
        'zero_weights': (['fearful - fearful'], 'refuse', None),
        'zero_weight': (['0*fearful'], 'refuse', None),
        'absent_trial_type': (['fearful - happy'], 'refuse', 'happy'),
        'unicode_name': (['\u00e4ngstlich - neutral'], 'refuse', None),
        'cyrillic_homoglyph': (['f\u0435arful - neutral'], 'refuse', None),
        'long_10000_absent': ([long_names], 'refuse', None),
        'long_10000_same_columns': ([long_same], 'any', None),
        'trailing_operator': (['fearful -'], 'refuse', None),
        'named_empty': (['x='], 'refuse', None),
        'named_bad_label': (['a/b=fearful - neutral'], 'refuse', None),
        'nul_char': (['fearful\u0000 - neutral'], 'refuse', None),
        'newline': (['fearful\n- neutral'], 'any', None),
        'label_starts_with_digit': (['2*fearful'], 'valid', None),
        'named_label_200': (['x' * 200 + '=fearful - neutral'], 'refuse', None),
        'underscore_only': (['_'], 'refuse', None),
        # two contrasts that would write the same files
        'duplicate_label_named': (['x=fearful - neutral', 'x=neutral - fearful'], 'refuse', None),
        'duplicate_label_spacing': (['fearful - neutral', 'fearful-neutral'], 'any', None),
    }
    for nm, (cs, exp, names) in contrasts.items():
        cid = 'glm/contrast/' + nm
        pre = os.path.join(work(cid), 'sub-01')
        case(cid, [args(pre, contrast=cs)], exp, pre, names=names, labels=[])
    # a design column other than a condition, and a named contrast: valid
    for nm, cs, labels in (('constant_column', ['constant'], ['constant']), ('named', ['faces=fearful - neutral'], ['faces']),
                           ('scaled', ['0.5*fearful + 0.5*neutral'], None), ('two', ['fearful - neutral', 'neutral'],
                                                                              [LABEL, 'neutral'])):
        cid = 'glm/contrast/' + nm
        pre = os.path.join(work(cid), 'sub-01')
        case(cid, [args(pre, contrast=cs)], 'valid', pre, labels=labels or [])

    # ---- parameters
    params = {
        'hrf_fir': (['--hrf', 'fir'], 'refuse'), 'hrf_empty': (['--hrf', ''], 'refuse'),
        'hrf_spm_derivative': (['--hrf', 'spm + derivative'], 'valid'), 'hrf_glover_dispersion': (['--hrf', 'glover + derivative + dispersion'], 'valid'),
        'noise_ar2': (['--noise', 'ar2'], 'refuse'), 'noise_ols': (['--noise', 'ols'], 'valid'),
        'high_pass_neg': (['--high-pass', '-1'], 'refuse'), 'high_pass_nan': (['--high-pass', 'nan'], 'refuse'),
        'high_pass_NaN': (['--high-pass', 'NaN'], 'refuse'), 'high_pass_inf': (['--high-pass', 'Infinity'], 'refuse'),
        'high_pass_1e9': (['--high-pass', '1e9'], 'refuse'), 'high_pass_0': (['--high-pass', '0'], 'valid'),
        'slice_time_ref_2': (['--slice-time-ref', '2'], 'refuse'), 'slice_time_ref_neg': (['--slice-time-ref', '-0.1'], 'refuse'),
        'slice_time_ref_nan': (['--slice-time-ref', 'nan'], 'refuse'), 'slice_time_ref_1': (['--slice-time-ref', '1'], 'valid'),
        'fd_threshold_nan': (['--fd-threshold', 'nan'], 'refuse'), 'fd_threshold_neg': (['--fd-threshold', '-1'], 'refuse'),
        'fd_threshold_0': (['--fd-threshold', '0'], 'valid'), 'fd_threshold_inf': (['--fd-threshold', 'Infinity'], 'any'),
        'tr_0': (['--tr', '0'], 'refuse'), 'tr_neg': (['--tr', '-2'], 'refuse'), 'tr_nan': (['--tr', 'nan'], 'refuse'),
        'tr_inf': (['--tr', 'Infinity'], 'refuse'), 'tr_1e300': (['--tr', '1e300'], 'any'), 'tr_1e-300': (['--tr', '1e-300'], 'any'),
        'strategy_unknown_column': (['--strategy', 'no_such_column'], 'refuse'), 'strategy_none': (['--strategy', 'none'], 'valid'),
        'strategy_24P_derived_columns': (['--strategy', '24P'], 'valid'),   # expansions derived from the base columns
        'compression_none': (['--compression', 'none'], 'valid'),
    }
    for nm, (extra, exp) in params.items():
        cid = 'glm/param/' + nm
        pre = os.path.join(work(cid), 'sub-01')
        ar1 = 'noise_ols' not in nm
        case(cid, [args(pre, extra=extra)], exp, pre, ar1=ar1, ext='.nii' if nm == 'compression_none' else '.nii.gz')
    cid = 'glm/param/strategy_6P_no_confounds'
    pre = os.path.join(work(cid), 'sub-01')
    case(cid, [args(pre, confounds='')], 'refuse', pre)
    cid = 'glm/param/strategy_none_no_confounds'
    pre = os.path.join(work(cid), 'sub-01')
    case(cid, [args(pre, confounds='', extra=['--strategy', 'none'])], 'valid', pre)

    # ---- confounds, mask, BOLD
    conf = g['confounds_text']
    cl = conf.split('\n')
    for nm, text, exp in (('fewer_rows', '\n'.join(cl[:40]) + '\n', 'refuse'), ('more_rows', conf + cl[5] + '\n', 'refuse'),
                          ('header_only', cl[0] + '\n', 'refuse'), ('empty', '', 'refuse'),
                          ('nan_trans_x', '\n'.join(cl[:10] + ['NaN\t' + cl[10].split('\t', 1)[1]] + cl[11:]), 'any'),
                          ('words', conf.replace('0.0', 'x.0'), 'refuse'), ('no_fd_column', '\n'.join(
                              '\t'.join(r.split('\t')[:6]) for r in cl if r) + '\n', 'valid')):
        p = write_bytes(path('glm', 'confounds', nm + '.tsv'), text.encode())
        cid = 'glm/confounds/' + nm
        pre = os.path.join(work(cid), 'sub-01')
        case(cid, [args(pre, confounds=p)], exp, pre, names=p)
    shp3 = g['bold_arr'].shape[:3]
    empty_mask = save_nii(path('glm', 'inputs', 'mask_empty.nii.gz'), np.zeros(shp3, np.uint8), g['affine'])
    other_grid = save_nii(path('glm', 'inputs', 'mask_other_grid.nii.gz'), np.ones((7, 6, 5), np.uint8), g['affine'])
    nan_mask = save_nii(path('glm', 'inputs', 'mask_nan.nii.gz'), np.full(shp3, np.nan, np.float32), g['affine'])
    bold3d = save_nii(path('glm', 'inputs', 'bold_3d.nii.gz'), g['bold_arr'][..., 0], g['affine'])
    h = header(1, g['bold_arr'][..., :3], g['affine'])
    h.set_zooms((4, 4, 4, 2.0))
    bold3 = write_bytes(path('glm', 'inputs', 'bold_3vols.nii.gz'), gz(nifti_blob(h, g['bold_arr'][..., :3])))
    conf3 = write_bytes(path('glm', 'inputs', 'confounds_3rows.tsv'), ('\n'.join(cl[:4]) + '\n').encode())
    b = g['bold_arr'].copy()
    b[2, 2, 2, :] = np.nan
    h = header(1, b, g['affine'])
    h.set_zooms((4, 4, 4, 2.0))
    bold_nan = write_bytes(path('glm', 'inputs', 'bold_nan_voxel.nii.gz'), gz(nifti_blob(h, b)))
    b = g['bold_arr'].copy()
    b[3, 3, 3, :] = 0
    h = header(1, b, g['affine'])
    h.set_zooms((4, 4, 4, 2.0))
    bold_zero = write_bytes(path('glm', 'inputs', 'bold_zero_voxel.nii.gz'), gz(nifti_blob(h, b)))
    for nm, kw, exp, names in (('mask_empty', {'mask': empty_mask}, 'refuse', empty_mask),
                               ('mask_other_grid', {'mask': other_grid}, 'any', other_grid),   # resampled, with a warning
                               ('mask_nan', {'mask': nan_mask}, 'refuse', nan_mask),
                               ('bold_3d', {'bold': bold3d}, 'refuse', bold3d),
                               ('bold_3_volumes', {'bold': bold3, 'confounds': conf3}, 'refuse', None),
                               ('bold_nan_voxel', {'bold': bold_nan}, 'any', None),
                               ('bold_constant_zero_voxel', {'bold': bold_zero}, 'any', None),
                               ('bold_fifo', {'bold': path('special', 'fifo.nii.gz')}, 'refuse', path('special', 'fifo.nii.gz'))):
        cid = 'glm/input/' + nm
        pre = os.path.join(work(cid), 'sub-01')
        case(cid, [args(pre, **kw)], exp, pre, names=names, nonfinite_ok=1 if nm == 'bold_nan_voxel' else 0)

    # ---- output prefixes
    cid = 'glm/out/missing_folder'
    pre = os.path.join(work(cid), 'no', 'such', 'folder', 'sub-01')
    case(cid, [args(pre)], 'any', pre)
    cid = 'glm/out/read_only_folder'
    ro = os.path.join(F, 'glm', 'readonly')
    os.makedirs(ro, exist_ok=True)
    os.chmod(ro, 0o555)
    pre = os.path.join(ro, 'sub-01')
    # (root writes into a read-only folder: there the case cannot fail)
    case(cid, [args(pre)], 'refuse' if os.geteuid() != 0 else 'any', pre,
         note='root ignores the folder mode: expect any' if os.geteuid() == 0 else '')
    cid = 'glm/out/parent_is_file'
    f = write_bytes(path('glm', 'a_file'), b'not a folder')
    pre = os.path.join(f, 'sub-01')
    case(cid, [args(pre)], 'refuse', pre, names=f)
    cid = 'glm/out/prefix_is_folder'
    pre = os.path.join(work(cid), 'sub-01')
    case(cid, [{'op': 'write', 'path': os.path.join(pre + '_design.tsv', 'x'), 'b64': ''}, args(pre)], 'refuse', pre,
         keep=['sub-01_design.tsv'])
    cid = 'glm/out/prefix_empty'
    case(cid, [args('')], 'refuse', os.path.join(work(cid), 'none'))
    cid = 'glm/out/prefix_trailing_slash'
    pre = os.path.join(work(cid), 'dir') + '/'
    case(cid, [args(pre)], 'any', pre)
    # the same prefix twice: the second run (other events) replaces every file
    cid = 'glm/out/same_prefix_twice'
    ev_late = write_bytes(path('glm', 'events', 'shifted.tsv'), ev_ok.replace('\t10\t', '\t12\t').encode())
    r = os.path.join(work(cid), 'ref', 'sub-01')
    p = os.path.join(work(cid), 'test', 'sub-01')
    add(cid, 'glm', [{'op': 'delete', 'path': work(cid)}, args(r, events=ev_late), args(p), args(p, events=ev_late)], 'valid',
        'glm_same', OWN_GLM, prefix=p, ref_prefix=r, labels=[LABEL])
    # the same prefix twice, the second run with OLS (no _ar1 map): the first's AR(1) map is left; still the rest is new
    # the same prefix twice, the second refused: the first run's files stay as they were
    for nm, hostile in (('events', {'events': path('glm', 'events', 'na_duration.tsv')}),
                        ('contrast', {'contrast': 'fearful - happy'}),
                        ('long_label', {'contrast': long_same})):
        cid = 'glm/out/second_run_refused_' + nm
        r = os.path.join(work(cid), 'ref', 'sub-01')
        p = os.path.join(work(cid), 'test', 'sub-01')
        add(cid, 'glm', [{'op': 'delete', 'path': work(cid)}, args(r), args(p), args(p, **hostile)], 'refuse', None, OWN_GLM,
            prefix=p, ref_prefix=r, labels=[LABEL], keep=[os.path.basename(x) for x in glm_outputs(p, [LABEL])])

    # ---- valid variants: relative paths, a symlinked folder, paths with spaces (equal to the reference)
    rel = lambda q: os.path.relpath(q, os.path.join(OUT, 'cwd0'))   # the harness runs in CORPUS/cwdN (N = 0, 1)
    cid = 'glm/valid/relative_paths'
    vs_ref(cid, lambda pre: [['glm', rel(g['bold']), '--events', rel(g['events']), '--mask', rel(g['mask']),
                              '--roi', 'sphere:0,0,0,6', '--json', '--confounds', rel(g['confounds']),
                              '--contrast', CON, '--out', rel(pre)]])
    link = os.path.join(F, 'glm_link')
    os.symlink(d, link)
    cid = 'glm/valid/symlinked_folder'
    vs_ref(cid, lambda pre: [args(pre, bold=os.path.join(link, os.path.basename(g['bold'])),
                                  events=os.path.join(link, 'events_ok.tsv'), mask=os.path.join(link, os.path.basename(g['mask'])),
                                  confounds=os.path.join(link, 'confounds_ok.tsv'))])
    cid = 'glm/valid/symlinked_out_folder'
    outlink = path('glm', 'outlink')
    os.symlink(os.path.join(work(cid), 'real'), outlink)   # dangling until the case makes its target
    vs_ref(cid, lambda pre: [op_write(os.path.join(work(cid), 'real', '.keep'), ''), args(pre)],
           p=os.path.join(outlink, 'sub-01'))
    sp = os.path.join(F, 'glm', 'with space', "it's (1)")
    os.makedirs(sp)
    for k in ('bold', 'events', 'mask', 'confounds'):
        shutil.copy(g[k], os.path.join(sp, os.path.basename(g[k])))
    cid = 'glm/valid/paths_with_spaces'
    vs_ref(cid, lambda pre: [args(pre, **{k: os.path.join(sp, os.path.basename(g[k])) for k in ('bold', 'events', 'mask', 'confounds')})],
           p=os.path.join(work(cid), 'out dir', "sub 01 'x'"))


GLM_RUN = None

TASK_STAGE = '''name: attack-task
stages:
  - id: task
    type: task
    params: {strategy: 6P, fd_threshold: 0.9, hrf: spm, noise: ar1, high_pass: 0.01}
    rois:
      centre: {sphere: [0, 0, 0], radius: 6}
    features:
      - {column: centre_fearful_gt_neutral_beta, measure: contrast, roi: centre, contrast: fearful - neutral}
      - {column: centre_fearful_gt_neutral_z, measure: contrast, roi: centre, contrast: fearful - neutral, value: z}
      - {column: task_fd_mean_mm, measure: task_quality, value: fd_mean}
'''


def task_dataset(root, events_text=None):
    """A one-subject BIDS dataset with the glm corpus's task run (fMRIPrep names, raw events at the root)."""
    write_dataset(root, subjects=('01',), sessions=('pre',))
    g = GLM_RUN
    fd = os.path.join(root, 'derivatives', 'fmriprep', 'sub-01', 'ses-pre', 'func')
    os.makedirs(fd, exist_ok=True)
    stem = 'sub-01_ses-pre_task-faces_space-MNI152NLin2009cAsym'
    shutil.copy(g['bold'], os.path.join(fd, stem + '_desc-preproc_bold.nii.gz'))
    write_bytes(os.path.join(fd, stem + '_desc-preproc_bold.json'), b'{"RepetitionTime": 2.0}')
    shutil.copy(g['mask'], os.path.join(fd, stem + '_desc-brain_mask.nii.gz'))
    shutil.copy(g['confounds'], os.path.join(fd, 'sub-01_ses-pre_task-faces_desc-confounds_timeseries.tsv'))
    write_bytes(os.path.join(root, 'task-faces_events.tsv'), (g['events_text'] if events_text is None else events_text).encode())
    write_bytes(os.path.join(root, 'task-faces_bold.json'), b'{"TaskName": "faces"}')
    return root


def task_pipeline_cases():
    """The pipeline's task stage: validate-pipeline and a participant run of hostile stage YAML; a valid one on a tiny
    task dataset (its features must be numbers); events in the dataset that the stage must not turn into numbers."""
    ds = task_dataset(path('glm', 'taskds', 'bids'))
    ok = TASK_STAGE
    feat = ok.split('    features:\n')[0] + '    features:\n'
    yamls = {
        'ok': (ok, 'valid'),
        'contrast_shift': (ok.replace('contrast: fearful - neutral}', 'contrast: fearful >> neutral}', 1), 'refuse'),
        'contrast_two_words': (ok.replace('contrast: fearful - neutral}', 'contrast: fearful neutral}', 1), 'refuse'),
        'contrast_empty': (ok.replace('contrast: fearful - neutral}', 'contrast: ""}', 1), 'refuse'),
        'contrast_missing': (ok.replace(', contrast: fearful - neutral}', '}', 1), 'refuse'),
        'contrast_list': (ok.replace('contrast: fearful - neutral}', 'contrast: [fearful, neutral]}', 1), 'refuse'),
        'contrast_unicode': (ok.replace('contrast: fearful - neutral}', 'contrast: "\u00e4ngstlich - neutral"}', 1), 'refuse'),
        'contrast_1e999': (ok.replace('contrast: fearful - neutral}', 'contrast: 1e999*fearful - neutral}', 1), 'refuse'),
        'value_unknown': (ok.replace('value: z}', 'value: zz}'), 'refuse'),
        # two contrasts, one label: one map file name for both
        'contrast_same_label': (ok.replace('contrast: fearful - neutral}', 'contrast: x=fearful - neutral}', 1)
                                .replace('contrast: fearful - neutral, value: z}', 'contrast: x=neutral - fearful, value: z}'),
                                'refuse'),
        'quality_value_unknown': (ok.replace('value: fd_mean}', 'value: fd_max}'), 'refuse'),
        'measure_unknown': (ok.replace('measure: contrast,', 'measure: contrasts,', 1), 'refuse'),
        'param_unknown_key': (ok.replace(', contrast: fearful - neutral}', ', contrast: fearful - neutral, threshold: 3}', 1), 'refuse'),
        'roi_unknown': (ok.replace('roi: centre,', 'roi: nowhere,', 1), 'refuse'),
        'roi_sphere_nan': (ok.replace('sphere: [0, 0, 0], radius: 6', 'sphere: [.nan, 0, 0], radius: 6'), 'refuse'),
        'stage_hrf_fir': (ok.replace('hrf: spm', 'hrf: fir'), 'refuse'),
        'stage_noise_ar2': (ok.replace('noise: ar1', 'noise: ar2'), 'refuse'),
        'stage_high_pass_nan': (ok.replace('high_pass: 0.01', 'high_pass: .nan'), 'refuse'),
        'stage_high_pass_neg': (ok.replace('high_pass: 0.01', 'high_pass: -1'), 'refuse'),
        'stage_fd_threshold_nan': (ok.replace('fd_threshold: 0.9', 'fd_threshold: .nan'), 'refuse'),
        'stage_slice_time_ref_2': (ok.replace('high_pass: 0.01', 'high_pass: 0.01, slice_time_ref: 2'), 'refuse'),
        'stage_tr_zero': (ok.replace('high_pass: 0.01', 'high_pass: 0.01, tr: 0'), 'refuse'),
        'stage_strategy_unknown': (ok.replace('strategy: 6P', 'strategy: 7P'), 'refuse'),
        'stage_param_unknown': (ok.replace('high_pass: 0.01', 'high_pass: 0.01, cutoff: 3'), 'refuse'),
        'no_features': (feat.replace('    features:\n', '    features: []\n'), 'any'),
    }
    for nm, (text, expect) in yamls.items():
        p = write_bytes(path('yaml', 'task_%s.yaml' % nm), text.encode('utf-8'))
        add('yaml/task_%s/validate' % nm, 'yaml', [['validate-pipeline', p]], expect, None, OWN_GLM, names=p)
        o = work('yaml/task_%s/run' % nm)
        add('yaml/task_%s/run' % nm, 'yaml', [{'op': 'delete', 'path': o}, ['run', ds, o, 'participant', '--pipeline', p, '--quiet']],
            expect, 'task_run' if expect == 'valid' else None, OWN_GLM, names=p, out=o,
            columns=['centre_fearful_gt_neutral_beta', 'centre_fearful_gt_neutral_z', 'task_fd_mean_mm'])
    # a valid pipeline whose contrast the data cannot give: an absent trial type, a condition all after the run
    pok = path('yaml', 'task_ok.yaml')
    ev_ok = GLM_RUN['events_text']
    lines = ev_ok.split('\n')
    after = lines[0] + '\n' + '\n'.join(('%d\t10\tfearful\t1' % (500 + 40 * k)) if '\tfearful\t' in l else l
                                       for k, l in enumerate(x for x in lines[1:] if x)) + '\n'
    for nm, text, events in (('absent_trial_type', ok.replace('contrast: fearful - neutral}', 'contrast: fearful - happy}', 1), None),
                             ('events_na_duration', None, ev_ok.replace('\t10\tneutral', '\tn/a\tneutral', 1)),
                             ('events_empty', None, ''),
                             ('fearful_after_end', None, after)):
        root = task_dataset(path('glm', 'taskds_' + nm, 'bids'), events) if events is not None else ds
        p = write_bytes(path('yaml', 'task_data_%s.yaml' % nm), text.encode()) if text else pok
        o = work('task/' + nm)
        add('task/' + nm, 'dataset', [{'op': 'delete', 'path': o}, ['run', root, o, 'participant', '--pipeline', p, '--quiet']],
            'refuse', 'task_na', OWN_GLM, out=o, columns=['centre_fearful_gt_neutral_beta', 'centre_fearful_gt_neutral_z'])


def main():
    if os.path.exists(OUT):
        shutil.rmtree(OUT)
    os.makedirs(F)
    os.makedirs(WORK)
    label_attacks()
    blob = valid_images()
    hostile_headers()
    truncations(blob)
    gzip_attacks(blob)
    mgh_attacks()
    fifo, dirgz = not_files()
    PIPES['ok'] = write_bytes(path('yaml', 'ok.yaml'), PIPE_OK.encode())
    ds = write_dataset(path('ds', 'bids'))
    pipelines(ds)
    participants_cases()
    dataset_cases(fifo, dirgz)
    skip_existing_cases()
    resting_cases()
    transform_cases()
    slurm_cases()
    cli_cases()
    glm_cases()
    task_pipeline_cases()
    with open(os.path.join(OUT, 'cases.json'), 'w') as f:
        json.dump({'corpus': OUT, 'files': F, 'work': WORK, 'cases': cases}, f, indent=0)
    size = sum(os.path.getsize(os.path.join(d, n)) for d, _, ns in os.walk(F) for n in ns
               if os.path.isfile(os.path.join(d, n)) and not os.path.islink(os.path.join(d, n)))
    print('attack corpus: %d cases, %.1f MB of files in %s' % (len(cases), size / 1e6, OUT))


if __name__ == '__main__':
    main()
