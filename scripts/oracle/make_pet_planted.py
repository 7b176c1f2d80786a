#!/usr/bin/env python3
"""Planted dynamic PET phantom for the PET oracle (scripts/oracle/pet_reference.sh).

  make_pet_planted.py OUTDIR [--seed 11] [--noise 0.01] [--fwhm 6]

Geometry (world mm, RAS):
  aseg-like label volume on a 1 mm grid stored LIA like FreeSurfer's conformed volumes (affine columns
  (-1,0,0), (0,0,-1), (0,1,0)), shape 101 x 101 x 116; labels
    3 / 42   left / right cerebral cortex (a 5 mm shell of an ellipsoid, centre (0,0,10), radii (40,48,30))
    2 / 41   left / right cerebral white matter (inside the shell)
    24       CSF (central ellipsoid), 4 / 43 lateral ventricles (activity 0: not GTM regions)
    8 / 47   left / right cerebellar cortex (ellipsoid centre (0,-40,-30), radii (30,15,12))
    174      pons (sphere r 5 at (0,-5,-38); >= 13 mm from every other labelled voxel, i.e. beyond the
             truncated PSF kernel's reach, so it leaks into no GTM region)
    17 / 53  two larger "ROI" blobs (spheres r 7 and 6 mm in the white matter)
    18 / 54  two small "ROI" blobs (boxes giving 8 PET voxels each)
  atlas.nii.gz: an oblique (rotated 10 deg about z and 5 deg about x) 1.5 mm label image, labels 1 and 2 (two
  spheres, r 8 and 5 mm), for the atlas:FILE:N ROI spec.
  PET grid: 2 x 2 x 3 mm voxels (anisotropic on purpose: sigma differs per axis), axis-aligned, origin
  (-48,-60,-45), shape 49 x 56 x 31; every PET voxel centre lies exactly on an aseg voxel centre (no
  nearest-neighbour ties); the generator asserts that no PET centre is within 1e-3 voxel of a rounding tie
  in the atlas grid and none within 1e-3 mm of the test sphere's surface.

Activity: region j has a true concentration c_j(t) = c_j * (1 + s_j * (t - 50 min) / 20 min) (linear in
p.i. time t, so each frame's value is the value at its midpoint). Every labelled PET voxel (labels
resampled nearest-neighbour to the PET grid) gets its region's frame value; each frame is blurred with
scipy.ndimage.gaussian_filter(sigma = FWHM / (2 sqrt(2 ln 2)) / voxel size, mode='reflect',
truncate=4.0) (the GTM's own PSF convention, so GTM is exact on the noise-free phantom), then gets
Gaussian noise of sd NOISE x (the blurred voxel value) (default 1 %: independent per voxel and frame; with
the default window about 4 frames' worth of effective averaging). Stored float32 in kBq/mL, rounded to 17
significant bits (see bqml_pet below).

Frames (p.i. minutes): 30-35, 35-41, 41-47, 47-53, 53-58, 58-64, 64-70; the 40-60 window cuts 35-41 (60 s
inside) and 58-64 (120 s inside). InjectionStart 95 s on the TimeZero clock, ScanStart = FrameTimesStart[0]
= 1895 s, ImageDecayCorrectionTime 1895 s, 370 MBq F18, 70 kg.

Files in OUTDIR:
  sub-01_trc-FDG_pet.nii.gz + .json     the main dynamic PET, kBq/mL, float32
  aseg.nii.gz, atlas.nii.gz             labels (int32)
  noisefree_pet.nii.gz + .json          the same without noise (GTM must recover the truth exactly)
  nan_pet.nii.gz + .json                the main PET with NaN in a slab (all frames) and, in other voxels, NaN
                                        in frame 0 only (outside the 40-60 window: not in the static image)
  bqml_pet.nii.gz + .json               main data x 1000, Units Bq/mL, float32 (exact: the main data have
                                        17 significant bits)
  mbqml_pet.nii.gz + .json              main data / 1000 in float64 (not exact in float32), Units MBq/mL
  nosidecar_pet.nii.gz                  the main PET without a sidecar
  side_*.json                           sidecar variants for --json-sidecar (see VARIANTS below)
  truth.json                            everything planted
"""
import argparse
import copy
import json
import math
import os
import shutil
import sys

import nibabel as nib
import numpy as np
from scipy import ndimage

FRAMES_MIN = [(30, 5), (35, 6), (41, 6), (47, 6), (53, 5), (58, 6), (64, 6)]
INJECTION_START = 95.0
DOSE_MBQ = 370.0
WEIGHT_KG = 70.0
FWHM_TO_SIGMA = 1.0 / (2.0 * math.sqrt(2.0 * math.log(2.0)))

PET_AFFINE = np.array([[2.0, 0, 0, -48], [0, 2.0, 0, -60], [0, 0, 3.0, -45], [0, 0, 0, 1]])
PET_SHAPE = (49, 56, 31)
SEG_AFFINE = np.array([[-1.0, 0, 0, 50], [0, 0, 1.0, -62], [0, -1.0, 0, 50], [0, 0, 0, 1]])
SEG_SHAPE = (101, 101, 116)

# region name -> (aseg labels, concentration Bq/mL at 50 min p.i., slope s per 20 min)
REGIONS = {
    "cortex": ((3, 42), 28000.0, 0.10),
    "white_matter": ((2, 41), 12000.0, -0.05),
    "csf": ((24,), 2000.0, 0.0),
    "cerebellum": ((8, 47), 20000.0, 0.02),
    "pons": ((174,), 16000.0, 0.0),
    "ventricles": ((4, 43), 0.0, 0.0),
    "hippoL": ((17,), 30000.0, 0.20),   # large
    "hippoR": ((53,), 26000.0, 0.15),   # large
    "amygL": ((18,), 36000.0, 0.30),    # small (8 PET voxels)
    "amygR": ((54,), 44000.0, -0.10),   # small (8 PET voxels)
}
ROI_NAMES = ["hippoL", "hippoR", "amygL", "amygR"]
SMALL = ["amygL", "amygR"]
TEST_SPHERE = "sphere:-19.3,-4.1,1.2,7.7"


def world_grid(affine, shape):
    ijk = np.indices(shape).reshape(3, -1).T.astype(float)
    return (ijk @ affine[:3, :3].T + affine[:3, 3]).reshape(shape + (3,))


def ellipsoid(xyz, c, r):
    return (((xyz - np.asarray(c, float)) / np.asarray(r, float)) ** 2).sum(-1) <= 1.0


def make_seg():
    xyz = world_grid(SEG_AFFINE, SEG_SHAPE)
    x = xyz[..., 0]
    seg = np.zeros(SEG_SHAPE, np.int32)
    left = x < 0
    outer = ellipsoid(xyz, (0, 0, 10), (40, 48, 30))
    inner = ellipsoid(xyz, (0, 0, 10), (35, 43, 25))
    seg[outer & ~inner & left] = 3
    seg[outer & ~inner & ~left] = 42
    seg[inner & left] = 2
    seg[inner & ~left] = 41
    seg[ellipsoid(xyz, (0, 0, 12), (5, 12, 5))] = 24
    seg[ellipsoid(xyz, (-10, 2, 14), (3, 10, 4))] = 4
    seg[ellipsoid(xyz, (10, 2, 14), (3, 10, 4))] = 43
    cb = ellipsoid(xyz, (0, -40, -30), (30, 15, 12)) & (seg == 0)
    seg[cb & left] = 8
    seg[cb & ~left] = 47
    seg[ellipsoid(xyz, (0, -5, -38), (5, 5, 5))] = 174
    seg[ellipsoid(xyz, (-20, -5, 0), (7, 7, 7))] = 17
    seg[ellipsoid(xyz, (22, 10, 5), (6, 6, 6))] = 53

    def box(lo, hi):
        return np.all((xyz >= np.asarray(lo, float)) & (xyz <= np.asarray(hi, float)), axis=-1)
    # PET centres: x, y even; z = -45 + 3k. Each box holds 2 x 2 x 2 PET centres.
    seg[box((-16, 20, 11), (-13, 23, 16))] = 18     # PET x -16,-14; y 20,22; z 12,15
    seg[box((28, -22, 17), (31, -19, 22))] = 54     # PET x 28,30; y -22,-20; z 18,21
    return seg


def make_atlas():
    a, b = math.radians(10.0), math.radians(5.0)
    rz = np.array([[math.cos(a), -math.sin(a), 0], [math.sin(a), math.cos(a), 0], [0, 0, 1]])
    rx = np.array([[1, 0, 0], [0, math.cos(b), -math.sin(b)], [0, math.sin(b), math.cos(b)]])
    aff = np.eye(4)
    aff[:3, :3] = rz @ rx * 1.5
    aff[:3, 3] = (-57.9, -72.3, -52.2)
    shape = (80, 90, 72)
    xyz = world_grid(aff, shape)
    lab = np.zeros(shape, np.int32)
    lab[ellipsoid(xyz, (12, 30, 25), (8, 8, 8))] = 1
    lab[ellipsoid(xyz, (-25, -30, 20), (5, 5, 5))] = 2
    return lab, aff


def nn_to_pet(labels, affine):
    """Nearest-neighbour resampling onto the PET grid (floor(x + 0.5)); also the number of PET voxels whose
    label would change if a continuous index within 1e-3 of a rounding tie rounded the other way (the
    generator requires none)."""
    xyz = world_grid(PET_AFFINE, PET_SHAPE).reshape(-1, 3)
    ijk = (xyz - affine[:3, 3]) @ np.linalg.inv(affine[:3, :3]).T

    def lookup(r):
        ok = np.all((r >= 0) & (r < np.array(labels.shape)), axis=1)
        o = np.zeros(len(r), np.int32)
        o[ok] = labels[r[ok, 0], r[ok, 1], r[ok, 2]]
        return o
    r = np.floor(ijk + 0.5).astype(int)
    out = lookup(r)
    frac = ijk - np.floor(ijk)
    near = np.abs(frac - 0.5) < 1e-3
    fragile = 0
    for ax in range(3):
        alt = r.copy()
        alt[:, ax] = np.where(frac[:, ax] >= 0.5, r[:, ax] - 1, r[:, ax] + 1)
        fragile += int(((lookup(alt) != out) & near[:, ax]).sum())
    return out.reshape(PET_SHAPE), fragile


def frame_times():
    starts = [INJECTION_START + 60.0 * m for m, _ in FRAMES_MIN]
    durs = [60.0 * d for _, d in FRAMES_MIN]
    return starts, durs


def window_weights(lo_min, hi_min):
    lo, hi = INJECTION_START + 60.0 * lo_min, INJECTION_START + 60.0 * hi_min
    s, d = frame_times()
    return [max(0.0, min(hi, a + b) - max(lo, a)) for a, b in zip(s, d)]


def sidecar(units="kBq/mL"):
    s, d = frame_times()
    return {
        "Modality": "PET", "TracerName": "FDG", "TracerRadionuclide": "F18",
        "Units": units,
        "InjectedRadioactivity": DOSE_MBQ, "InjectedRadioactivityUnits": "MBq",
        "BodyWeight": WEIGHT_KG,
        "TimeZero": "09:58:25", "ScanStart": s[0], "InjectionStart": INJECTION_START,
        "FrameTimesStart": s, "FrameDuration": d,
        "ImageDecayCorrected": True, "ImageDecayCorrectionTime": s[0],
        "ReconMethodName": "OSEM", "AttenuationCorrection": "CT-based",
    }


def variants(base):
    """side_NAME.json sidecar variants (for --json-sidecar): name -> (sidecar, what it tests)."""
    v = {}

    def mod(name, why, **kw):
        s = copy.deepcopy(base)
        for k, val in kw.items():
            if val is None:
                s.pop(k, None)
            else:
                s[k] = val
        v[name] = (s, why)
    mod("mci", "dose 10 mCi (= 370 MBq exactly)", InjectedRadioactivity=10.0, InjectedRadioactivityUnits="mCi")
    mod("gbq", "dose 0.37 GBq", InjectedRadioactivity=0.37, InjectedRadioactivityUnits="GBq")
    mod("uci", "dose 10000 uCi", InjectedRadioactivity=10000.0, InjectedRadioactivityUnits="uCi")
    mod("kbqcc", "Units kBq/cc", Units="kBq/cc")
    mod("nci", "Units nCi/mL on the kBq/mL data (x 37 Bq/mL per unit)", Units="nCi/mL")
    mod("18F", "TracerRadionuclide spelled 18F", TracerRadionuclide="18F")
    mod("F-18", "TracerRadionuclide spelled F-18", TracerRadionuclide="F-18")
    mod("c11", "TracerRadionuclide C11 (another half-life)", TracerRadionuclide="C11")
    mod("ga68", "TracerRadionuclide Ga68", TracerRadionuclide="Ga68")
    mod("dctinj", "decay-corrected to the injection (factor 1)", ImageDecayCorrectionTime=INJECTION_START)
    mod("noweight", "no BodyWeight", BodyWeight=None)
    mod("nodose", "no InjectedRadioactivity", InjectedRadioactivity=None, InjectedRadioactivityUnits=None)
    mod("notdc", "ImageDecayCorrected false", ImageDecayCorrected=False)
    mod("counts", "Units counts (bad)", Units="counts")
    mod("suvunits", "Units SUV (bad)", Units="SUV")
    s, d = frame_times()
    ov = list(s)
    ov[3] = s[3] - 30.0
    mod("overlap", "frame 3 starts 30 s before frame 2 ends (bad)", FrameTimesStart=ov)
    oo = list(s)
    oo[2], oo[3] = s[3], s[2]
    mod("order", "frames 2 and 3 swapped in FrameTimesStart (bad)", FrameTimesStart=oo)
    gap_s = list(s[:3]) + [x + 60.0 for x in s[3:]]
    gap_d = list(d[:2]) + [d[2]] + [d[3] - 60.0] + list(d[4:])
    mod("gap", "frame 3 starts 60 s after frame 2 ends (gap at 47 min p.i.: 40-60 not covered; bad)",
        FrameTimesStart=gap_s, FrameDuration=gap_d)
    mod("framecount", "6 frame times for a 7-frame image (bad)", FrameTimesStart=s[:6], FrameDuration=d[:6])
    return v


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("outdir")
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--noise", type=float, default=0.01)
    ap.add_argument("--fwhm", type=float, default=6.0)
    a = ap.parse_args(argv)
    os.makedirs(a.outdir, exist_ok=True)
    out = lambda n: os.path.join(a.outdir, n)  # noqa: E731
    rng = np.random.default_rng(a.seed)

    seg = make_seg()
    atlas, atlas_aff = make_atlas()
    seg_pet, tie_seg = nn_to_pet(seg, SEG_AFFINE)
    atlas_pet, tie_atlas = nn_to_pet(atlas, atlas_aff)
    assert tie_seg == 0, tie_seg
    assert tie_atlas == 0, tie_atlas
    ijk_seg = (world_grid(PET_AFFINE, PET_SHAPE).reshape(-1, 3) - SEG_AFFINE[:3, 3]) @ np.linalg.inv(SEG_AFFINE[:3, :3]).T
    assert np.abs(ijk_seg - np.rint(ijk_seg)).max() < 1e-9  # PET centres exactly on aseg centres
    xyz = world_grid(PET_AFFINE, PET_SHAPE)
    x0, y0, z0, r0 = (float(v) for v in TEST_SPHERE[7:].split(","))
    dist = np.sqrt(((xyz - (x0, y0, z0)) ** 2).sum(-1))
    assert np.min(np.abs(dist - r0)) > 1e-3
    nib.save(nib.Nifti1Image(seg, SEG_AFFINE), out("aseg.nii.gz"))
    nib.save(nib.Nifti1Image(atlas, atlas_aff), out("atlas.nii.gz"))

    # true activity on the PET grid, per frame (value at the frame midpoint of a linear time course)
    vox = np.sqrt((PET_AFFINE[:3, :3] ** 2).sum(0))
    sigma = a.fwhm * FWHM_TO_SIGMA / vox
    starts, durs = frame_times()
    mids_min = [m + d / 2.0 for m, d in FRAMES_MIN]
    nfr = len(FRAMES_MIN)
    clean = np.zeros(PET_SHAPE + (nfr,))
    noisy = np.zeros(PET_SHAPE + (nfr,))
    counts = {}
    for name, (labs, _, _) in REGIONS.items():
        counts[name] = int(np.isin(seg_pet, labs).sum())
        assert counts[name] > 0, name
    for f in range(nfr):
        act = np.zeros(PET_SHAPE)
        for name, (labs, c, s) in REGIONS.items():
            act[np.isin(seg_pet, labs)] = c * (1.0 + s * (mids_min[f] - 50.0) / 20.0)
        b = ndimage.gaussian_filter(act, sigma, mode="reflect", truncate=4.0)
        clean[..., f] = b
        noisy[..., f] = b + a.noise * np.abs(b) * rng.standard_normal(PET_SHAPE)
    assert counts["amygL"] == 8 and counts["amygR"] == 8, counts
    # the pons is beyond the truncated kernel's reach of every other labelled voxel: it leaks into no GTM region
    pons = np.isin(seg_pet, REGIONS["pons"][0])
    reach = ndimage.gaussian_filter(pons.astype(float), sigma, mode="reflect", truncate=4.0)
    assert not (reach[(seg_pet > 0) & ~pons] > 0).any()

    def save_pet(name, data_kbq, units="kBq/mL", dtype=np.float32, side=True):
        img = nib.Nifti1Image(data_kbq.astype(dtype), PET_AFFINE)
        img.header.set_xyzt_units("mm", "sec")
        img.header["pixdim"][4] = 0.0
        nib.save(img, out(name + ".nii.gz"))
        if side:
            with open(out(name + ".json"), "w") as fh:
                json.dump(sidecar(units), fh, indent=2)

    # kBq/mL values with 17 significant bits (relative step 2^-17 = 7.6e-6, far below the noise): x * 1000 is
    # then exact in float32 (1000 = 125 x 8, 125 < 2^7), so the float32 Bq/mL variant holds exactly the same
    # numbers
    m, e = np.frexp(noisy / 1000.0)
    main_kbq = np.ldexp(np.round(m * 2.0 ** 17) / 2.0 ** 17, e).astype(np.float32)
    m64 = main_kbq.astype(np.float64)
    assert np.array_equal((m64 * 1000.0).astype(np.float32).astype(np.float64), m64 * 1000.0)
    save_pet("sub-01_trc-FDG_pet", main_kbq)
    save_pet("noisefree_pet", (clean / 1000.0).astype(np.float32))
    save_pet("nosidecar_pet", main_kbq, side=False)
    save_pet("bqml_pet", m64 * 1000.0, "Bq/mL", np.float32)
    save_pet("mbqml_pet", m64 / 1000.0, "MBq/mL", np.float64)
    nanv = main_kbq.copy()
    slab = np.zeros(PET_SHAPE, bool)
    slab[:, 6:9, :] = True        # y = -48..-44: through the cerebellum and the back of the cortex
    slab[12:15, 27:29, 16:18] = True  # inside the left hippocampus blob (and around it)
    nanv[slab, :] = np.nan
    only0 = np.zeros(PET_SHAPE, bool)
    only0[30:33, 40:43, 20:22] = True  # frame 0 only (outside the window): not NaN in the static image
    nanv[only0 & ~slab, 0] = np.nan
    save_pet("nan_pet", nanv)
    base = sidecar()
    var = variants(base)
    for name, (s, _) in var.items():
        with open(out(f"side_{name}.json"), "w") as fh:
            json.dump(s, fh, indent=2)

    # truth
    w = window_weights(40, 60)
    half = 6588.0
    dose_dc = DOSE_MBQ * 1e6 * math.exp(-math.log(2) * (starts[0] - INJECTION_START) / half)
    tmean = {}
    for name, (labs, c, s) in REGIONS.items():
        tmean[name] = sum(wi * c * (1.0 + s * (mi - 50.0) / 20.0) for wi, mi in zip(w, mids_min)) / sum(w)
    truth = {
        "pet": "sub-01_trc-FDG_pet.nii.gz", "seg": "aseg.nii.gz", "atlas": "atlas.nii.gz",
        "seed": a.seed, "noise_fraction": a.noise, "fwhm_mm": a.fwhm, "sigma_voxels": list(sigma),
        "pet_voxel_mm": list(vox), "pet_shape": list(PET_SHAPE),
        "frame_starts_s": starts, "frame_durations_s": durs, "injection_start_s": INJECTION_START,
        "window_40_60_weights_s": w, "window_40_60_s": [INJECTION_START + 2400, INJECTION_START + 3600],
        "dose_bq": DOSE_MBQ * 1e6, "weight_kg": WEIGHT_KG, "half_life_s": half,
        "dose_decay_corrected_bq": dose_dc,
        "regions": {n: {"labels": list(REGIONS[n][0]), "pet_voxels": counts[n],
                        "static_bq_per_ml": tmean[n], "suvr": tmean[n] / tmean["cerebellum"],
                        "suv": tmean[n] * WEIGHT_KG * 1000.0 / dose_dc} for n in REGIONS},
        "rois": ROI_NAMES, "small_rois": SMALL, "reference": "cerebellum",
        "roi_specs": {n: "aseg:" + "+".join(str(x) for x in REGIONS[n][0]) for n in ROI_NAMES},
        "test_sphere": TEST_SPHERE,
        "atlas_pet_voxels": {"1": int((atlas_pet == 1).sum()), "2": int((atlas_pet == 2).sum())},
        "nan_slab_voxels": int(slab.sum()), "nan_frame0_only_voxels": int((only0 & ~slab).sum()),
        "variants": {n: why for n, (_, why) in var.items()},
    }
    with open(out("truth.json"), "w") as fh:
        json.dump(truth, fh, indent=2)
    print(f"make_pet_planted: {a.outdir}: PET {PET_SHAPE} x {nfr} frames, sigma {np.round(sigma, 4).tolist()} "
          f"voxels, noise {a.noise:g}, ROI voxels " + ", ".join(f"{n} {counts[n]}" for n in ROI_NAMES))
    return 0


if __name__ == "__main__":
    sys.exit(main())
