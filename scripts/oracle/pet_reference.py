#!/usr/bin/env python3
"""Independent plain numpy/scipy reference of ketaprint's PET regional metabolism (static image, SUV, SUVR,
GTM partial-volume correction), written from the definitions pinned in the PET issue (not from ketaprint's
code). numpy, scipy and nibabel only.

Usage (the same arguments as `ketaprint pet`):
  pet_reference.py PET [--json-sidecar F] [--window 40,60] [--roi NAME=SPEC ...]
                   [--reference SPEC|cerebellum|wholebrain|pons] [--seg ASEG] [--pvc-fwhm MM] [--weight KG]
                   [--dose MBQ] [--out PREFIX] [--json]
  pet_reference.py --selftest

ROI / reference specs: sphere:X,Y,Z,R (PET voxel centres, via the PET affine, within R mm of the world
point), aseg:N+M (labels of --seg), atlas:FILE:N+M (labels of FILE), cerebellum (= aseg:8+47, the default),
wholebrain (aseg labels > 0 except 4, 5, 14, 15, 24, 43, 44), pons (= aseg:174). Label images reach the
PET grid by nearest neighbour through the affines: PET voxel centre -> world -> continuous label-grid index
u -> floor(u + 0.5); outside the label grid is label 0.

Definitions (the issue's):
  window     [InjectionStart + START min, InjectionStart + END min] on the TimeZero clock (s); frames
             [FrameTimesStart_i, + FrameDuration_i]; weight_i = overlap (s) with the window; static =
             sum_i w_i * frame_i / sum_i w_i over the frames with w_i > 0 (so a NaN in a frame outside the
             window does not reach the static image). Frames out of order or overlapping, a window not
             covered, a frame count different from the image's: errors.
  units      Bq/mL 1, kBq/mL 1e3, MBq/mL 1e6, GBq/mL 1e9, Ci/mL 3.7e10, mCi/mL 3.7e7, uCi/mL 3.7e4,
             nCi/mL 37 (Bq per mL; "/cc" = "/mL"); anything else (counts, SUV, ...) is an error.
  dose       InjectedRadioactivity in InjectedRadioactivityUnits (Bq, kBq, MBq, GBq, mCi, uCi), or --dose
             MBq; decay-corrected: dose * exp(-ln 2 (ImageDecayCorrectionTime - InjectionStart) / T_half),
             T_half (s): F18 6588, C11 1224, N13 599, O15 123, Ga68 4080.
  SUV        C [Bq/mL] * weight [kg] * 1000 / dose_dc [Bq]; null with a reason when the image is not
             decay-corrected, or there is no weight, or no dose. SUVR = ROI mean / reference mean.
  NaN        NaN voxels of the static image (counted over the whole grid: nan_voxels) belong to no region.
  GTM        regions in priority order: the ROIs (given order), the reference, cortex (aseg 3+42), white
             matter (2+41), CSF (24); a voxel goes to the first region claiming it; empty regions dropped.
             sigma_axis = FWHM / (2 sqrt(2 ln 2)) / |affine column axis|; G[i, j] = mean over region i of
             gaussian_filter(indicator_j as float64, sigma, mode='reflect', truncate=4.0); t_i = mean of the
             static image over region i; c = solve(G, t); SUVR_pvc = c_roi / c_reference.

Outputs: --json prints one JSON object (the contract's keys); --out PREFIX writes
PREFIX_desc-static_pet.nii.gz (float32, Bq/mL) and PREFIX_desc-suvr_pet.nii.gz (float32, static / reference
mean) on the PET grid, and PREFIX_desc-static_pet.npy (the float64 static image, for the oracle).
Bad input: one line "pet_reference: error: ..." on stderr, exit 2.

Test-only switches for the oracle's negative controls (hidden from --help):
  --truncate T      the PSF kernel truncated at T sigma instead of 4
  --half-life S     this half-life (s) instead of the table's
"""
import argparse
import json
import math
import os
import re
import sys

import numpy as np
from scipy import ndimage

HALF_LIFE_S = {"F18": 6588.0, "C11": 1224.0, "N13": 599.0, "O15": 123.0, "Ga68": 4080.0}
# Bq per unit (activity). Ci = 3.7e10 Bq exactly; each prefixed value written out, not computed.
ACTIVITY_UNITS = {"Bq": 1.0, "kBq": 1e3, "MBq": 1e6, "GBq": 1e9,
                  "Ci": 3.7e10, "mCi": 3.7e7, "uCi": 3.7e4, "\u00b5Ci": 3.7e4, "nCi": 37.0}
CONC_NUMERATORS = ("Bq", "kBq", "MBq", "GBq", "Ci", "mCi", "uCi", "\u00b5Ci", "nCi")
DOSE_UNITS = ("Bq", "kBq", "MBq", "GBq", "mCi", "uCi", "\u00b5Ci")
WHOLEBRAIN_EXCLUDE = (4, 5, 14, 15, 24, 43, 44)
NAMED_REFERENCES = {"cerebellum": "aseg:8+47", "pons": "aseg:174"}
FWHM_TO_SIGMA = 1.0 / (2.0 * math.sqrt(2.0 * math.log(2.0)))
TRUNCATE = 4.0


class PetError(Exception):
    """Bad input: reported as one line, exit 2."""


# ----------------------------------------------------------------------------------------------------------
# Units, tracer, decay
# ----------------------------------------------------------------------------------------------------------

def concentration_factor(units):
    """Bq/mL per unit of the image's Units string."""
    if not isinstance(units, str):
        raise PetError(f"Units {units!r} is not an activity concentration")
    u = units.strip()
    m = re.fullmatch(r"(\S+?)\s*/\s*(mL|ml|ML|cc|cm3|cm\^3)", u)
    if not m or m.group(1) not in CONC_NUMERATORS:
        raise PetError(f"Units '{units}' is not an activity concentration (Bq/mL, kBq/mL, MBq/mL, nCi/mL, ...)")
    return ACTIVITY_UNITS[m.group(1)]


def dose_factor(units):
    if not isinstance(units, str) or units.strip() not in DOSE_UNITS:
        raise PetError(f"InjectedRadioactivityUnits {units!r} is not one of Bq, kBq, MBq, GBq, mCi, uCi")
    return ACTIVITY_UNITS[units.strip()]


def normalize_tracer(s):
    """'F18', 'F-18', '18F', '[18F]' -> 'F18' (element symbol + mass number)."""
    if not isinstance(s, str):
        raise PetError(f"TracerRadionuclide {s!r} is not a radionuclide")
    t = s.strip().strip("[]").replace("-", "").replace(" ", "")
    m = re.fullmatch(r"([A-Za-z]{1,2})(\d{1,3})", t) or re.fullmatch(r"(\d{1,3})([A-Za-z]{1,2})", t)
    if not m:
        raise PetError(f"TracerRadionuclide '{s}' is not a radionuclide")
    a, b = m.groups()
    el, mass = (a, b) if a.isalpha() else (b, a)
    name = el[0].upper() + el[1:].lower() + mass
    if name not in HALF_LIFE_S:
        raise PetError(f"TracerRadionuclide '{s}': unknown half-life (known: {', '.join(HALF_LIFE_S)})")
    return name


def decay_factor(dt_s, half_life_s):
    return math.exp(-math.log(2.0) * dt_s / half_life_s)


def suv(c_bq_per_ml, weight_kg, dose_dc_bq):
    return c_bq_per_ml * weight_kg * 1000.0 / dose_dc_bq


# ----------------------------------------------------------------------------------------------------------
# Frames and the static image
# ----------------------------------------------------------------------------------------------------------

def frame_weights(starts, durs, lo, hi):
    """Overlap (s) of each frame with [lo, hi]; errors for unordered / overlapping frames and gaps."""
    n = len(starts)
    for i in range(n):
        if not (durs[i] > 0):
            raise PetError(f"frame {i}: FrameDuration {durs[i]} is not positive")
    for i in range(n - 1):
        if starts[i + 1] < starts[i]:
            raise PetError(f"frames out of order: frame {i + 1} starts at {starts[i + 1]:g} s, before frame {i} "
                           f"({starts[i]:g} s)")
        if starts[i + 1] < starts[i] + durs[i]:
            raise PetError(f"frames overlap: frame {i} [{starts[i]:g}, {starts[i] + durs[i]:g}] s and frame "
                           f"{i + 1} [{starts[i + 1]:g}, {starts[i + 1] + durs[i + 1]:g}] s")
    w = [max(0.0, min(hi, s + d) - max(lo, s)) for s, d in zip(starts, durs)]
    # coverage: walk the (ordered, disjoint) frames through the window
    cur = lo
    for s, d in zip(starts, durs):
        if s + d <= cur:
            continue
        if s > cur:
            break
        cur = s + d
        if cur >= hi:
            break
    if cur < hi:
        inside = [i for i in range(n) if w[i] > 0]
        desc = ", ".join(f"{i} [{starts[i]:g}, {starts[i] + durs[i]:g}]" for i in inside) or "none"
        raise PetError(f"window [{lo:g}, {hi:g}] s is not covered by the frames (uncovered from {cur:g} s; "
                       f"frames overlapping it: {desc})")
    return w


def static_image(data4d, weights, to_bq):
    num = np.zeros(data4d.shape[:3])
    for i, w in enumerate(weights):
        if w > 0:
            num += w * (data4d[..., i] * to_bq)
    return num / sum(weights)


# ----------------------------------------------------------------------------------------------------------
# Regions
# ----------------------------------------------------------------------------------------------------------

def voxel_world(affine, shape):
    ijk = np.indices(shape).reshape(3, -1).T.astype(float)
    return ijk @ affine[:3, :3].T + affine[:3, 3]


def nn_resample(labels, lab_affine, pet_affine, pet_shape):
    """Labels on the PET grid: nearest neighbour (floor(u + 0.5)) through the affines; outside -> 0."""
    xyz = voxel_world(pet_affine, pet_shape)
    u = (xyz - lab_affine[:3, 3]) @ np.linalg.inv(lab_affine[:3, :3]).T
    r = np.floor(u + 0.5).astype(np.int64)
    ok = np.all((r >= 0) & (r < np.array(labels.shape[:3])), axis=1)
    out = np.zeros(len(r), np.int64)
    out[ok] = labels[r[ok, 0], r[ok, 1], r[ok, 2]]
    return out.reshape(pet_shape)


def load_labels(path):
    import nibabel as nib
    try:
        img = nib.load(path)
    except Exception as e:
        raise PetError(f"cannot read label image {path}: {e}")
    d = np.asarray(img.dataobj)
    if d.ndim == 4 and d.shape[3] == 1:
        d = d[..., 0]
    if d.ndim != 3:
        raise PetError(f"label image {path} is not 3-D")
    return np.rint(d.astype(np.float64)).astype(np.int64), img.affine


def parse_labels(txt, spec):
    try:
        labs = [int(v) for v in txt.split("+")]
    except ValueError:
        raise PetError(f"bad label list in '{spec}' (use N+M)")
    return labs


class Regions:
    def __init__(self, pet_affine, pet_shape, seg_path):
        self.aff = pet_affine
        self.shape = pet_shape
        self.seg_path = seg_path
        self._seg = None
        self._atlas = {}

    def seg(self, spec):
        if self.seg_path is None:
            raise PetError(f"'{spec}' needs --seg (an aseg label image)")
        if self._seg is None:
            lab, aff = load_labels(self.seg_path)
            self._seg = nn_resample(lab, aff, self.aff, self.shape)
        return self._seg

    def mask(self, spec):
        s = NAMED_REFERENCES.get(spec, spec)
        if s == "wholebrain":
            seg = self.seg(spec)
            return (seg > 0) & ~np.isin(seg, WHOLEBRAIN_EXCLUDE)
        if s.startswith("sphere:"):
            try:
                x, y, z, r = [float(v) for v in s[7:].split(",")]
            except ValueError:
                raise PetError(f"bad sphere '{spec}' (use sphere:X,Y,Z,R)")
            if not r > 0:
                raise PetError(f"bad sphere '{spec}': radius must be positive")
            xyz = voxel_world(self.aff, self.shape)
            return (((xyz - (x, y, z)) ** 2).sum(1) <= r * r).reshape(self.shape)
        if s.startswith("aseg:"):
            return np.isin(self.seg(spec), parse_labels(s[5:], spec))
        if s.startswith("atlas:"):
            rest = s[6:]
            if ":" not in rest:
                raise PetError(f"bad atlas ROI '{spec}' (use atlas:FILE:N+M)")
            path, labs = rest.rsplit(":", 1)
            labs = parse_labels(labs, spec)
            if path not in self._atlas:
                if not os.path.exists(path):
                    raise PetError(f"atlas file {path} not found ('{spec}')")
                lab, aff = load_labels(path)
                self._atlas[path] = nn_resample(lab, aff, self.aff, self.shape)
            return np.isin(self._atlas[path], labs)
        raise PetError(f"unknown region spec '{spec}' (sphere:X,Y,Z,R, aseg:N+M, atlas:FILE:N+M, cerebellum, "
                       f"wholebrain, pons)")


# ----------------------------------------------------------------------------------------------------------
# GTM
# ----------------------------------------------------------------------------------------------------------

def psf_sigma(affine, fwhm_mm):
    vox = np.sqrt((np.asarray(affine)[:3, :3] ** 2).sum(0))
    return fwhm_mm * FWHM_TO_SIGMA / vox


def gtm(static, regions, sigma, truncate=TRUNCATE):
    """regions: [(name, mask)] in priority order (masks already without NaN voxels). Returns [(name, voxels,
    observed, corrected)] for the non-empty regions."""
    taken = np.zeros(static.shape, bool)
    own = []
    for name, m in regions:
        mine = m & ~taken
        taken |= mine
        if mine.any():
            own.append((name, mine))
    n = len(own)
    G = np.zeros((n, n))
    for j, (_, mj) in enumerate(own):
        b = ndimage.gaussian_filter(mj.astype(np.float64), sigma, mode="reflect", truncate=truncate)
        for i, (_, mi) in enumerate(own):
            G[i, j] = b[mi].mean()
    t = np.array([static[m].mean() for _, m in own])
    c = np.linalg.solve(G, t)
    return [(name, int(m.sum()), float(t[i]), float(c[i])) for i, (name, m) in enumerate(own)], G


# ----------------------------------------------------------------------------------------------------------
# The whole run
# ----------------------------------------------------------------------------------------------------------

def sidecar_of(pet):
    for ext in (".nii.gz", ".nii"):
        if pet.endswith(ext):
            return pet[: -len(ext)] + ".json"
    return os.path.splitext(pet)[0] + ".json"


def num(side, key, required=True):
    v = side.get(key)
    if v is None:
        if required:
            raise PetError(f"sidecar has no {key}")
        return None
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise PetError(f"sidecar {key} {v!r} is not a number")
    return float(v)


def run(a):
    import nibabel as nib
    side_path = a.json_sidecar or sidecar_of(a.pet)
    if not os.path.exists(side_path):
        raise PetError(f"no JSON sidecar {side_path} (give --json-sidecar)")
    try:
        with open(side_path) as f:
            side = json.load(f)
    except Exception as e:
        raise PetError(f"cannot read JSON sidecar {side_path}: {e}")
    try:
        img = nib.load(a.pet)
    except Exception as e:
        raise PetError(f"cannot read PET {a.pet}: {e}")
    data = np.asarray(img.get_fdata(dtype=np.float64))
    if data.ndim == 3:
        data = data[..., None]
    if data.ndim != 4:
        raise PetError(f"PET {a.pet} is not 3-D or 4-D")
    aff = img.affine
    shape = data.shape[:3]

    to_bq = concentration_factor(side.get("Units"))
    starts, durs = side.get("FrameTimesStart"), side.get("FrameDuration")
    if not isinstance(starts, list) or not isinstance(durs, list):
        raise PetError("sidecar needs FrameTimesStart and FrameDuration (lists)")
    starts, durs = [float(v) for v in starts], [float(v) for v in durs]
    if len(starts) != len(durs) or len(starts) != data.shape[3]:
        raise PetError(f"{len(starts)} FrameTimesStart, {len(durs)} FrameDuration for {data.shape[3]} frames "
                       f"in the image")
    inj = num(side, "InjectionStart")
    try:
        w0, w1 = [float(v) for v in a.window.split(",")]
    except ValueError:
        raise PetError(f"bad --window '{a.window}' (use START,END minutes)")
    if not w1 > w0:
        raise PetError(f"bad --window '{a.window}': END must exceed START")
    lo, hi = inj + 60.0 * w0, inj + 60.0 * w1
    weights = frame_weights(starts, durs, lo, hi)
    static = static_image(data, weights, to_bq)
    nanm = np.isnan(static)

    tracer = normalize_tracer(side.get("TracerRadionuclide"))
    half = a.half_life if a.half_life is not None else HALF_LIFE_S[tracer]
    dct = num(side, "ImageDecayCorrectionTime", required=False)
    dcorr = side.get("ImageDecayCorrected")
    if a.dose is not None:
        dose = a.dose * 1e6
    elif side.get("InjectedRadioactivity") is not None:
        dose = num(side, "InjectedRadioactivity") * dose_factor(side.get("InjectedRadioactivityUnits"))
    else:
        dose = None
    weight = a.weight if a.weight is not None else num(side, "BodyWeight", required=False)
    dose_dc = dose * decay_factor(dct - inj, half) if (dose is not None and dct is not None) else None
    reason = None
    if dcorr is not True:
        reason = "not decay-corrected (ImageDecayCorrected is not true)"
    elif dct is None:
        reason = "no ImageDecayCorrectionTime"
    elif dose is None:
        reason = "no injected dose (InjectedRadioactivity or --dose)"
    elif weight is None:
        reason = "no body weight (BodyWeight or --weight)"

    reg = Regions(aff, shape, a.seg)
    ref_spec = a.reference
    ref_mask = reg.mask(ref_spec) & ~nanm
    if not ref_mask.any():
        raise PetError(f"reference '{ref_spec}' has no voxels")
    ref_mean = float(static[ref_mask].mean())
    rois = []
    for r in a.roi:
        if "=" not in r:
            raise PetError(f"bad --roi '{r}' (use NAME=SPEC)")
        name, spec = r.split("=", 1)
        if not name:
            raise PetError(f"bad --roi '{r}' (use NAME=SPEC)")
        m = reg.mask(spec) & ~nanm
        if not m.any():
            raise PetError(f"ROI {name} ('{spec}') has no voxels")
        rois.append((name, spec, m))

    pvc = None
    pvc_c = {}
    if a.pvc_fwhm is not None:
        if not a.pvc_fwhm > 0:
            raise PetError(f"bad --pvc-fwhm {a.pvc_fwhm}")
        sigma = psf_sigma(aff, a.pvc_fwhm)
        regs = [(n, m) for n, _, m in rois] + [("reference", ref_mask)]
        if a.seg is not None:
            seg = reg.seg("gtm")
            regs += [("cortex", np.isin(seg, (3, 42)) & ~nanm), ("white_matter", np.isin(seg, (2, 41)) & ~nanm),
                     ("csf", (seg == 24) & ~nanm)]
        res, _ = gtm(static, regs, sigma, a.truncate)
        pos = {n: c for n, _, _, c in res}
        if "reference" not in pos:
            # (not pinned by the issue) every reference voxel went to an ROI: no SUVR_pvc can be formed
            raise PetError(f"GTM: the reference region '{ref_spec}' is taken whole by the ROIs (priority order)")
        for n, _, _ in rois:
            pvc_c[n] = pos[n] / pos["reference"] if n in pos else None
        pvc = {"fwhm_mm": a.pvc_fwhm, "sigma_voxels": [float(s) for s in sigma],
               "regions": [{"name": n, "voxels": v, "observed_bq_per_ml": t, "corrected_bq_per_ml": c}
                           for n, v, t, c in res]}

    out_rois = []
    for name, spec, m in rois:
        mean = float(static[m].mean())
        out_rois.append({"name": name, "spec": spec, "voxels": int(m.sum()), "mean_bq_per_ml": mean,
                         "suv": None if reason else suv(mean, weight, dose_dc), "suvr": mean / ref_mean,
                         "suvr_pvc": pvc_c.get(name) if pvc is not None else None})
    res = {
        "window_s": [lo, hi],
        "frames": [{"index": i, "start_s": starts[i], "duration_s": durs[i], "weight_s": weights[i]}
                   for i in range(len(starts)) if weights[i] > 0],
        "units": side.get("Units"), "to_bq_per_ml": to_bq, "tracer": tracer, "half_life_s": half,
        "dose_bq": dose, "decay_correction_time_s": dct, "dose_decay_corrected_bq": dose_dc,
        "weight_kg": weight, "suv_na_reason": reason, "nan_voxels": int(nanm.sum()),
        "reference": {"spec": ref_spec, "voxels": int(ref_mask.sum()), "mean_bq_per_ml": ref_mean},
        "rois": out_rois, "pvc": pvc,
    }
    if a.out:
        d = os.path.dirname(a.out)
        if d:
            os.makedirs(d, exist_ok=True)
        for tag, vol in (("static", static), ("suvr", static / ref_mean)):
            o = nib.Nifti1Image(vol.astype(np.float32), aff)
            o.header.set_xyzt_units("mm")
            nib.save(o, f"{a.out}_desc-{tag}_pet.nii.gz")
        np.save(f"{a.out}_desc-static_pet.npy", static)
    return res


# ----------------------------------------------------------------------------------------------------------
# Self-test
# ----------------------------------------------------------------------------------------------------------

def _manual_gauss(x, sigma, truncate):
    """Separable Gaussian by explicit loops with scipy's 'reflect' boundary (d c b a | a b c d | d c b a):
    kernel k[m] = exp(-m^2 / (2 sigma^2)) for |m| <= int(truncate * sigma + 0.5), normalised to sum 1."""
    y = x.astype(np.float64).copy()
    for ax, s in enumerate(sigma):
        rad = int(truncate * s + 0.5)
        m = np.arange(-rad, rad + 1)
        k = np.exp(-0.5 * m * m / (s * s))
        k /= k.sum()
        n = y.shape[ax]
        out = np.zeros_like(y)
        for i in range(n):
            for mm, kv in zip(m, k):
                j = i + mm
                # reflect about the edge: -1 -> 0, -2 -> 1, n -> n-1, ... (period 2n)
                j = j % (2 * n)
                if j >= n:
                    j = 2 * n - 1 - j
                out_idx = [slice(None)] * 3
                in_idx = [slice(None)] * 3
                out_idx[ax], in_idx[ax] = i, j
                out[tuple(out_idx)] += kv * y[tuple(in_idx)]
        y = out
    return y


def selftest():
    ok = True

    def check(what, cond, detail=""):
        nonlocal ok
        print(f"  {what}: {'ok' if cond else 'FAIL'}{(' (' + detail + ')') if detail else ''}")
        ok &= bool(cond)

    print("pet_reference self-test")
    # units
    check("kBq/mL = 1e3, MBq/mL = 1e6, kBq/cc = 1e3, Bq/ml = 1",
          concentration_factor("kBq/mL") == 1e3 and concentration_factor("MBq/mL") == 1e6
          and concentration_factor("kBq/cc") == 1e3 and concentration_factor("Bq/ml") == 1.0)
    check("nCi/mL = 37, uCi/mL = 3.7e4, mCi/mL = 3.7e7",
          concentration_factor("nCi/mL") == 37.0 and concentration_factor("uCi/mL") == 3.7e4
          and concentration_factor("mCi/mL") == 3.7e7)
    for bad in ("counts", "SUV", "Bq", "kBq/g", "", None):
        try:
            concentration_factor(bad)
            check(f"Units {bad!r} refused", False)
        except PetError:
            check(f"Units {bad!r} refused", True)
    check("10 mCi = 370 MBq", abs(10 * dose_factor("mCi") - 370 * dose_factor("MBq")) <= 1e-6)
    check("0.37 GBq = 10000 uCi = 370 MBq",
          abs(0.37 * dose_factor("GBq") - 3.7e8) < 1e-3 and abs(1e4 * dose_factor("uCi") - 3.7e8) < 1e-3)
    # tracer / decay
    check("F18 / F-18 / 18F / [18F] -> F18", {normalize_tracer(s) for s in ("F18", "F-18", "18F", "[18F]")} == {"F18"})
    check("C-11, 11C, Ga-68, 68Ga, O15, N-13", [normalize_tracer(s) for s in ("C-11", "11C", "Ga-68", "68Ga", "O15", "N-13")]
          == ["C11", "C11", "Ga68", "Ga68", "O15", "N13"])
    check("one F18 half-life (6588 s) halves the dose", abs(decay_factor(6588.0, HALF_LIFE_S["F18"]) - 0.5) < 1e-15)
    check("decay 1800 s F18 = 2^(-1800/6588)",
          abs(decay_factor(1800.0, 6588.0) - 2.0 ** (-1800.0 / 6588.0)) < 1e-15,
          f"{decay_factor(1800.0, 6588.0):.15f}")
    check("SUV: 5000 Bq/mL, 70 kg, 350 MBq -> 1", abs(suv(5000.0, 70.0, 350e6) - 1.0) < 1e-15)
    # frames
    st = [0.0, 600.0, 1200.0, 1800.0]
    du = [600.0, 600.0, 600.0, 600.0]
    check("weights of [300, 1500] over 4 x 600 s frames = 300, 600, 300, 0",
          frame_weights(st, du, 300.0, 1500.0) == [300.0, 600.0, 300.0, 0.0])
    for what, s2, d2, lo, hi in (("overlap", [0.0, 500.0], [600.0, 600.0], 0.0, 900.0),
                                 ("out of order", [600.0, 0.0], [600.0, 600.0], 0.0, 900.0),
                                 ("gap", [0.0, 700.0], [600.0, 600.0], 0.0, 900.0),
                                 ("past the end", [0.0, 600.0], [600.0, 600.0], 0.0, 1300.0),
                                 ("before the start", [100.0, 700.0], [600.0, 600.0], 0.0, 900.0)):
        try:
            frame_weights(s2, d2, lo, hi)
            check(f"frames: {what} refused", False)
        except PetError as e:
            check(f"frames: {what} refused", True, str(e))
    # gaussian_filter facts
    rng = np.random.default_rng(1)
    sig = (1.274, 1.274, 0.8493)
    check("scipy radius int(4 sigma + 0.5): 5, 5, 3 voxels for sigma 1.274, 1.274, 0.8493",
          [int(4.0 * s + 0.5) for s in sig] == [5, 5, 3])
    x = rng.standard_normal((9, 7, 6))
    d = float(np.abs(ndimage.gaussian_filter(x, sig, mode="reflect", truncate=4.0) - _manual_gauss(x, sig, 4.0)).max())
    check("gaussian_filter(reflect, truncate 4) = explicit separable loops with reflect indexing", d < 1e-13, f"max |d| {d:.1e}")
    x3 = np.zeros(12)
    x3[0] = 1.0
    k = np.exp(-0.5 * np.arange(-5, 6) ** 2 / 1.274 ** 2)
    k /= k.sum()
    y3 = ndimage.gaussian_filter1d(x3, 1.274, mode="reflect", truncate=4.0)
    check("reflect at the edge: impulse at 0 -> out[0] = k0 + k1, out[1] = k1 + k2",
          abs(y3[0] - (k[5] + k[6])) < 1e-15 and abs(y3[1] - (k[6] + k[7])) < 1e-15)
    c = np.full((6, 5, 4), 3.25)
    check("a constant stays constant (kernel sums to 1, reflect)",
          float(np.abs(ndimage.gaussian_filter(c, sig, mode="reflect", truncate=4.0) - 3.25).max()) < 1e-14)
    check("truncate 3 differs from 4 (the negative control's lever)",
          float(np.abs(ndimage.gaussian_filter(x, sig, mode="reflect", truncate=3.0)
                       - ndimage.gaussian_filter(x, sig, mode="reflect", truncate=4.0)).max()) > 1e-6)
    check("sigma = FWHM / 2.3548 / voxel: FWHM 6 on 2 mm -> 1.27398",
          abs(psf_sigma(np.diag([2.0, 2.0, 3.0, 1.0]), 6.0)[0] - 6.0 / (2 * math.sqrt(2 * math.log(2))) / 2) < 1e-15)
    # GTM exact on a noise-free 3-region phantom
    lab = np.zeros((20, 20, 12), int)
    lab[4:16, 4:16, 3:9] = 1
    lab[8:11, 8:11, 5:7] = 2
    lab[2:4, 2:18, 2:10] = 3
    true = {1: 10.0, 2: 30.0, 3: 4.0}
    act = np.zeros(lab.shape)
    for l, v in true.items():
        act[lab == l] = v
    obs = ndimage.gaussian_filter(act, (1.5, 1.5, 1.0), mode="reflect", truncate=4.0)
    res, G = gtm(obs, [("small", lab == 2), ("big", lab == 1), ("slab", lab == 3)], (1.5, 1.5, 1.0))
    err = max(abs(cc - true[{"small": 2, "big": 1, "slab": 3}[n]]) for n, _, _, cc in res)
    check("GTM recovers a noise-free 3-region phantom", err < 1e-9, f"max |d| {err:.1e}; observed small "
          f"{res[0][2]:.3f} vs true 30")
    # priority: an overlapping later region loses the shared voxels; an empty region is dropped
    res2, _ = gtm(obs, [("big", lab >= 1), ("small", lab == 2), ("none", lab == 9)], (1.5, 1.5, 1.0))
    check("GTM priority: the first region claims shared voxels, an emptied region is dropped",
          [r[0] for r in res2] == ["big"] and res2[0][1] == int((lab >= 1).sum()))
    # nearest neighbour through the affines: a 1 mm LIA grid onto a 2 mm RAS grid
    labs = np.arange(5 * 6 * 7).reshape(5, 6, 7)
    lia = np.array([[-1.0, 0, 0, 4], [0, 0, 1, 0], [0, -1, 0, 5], [0, 0, 0, 1]])
    ras = np.diag([2.0, 2.0, 2.0, 1.0])
    rr = nn_resample(labs, lia, ras, (3, 3, 3))
    check("nearest neighbour LIA 1 mm -> RAS 2 mm: voxel (1,2,1) -> world (2,4,2) -> LIA (2,3,4)",
          rr[1, 2, 1] == labs[2, 3, 4] and rr[0, 0, 0] == labs[4, 5, 0])
    print("pet_reference self-test: " + ("all ok" if ok else "FAILURES"))
    return 0 if ok else 1


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if argv == ["--selftest"]:
        return selftest()

    class P(argparse.ArgumentParser):
        def error(self, message):
            raise PetError(message)
    ap = P(prog="pet_reference", description="PET regional metabolism reference (see the module docstring)")
    ap.add_argument("pet")
    ap.add_argument("--json-sidecar")
    ap.add_argument("--window", default="40,60")
    ap.add_argument("--roi", action="append", default=[])
    ap.add_argument("--reference", default="cerebellum")
    ap.add_argument("--seg")
    ap.add_argument("--pvc-fwhm", type=float)
    ap.add_argument("--weight", type=float)
    ap.add_argument("--dose", type=float)
    ap.add_argument("--out")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--truncate", type=float, default=TRUNCATE, help=argparse.SUPPRESS)
    ap.add_argument("--half-life", type=float, help=argparse.SUPPRESS)
    try:
        a = ap.parse_args(argv)
        res = run(a)
    except PetError as e:
        print(f"pet_reference: error: {e}", file=sys.stderr)
        return 2
    if a.json:
        print(json.dumps(res, indent=1))
    else:
        print(f"reference {res['reference']['spec']}: {res['reference']['voxels']} voxels, "
              f"{res['reference']['mean_bq_per_ml']:.6g} Bq/mL; SUV {res['suv_na_reason'] or 'available'}")
        for r in res["rois"]:
            print(f"{r['name']}: {r['voxels']} voxels, {r['mean_bq_per_ml']:.6g} Bq/mL, SUV {r['suv']}, "
                  f"SUVR {r['suvr']:.6f}, SUVR_pvc {r['suvr_pvc']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
