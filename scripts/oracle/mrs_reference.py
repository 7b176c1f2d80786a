#!/usr/bin/env python3
"""Independent plain numpy reference of MRS voxel placement and tissue correction (ketaprint mrs).

Written from the issue's definitions, not from ketaprint's code:
  * NIfTI-MRS single voxel (SVS): NIfTI-2 or NIfTI-1, dims 1-3 equal to 1 (otherwise MRSI: refused), dim 4 the
    spectral points, datatype complex64 (32) or complex128 (1792), a header extension with ecode 44 holding JSON
    (SpectrometerFrequency [MHz, a list], ResonantNucleus, EchoTime [s], RepetitionTime [s]). The header is
    parsed here byte by byte (struct), not by nibabel. The voxel is the box of size pixdim[1..3] centred on
    affine @ (0,0,0) and oriented by the affine (sform if sform_code > 0, else qform).
  * Coverage on the T1 grid (the GM probseg's grid): 5 x 5 x 5 sub-samples per T1 voxel at voxel coordinates
    i + (a + 0.5)/5 - 0.5 (a = 0..4, likewise j, k), mapped to world by the T1 affine and to MRS voxel
    coordinates q by the inverse MRS affine; inside when |q| <= 0.5 on all three axes; coverage = inside / 125.
    Mask volume = sum(coverage) x T1 voxel volume. A voxel whose box reaches outside the T1 field of view (the
    union of the T1 voxels, [-0.5, n - 0.5] in voxel coordinates) is an error.
  * Tissue fractions f_t = sum(cov p_t) / sum(cov) of the GM, WM, CSF probseg maps; a map on another grid than
    GM's is nearest-neighbour resampled onto it (floor(x + 0.5) of inv(A_map) A_t1 ijk; outside the map: 0).
  * Gasparovic et al. 2006: w_t = f_t d_t / sum_k f_k d_k with d = 0.78, 0.65, 0.97 (GM, WM, CSF);
    R = exp(-TE/T2) (1 - exp(-TR/T1)); C = C_ws sum_t w_t R_t(water) / ((1 - w_CSF) R_M), 3 T constants below.
  * CRLB strictly above --crlb-max (default 20 %) makes the metabolite n/a (20 % exactly is kept); FWHM in Hz
    = LCModel's ppm x SpectrometerFrequency[0].

Usage (the same arguments as `ketaprint mrs`):
  mrs_reference.py RESULTS --tool lcmodel --voxel SVS.nii[.gz] --t1-probseg GM WM CSF [--crlb-max 20]
                   [--mask-out F.nii.gz] --json
  mrs_reference.py --selftest
  mrs_reference.py --make-cases DIR      (the synthetic oracle cases, see make_cases)

With --json one JSON object on stdout (ketaprint's keys plus "reference_margins": the smallest distance of a
sub-sample to a face of the box in q units and of a resampled coordinate to a rounding tie, so a case can be
checked to be well posed). Bad input: one line "mrs_reference: error: ..." on stderr, exit 2.

Test-only switches (hidden from --help) for the oracle's negative controls:
  --perturb offset    sub-samples at i + a/5 - 0.5 (off by half a sub-step)
  --perturb density   d_WM 0.66 instead of 0.65
"""
import argparse
import gzip
import io
import json
import math
import os
import re
import struct
import sys

import numpy as np

# ---------------------------------------------------------------------------------------------------------
# constants pinned by the issue
# ---------------------------------------------------------------------------------------------------------
SUB = 5                                               # sub-samples per T1 voxel and axis
DENSITY = {"gm": 0.78, "wm": 0.65, "csf": 0.97}       # Gasparovic 2006 water densities (relative)
WATER_T1 = {"gm": 1.331, "wm": 0.832, "csf": 3.817}   # 3 T, s
WATER_T2 = {"gm": 0.110, "wm": 0.0792, "csf": 0.503}  # 3 T, s
METAB_T1T2 = {"Glu": (1.220, 0.12625), "Gln": (1.265, 0.13925), "Glx": (1.220, 0.12625)}  # Glx takes Glu's
METABOLITES = ["Glu", "Gln", "Glx"]
LCMODEL_NAMES = {"Glu": ["Glu"], "Gln": ["Gln"], "Glx": ["Glx", "Glu+Gln", "Gln+Glu"]}
ECODE_MRS = 44
DT_COMPLEX64, DT_COMPLEX128 = 32, 1792
FOV_TOL = 1e-6                                        # voxel units, for the field-of-view test


class MrsError(Exception):
    """Bad input: reported as one line, exit 2."""


# ---------------------------------------------------------------------------------------------------------
# NIfTI-1 / NIfTI-2 header: parsed and written by hand (struct)
# ---------------------------------------------------------------------------------------------------------
N1_MAGICS = (b"n+1\0", b"ni1\0")
N2_MAGICS = (b"n+2\0\r\n\x1a\n", b"ni2\0\r\n\x1a\n")


def _open_bytes(path):
    with open(path, "rb") as f:
        raw = f.read()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    return raw


def quatern_to_affine(b, c, d, qx, qy, qz, dx, dy, dz, qfac):
    """NIfTI-1 method 2 (nifti1.h): R from the unit quaternion (a, b, c, d), a = sqrt(1 - b^2 - c^2 - d^2)
    (0 if that is negative), columns scaled by pixdim and the third by qfac."""
    a2 = 1.0 - (b * b + c * c + d * d)
    if a2 < 1e-7:      # nifti1_io: a is then taken as 0 and (b, c, d) renormalised
        s = 1.0 / math.sqrt(b * b + c * c + d * d)
        b, c, d, a = b * s, c * s, d * s, 0.0
    else:
        a = math.sqrt(a2)
    R = np.array([[a * a + b * b - c * c - d * d, 2 * (b * c - a * d), 2 * (b * d + a * c)],
                  [2 * (b * c + a * d), a * a + c * c - b * b - d * d, 2 * (c * d - a * b)],
                  [2 * (b * d - a * c), 2 * (c * d + a * b), a * a + d * d - c * c - b * b]])
    qfac = -1.0 if qfac < 0 else 1.0
    A = np.eye(4)
    A[:3, :3] = R @ np.diag([dx, dy, dz * qfac])
    A[:3, 3] = [qx, qy, qz]
    return A


def parse_nifti(path):
    """The header fields this tool needs, the extensions and the raw data bytes of a NIfTI-1 or NIfTI-2 file."""
    try:
        raw = _open_bytes(path)
    except OSError as e:
        raise MrsError(f"{path}: cannot read ({e.strerror or e})")
    except (EOFError, gzip.BadGzipFile, ValueError) as e:
        raise MrsError(f"{path}: not a readable gzip file ({e})")
    if len(raw) < 348:
        raise MrsError(f"{path}: not a NIfTI file (too short)")
    h = {}
    for end in "<>":
        n = struct.unpack(end + "i", raw[:4])[0]
        if n in (348, 540):
            break
    else:
        raise MrsError(f"{path}: not a NIfTI file (sizeof_hdr is neither 348 nor 540)")
    h["endian"] = end
    if n == 540:
        if len(raw) < 540 or raw[4:12] not in N2_MAGICS:
            raise MrsError(f"{path}: NIfTI-2 header without the n+2 magic")
        h["version"] = 2
        u = lambda fmt, off: struct.unpack_from(end + fmt, raw, off)
        h["datatype"], h["bitpix"] = u("hh", 12)
        h["dim"] = list(u("8q", 16))
        h["pixdim"] = list(u("8d", 104))
        h["vox_offset"] = u("q", 168)[0]
        h["scl_slope"], h["scl_inter"] = u("dd", 176)
        h["qform_code"], h["sform_code"] = u("ii", 344)
        h["quatern"] = list(u("6d", 352))
        h["srow"] = [list(u("4d", 400)), list(u("4d", 432)), list(u("4d", 464))]
        h["intent_name"] = raw[508:524].split(b"\0")[0].decode("latin-1")
        hdr_end = 540
    else:
        if raw[344:348] not in N1_MAGICS:
            raise MrsError(f"{path}: NIfTI-1 header without the n+1 magic")
        h["version"] = 1
        u = lambda fmt, off: struct.unpack_from(end + fmt, raw, off)
        h["dim"] = list(u("8h", 40))
        h["datatype"], h["bitpix"] = u("hh", 70)
        h["pixdim"] = list(u("8f", 76))
        h["vox_offset"] = int(u("f", 108)[0])
        h["scl_slope"], h["scl_inter"] = u("ff", 112)
        h["qform_code"], h["sform_code"] = u("hh", 252)
        h["quatern"] = list(u("6f", 256))
        h["srow"] = [list(u("4f", 280)), list(u("4f", 296)), list(u("4f", 312))]
        h["intent_name"] = raw[328:344].split(b"\0")[0].decode("latin-1")
        hdr_end = 348
    # extensions: the 4-byte extender, then (esize, ecode, esize - 8 bytes) blocks up to vox_offset
    exts = []
    if len(raw) >= hdr_end + 4 and raw[hdr_end] != 0:
        off = hdr_end + 4
        limit = h["vox_offset"] if h["vox_offset"] > hdr_end else len(raw)
        while off + 8 <= limit:
            esize, ecode = struct.unpack_from(end + "ii", raw, off)
            if esize < 8 or off + esize > limit:
                raise MrsError(f"{path}: malformed header extension (esize {esize} at byte {off})")
            exts.append((ecode, raw[off + 8:off + esize]))
            off += esize
    h["extensions"] = exts
    h["raw"] = raw
    return h


def header_affine(h):
    """sform if sform_code > 0, else qform if qform_code > 0, else the pixdim scaling (NIfTI method 1)."""
    pd = [float(x) for x in h["pixdim"]]
    if h["sform_code"] > 0:
        A = np.eye(4)
        A[:3, :] = np.array(h["srow"], dtype=np.float64)
        return A
    if h["qform_code"] > 0:
        b, c, d, qx, qy, qz = (float(x) for x in h["quatern"])
        return quatern_to_affine(b, c, d, qx, qy, qz, pd[1], pd[2], pd[3], pd[0])
    return np.diag([pd[1], pd[2], pd[3], 1.0])


def read_svs(path):
    """A single-voxel NIfTI-MRS: (affine, sizes, extension JSON, complex data, header)."""
    h = parse_nifti(path)
    dim = h["dim"]
    nd = dim[0]
    if nd < 4 or nd > 7:
        raise MrsError(f"{path}: NIfTI-MRS needs at least 4 dimensions (dim[0] = {nd})")
    if any(dim[i] != 1 for i in (1, 2, 3)):
        raise MrsError(f"{path}: dims 1-3 are {dim[1]}x{dim[2]}x{dim[3]}: MRSI is not supported (single voxel only)")
    if dim[4] < 1:
        raise MrsError(f"{path}: no spectral points (dim[4] = {dim[4]})")
    if h["datatype"] not in (DT_COMPLEX64, DT_COMPLEX128):
        raise MrsError(f"{path}: datatype {h['datatype']} is not complex64 (32) or complex128 (1792)")
    js = [e for c, e in h["extensions"] if c == ECODE_MRS]
    if not js:
        raise MrsError(f"{path}: no NIfTI-MRS header extension (ecode 44)")
    try:
        meta = json.loads(js[0].rstrip(b"\0 \n").decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as e:
        raise MrsError(f"{path}: the ecode 44 extension is not JSON ({e})")
    if not isinstance(meta, dict):
        raise MrsError(f"{path}: the ecode 44 extension is not a JSON object")
    for key in ("SpectrometerFrequency", "EchoTime", "RepetitionTime"):
        if key not in meta:
            raise MrsError(f"{path}: the NIfTI-MRS extension has no {key}")
    f = meta["SpectrometerFrequency"]
    f0 = f[0] if isinstance(f, list) and f else f
    if not isinstance(f0, (int, float)) or isinstance(f0, bool) or not f0 > 0:
        raise MrsError(f"{path}: SpectrometerFrequency is not a positive number (MHz)")
    for key in ("EchoTime", "RepetitionTime"):
        v = meta[key]
        if not isinstance(v, (int, float)) or isinstance(v, bool) or not (v > 0 and math.isfinite(v)):
            raise MrsError(f"{path}: {key} is not a positive number of seconds")
    A = header_affine(h)
    sizes = np.array([float(h["pixdim"][i]) for i in (1, 2, 3)])
    if not np.all(sizes > 0) or not np.all(np.isfinite(A)):
        raise MrsError(f"{path}: voxel sizes pixdim[1..3] must be positive")
    if abs(np.linalg.det(A[:3, :3])) < 1e-12:
        raise MrsError(f"{path}: the voxel's affine is singular")
    npts = int(np.prod([dim[i] for i in range(4, nd + 1)]))
    dt = np.dtype(h["endian"] + ("c8" if h["datatype"] == DT_COMPLEX64 else "c16"))
    need = h["vox_offset"] + npts * dt.itemsize
    if len(h["raw"]) < need:
        raise MrsError(f"{path}: truncated data ({len(h['raw'])} bytes, {need} needed)")
    data = np.frombuffer(h["raw"], dtype=dt, count=npts, offset=h["vox_offset"])
    return A, sizes, meta, data, h


def _quaternion(R):
    """Unit quaternion (b, c, d) with a >= 0 of a proper rotation R (Shepperd's method)."""
    t = np.trace(R)
    if t > 0:
        s = 2.0 * math.sqrt(1.0 + t)
        a, b, c, d = 0.25 * s, (R[2, 1] - R[1, 2]) / s, (R[0, 2] - R[2, 0]) / s, (R[1, 0] - R[0, 1]) / s
    elif R[0, 0] > R[1, 1] and R[0, 0] > R[2, 2]:
        s = 2.0 * math.sqrt(1.0 + R[0, 0] - R[1, 1] - R[2, 2])
        a, b, c, d = (R[2, 1] - R[1, 2]) / s, 0.25 * s, (R[0, 1] + R[1, 0]) / s, (R[0, 2] + R[2, 0]) / s
    elif R[1, 1] > R[2, 2]:
        s = 2.0 * math.sqrt(1.0 + R[1, 1] - R[0, 0] - R[2, 2])
        a, b, c, d = (R[0, 2] - R[2, 0]) / s, (R[0, 1] + R[1, 0]) / s, 0.25 * s, (R[1, 2] + R[2, 1]) / s
    else:
        s = 2.0 * math.sqrt(1.0 + R[2, 2] - R[0, 0] - R[1, 1])
        a, b, c, d = (R[1, 0] - R[0, 1]) / s, (R[0, 2] + R[2, 0]) / s, (R[1, 2] + R[2, 1]) / s, 0.25 * s
    if a < 0:
        b, c, d = -b, -c, -d
    return b, c, d


def write_svs(path, fid, affine, meta, version=2, dtype=np.complex64, sform=True, qform=True,
              qform_affine=None, dim123=(1, 1, 1), dwell=0.0005, datatype=None, ecode=ECODE_MRS, gz=None):
    """A NIfTI-MRS file with a hand-built header: dims (4 or 5, 1, 1, 1, npts), complex data, the JSON in an ecode
    44 extension (padded to a multiple of 16 bytes), sform (code 1) and qform (code 1) from `affine`
    (qform_affine: a different qform). pixdim[1..3] = the column norms of the affine. A .gz name is gzipped with
    mtime 0 (deterministic). datatype and ecode are for bad-input cases only."""
    fid = np.asarray(fid).astype(dtype).reshape(-1)
    n = fid.size // int(np.prod(dim123)) if int(np.prod(dim123)) > 1 else fid.size
    A = np.asarray(affine, float)
    sizes = np.sqrt((A[:3, :3] ** 2).sum(0))
    QA = A if qform_affine is None else np.asarray(qform_affine, float)
    qsz = np.sqrt((QA[:3, :3] ** 2).sum(0))
    R = QA[:3, :3] / qsz
    qfac = 1.0
    if np.linalg.det(R) < 0:
        qfac = -1.0
        R = R.copy()
        R[:, 2] = -R[:, 2]
    b, c, d = _quaternion(R)
    jtxt = json.dumps(meta).encode("utf-8")
    esize = (8 + len(jtxt) + 15) // 16 * 16
    ext = struct.pack("<ii", esize, ecode) + jtxt + b"\0" * (esize - 8 - len(jtxt)) if ecode is not None else b""
    dt_code = {np.dtype(np.complex64): DT_COMPLEX64, np.dtype(np.complex128): DT_COMPLEX128,
               np.dtype(np.float32): 16}.get(np.dtype(dtype))
    if datatype is not None:
        dt_code = datatype
    bitpix = np.dtype(dtype).itemsize * 8
    dims = [4, dim123[0], dim123[1], dim123[2], n, 1, 1, 1]
    pixdim = [qfac, sizes[0], sizes[1], sizes[2], dwell, 1.0, 1.0, 1.0]
    xyzt = 2 | 8      # mm, s
    intent = b"mrs_v0_9"
    if version == 2:
        hdr_len = 540
        vox_offset = (hdr_len + 4 + len(ext) + 15) // 16 * 16
        hb = bytearray(540)
        struct.pack_into("<i", hb, 0, 540)
        hb[4:12] = N2_MAGICS[0]
        struct.pack_into("<hh", hb, 12, dt_code, bitpix)
        struct.pack_into("<8q", hb, 16, *dims)
        struct.pack_into("<8d", hb, 104, *pixdim)
        struct.pack_into("<q", hb, 168, vox_offset)
        struct.pack_into("<dd", hb, 176, 1.0, 0.0)
        hb[240:240 + 21] = b"ketaprint mrs oracle\0"
        struct.pack_into("<ii", hb, 344, 1 if qform else 0, 1 if sform else 0)
        struct.pack_into("<6d", hb, 352, b, c, d, *QA[:3, 3])
        for r in range(3):
            struct.pack_into("<4d", hb, 400 + 32 * r, *A[r])
        struct.pack_into("<iii", hb, 496, 0, xyzt, 0)
        hb[508:508 + len(intent)] = intent
    else:
        hdr_len = 348
        vox_offset = (hdr_len + 4 + len(ext) + 15) // 16 * 16
        hb = bytearray(348)
        struct.pack_into("<i", hb, 0, 348)
        hb[38] = ord("r")
        struct.pack_into("<8h", hb, 40, *dims)
        struct.pack_into("<hh", hb, 70, dt_code, bitpix)
        struct.pack_into("<8f", hb, 76, *pixdim)
        struct.pack_into("<f", hb, 108, float(vox_offset))
        struct.pack_into("<ff", hb, 112, 1.0, 0.0)
        hb[123] = xyzt
        hb[148:148 + 21] = b"ketaprint mrs oracle\0"
        struct.pack_into("<hh", hb, 252, 1 if qform else 0, 1 if sform else 0)
        struct.pack_into("<6f", hb, 256, b, c, d, *QA[:3, 3])
        for r in range(3):
            struct.pack_into("<4f", hb, 280 + 16 * r, *A[r])
        hb[328:328 + len(intent)] = intent
        hb[344:348] = N1_MAGICS[0]
    extender = bytes([1 if ext else 0, 0, 0, 0])
    body = bytes(hb) + extender + ext
    body += b"\0" * (vox_offset - len(body))
    body += fid.astype(np.dtype(dtype).newbyteorder("<")).tobytes()
    if gz is None:
        gz = path.endswith(".gz")
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "wb") as f:
        if gz:
            with gzip.GzipFile(filename="", mode="wb", fileobj=f, mtime=0, compresslevel=6) as g:
                g.write(body)
        else:
            f.write(body)


def synthetic_fid(npts=512, dwell=0.0005, mhz=123.25, seed=0):
    """A synthetic 1H FID: Lorentzian lines (water at 4.7 ppm as the reference 0 Hz, NAA 2.01, Cr 3.03, Cho 3.2,
    Glu 2.35) with small deterministic noise."""
    t = np.arange(npts) * dwell
    lines = [(4.70, 1.0, 6.0), (2.01, 0.12, 4.0), (3.03, 0.08, 4.0), (3.20, 0.06, 4.0), (2.35, 0.05, 5.0)]
    s = np.zeros(npts, complex)
    for ppm, amp, lw in lines:
        s += amp * np.exp(2j * np.pi * (ppm - 4.7) * mhz * t) * np.exp(-np.pi * lw * t)
    rng = np.random.default_rng(seed)
    s += 0.002 * (rng.normal(size=npts) + 1j * rng.normal(size=npts))
    return s


# ---------------------------------------------------------------------------------------------------------
# coverage on the T1 grid
# ---------------------------------------------------------------------------------------------------------
def sub_offsets(perturb=None):
    a = np.arange(SUB, dtype=np.float64)
    if perturb == "offset":
        return a / SUB - 0.5
    return (a + 0.5) / SUB - 0.5


def box_corners_world(A_mrs):
    c = np.array([[x, y, z, 1.0] for x in (-0.5, 0.5) for y in (-0.5, 0.5) for z in (-0.5, 0.5)])
    return (A_mrs @ c.T).T[:, :3]


def coverage(A_t1, shape, A_mrs, perturb=None):
    """(coverage array on the T1 grid, smallest | |q| - 0.5 | over all sub-samples in the candidate region).

    Plain sampling: every T1 voxel of the bounding region (the box's corners in T1 voxel coordinates, widened by
    one voxel) gets its 125 sub-samples p = (i + o_a, j + o_b, k + o_c), world = A_t1 @ p, q = inv(A_mrs) @
    world, inside when max |q| <= 0.5. Outside the region no sub-sample can be inside (the box is convex)."""
    inv_mrs = np.linalg.inv(A_mrs)
    inv_t1 = np.linalg.inv(A_t1)
    cw = box_corners_world(A_mrs)
    cv = (inv_t1[:3, :3] @ cw.T + inv_t1[:3, 3:4]).T
    lo = np.maximum(np.floor(cv.min(0)).astype(int) - 1, 0)
    hi = np.minimum(np.ceil(cv.max(0)).astype(int) + 1, np.array(shape) - 1)
    cov = np.zeros(shape, np.float64)
    o = sub_offsets(perturb)
    oa, ob, oc = np.meshgrid(o, o, o, indexing="ij")
    oa, ob, oc = oa.ravel(), ob.ravel(), oc.ravel()
    margin = np.inf
    for k in range(lo[2], hi[2] + 1):
        ii, jj = np.meshgrid(np.arange(lo[0], hi[0] + 1), np.arange(lo[1], hi[1] + 1), indexing="ij")
        ii, jj = ii.ravel(), jj.ravel()
        # (voxels, 125) sample coordinates
        px = ii[:, None] + oa[None, :]
        py = jj[:, None] + ob[None, :]
        pz = k + oc[None, :] + np.zeros_like(px)
        wx = A_t1[0, 0] * px + A_t1[0, 1] * py + A_t1[0, 2] * pz + A_t1[0, 3]
        wy = A_t1[1, 0] * px + A_t1[1, 1] * py + A_t1[1, 2] * pz + A_t1[1, 3]
        wz = A_t1[2, 0] * px + A_t1[2, 1] * py + A_t1[2, 2] * pz + A_t1[2, 3]
        inside = np.ones(px.shape, bool)
        for r in range(3):
            q = inv_mrs[r, 0] * wx + inv_mrs[r, 1] * wy + inv_mrs[r, 2] * wz + inv_mrs[r, 3]
            inside &= np.abs(q) <= 0.5
            margin = min(margin, float(np.abs(np.abs(q) - 0.5).min()))
        cov[ii, jj, k] = inside.sum(1) / float(SUB ** 3)
    return cov, margin


def check_fov(A_t1, shape, A_mrs, where):
    inv_t1 = np.linalg.inv(A_t1)
    cw = box_corners_world(A_mrs)
    cv = (inv_t1[:3, :3] @ cw.T + inv_t1[:3, 3:4]).T
    lo = cv.min(0)
    hi = cv.max(0)
    n = np.array(shape, float)
    if np.any(lo < -0.5 - FOV_TOL) or np.any(hi > n - 0.5 + FOV_TOL):
        out = max(float((-0.5 - lo).max()), float((hi - (n - 0.5)).max()))
        raise MrsError(f"{where}: the MRS voxel reaches outside the T1 field of view "
                       f"(by {out:.3g} T1 voxels)")


def nn_resample(data, A_src, A_t1, shape):
    """Nearest neighbour of `data` (grid A_src) at every T1 voxel centre: floor(x + 0.5) of inv(A_src) A_t1 ijk,
    0 outside. Returns (resampled, per-voxel distance of the coordinates to a rounding tie)."""
    M = np.linalg.inv(A_src) @ A_t1
    ijk = np.indices(shape).reshape(3, -1).astype(np.float64)
    x = M[:3, :3] @ ijk + M[:3, 3:4]
    idx = np.floor(x + 0.5).astype(np.int64)
    tie = np.abs((x - np.floor(x)) - 0.5).min(0)
    ok = np.all((idx >= 0) & (idx < np.array(data.shape[:3])[:, None]), 0)
    out = np.zeros(ijk.shape[1])
    out[ok] = data[idx[0, ok], idx[1, ok], idx[2, ok]]
    return out.reshape(shape), tie.reshape(shape)


def load_probsegs(paths):
    import nibabel as nib
    imgs = []
    for p in paths:
        try:
            img = nib.load(p)
            d = np.asanyarray(img.dataobj).astype(np.float64)
        except FileNotFoundError:
            raise MrsError(f"{p}: no such file")
        except Exception as e:     # nibabel's errors are many kinds
            raise MrsError(f"{p}: not a readable NIfTI image ({str(e).splitlines()[0] if str(e) else type(e).__name__})")
        if d.ndim == 4 and d.shape[3] == 1:
            d = d[..., 0]
        if d.ndim != 3:
            raise MrsError(f"{p}: a probseg must be 3D (shape {d.shape})")
        imgs.append((d, np.asarray(img.affine, np.float64)))
    return imgs


# ---------------------------------------------------------------------------------------------------------
# Gasparovic correction and the LCModel table
# ---------------------------------------------------------------------------------------------------------
def relax(te, tr, t1, t2):
    return math.exp(-te / t2) * (1.0 - math.exp(-tr / t1))


def water_mole_fractions(f, density=DENSITY):
    den = sum(f[t] * density[t] for t in ("gm", "wm", "csf"))
    if not den > 0:
        raise MrsError("tissue fractions are all zero in the voxel (no GM, WM or CSF)")
    return {t: f[t] * density[t] / den for t in ("gm", "wm", "csf")}


def gasparovic(c_ws, w, te, tr, metab):
    """C = C_ws sum_t w_t R_t(water) / ((1 - w_CSF) R_M); None when the voxel is all CSF."""
    num = sum(w[t] * relax(te, tr, WATER_T1[t], WATER_T2[t]) for t in ("gm", "wm", "csf"))
    t1m, t2m = METAB_T1T2[metab]
    den = (1.0 - w["csf"]) * relax(te, tr, t1m, t2m)
    if not den > 0:
        return None
    return c_ws * num / den


CONC_RE = re.compile(r"^\s*([-+]?\d+(?:\.\d*)?(?:[Ee][-+]?\d+)?)\s+(\d+(?:\.\d+)?)%\s+([-+]?\d+(?:\.\d*)?(?:[Ee][-+]?\d+)?)\s+(\S+)\s*$")
MISC_RE = re.compile(r"FWHM\s*=\s*([-+]?\d+(?:\.\d*)?(?:[Ee][-+]?\d+)?)\s*ppm\s+S/N\s*=\s*([-+]?\d+(?:\.\d*)?)")


def parse_lcmodel_table(path):
    try:
        with open(path, encoding="latin-1") as f:
            lines = f.read().splitlines()
    except OSError as e:
        raise MrsError(f"{path}: cannot read ({e.strerror or e})")
    conc, fwhm, snr, section = {}, None, None, None
    for ln in lines:
        s = ln.strip()
        if s.startswith("$$"):
            section = s[2:].split()[0] if len(s) > 2 else ""
            continue
        if section == "CONC":
            m = CONC_RE.match(ln)
            if m:
                conc[m.group(4)] = (float(m.group(1)), float(m.group(2)), float(m.group(3)))
        elif section == "MISC":
            m = MISC_RE.search(ln)
            if m:
                fwhm, snr = float(m.group(1)), float(m.group(2))
    if not conc:
        raise MrsError(f"{path}: no $$CONC concentration lines (not an LCModel .table)")
    return conc, fwhm, snr


# ---------------------------------------------------------------------------------------------------------
# the command
# ---------------------------------------------------------------------------------------------------------
def place(voxel, probsegs, perturb=None):
    """The voxel on the T1 grid: the NIfTI-MRS header read, the field of view checked, the coverage and the
    tissue fractions. Returns a dict (A_mrs, sizes, meta, A_t1, cov, fractions, margins)."""
    A_mrs, sizes, meta, _, _ = read_svs(voxel)
    segs = load_probsegs(probsegs)
    gm, A_t1 = segs[0]
    shape = gm.shape
    check_fov(A_t1, shape, A_mrs, voxel)
    cov, margin = coverage(A_t1, shape, A_mrs, perturb)
    if not cov.sum() > 0:
        raise MrsError(f"{voxel}: the MRS voxel covers no T1 sub-sample")
    maps, tie = [gm], np.inf
    for d, A in segs[1:]:
        r, t = nn_resample(d, A, A_t1, shape)
        maps.append(r)
        if not (d.shape == shape and np.array_equal(A, A_t1)):
            tie = min(tie, float(t[cov > 0].min()))
    sc = cov.sum()
    f = {t: float((cov * m).sum() / sc) for t, m in zip(("gm", "wm", "csf"), maps)}
    return {"A_mrs": A_mrs, "sizes": sizes, "meta": meta, "A_t1": A_t1, "cov": cov, "fractions": f,
            "margins": {"box_q": margin, "nn_tie_voxels": None if tie == np.inf else tie}}


def run(args):
    if args.tool != "lcmodel":
        raise MrsError(f"--tool {args.tool}: the reference reads LCModel tables only")
    if not (args.crlb_max >= 0 and math.isfinite(args.crlb_max)):
        raise MrsError("--crlb-max must be a non-negative number (percent)")
    read_svs(args.voxel)      # the voxel's own errors before the table's
    conc, fwhm_ppm, snr = parse_lcmodel_table(args.results)
    pl = place(args.voxel, args.t1_probseg, args.perturb)
    A_mrs, sizes, meta, A_t1, cov, f = (pl[k] for k in ("A_mrs", "sizes", "meta", "A_t1", "cov", "fractions"))
    te, tr = float(meta["EchoTime"]), float(meta["RepetitionTime"])
    sf = meta["SpectrometerFrequency"]
    mhz = float(sf[0] if isinstance(sf, list) else sf)
    sc = cov.sum()
    dens = dict(DENSITY)
    if args.perturb == "density":
        dens["wm"] = 0.66
    w = water_mole_fractions(f, dens)
    vox_vol = abs(np.linalg.det(A_t1[:3, :3]))
    mets = []
    for name in METABOLITES:
        row = next((conc[n] for n in LCMODEL_NAMES[name] if n in conc), None)
        if row is None:
            mets.append({"name": name, "conc_ws": None, "crlb_percent": None, "tcr_ratio": None,
                         "corrected": None, "na_reason": "not in the results"})
            continue
        c_ws, crlb, ratio = row
        entry = {"name": name, "conc_ws": c_ws, "crlb_percent": crlb, "tcr_ratio": ratio}
        if crlb > args.crlb_max:
            entry.update(corrected=None, na_reason=f"CRLB {crlb:g} % > {args.crlb_max:g} %")
        else:
            c = gasparovic(c_ws, w, te, tr, name)
            entry.update(corrected=c, na_reason=None if c is not None else "voxel is all CSF")
        mets.append(entry)
    out = {
        "tool": args.tool,
        "voxel": {"centre_mm": [float(x) for x in A_mrs[:3, 3]], "size_mm": [float(x) for x in sizes],
                  "volume_mm3": float(np.prod(sizes)), "mask_volume_mm3": float(sc * vox_vol),
                  "t1_voxels": int((cov > 0).sum())},
        "te_s": te, "tr_s": tr, "spectrometer_mhz": mhz,
        "fractions": f, "water_mole_fractions": w, "metabolites": mets,
        "fwhm_hz": None if fwhm_ppm is None else fwhm_ppm * mhz, "snr": snr,
        "reference_margins": pl["margins"],
    }
    if args.mask_out:
        import nibabel as nib
        img = nib.Nifti1Image(cov.astype(np.float32), A_t1)
        img.set_sform(A_t1, 1)
        img.set_qform(A_t1, 1)
        nib.save(img, args.mask_out)
    return out


# ---------------------------------------------------------------------------------------------------------
# self-test
# ---------------------------------------------------------------------------------------------------------
def rot(axis, deg):
    a = math.radians(deg)
    c, s = math.cos(a), math.sin(a)
    if axis == "x":
        return np.array([[1, 0, 0], [0, c, -s], [0, s, c]])
    if axis == "y":
        return np.array([[c, 0, s], [0, 1, 0], [-s, 0, c]])
    return np.array([[c, -s, 0], [s, c, 0], [0, 0, 1]])


def mrs_affine(centre, sizes, R=np.eye(3)):
    A = np.eye(4)
    A[:3, :3] = np.asarray(R) @ np.diag(sizes)
    A[:3, 3] = centre
    return A


def selftest():
    import tempfile
    import nibabel as nib
    fails = []

    def check(what, ok, detail=""):
        print(f"{'ok  ' if ok else 'FAIL'} {what}{(': ' + detail) if detail else ''}")
        if not ok:
            fails.append(what)

    tmp = tempfile.mkdtemp()
    meta = {"SpectrometerFrequency": [123.25], "ResonantNucleus": ["1H"], "EchoTime": 0.03, "RepetitionTime": 2.0}
    # 1. writer/reader round trip, and nibabel's reading of the same bytes
    R = rot("x", 25) @ rot("z", -20)
    A = mrs_affine([3.5, -12.25, 7.0], [20, 18, 22], R)
    fid = synthetic_fid(256, seed=3)
    for ver in (1, 2):
        for dt in (np.complex64, np.complex128):
            for gzn in (".nii", ".nii.gz"):
                p = os.path.join(tmp, f"v{ver}_{np.dtype(dt).name}{gzn}")
                write_svs(p, fid, A, meta, version=ver, dtype=dt)
                A2, sz, m2, d2, h = read_svs(p)
                tol = 1e-5 if ver == 1 else 1e-12
                ok = (np.allclose(A2, A, atol=tol) and np.allclose(sz, [20, 18, 22], atol=tol) and m2 == meta
                      and np.allclose(d2, fid.astype(dt), atol=0) and d2.dtype == np.dtype(dt))
                img = nib.load(p)
                nd = np.asanyarray(img.dataobj)
                exts = img.header.extensions
                nib_ok = (np.allclose(img.affine, A2, atol=1e-12) and nd.shape == (1, 1, 1, 256)
                          and np.array_equal(nd.reshape(-1), d2) and nd.dtype == np.dtype(dt)
                          and len(exts) == 1 and exts[0].get_code() == 44
                          and json.loads(exts[0].get_content().rstrip(b"\0").decode()) == meta
                          and (isinstance(img, nib.Nifti2Image) if ver == 2 else isinstance(img, nib.Nifti1Image)))
                # qform alone (sform_code 0) gives the same affine: the quaternion writer and reader agree
                pq = os.path.join(tmp, f"q{ver}_{np.dtype(dt).name}{gzn}")
                write_svs(pq, fid, A, meta, version=ver, dtype=dt, sform=False)
                Aq = read_svs(pq)[0]
                q_ok = np.allclose(Aq, A, atol=1e-5 if ver == 1 else 1e-12) and np.allclose(nib.load(pq).affine, Aq, atol=1e-9)
                check(f"NIfTI-{ver} {np.dtype(dt).name} {gzn}: round trip / nibabel / qform only", ok and nib_ok and q_ok,
                      f"{ok} {nib_ok} {q_ok}")
    # left-handed affine: qfac -1 through the qform
    AL = mrs_affine([1, 2, 3], [15, 20, 25], rot("y", 30) @ np.diag([-1, 1, 1]))
    p = os.path.join(tmp, "lh.nii")
    write_svs(p, fid, AL, meta, version=2, sform=False)
    check("qfac -1 qform (left-handed) round trip and nibabel", np.allclose(read_svs(p)[0], AL, atol=1e-12)
          and np.allclose(nib.load(p).affine, AL, atol=1e-12) and read_svs(p)[4]["pixdim"][0] == -1)
    # sform wins over a different qform
    p = os.path.join(tmp, "sq.nii")
    write_svs(p, fid, A, meta, qform_affine=mrs_affine([0, 0, 0], [20, 18, 22]))
    check("sform preferred to a different qform", np.allclose(read_svs(p)[0], A, atol=1e-12))
    # refusals
    bad = {
        "mrsi": dict(dim123=(2, 2, 1), fid=np.tile(fid, 4)),
        "float32": dict(datatype=16),
        "no extension": dict(ecode=None),
        "other ecode": dict(ecode=6),
    }
    for name, kw in bad.items():
        p = os.path.join(tmp, name.replace(" ", "_") + ".nii")
        f_ = kw.pop("fid", fid)
        write_svs(p, f_, A, meta, **kw)
        try:
            read_svs(p)
            check(f"refused: {name}", False, "accepted")
        except MrsError as e:
            check(f"refused: {name}", True, str(e))
    p = os.path.join(tmp, "note.nii")
    write_svs(p, fid, A, {k: v for k, v in meta.items() if k != "EchoTime"})
    try:
        read_svs(p)
        check("refused: no EchoTime", False, "accepted")
    except MrsError as e:
        check("refused: no EchoTime", True, str(e))

    # 2. coverage: an axis-aligned box on T1 voxel boundaries is 0/1 with the exact volume
    A_t1 = np.diag([1.0, 1.0, 1.0, 1.0])
    A_t1[:3, 3] = [-20, -20, -20]
    shape = (41, 41, 41)
    Am = mrs_affine([0.5, -1.5, 2.5], [10, 12, 8])
    cov, margin = coverage(A_t1, shape, Am)
    ijk = np.indices(shape)
    want = ((np.abs(ijk[0] - 20 - 0.5) < 5) & (np.abs(ijk[1] - 20 + 1.5) < 6) & (np.abs(ijk[2] - 20 - 2.5) < 4))
    check("aligned box on voxel boundaries: coverage 0/1, volume 960", np.array_equal(cov, want.astype(float))
          and cov.sum() == 960 and abs(margin - 0.1 / 12) < 1e-12, f"sum {cov.sum()} margin {margin}")
    # 3. coverage: an axis-aligned box cutting voxels is separable: per axis the count of sub-samples inside
    A_t1b = np.diag([1.2, 0.9, 1.5, 1.0])
    A_t1b[:3, 3] = [-24.3, -18.1, -30.2]
    shape_b = (40, 44, 40)
    Am = mrs_affine([1.37, -2.11, 3.93], [13.3, 17.1, 9.7])
    cov, _ = coverage(A_t1b, shape_b, Am)
    o = sub_offsets()
    per = []
    for ax in range(3):
        c = np.arange(shape_b[ax])[:, None] + o[None, :]
        w = A_t1b[ax, ax] * c + A_t1b[ax, 3]
        per.append((np.abs((w - Am[ax, 3]) / Am[ax, ax]) <= 0.5).sum(1) / 5.0)
    want = per[0][:, None, None] * per[1][None, :, None] * per[2][None, None, :]
    check("aligned box cutting voxels: separable per-axis counts", np.allclose(cov, want, atol=1e-15, rtol=0))
    # 4. a 90-degree turn about z swaps the box's x and y sizes
    Am1 = mrs_affine([0.5, -1.5, 2.5], [10, 12, 8])
    Am2 = mrs_affine([0.5, -1.5, 2.5], [12, 10, 8], rot("z", 90))
    c1, _ = coverage(A_t1, shape, Am1)
    c2, _ = coverage(A_t1, shape, Am2)
    check("box turned 90 degrees about z = the box with x and y sizes swapped", np.array_equal(c1, c2))
    # 5. oblique: volume within 1 % and the coverage-weighted centre within 0.1 mm
    Ao = mrs_affine([3.3, -4.1, 2.2], [20, 20, 20], rot("x", 25) @ rot("y", 20))
    cov, margin = coverage(A_t1, shape, Ao)
    vol = cov.sum()
    w = (A_t1[:3, :3] @ ijk.reshape(3, -1) + A_t1[:3, 3:4])
    ctr = (w * cov.reshape(-1)).sum(1) / vol
    check("oblique box: volume within 1 % of 8000, centre within 0.1 mm", abs(vol - 8000) / 8000 < 0.01
          and np.linalg.norm(ctr - Ao[:3, 3]) < 0.1, f"volume {vol:.4f} centre error {np.linalg.norm(ctr - Ao[:3, 3]):.4f}")
    # 6. the field of view
    try:
        check_fov(A_t1, shape, mrs_affine([15, 0, 0], [20, 20, 20]), "x")
        check("partly outside the FOV refused", False)
    except MrsError as e:
        check("partly outside the FOV refused", True, str(e))
    try:
        check_fov(A_t1, shape, mrs_affine([0, 0, 0], [41, 41, 41]), "x")
        check("box equal to the FOV accepted", True)
    except MrsError as e:
        check("box equal to the FOV accepted", False, str(e))
    # 7. nearest neighbour: a grid shifted by whole voxels is a shift; a 2x grid repeats values
    d = np.arange(10 * 11 * 12, dtype=float).reshape(10, 11, 12)
    As = np.diag([2.0, 2.0, 2.0, 1.0])
    As[:3, 3] = [-10.2, -10.3, -9.8]
    At = np.diag([1.0, 1.0, 1.0, 1.0])
    At[:3, 3] = [-10, -10, -10]
    r, _ = nn_resample(d, As, At, (20, 22, 24))
    ii, jj, kk = np.indices((20, 22, 24))
    ix = np.floor((ii - 10 + 10.2) / 2 + 0.5).astype(int)
    jx = np.floor((jj - 10 + 10.3) / 2 + 0.5).astype(int)
    kx = np.floor((kk - 10 + 9.8) / 2 + 0.5).astype(int)
    ok = (ix < 10) & (jx < 11) & (kx < 12) & (ix >= 0) & (jx >= 0) & (kx >= 0)
    want = np.zeros((20, 22, 24))
    want[ok] = d[ix[ok], jx[ok], kx[ok]]
    check("nearest neighbour on a 2 mm grid (0 outside)", np.array_equal(r, want))
    # 8. Gasparovic: the formula as pinned against its algebraically rearranged form in the fractions
    te, tr = 0.03, 2.0
    for f in ({"gm": 0.6, "wm": 0.3, "csf": 0.1}, {"gm": 0.2, "wm": 0.75, "csf": 0.05}, {"gm": 1.0, "wm": 0.0, "csf": 0.0}):
        w = water_mole_fractions(f)
        for m in METABOLITES:
            c = gasparovic(10.0, w, te, tr, m)
            RW = {t: math.exp(-te / WATER_T2[t]) * (1 - math.exp(-tr / WATER_T1[t])) for t in WATER_T1}
            t1m, t2m = METAB_T1T2[m]
            RM = math.exp(-te / t2m) * (1 - math.exp(-tr / t1m))
            alt = 10.0 * (f["gm"] * 0.78 * RW["gm"] + f["wm"] * 0.65 * RW["wm"] + f["csf"] * 0.97 * RW["csf"]) / (
                (f["gm"] * 0.78 + f["wm"] * 0.65) * RM)
            if abs(c - alt) > 1e-13 * abs(alt):
                check(f"Gasparovic {m} {f}", False, f"{c} vs {alt}")
                break
        else:
            continue
        break
    else:
        check("Gasparovic: pinned form = rearranged form (3 voxels x Glu, Gln, Glx)", True)
    # a hand value: pure GM, TE 30 ms, TR 2 s, Glu, C_ws 10
    rg = math.exp(-0.03 / 0.110) * (1 - math.exp(-2 / 1.331))
    rm = math.exp(-0.03 / 0.12625) * (1 - math.exp(-2 / 1.220))
    check("Gasparovic pure GM Glu = 10 R_GM / R_Glu", abs(gasparovic(10.0, {"gm": 1.0, "wm": 0.0, "csf": 0.0}, 0.03, 2.0, "Glu")
                                                          - 10 * rg / rm) < 1e-12, f"{10 * rg / rm:.12f}")
    check("Glx takes Glu's constants", METAB_T1T2["Glx"] == METAB_T1T2["Glu"])
    # 9. the LCModel table and the CRLB threshold (20 kept, 21 n/a)
    tab = os.path.join(tmp, "t.table")
    write_lcmodel_table(tab, [(9.2, 20, 1.15, "Glu"), (3.1, 21, 0.39, "Gln"), (12.3, 8, 1.54, "Glu+Gln")], 0.056, 22)
    conc, fw, sn = parse_lcmodel_table(tab)
    check("LCModel table parsed", conc == {"Glu": (9.2, 20.0, 1.15), "Gln": (3.1, 21.0, 0.39), "Glu+Gln": (12.3, 8.0, 1.54),
                  "Cr+PCr": (8.0, 3.0, 1.0)} and fw == 0.056 and sn == 22.0, f"{conc} {fw} {sn}")
    print("selftest:", "FAILED " + ", ".join(fails) if fails else "all ok")
    return 1 if fails else 0


def write_lcmodel_table(path, rows, fwhm_ppm, snr, extra=()):
    """A minimal LCModel .table: $$CONC (Conc. %SD /Cr+PCr Metabolite; tCr = Cr+PCr added at 8.0 mM), $$MISC, an
    empty $$DIAG and $$INPU saying water scaling without attenuation corrections (dows=T, atth2o=attmet=1).
    rows: (conc, crlb %, /Cr+PCr, name)."""
    lines = [f" $$CONC {len(rows) + 2} lines in following concentration table = NCONC+1",
             "    Conc.  %SD /Cr+PCr  Metabolite"]
    allrows = list(extra) + list(rows) + [(8.0, 3, 1.0, "Cr+PCr")]
    for c, sd, r, n in allrows:
        lines.append(f" {c:9.3E} {int(sd):3d}%  {r:6.3f}  {n}")
    lines += ["", " $$MISC  4 lines in following misc. output table",
              f"  FWHM = {fwhm_ppm:.3f} ppm    S/N = {int(snr):3d}",
              "  Data shift = 0.012 ppm", "  Ph:   3 deg          1.1 deg/ppm", "",
              " $$DIAG  0 lines in following diagnostic table:", "",
              " $$INPU  3 lines in following table of input changes:", " dows=T", " atth2o=1.0", " attmet=1.0"]
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


# ---------------------------------------------------------------------------------------------------------
# the oracle's synthetic cases
# ---------------------------------------------------------------------------------------------------------
def _smooth(x, passes=2):
    for _ in range(passes):
        for ax in range(3):
            x = (np.roll(x, 1, ax) + 2 * x + np.roll(x, -1, ax)) / 4.0
    return x


def tissue_maps(shape, A, seed):
    """Smooth deterministic GM/WM/CSF probabilities summing to 1 inside an ellipsoid head, 0 outside."""
    rng = np.random.default_rng(seed)
    ijk = np.indices(shape).reshape(3, -1).astype(float)
    w = (A[:3, :3] @ ijk + A[:3, 3:4]).reshape((3,) + tuple(shape))
    r = np.sqrt((w[0] / 40) ** 2 + (w[1] / 45) ** 2 + (w[2] / 38) ** 2)
    head = r <= 1.0
    noise = [_smooth(rng.normal(size=shape), 3) for _ in range(3)]
    wm = np.clip(1.2 - 1.6 * r + 0.8 * noise[0], 0, None)
    gm = np.clip(0.6 + 0.3 * np.sin(w[0] / 6) * np.cos(w[1] / 7) + 0.8 * noise[1], 0, None)
    csf = np.clip(0.15 + 0.5 * np.abs(w[2]) / 40 + 0.6 * noise[2], 0, None)
    tot = gm + wm + csf + 1e-12
    out = []
    for m in (gm, wm, csf):
        m = np.where(head, m / tot, 0.0).astype(np.float32)
        out.append(m)
    return out


def save_nifti1(data, A, path):
    import nibabel as nib
    img = nib.Nifti1Image(data, A)
    img.set_sform(A, 1)
    img.set_qform(A, 1)
    nib.save(img, path)


def rot_cs(axis, c, s):
    """Rotation about an axis by the angle with cosine c and sine s (a Pythagorean triple keeps it rational)."""
    if axis == "x":
        return np.array([[1, 0, 0], [0, c, -s], [0, s, c]], float)
    if axis == "y":
        return np.array([[c, 0, s], [0, 1, 0], [-s, 0, c]], float)
    return np.array([[c, -s, 0], [s, c, 0], [0, 0, 1]], float)


# rotations by Pythagorean triples: 12/13 (22.6 deg), 15/17 (28.1 deg), 77/85 (25.1 deg), 24/25 (16.3 deg)
R13 = {ax: rot_cs(ax, 12 / 13, 5 / 13) for ax in "xyz"}
R17 = {ax: rot_cs(ax, 15 / 17, 8 / 17) for ax in "xyz"}
R85 = {ax: rot_cs(ax, 77 / 85, 36 / 85) for ax in "xyz"}
R25 = {ax: rot_cs(ax, 24 / 25, 7 / 25) for ax in "xyz"}


def snapped_centre(near, R_t1, t1_origin, R_rel, delta):
    """A box centre near `near` (mm) whose faces fall half-way between the planes that carry the T1 sub-samples.

    With the box rotation R_m = R_t1 R_rel rational of denominator D and the sub-samples' coordinates along the
    T1 axes multiples of h (0.2 x the voxel sizes' common unit), the sub-samples' coordinates along the box axes
    (R_m^T (x - origin)) are multiples of delta = h / D. The centre's box-frame coordinates are put at (k + 1/2)
    delta, so with faces at +-size/2 (multiples of delta) no sub-sample lies within delta / 2 of a face: the
    inside test has no ties that floating point could break either way."""
    Rm = R_t1 @ R_rel
    u = Rm.T @ (np.asarray(near, float) - t1_origin)
    u = (np.floor(u / delta) + 0.5) * delta
    return t1_origin + Rm @ u, Rm


def make_cases(d):
    """Writes DIR/cases.json and the files: two T1 grids with tissue maps (grid 'a' 1 mm axis-aligned; grid 'b'
    oblique (16.3 deg about x) anisotropic 1.2 x 1.0 x 1.5 mm whose WM and CSF maps lie on a 2 mm grid), NIfTI-MRS
    voxels and LCModel tables. Every case lists its arguments; "error" cases must be refused with one line.
    Oblique voxels are turned by rational rotations (Pythagorean triples) about two axes and their centres
    snapped (snapped_centre) so that no sub-sample is within ~1e-5 of a face in q units; the 2 mm grid is offset
    so that no resampled coordinate is near a rounding tie. The reference reports both margins."""
    os.makedirs(d, exist_ok=True)
    meta = {"SpectrometerFrequency": [123.25], "ResonantNucleus": ["1H"], "EchoTime": 0.03, "RepetitionTime": 2.0}
    meta2 = {"SpectrometerFrequency": [127.74], "ResonantNucleus": ["1H"], "EchoTime": 0.035, "RepetitionTime": 3.0}
    # grid a: 1 mm, voxel centres at integer mm (-30..29, -32..31, -28..27)
    Aa = np.eye(4)
    Aa[:3, 3] = [-30, -32, -28]
    sa = (60, 64, 56)
    ga = [os.path.join(d, f"a_{t}.nii.gz") for t in ("GM", "WM", "CSF")]
    for m, p in zip(tissue_maps(sa, Aa, 11), ga):
        save_nifti1(m, Aa, p)
    # grid b: oblique (24/25 about x), anisotropic; WM and CSF on a 2 mm axis-aligned grid offset by
    # (7.602, 6.602, 10.702) mm: coordinates on that grid are multiples of 0.002 voxel plus 0.001
    Ab = np.eye(4)
    Ab[:3, :3] = R25["x"] @ np.diag([1.2, 1.0, 1.5])
    Ab[:3, 3] = [-27.7, -33.1, -22.9]
    sb = (46, 64, 32)
    gm_b = tissue_maps(sb, Ab, 12)[0]
    A2 = np.diag([2.0, 2.0, 2.0, 1.0])
    A2[:3, 3] = Ab[:3, 3] - [7.602, 6.602, 10.702]
    s2 = (36, 40, 34)
    _, wm2, csf2 = tissue_maps(s2, A2, 13)
    gb = [os.path.join(d, f"b_{t}.nii.gz") for t in ("GM", "WM", "CSF")]
    save_nifti1(gm_b, Ab, gb[0])
    save_nifti1(wm2, A2, gb[1])
    save_nifti1(csf2, A2, gb[2])
    fid = synthetic_fid(512, seed=5)
    cases = []

    def svs(name, A, **kw):
        ext = kw.pop("ext", ".nii.gz")
        p = os.path.join(d, f"svs_{name}{ext}")
        write_svs(p, kw.pop("fid", fid), A, kw.pop("meta", meta), **kw)
        return p

    t_main = os.path.join(d, "main.table")
    write_lcmodel_table(t_main, [(9.2, 4, 1.15, "Glu"), (3.1, 12, 0.39, "Gln"), (12.3, 5, 1.54, "Glu+Gln")], 0.056, 22)
    t_crlb = os.path.join(d, "crlb.table")      # 20 % kept, 21 % n/a
    write_lcmodel_table(t_crlb, [(8.75, 20, 1.09, "Glu"), (2.6, 21, 0.33, "Gln"), (11.35, 9, 1.42, "Glu+Gln")], 0.071, 15)

    def case(name, voxel, grid, table=t_main, extra=(), error=None, oblique=False):
        cases.append({"name": name, "voxel": voxel, "probseg": grid, "table": table, "extra": list(extra),
                      "error": error, "oblique": oblique})

    I3, oa = np.eye(3), Aa[:3, 3]
    # axis-aligned 20 mm on grid a's voxel boundaries (centre at half-integer mm): coverage exactly 0/1
    case("aligned_n2_c64", svs("aligned", mrs_affine([4.5, 10.5, -6.5], [20, 20, 20]), version=2, dtype=np.complex64), ga)
    # axis-aligned, faces cutting voxels (0.03 .. 0.07 mm from the nearest sub-sample planes): fractional
    # coverage; NIfTI-1 complex128 uncompressed
    case("aligned_frac_n1_c128", svs("aligned_frac", mrs_affine([3.33, -7.77, 5.13], [18, 22, 15]), version=1,
                                      dtype=np.complex128, ext=".nii"), ga)
    # oblique: 22.6 deg about x then 28.1 deg about z; NIfTI-2 complex128
    c, R = snapped_centre([-5.2, 8.7, 3.1], I3, oa, R17["z"] @ R13["x"], 0.2 / 221)
    case("oblique_n2_c128", svs("oblique", mrs_affine(c, [20, 20, 20], R), version=2, dtype=np.complex128), ga,
         oblique=True)
    # oblique, NIfTI-1 complex64, qform only (sform_code 0), left-handed (qfac -1): 25.1 deg about y, -22.6 about z
    c, R = snapped_centre([2.4, -3.6, -1.7], I3, oa, R85["y"] @ R13["z"].T @ np.diag([-1.0, 1.0, 1.0]), 0.2 / 1105)
    case("oblique_n1_c64_qform_lh", svs("oblique_qform", mrs_affine(c, [24, 16, 20], R), version=1,
                                        dtype=np.complex64, sform=False), ga, oblique=True)
    # sform and a different qform: the sform decides; -28.1 deg about y, 22.6 about x
    c, R = snapped_centre([-6.3, 2.2, 7.9], I3, oa, R17["y"].T @ R13["x"], 0.2 / 221)
    case("sform_over_qform_n2_c64", svs("sform_qform", mrs_affine(c, [20, 20, 20], R),
                                        qform_affine=mrs_affine([0, 0, 0], [20, 20, 20])), ga, oblique=True)
    # oblique voxel (relative to grid b: 22.6 about x then 28.1 about y) on the oblique anisotropic grid b,
    # WM and CSF nearest-neighbour resampled from the 2 mm grid; other TE/TR/MHz
    c, R = snapped_centre([1.9, -4.4, 3.3], R25["x"], Ab[:3, 3], R17["y"] @ R13["x"], 0.02 / 221)
    case("grid_b_resampled_n2_c64", svs("grid_b", mrs_affine(c, [20, 20, 20], R), meta=meta2), gb, oblique=True)
    # the CRLB threshold: 20 % kept, 21 % n/a; then --crlb-max 25 (both kept) and 9 (Glx 9 % kept, Glu n/a)
    case("crlb_default", os.path.join(d, "svs_aligned.nii.gz"), ga, t_crlb)
    case("crlb_max_25", os.path.join(d, "svs_aligned.nii.gz"), ga, t_crlb, extra=["--crlb-max", "25"])
    case("crlb_max_9", os.path.join(d, "svs_aligned.nii.gz"), ga, t_crlb, extra=["--crlb-max", "9"])
    # bad input
    case("outside_fov", svs("outside", mrs_affine([22.0, 0.5, 0.5], [20, 20, 20], R13["z"])), ga,
         error="outside|field of view|FOV")
    case("mrsi", svs("mrsi", mrs_affine([0.5, 0.5, 0.5], [10, 10, 10]), dim123=(2, 2, 1), fid=np.tile(fid, 4)), ga,
         error="MRSI|single.voxel|SVS|dim")
    case("float32_data", svs("float32", mrs_affine([0.5, 0.5, 0.5], [20, 20, 20]), dtype=np.float32,
                             fid=fid.real), ga, error="complex|datatype")
    case("no_extension", svs("noext", mrs_affine([0.5, 0.5, 0.5], [20, 20, 20]), ecode=None), ga,
         error="extension|ecode|44|EchoTime|JSON")
    m_note = {k: v for k, v in meta.items() if k != "EchoTime"}
    case("no_echo_time", svs("note", mrs_affine([0.5, 0.5, 0.5], [20, 20, 20]), meta=m_note), ga, error="EchoTime")
    with open(os.path.join(d, "cases.json"), "w") as f:
        json.dump(cases, f, indent=1)
    return cases


def main(argv=None):
    ap = argparse.ArgumentParser(prog="mrs_reference.py", description="numpy MRS voxel / tissue correction reference")
    ap.add_argument("results", nargs="?")
    ap.add_argument("--selftest", action="store_true")
    ap.add_argument("--make-cases", metavar="DIR")
    ap.add_argument("--tool", default=None)
    ap.add_argument("--voxel")
    ap.add_argument("--t1-probseg", nargs=3, metavar=("GM", "WM", "CSF"))
    ap.add_argument("--crlb-max", type=float, default=20.0)
    ap.add_argument("--mask-out")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--perturb", choices=["offset", "density"], help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.selftest:
        return selftest()
    if args.make_cases:
        make_cases(args.make_cases)
        return 0
    try:
        if not args.results or not args.voxel or not args.t1_probseg or not args.tool:
            raise MrsError("RESULTS, --tool, --voxel and --t1-probseg GM WM CSF are required")
        out = run(args)
    except MrsError as e:
        print(f"mrs_reference: error: {e}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
