#!/usr/bin/python3
"""Generates test-data/demo-bids (a small BIDS dataset with derivatives), test-data/demo-atlases
(small synthetic stand-ins with the JHU label numbers and names) and test-data/demo-truth.tsv, the
values planted in the data, computed here from their definitions (not by ketaprint). The faces task runs
(make_faces) and the FDG PET (make_pet) are generated from their own random streams, so the other files do not
change with them. scripts/demo_pet_gtm.py checks the PET against a plain numpy GTM.

Run with Debian's python: /usr/bin/python3 scripts/make_demo.py
"""
import json
import os
import shutil

import nibabel as nib
import numpy as np
from scipy.ndimage import gaussian_filter
from scipy.special import gammaln

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test-data")
BIDS = os.path.join(ROOT, "demo-bids")
ATLASES = os.path.join(ROOT, "demo-atlases")
SUBJECTS = ["01", "02", "03"]
SESSIONS = ["pre", "post"]
MADRS = {"01": (32, 16), "02": (30, 8), "03": (28, 25)}
rng = np.random.default_rng(20261122)


def save(img, path):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    img.set_qform(img.affine, code=2 if "MNI" not in path else 4)
    img.set_sform(img.affine, code=2 if "MNI" not in path else 4)
    nib.save(img, path)


def write_json(path, obj):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        json.dump(obj, f, indent=2)
        f.write("\n")


# ------------------------------------------------------------------ structural
def rotation(deg):
    a = np.deg2rad(deg)
    return np.array([[1, 0, 0], [0, np.cos(a), -np.sin(a)], [0, np.sin(a), np.cos(a)]])


def make_structural(sub, ses, si, ti, truth, aal=None):
    shape = (40, 48, 36)
    zooms = np.array([1.2, 1.0, 1.5])
    aff = np.eye(4)
    rot = rotation(12.0) if sub == "02" else np.eye(3)      # sub-02: oblique
    aff[:3, :3] = rot @ np.diag(zooms)
    aff[:3, 3] = [-24, -24, -27]
    seg = np.zeros(shape, np.int16)
    i, j, k = np.indices(shape)
    brain = ((i - 20) / 18.0) ** 2 + ((j - 24) / 22.0) ** 2 + ((k - 18) / 16.0) ** 2 <= 1
    seg[brain & (i < 20)] = 2      # left WM (labels as FreeSurfer)
    seg[brain & (i >= 20)] = 41
    # boxes whose size changes with subject and session: voxel counts known exactly
    boxes = {17: (6, 12, 8), 53: (6, 12, 8), 26: (3, 3, 3), 58: (3, 3, 3)}
    corners = {17: (8, 10, 8), 53: (26, 10, 8), 26: (10, 30, 20), 58: (27, 30, 20)}
    grow = {17: si + ti, 53: si, 26: ti, 58: si + 1}
    for lab, (a, b, c) in boxes.items():
        x0, y0, z0 = corners[lab]
        a2 = a + grow[lab]
        seg[x0:x0 + a2, y0:y0 + b, z0:z0 + c] = lab
    mask = brain.astype(np.uint8)
    vox = abs(np.linalg.det(aff[:3, :3]))
    d = os.path.join(BIDS, "derivatives", "fmriprep", f"sub-{sub}", f"ses-{ses}", "anat")
    p = f"sub-{sub}_ses-{ses}"
    # the PET sessions' aseg also has cortex, CSF and cerebellar cortex (pet_tissues); the other labels, the mask
    # and the T1w (made from seg) are as before
    aseg = pet_tissues(seg, aff, aal) if (sub, ses) in PET_SCANS else seg
    save(nib.Nifti1Image(aseg, aff), os.path.join(d, f"{p}_desc-aseg_dseg.nii.gz"))
    save(nib.Nifti1Image(mask, aff), os.path.join(d, f"{p}_desc-brain_mask.nii.gz"))
    if sub != "03":      # a T1w for the reports' figures (sub-03 has none: they fall back to the segmentation)
        tissue = {0: 8, 2: 110, 41: 110, 17: 68, 53: 68, 26: 80, 58: 80}
        t1 = np.vectorize(tissue.get)(seg).astype(float)
        t1 += np.random.default_rng(100 + 2 * si + ti).normal(0, 3, shape)
        save(nib.Nifti1Image(np.clip(t1, 0, None).astype(np.int16), aff), os.path.join(d, f"{p}_desc-preproc_T1w.nii.gz"))
    icv = mask.sum() * vox
    truth["icv_mm3"] = icv
    for lab, name in [(17, "hippocampus_l"), (53, "hippocampus_r"), (26, "accumbens_l"), (58, "accumbens_r")]:
        v = (seg == lab).sum() * vox
        truth[f"{name}_vol_mm3"] = v
        truth[f"{name}_vol_icvfrac"] = v / icv


# ------------------------------------------------------------------ diffusion
JHU_NAMES = {35: "Cingulum_(cingulate_gyrus)_R", 36: "Cingulum_(cingulate_gyrus)_L",
             37: "Cingulum_(hippocampus)_R", 38: "Cingulum_(hippocampus)_L",
             3: "Genu_of_corpus_callosum", 4: "Body_of_corpus_callosum"}
# MNI boxes (mm, inclusive) of the synthetic labels
JHU_BOXES = {35: ((6, 10), (-40, 30), (24, 34)), 36: ((-10, -6), (-40, 30), (24, 34)),
             37: ((22, 28), (-40, -20), (-12, -2)), 38: ((-28, -22), (-40, -20), (-12, -2)),
             3: ((-14, 14), (26, 34), (0, 10)), 4: ((-14, 14), (-20, 20), (16, 22))}
ATLAS_AFF = np.array([[-2, 0, 0, 90], [0, 2, 0, -126], [0, 0, 2, -72], [0, 0, 0, 1]], float)  # FSL MNI 2 mm
ATLAS_SHAPE = (91, 109, 91)


def make_atlas():
    os.makedirs(ATLASES, exist_ok=True)
    lab = np.zeros(ATLAS_SHAPE, np.uint8)
    ijk = np.indices(ATLAS_SHAPE).reshape(3, -1)
    xyz = (ATLAS_AFF[:3, :3] @ ijk + ATLAS_AFF[:3, 3:4]).T
    for l, ((x0, x1), (y0, y1), (z0, z1)) in JHU_BOXES.items():
        m = (xyz[:, 0] >= x0) & (xyz[:, 0] <= x1) & (xyz[:, 1] >= y0) & (xyz[:, 1] <= y1) & (xyz[:, 2] >= z0) & (xyz[:, 2] <= z1)
        lab.reshape(-1)[m] = l
    img = nib.Nifti1Image(lab, ATLAS_AFF)
    save(img, os.path.join(ATLASES, "JHU-WhiteMatter-labels-1mm.nii.gz"))
    with open(os.path.join(ATLASES, "JHU-WhiteMatter-labels-1mm.nii.txt"), "w") as f:
        f.write("0\tUnclassified\n")
        for l in sorted(JHU_NAMES):
            f.write(f"{l}\t{JHU_NAMES[l]}\n")
    return lab


def gradients(n=30):
    k = np.arange(n) + 0.5
    phi = np.arccos(1 - k / n)          # half sphere
    theta = np.pi * (1 + 5 ** 0.5) * k
    g = np.stack([np.cos(theta) * np.sin(phi), np.sin(theta) * np.sin(phi), np.cos(phi)], 1)
    bvals = np.r_[0, 0, np.full(n, 1000.0)]
    bvecs = np.r_[np.zeros((2, 3)), g]
    return bvals, bvecs


def fa_of(ev):
    md = ev.mean()
    return np.sqrt(1.5 * ((ev - md) ** 2).sum() / (ev ** 2).sum())


def make_diffusion(sub, ses, si, ti, atlas, truth):
    # DWI on a 4 mm MNI grid whose voxel centres fall on atlas voxel centres (no rounding ties)
    aff = np.array([[-4, 0, 0, 46], [0, 4, 0, -62], [0, 0, 4, -28], [0, 0, 0, 1]], float)
    shape = (24, 26, 18)
    ijk = np.indices(shape).reshape(3, -1)
    xyz = aff[:3, :3] @ ijk + aff[:3, 3:4]
    a_ijk = np.rint(np.linalg.inv(ATLAS_AFF)[:3, :3] @ xyz + np.linalg.inv(ATLAS_AFF)[:3, 3:4]).astype(int)
    inside = np.all((a_ijk >= 0) & (a_ijk < np.array(ATLAS_SHAPE)[:, None]), 0)
    labels = np.zeros(ijk.shape[1], int)
    labels[inside] = atlas[a_ijk[0, inside], a_ijk[1, inside], a_ijk[2, inside]]
    bvals, bvecs = gradients()
    md0 = 0.75e-3
    evs = np.tile([md0, md0, md0], (ijk.shape[1], 1))       # isotropic background (FA 0)
    planted = {35: ("cingulum_cg_r", 0.50), 36: ("cingulum_cg_l", 0.55), 37: ("cingulum_hc_r", 0.40),
               38: ("cingulum_hc_l", 0.45), 3: (None, 0.70), 4: (None, 0.65)}
    for l, (col, fa0) in planted.items():
        fa = fa0 + 0.03 * si - 0.02 * ti
        md = md0 * (1 + 0.05 * si + 0.02 * ti)
        a = np.sqrt(3 * fa ** 2 / (9 - 6 * fa ** 2))
        ev = md * np.array([1 + 2 * a, 1 - a, 1 - a])
        assert (labels == l).sum() > 5, f"label {l} has no DWI voxels"
        evs[labels == l] = ev
        if col:
            truth[col + "_fa"] = fa_of(ev)
            truth[col + "_md"] = ev.mean()
    # principal direction along y (the cingulum runs anterior-posterior)
    d = np.zeros((ijk.shape[1], 3, 3))
    d[:, 0, 0] = evs[:, 1]
    d[:, 1, 1] = evs[:, 0]
    d[:, 2, 2] = evs[:, 2]
    s0 = 1000.0
    adc = np.einsum("vi,nij,vj->vn", bvecs, d, bvecs)
    sig = s0 * np.exp(-bvals[:, None] * adc)
    brain = ((ijk[0] - 11.5) / 11.0) ** 2 + ((ijk[1] - 12.5) / 12.0) ** 2 + ((ijk[2] - 8.5) / 8.0) ** 2 <= 1
    sig[:, ~brain] = 0
    data = sig.T.reshape(shape + (len(bvals),)).astype(np.float32)   # C order, as np.indices above
    p = f"sub-{sub}_ses-{ses}"
    ddir = os.path.join(BIDS, "derivatives", "qsiprep", f"sub-{sub}", f"ses-{ses}", "dwi")
    base = os.path.join(ddir, f"{p}_space-MNI152NLin6Asym_desc-preproc_dwi")
    save(nib.Nifti1Image(data, aff), base + ".nii.gz")
    np.savetxt(base + ".bval", bvals[None], fmt="%g")
    np.savetxt(base + ".bvec", bvecs.T, fmt="%.6f")
    mask = brain.reshape(shape).astype(np.uint8)
    save(nib.Nifti1Image(mask, aff), os.path.join(ddir, f"{p}_space-MNI152NLin6Asym_desc-brain_mask.nii.gz"))


# ------------------------------------------------------------------ resting state
# BOLD on a 6 mm MNI grid (frontal box) whose voxel centres fall on the 2 mm atlas grid's centres.
BOLD_AFF = np.array([[-6, 0, 0, 48], [0, 6, 0, -4], [0, 0, 6, -22], [0, 0, 0, 1]], float)
BOLD_SHAPE = (17, 13, 13)
TR = 2.0
NVOL = 200
AAL_PFC = {3: "Frontal_Sup_L", 4: "Frontal_Sup_R", 7: "Frontal_Mid_L", 8: "Frontal_Mid_R",
           23: "Frontal_Sup_Medial_L", 24: "Frontal_Sup_Medial_R"}
AAL_PFC_ALL = {3: "Frontal_Sup_L", 4: "Frontal_Sup_R", 5: "Frontal_Sup_Orb_L", 6: "Frontal_Sup_Orb_R",
               7: "Frontal_Mid_L", 8: "Frontal_Mid_R", 9: "Frontal_Mid_Orb_L", 10: "Frontal_Mid_Orb_R",
               11: "Frontal_Inf_Oper_L", 12: "Frontal_Inf_Oper_R", 13: "Frontal_Inf_Tri_L", 14: "Frontal_Inf_Tri_R",
               15: "Frontal_Inf_Orb_L", 16: "Frontal_Inf_Orb_R", 23: "Frontal_Sup_Medial_L", 24: "Frontal_Sup_Medial_R",
               25: "Frontal_Med_Orb_L", 26: "Frontal_Med_Orb_R", 27: "Rectus_L", 28: "Rectus_R"}
# MNI boxes of the synthetic PFC labels (inclusive, mm); the other prefrontal labels are empty here
AAL_BOXES = {3: ((-24, -8), (20, 56), (38, 50)), 4: ((8, 24), (20, 56), (38, 50)),
             7: ((-44, -30), (20, 56), (14, 32)), 8: ((30, 44), (20, 56), (14, 32)),
             23: ((-6, -2), (32, 62), (8, 32)), 24: ((2, 6), (32, 62), (8, 32))}
SGACC, RDLPFC = (6, 16, -10), (38, 44, 26)
# Anterior cingulate (the faces task's ROI): boxes on no other label. Their edges sit on the 6 mm BOLD grid's
# voxel borders (x -9..-3 and 3..9, y 5..29, z -1..29), so each BOLD voxel is all ACC or all not, whichever way
# one grid is resampled onto the other by nearest neighbour: 2 x 4 x 5 BOLD voxels a side.
AAL_ACC = {31: "Cingulum_Ant_L", 32: "Cingulum_Ant_R"}
AAL_ACC_BOXES = {31: ((-8, -4), (6, 28), (0, 28)), 32: ((4, 8), (6, 28), (0, 28))}
# The FDG PET's ROIs (make_pet): the insula, and two of the right prefrontal labels that were empty so far. The T1w
# field of view of the demo is small (about +-24 mm around the origin), so they sit inside it, not where the real
# labels are; the right prefrontal boxes lie behind y = -7 mm, the edge of the BOLD grid, so that the resting and
# faces stages (whose PFC ROI takes every prefrontal label) see none of their voxels.
AAL_INSULA = {29: "Insula_L", 30: "Insula_R"}
AAL_PET_BOXES = {29: ((-16, -12), (-4, 4), (-2, 6)), 30: ((12, 16), (-4, 4), (-2, 6)),
                 12: ((4, 10), (-14, -10), (6, 8)), 14: ((4, 10), (-14, -10), (10, 12))}
AAL_PFC_R = sorted(l for l, n in AAL_PFC_ALL.items() if n.endswith("_R"))     # the right prefrontal labels


def make_aal():
    lab = np.zeros(ATLAS_SHAPE, np.uint8)
    ijk = np.indices(ATLAS_SHAPE).reshape(3, -1)
    xyz = (ATLAS_AFF[:3, :3] @ ijk + ATLAS_AFF[:3, 3:4]).T
    for l, ((x0, x1), (y0, y1), (z0, z1)) in list(AAL_BOXES.items()) + list(AAL_ACC_BOXES.items()) + list(AAL_PET_BOXES.items()):
        m = (xyz[:, 0] >= x0) & (xyz[:, 0] <= x1) & (xyz[:, 1] >= y0) & (xyz[:, 1] <= y1) & (xyz[:, 2] >= z0) & (xyz[:, 2] <= z1)
        assert not lab.reshape(-1)[m].any(), f"label {l} overlaps another"
        lab.reshape(-1)[m] = l
    save(nib.Nifti1Image(lab, ATLAS_AFF), os.path.join(ATLASES, "aal.nii.gz"))
    names = {**AAL_PFC_ALL, **AAL_ACC, **AAL_INSULA}
    with open(os.path.join(ATLASES, "aal.nii.txt"), "w") as f:     # every AAL prefrontal name, the ACC, the insula (mricron numbering)
        for l in sorted(names):
            f.write(f"{l} {names[l]} {2000 + l}\n")
    return lab


def bold_xyz():
    ijk = np.indices(BOLD_SHAPE).reshape(3, -1, order="F")
    return (BOLD_AFF[:3, :3] @ ijk + BOLD_AFF[:3, 3:4]).T


def out_of_band(n, tr, lo=0.01, hi=0.1):
    """Sine and cosine columns for every DFT frequency k/(n tr), k = 1..n//2, outside [lo, hi]."""
    t = np.arange(n) * tr
    cols = []
    for k in range(1, n // 2 + 1):
        f = k / (n * tr)
        if lo - 1e-9 <= f <= hi + 1e-9:
            continue
        cols.append(np.cos(2 * np.pi * f * t))
        if not (n % 2 == 0 and k == n // 2):
            cols.append(np.sin(2 * np.pi * f * t))
    return np.array(cols).T


def in_band(n, tr, rng, lo=0.01, hi=0.1):
    t = np.arange(n) * tr
    x = np.zeros(n)
    for k in range(1, n // 2 + 1):
        f = k / (n * tr)
        if lo <= f <= hi:
            x += rng.normal() * np.cos(2 * np.pi * f * t) + rng.normal() * np.sin(2 * np.pi * f * t)
    return x


def residualize(x, d):
    return x - d @ np.linalg.lstsq(d, x, rcond=None)[0]


def confounds(n, rng, spikes):
    """fMRIPrep-style confounds: 6 motion params with expansions, wm, csf, global_signal, FD, aCompCor."""
    t = np.arange(n)
    scale = np.array([1, 1, 1, 0.002, 0.002, 0.002])          # mm and radians
    mot = (np.cumsum(rng.normal(0, 0.02, (n, 6)), 0) + 0.05 * np.sin(2 * np.pi * 0.2 * t[:, None] * TR
                                                                     + rng.uniform(0, 6, 6))) * scale
    for s in spikes:
        mot[s:, :3] += 0.4                              # a jump: FD above 0.5 mm at volume s
    names = ["trans_x", "trans_y", "trans_z", "rot_x", "rot_y", "rot_z"]
    cols = {}
    for i, nm in enumerate(names):
        x = mot[:, i]
        d = np.r_[np.nan, np.diff(x)]
        cols[nm] = x
        cols[nm + "_derivative1"] = d
        cols[nm + "_power2"] = x ** 2
        cols[nm + "_derivative1_power2"] = d ** 2
    dm = np.diff(mot, axis=0)
    fd = np.r_[np.nan, np.abs(dm[:, :3]).sum(1) + 50 * np.abs(dm[:, 3:]).sum(1)]
    return cols, fd


def design(cols, names, n, tr, band):
    """Constant + linear trend + confounds (+ out-of-band sinusoids): the issue's projection design."""
    t = np.arange(n) * tr
    parts = [np.ones(n), t - t.mean()] + [np.nan_to_num(cols[c], nan=0.0) for c in names]
    d = np.column_stack(parts)
    if band:
        d = np.column_stack([d, out_of_band(n, tr)])
    return d


P24 = [f"{p}{s}" for p in ["trans_x", "trans_y", "trans_z", "rot_x", "rot_y", "rot_z"]
       for s in ["", "_derivative1", "_power2", "_derivative1_power2"]]


def make_rest(sub, si, aal, truth):
    rng_s = np.random.default_rng(100 + si)
    n = NVOL
    spikes = [40, 41, 150] if sub == "02" else []
    cols, fd = confounds(n, rng_s, spikes)
    xyz = bold_xyz()
    nv = xyz.shape[0]
    brain = ((xyz[:, 0] / 50.0) ** 2 + ((xyz[:, 1] - 30) / 40.0) ** 2 + ((xyz[:, 2] - 14) / 40.0) ** 2) <= 1
    gm = brain & (np.abs(xyz[:, 0]) >= 0)                       # all brain voxels are grey matter here
    d_all = design({**cols, "global_signal": np.zeros(n)}, P24, n, TR, True)
    g = residualize(in_band(n, TR, rng_s), d_all)
    g /= g.std()
    cols["global_signal"] = 1000 + 5 * g
    cols["white_matter"] = 800 + rng_s.normal(0, 1, n)
    cols["csf"] = 1500 + rng_s.normal(0, 1, n)
    full = np.column_stack([d_all, g, cols["white_matter"], cols["csf"]])
    def clean():
        x = residualize(in_band(n, TR, rng_s), full)
        return x / x.std()
    r_planted = [0.2, 0.45, 0.7][si]
    s = clean()
    u = residualize(clean(), s[:, None])
    u /= u.std()
    tgt = r_planted * s + np.sqrt(1 - r_planted ** 2) * u
    hf = out_of_band(n, TR)[:, -6:] @ rng_s.normal(0, 1, 6)     # high-frequency noise the band-pass removes
    data = np.zeros((nv, n))
    near = lambda v, c, rad: np.sqrt(((xyz[v] - np.array(c)) ** 2).sum()) <= rad
    for v in range(nv):
        if not brain[v]:
            continue
        if near(v, SGACC, 13):                              # shared seed signal + each voxel's own
            c = 8 * s + 3 * g + 2 * clean()
        elif near(v, RDLPFC, 13):
            c = 8 * tgt + 3 * g + 2 * clean()
        else:
            c = 6 * clean() + rng_s.normal(0, 1.5) * g
        motion = np.column_stack([cols[k] for k in ["trans_x", "trans_y", "trans_z", "rot_x", "rot_y", "rot_z"]])
        data[v] = 1000 + rng_s.uniform(-100, 100) + c + motion @ rng_s.normal(0, 20, 6) \
            + 0.05 * np.arange(n) * rng_s.normal() + (2 + rng_s.uniform()) * hf
    slope = np.abs(data).max() / 30000.0
    raw = np.rint(data / slope).astype(np.int16)
    img4 = raw.reshape(BOLD_SHAPE + (n,), order="F")
    p = f"sub-{sub}_ses-pre"
    fdir = os.path.join(BIDS, "derivatives", "fmriprep", f"sub-{sub}", "ses-pre", "func")
    adir = os.path.join(BIDS, "derivatives", "fmriprep", f"sub-{sub}", "ses-pre", "anat")
    sp = "space-MNI152NLin2009cAsym"
    img = nib.Nifti1Image(img4, BOLD_AFF)
    img.header.set_slope_inter(slope, 0.0)
    img.header.set_xyzt_units("mm", "sec")
    img.header["pixdim"][4] = TR
    save(img, os.path.join(fdir, f"{p}_task-rest_{sp}_desc-preproc_bold.nii.gz"))
    write_json(os.path.join(fdir, f"{p}_task-rest_{sp}_desc-preproc_bold.json"), {"RepetitionTime": TR, "TaskName": "rest"})
    save(nib.Nifti1Image(brain.reshape(BOLD_SHAPE, order="F").astype(np.uint8), BOLD_AFF),
         os.path.join(fdir, f"{p}_task-rest_{sp}_desc-brain_mask.nii.gz"))
    save(nib.Nifti1Image(gm.reshape(BOLD_SHAPE, order="F").astype(np.float32), BOLD_AFF),
         os.path.join(adir, f"{p}_{sp}_label-GM_probseg.nii.gz"))
    order = list(cols) + ["framewise_displacement"]
    allc = {**cols, "framewise_displacement": fd}
    for i in range(5):
        allc[f"a_comp_cor_{i:02d}"] = rng_s.normal(0, 1, n)
        order.append(f"a_comp_cor_{i:02d}")
    with open(os.path.join(fdir, f"{p}_task-rest_desc-confounds_timeseries.tsv"), "w") as f:
        f.write("\t".join(order) + "\n")
        for r in range(n):
            f.write("\t".join("n/a" if np.isnan(allc[c][r]) else repr(float(allc[c][r])) for c in order) + "\n")
    # ---- truth: the issue's definitions applied, in plain numpy, to the stored data
    stored = nib.load(os.path.join(fdir, f"{p}_task-rest_{sp}_desc-preproc_bold.nii.gz")).get_fdata().reshape(nv, n, order="F")
    conf = {c: np.array(allc[c], float) for c in order}
    fd0 = np.nan_to_num(conf["framewise_displacement"], nan=0.0)
    keep = fd0 <= 0.5
    truth["fd_mean_mm"] = fd0.mean()
    truth["n_volumes_censored"] = float((~keep).sum())
    truth["n_volumes_used"] = float(keep.sum())
    def clean_series(names, band):
        dsg = design(conf, names, n, TR, band)[keep]
        y = stored[:, keep].T
        return (y - dsg @ np.linalg.lstsq(dsg, y, rcond=None)[0]).T
    bp = clean_series(P24, True)
    bp_gsr = clean_series(P24 + ["global_signal"], True)
    nobp = clean_series(P24, False)
    in_sphere = lambda c: brain & (np.sqrt(((xyz - np.array(c)) ** 2).sum(1)) <= 10)
    def roi_corr(x):
        a = x[in_sphere(SGACC)].mean(0)
        b = x[in_sphere(RDLPFC)].mean(0)
        return np.arctanh(np.corrcoef(a, b)[0, 1])
    truth["sgacc_rdlpfc_fc_z"] = roi_corr(bp)
    truth["sgacc_rdlpfc_fc_gsr_z"] = roi_corr(bp_gsr)
    alff = bp.std(1, ddof=1)
    falff = alff / nobp.std(1, ddof=1)
    m = in_sphere(SGACC)
    truth["sgacc_alff"] = alff[m].mean()
    truth["sgacc_falff"] = falff[m].mean()
    # GBC: per grey-matter voxel, mean Fisher z of r with every other GM voxel; averaged over the PFC labels
    a_ijk = np.rint(np.linalg.inv(ATLAS_AFF)[:3, :3] @ xyz.T + np.linalg.inv(ATLAS_AFF)[:3, 3:4]).astype(int)
    pfc = brain & np.isin(aal[a_ijk[0], a_ijk[1], a_ijk[2]], list(AAL_PFC))
    assert pfc.sum() > 10 and in_sphere(SGACC).sum() > 3 and in_sphere(RDLPFC).sum() > 3
    for name, x in [("pfc_gbc_z", bp), ("pfc_gbcr_z", bp_gsr)]:
        ix = np.where(gm)[0]
        r = np.corrcoef(x[ix])
        z = np.arctanh(np.clip(r, -(1 - 1e-7), 1 - 1e-7))
        np.fill_diagonal(z, 0)
        gbc = z.sum(1) / (len(ix) - 1)
        vox = np.zeros(nv)
        vox[ix] = gbc
        truth[name] = vox[pfc].mean()


# ------------------------------------------------------------------ task fMRI: emotional faces
# Blocks of fearful faces, neutral faces and shapes; the BOLD of the anterior cingulate (AAL Cingulum_Ant_L/R)
# responds to fearful and (less) to neutral faces, in percent of the voxel's mean over the run (what
# percent-signal scaling divides by), through regressors made as nilearn's FirstLevelModel makes them (SPM HRF,
# oversampling 50, frame times arange(n) TR + StartTime). Everything else is drift (nilearn's cosine basis at
# 0.01 Hz), motion (linear in the 6 parameters), AR(1) noise and, at the volumes with FD > 0.9 mm, an artefact.
FACES_NVOL = 100
FACES_START = 1.0                       # StartTime: fMRIPrep's slice-time reference, half a TR
FACES_BLOCK = 20.0                      # s; 9 blocks from 10 s to 190 s, fixation before and after
FACES_FIRST = 10.0
FACES_ORDER = ["fearful", "neutral", "shapes", "neutral", "fearful", "shapes", "fearful", "neutral", "shapes"]
FACES_ORDER_02 = ["neutral", "fearful", "shapes", "fearful", "neutral", "shapes", "neutral", "fearful", "shapes"]
# (fearful, neutral) amplitudes: the coefficients of the regressors (which plateau near 1.14 in a 20 s block), in
# % of the voxel's mean; shapes 0. The truth is fearful - neutral, what the GLM's contrast estimates within noise.
FACES_AMP = {("01", "pre"): (2.0, 0.5), ("02", "pre"): (1.4, 0.6), ("03", "pre"): (0.9, 0.6), ("01", "post"): (1.3, 0.7)}
# translation jumps (volume, mm added to x, y and z from that volume on): FD about 3 x the jump at the volume
FACES_JUMPS = {("01", "pre"): [(55, 0.22)], ("03", "pre"): [(30, 0.4), (71, 0.4)]}
FACES_FD_SPIKE = 0.9                    # mm; task_n_spikes counts FD above it
FACES_NOISE_SD, FACES_RHO = 0.5, 0.3    # AR(1) noise: marginal SD in % of the voxel mean, lag-1 correlation
FACES_SPIKE_ARTEFACT = 5.0              # % added to every brain voxel at a volume with FD > 0.9 mm


def faces_events(order):
    return [(FACES_FIRST + i * FACES_BLOCK, FACES_BLOCK, c) for i, c in enumerate(order)]


def write_events(path, events):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write("onset\tduration\ttrial_type\n")
        for on, du, c in events:
            f.write(f"{on:.1f}\t{du:.1f}\t{c}\n")


def spm_hrf(tr, oversampling=50, time_length=32.0, delay=6.0, undershoot=16.0, ratio=0.167):
    """nilearn's spm_hrf: difference of gamma densities (shapes delay and undershoot, scale 1, both shifted by
    dt), sampled on linspace(0, time_length, rint(time_length / dt)) with dt = tr / oversampling, sum 1."""
    dt = tr / oversampling
    t = np.linspace(0, time_length, int(np.rint(time_length / dt)))
    def pdf(a):
        u = t - dt
        out = np.zeros_like(t)
        pos = u > 0
        out[pos] = np.exp((a - 1) * np.log(u[pos]) - u[pos] - gammaln(a))
        return out
    h = pdf(delay) - ratio * pdf(undershoot)
    return h / h.sum()


def task_regressor(onsets, durations, frame_times, oversampling=50, min_onset=-24.0):
    """One condition's regressor as nilearn's compute_regressor with hrf_model 'spm': a boxcar on its
    oversampled grid, convolved with the HRF, linearly interpolated at the frame times."""
    n = frame_times.size
    tr = np.min(np.diff(frame_times))
    n_hr = ((n - 1) / (frame_times.max() - frame_times.min())
            * (frame_times.max() * (1 + 1.0 / (n - 1)) - frame_times.min() - min_onset) * oversampling) + 1
    hr_t = np.linspace(frame_times.min() + min_onset, frame_times.max() * (1 + 1.0 / (n - 1)), int(np.rint(n_hr)))
    box = np.zeros(hr_t.size)
    on = np.minimum(np.searchsorted(hr_t, onsets), hr_t.size - 1)
    off = np.minimum(np.searchsorted(hr_t, np.asarray(onsets) + np.asarray(durations)), hr_t.size - 1)
    off = np.where((off < hr_t.size - 1) & (off == on), off + 1, off)
    np.add.at(box, on, 1.0)
    np.add.at(box, off, -1.0)
    box = np.cumsum(box)
    conv = np.convolve(box, spm_hrf(tr, oversampling))[:box.size]
    return np.interp(frame_times, hr_t, conv)


def cosine_drift(n, high_pass=0.01, tr=TR):
    """nilearn's cosine drift columns (without its constant): DCT-II up to floor(2 n high_pass tr)."""
    order = min(n - 1, int(np.floor(2 * n * high_pass * tr)))
    k = np.arange(1, order + 1)
    return np.sqrt(2.0 / n) * np.cos(np.pi / n * (np.arange(n)[:, None] + 0.5) * k[None, :])


def acc_mask(aal, xyz):
    a_ijk = np.rint(np.linalg.inv(ATLAS_AFF)[:3, :3] @ xyz.T + np.linalg.inv(ATLAS_AFF)[:3, 3:4]).astype(int)
    return np.isin(aal[a_ijk[0], a_ijk[1], a_ijk[2]], list(AAL_ACC))


def make_faces(sub, ses, si, ti, aal, truth):
    rng_f = np.random.default_rng([7, si, ti])          # its own stream: the other outputs do not move
    n = FACES_NVOL
    t = np.arange(n)
    # motion as the resting runs', plus the jumps
    scale = np.array([1, 1, 1, 0.002, 0.002, 0.002])
    mot = (np.cumsum(rng_f.normal(0, 0.02, (n, 6)), 0)
           + 0.05 * np.sin(2 * np.pi * 0.2 * t[:, None] * TR + rng_f.uniform(0, 6, 6))) * scale
    for v, mm in FACES_JUMPS.get((sub, ses), []):
        mot[v:, :3] += mm
    names = ["trans_x", "trans_y", "trans_z", "rot_x", "rot_y", "rot_z"]
    cols = {}
    for i, nm in enumerate(names):
        x = mot[:, i]
        d = np.r_[np.nan, np.diff(x)]
        cols[nm] = x
        cols[nm + "_derivative1"] = d
        cols[nm + "_power2"] = x ** 2
        cols[nm + "_derivative1_power2"] = d ** 2
    dm = np.diff(mot, axis=0)
    fd = np.r_[np.nan, np.abs(dm[:, :3]).sum(1) + 50 * np.abs(dm[:, 3:]).sum(1)]   # Power et al.: 50 mm sphere
    cols["framewise_displacement"] = fd
    spikes = np.where(np.nan_to_num(fd) > FACES_FD_SPIKE)[0]
    assert len(spikes) == sum(mm > 0.3 for _, mm in FACES_JUMPS.get((sub, ses), [])), (sub, ses, fd[spikes])
    assert np.all(np.abs(np.nan_to_num(fd) - FACES_FD_SPIKE) > 0.1), "no FD near the threshold"
    # task regressors (the events this session's BOLD gets by inheritance)
    events = faces_events(FACES_ORDER_02 if sub == "02" else FACES_ORDER)
    frame_times = np.arange(n) * TR + FACES_START
    reg = {c: task_regressor([e[0] for e in events if e[2] == c], [e[1] for e in events if e[2] == c], frame_times)
           for c in ["fearful", "neutral", "shapes"]}
    a_fear, a_neut = FACES_AMP[(sub, ses)]
    xyz = bold_xyz()
    nv = xyz.shape[0]
    brain = ((xyz[:, 0] / 50.0) ** 2 + ((xyz[:, 1] - 30) / 40.0) ** 2 + ((xyz[:, 2] - 14) / 40.0) ** 2) <= 1
    acc = acc_mask(aal, xyz)
    assert acc.sum() == 40 and not (acc & ~brain).any()
    ix = np.where(brain)[0]
    nb = ix.size
    # signal in % of the voxel mean: task (ACC only), motion, drift, AR(1) noise, the spike artefact
    s = np.zeros((nb, n))
    s[acc[ix]] += a_fear * reg["fearful"] + a_neut * reg["neutral"]
    s += rng_f.normal(0, 0.3, (nb, 3)) @ mot[:, :3].T + rng_f.normal(0, 0.3 * 50, (nb, 3)) @ mot[:, 3:].T
    s += rng_f.normal(0, 5.0, (nb, cosine_drift(n).shape[1])) @ cosine_drift(n).T
    z = rng_f.normal(0, 1, (nb, n))
    e = np.zeros((nb, n))
    e[:, 0] = FACES_NOISE_SD * z[:, 0]
    for k in range(1, n):
        e[:, k] = FACES_RHO * e[:, k - 1] + np.sqrt(1 - FACES_RHO ** 2) * FACES_NOISE_SD * z[:, k]
    s += e
    s[:, spikes] += FACES_SPIKE_ARTEFACT
    mean = 1000 + rng_f.uniform(-100, 100, nb)
    data = np.zeros((nv, n))
    data[ix] = mean[:, None] * (1 + (s - s.mean(1, keepdims=True)) / 100)   # its mean over time is `mean`
    data = np.round(data * 16) / 16                                           # 1/16 steps: gzip keeps it small
    img4 = data.astype(np.float32).reshape(BOLD_SHAPE + (n,), order="F")
    p = f"sub-{sub}_ses-{ses}"
    sp = "space-MNI152NLin2009cAsym"
    fdir = os.path.join(BIDS, "derivatives", "fmriprep", f"sub-{sub}", f"ses-{ses}", "func")
    img = nib.Nifti1Image(img4, BOLD_AFF)
    img.header.set_xyzt_units("mm", "sec")
    img.header["pixdim"][4] = TR
    save(img, os.path.join(fdir, f"{p}_task-faces_{sp}_desc-preproc_bold.nii.gz"))
    write_json(os.path.join(fdir, f"{p}_task-faces_{sp}_desc-preproc_bold.json"),
               {"RepetitionTime": TR, "TaskName": "faces", "SliceTimingCorrected": True, "StartTime": FACES_START})
    save(nib.Nifti1Image(brain.reshape(BOLD_SHAPE, order="F").astype(np.uint8), BOLD_AFF),
         os.path.join(fdir, f"{p}_task-faces_{sp}_desc-brain_mask.nii.gz"))
    with open(os.path.join(fdir, f"{p}_task-faces_desc-confounds_timeseries.tsv"), "w") as f:
        f.write("\t".join(cols) + "\n")
        for r in range(n):
            f.write("\t".join("n/a" if np.isnan(cols[c][r]) else repr(float(cols[c][r])) for c in cols) + "\n")
    truth["racc_fearful_gt_neutral_beta"] = round(a_fear - a_neut, 12)
    truth["task_n_spikes"] = float(len(spikes))


# ------------------------------------------------------------------ FDG PET (PETPrep-style, T1w space)
# A static FDG PET for sub-01 and sub-02 at both sessions: 5 frames from 30 to 70 min after the injection (TimeZero =
# InjectionStart = 0), decay-corrected, in kBq/mL, on a grid of every other voxel of the session's aseg (2.4 x 2 x 3
# mm, oblique for sub-02): each PET voxel centre is an aseg voxel centre, so the aseg reaches the PET grid by nearest
# neighbour without a tie. The grid reaches a little beyond the aseg (which is 0 there), so that sub-01's habenula
# spheres, just behind its brain, are on it. Its offset puts no voxel centre half-way between two voxels of the 2 mm
# atlas (identity transform MNI -> T1w: the demo's T1w world is the MNI world) nor on a sphere's surface.
# Planted: SUVs per region (tissue from the aseg, the ROIs over it), blurred by an isotropic Gaussian PSF (FWHM 6
# mm, as scipy.ndimage.gaussian_filter: reflect, truncate 4), each frame scaled by a slow uptake and given noise of
# variance proportional to its value over its duration. The truth is the planted SUVR of each ROI (to the cerebellar
# cortex, aseg 8 + 47), which a GTM with the same PSF recovers within noise (scripts/demo_pet_gtm.py).
PET_FWHM = 6.0
PET_FRAME_START = [1800.0, 2100.0, 2400.0, 3000.0, 3600.0]          # s from TimeZero (= the injection)
PET_FRAME_DURATION = [300.0, 300.0, 600.0, 600.0, 600.0]
F18_HALF_LIFE = 6588.0                                              # s (ketaprint's PetUnits, Turku PET Centre)
PET_STEP, PET_ORIGIN, PET_SHAPE = 2, (-2, -6, -1), (22, 28, 19)    # aseg voxels: PET voxel (a, b, c) = aseg ORIGIN + STEP (a, b, c)
PET_NOISE = 0.09                    # noise SD = PET_NOISE sqrt(value in kBq/mL x 600 s / frame duration)
HABENULA = {"l": (-3.0, -26.0, 2.0), "r": (3.0, -26.0, 2.0)}       # MNI mm, radius 3 mm
HABENULA_RADIUS = 3.0
# per session: injected MBq, the body weight (kg) the SUVs were planted with and where it is recorded (the sidecar's
# BodyWeight, participants.tsv's weight column, or nowhere: SUV n/a), the decay-correction time, TimeZero
PET_SCANS = {("01", "pre"): dict(dose=250.0, weight=68.0, weight_in="sidecar", dc=1800.0, time_zero="09:12:00"),
             ("01", "post"): dict(dose=242.0, weight=67.0, weight_in="participants", dc=0.0, time_zero="10:05:00"),
             ("02", "pre"): dict(dose=310.0, weight=81.5, weight_in="sidecar", dc=1800.0, time_zero="08:47:00"),
             ("02", "post"): dict(dose=296.0, weight=80.0, weight_in=None, dc=1800.0, time_zero="09:31:00")}
PARTICIPANT_WEIGHT = {"01": "67.0", "02": "n/a", "03": "59.0"}      # kg; participants.tsv
# SUVR to the cerebellar cortex ('ref' is its SUV; CSF, outside the brain and the subcortical labels 17/53/26/58 0:
# the pinned GTM models only the ROIs, the reference, cortex, WM and CSF, so unmodelled uptake would bias it). After ketamine lower in the insula, the right PFC and the habenula.
PET_SUVR = {("01", "pre"): dict(ref=5.0, cortex=1.30, wm=0.50, insula_l=1.50, insula_r=1.38, pfc_r=1.55,
                                habenula_l=1.75, habenula_r=1.55),
            ("01", "post"): dict(ref=4.8, cortex=1.30, wm=0.50, insula_l=1.36, insula_r=1.25, pfc_r=1.40,
                                 habenula_l=1.50, habenula_r=1.33),
            ("02", "pre"): dict(ref=5.4, cortex=1.25, wm=0.48, insula_l=1.36, insula_r=1.48, pfc_r=1.46,
                                habenula_l=1.58, habenula_r=1.78),
            ("02", "post"): dict(ref=5.2, cortex=1.25, wm=0.48, insula_l=1.25, insula_r=1.35, pfc_r=1.34,
                                 habenula_l=1.38, habenula_r=1.55)}
PET_ROIS = ["insula_l", "insula_r", "pfc_r", "habenula_l", "habenula_r"]
PET_TISSUE = {"cortex": (3, 42), "wm": (2, 41), "ref": (8, 47), "zero": (0, 24, 17, 53, 26, 58)}


def pet_uptake(t):
    """The decay-corrected concentration at time t (s) relative to its value at 50 min: a slow rise."""
    return 1 + 0.004 * (t / 60.0 - 50)


def world(aff, ijk):
    return aff[:3, :3] @ ijk + aff[:3, 3:4]


def pet_tissues(seg, aff, aal):
    """The aseg of a PET session: seg with its white matter (2/41) partly relabelled: a cortical shell (3/42), the
    cerebellar cortex (8/47) at the back and bottom, a CSF box (24), and the demo AAL's insula and right prefrontal
    boxes as cortex (so that those ROIs are grey matter). Labels 17/53/26/58 and the brain are unchanged."""
    i, j, k = np.indices(seg.shape)
    rho2 = ((i - 20) / 18.0) ** 2 + ((j - 24) / 22.0) ** 2 + ((k - 18) / 16.0) ** 2
    wm = np.isin(seg, [2, 41])
    right = i >= 20
    out = seg.copy()
    shell = wm & (rho2 > 0.8 ** 2)
    out[shell] = np.where(right, 42, 3)[shell]
    cereb = wm & (j < 15) & (k < 15)
    out[cereb] = np.where(right, 47, 8)[cereb]
    csf = wm & (i >= 18) & (i < 22) & (j >= 26) & (j < 32) & (k >= 20) & (k < 25)
    out[csf] = 24
    # every voxel whose centre is within an atlas voxel (1 mm) of a box: a superset of what nearest neighbour gives
    xyz = world(aff, np.indices(seg.shape).reshape(3, -1)).T.reshape(seg.shape + (3,))
    isl = np.zeros(seg.shape, bool)
    for l, box in AAL_PET_BOXES.items():
        m = np.ones(seg.shape, bool)
        for ax, (lo, hi) in enumerate(box):
            m &= (xyz[..., ax] >= lo - 1) & (xyz[..., ax] <= hi + 1)
        isl |= m
    assert not (isl & ~np.isin(out, [2, 41, 3, 42])).any(), "an insula or PFC box on a non-WM label"
    out[isl] = np.where(right, 42, 3)[isl]
    return out


def atlas_labels(lab, xyz):
    """Labels of the 2 mm atlas at world points xyz (3 x n), nearest neighbour as ketaprint (floor(v + 0.5)), 0
    outside; no point within 1e-6 voxel of a tie."""
    inv = np.linalg.inv(ATLAS_AFF)
    v = inv[:3, :3] @ xyz + inv[:3, 3:4]
    assert np.all(np.abs(v - np.floor(v) - 0.5) > 1e-6), "a point half-way between atlas voxels"
    a = np.floor(v + 0.5).astype(int)
    inside = np.all((a >= 0) & (a < np.array(ATLAS_SHAPE)[:, None]), 0)
    out = np.zeros(xyz.shape[1], int)
    out[inside] = lab[a[0, inside], a[1, inside], a[2, inside]]
    return out


def pet_regions(aff, shape, aseg, aseg_aff, aal):
    """The aseg labels on the PET grid (nearest neighbour, 0 outside) and the ROIs (AAL insula, right PFC labels,
    habenula spheres |p - c|^2 <= r^2 (1 + 1e-12)), as boolean masks; the ROIs are disjoint and not empty."""
    xyz = world(aff, np.indices(shape).reshape(3, -1))
    inv = np.linalg.inv(aseg_aff)
    v = inv[:3, :3] @ xyz + inv[:3, 3:4]
    assert np.all(np.abs(v - np.rint(v)) < 1e-3), "PET voxel centres are aseg voxel centres"
    a = np.floor(v + 0.5).astype(int)
    inside = np.all((a >= 0) & (a < np.array(aseg.shape)[:, None]), 0)
    label = np.zeros(xyz.shape[1], int)
    label[inside] = aseg[a[0, inside], a[1, inside], a[2, inside]]
    atl = atlas_labels(aal, xyz)
    rois = {"insula_l": atl == 29, "insula_r": atl == 30, "pfc_r": np.isin(atl, AAL_PFC_R)}
    r2 = HABENULA_RADIUS ** 2
    for side, c in HABENULA.items():
        d2 = ((xyz - np.array(c)[:, None]) ** 2).sum(0)
        assert np.all(np.abs(d2 - r2) > 1e-6), "a voxel centre on a sphere's surface"
        rois[f"habenula_{side}"] = d2 <= r2 * (1 + 1e-12)
    total = sum(m.astype(int) for m in rois.values())
    assert total.max() == 1 and all(m.any() for m in rois.values()), {k: m.sum() for k, m in rois.items()}
    return label.reshape(shape), {k: m.reshape(shape) for k, m in rois.items()}


def pet_sigma(aff):
    """The PSF's sigma in voxels per axis: FWHM / (2 sqrt(2 ln 2)) / the affine's column norms."""
    return PET_FWHM / (2 * np.sqrt(2 * np.log(2))) / np.sqrt((aff[:3, :3] ** 2).sum(0))


def pet_image(sub, ses, seg_img, aal, rng):
    """The PET grid's affine (as stored), frames (x, y, z, frame; noise from rng, none if rng is None), the aseg on the
    grid and the ROIs."""
    scan, plant = PET_SCANS[(sub, ses)], PET_SUVR[(sub, ses)]
    seg_aff = seg_img.affine
    step = np.diag([PET_STEP] * 3 + [1.0])
    step[:3, 3] = PET_ORIGIN
    aff = (seg_aff @ step).astype(np.float32).astype(np.float64)    # as stored (float32 sform)
    label, rois = pet_regions(aff, PET_SHAPE, np.asarray(seg_img.dataobj), seg_aff, aal)
    assert set(np.unique(label)) <= {l for ls in PET_TISSUE.values() for l in ls}
    suv = np.zeros(PET_SHAPE)
    for name, labs in PET_TISSUE.items():
        if name != "zero":
            suv[np.isin(label, labs)] = plant["ref"] * (1.0 if name == "ref" else plant[name])
    for name, m in rois.items():
        suv[m] = plant["ref"] * plant[name]
    # kBq/mL per SUV: the dose decayed to the decay-correction time over the body weight (1 g = 1 mL)
    kbq_per_suv = scan["dose"] * 1e3 * np.exp(-np.log(2) * scan["dc"] / F18_HALF_LIFE) / (scan["weight"] * 1e3)
    blurred = gaussian_filter(suv * kbq_per_suv, pet_sigma(aff), mode="reflect", truncate=4.0)
    frames = []
    for t0, dur in zip(PET_FRAME_START, PET_FRAME_DURATION):
        b = blurred * pet_uptake(t0 + dur / 2)
        if rng is not None:
            b = b + PET_NOISE * np.sqrt(np.clip(b, 0, None) * 600.0 / dur) * rng.normal(0, 1, PET_SHAPE)
            b = np.round(b * 256) / 256                                          # 1/256 kBq/mL steps: smaller files
        frames.append(b)
    return aff, np.stack(frames, -1), label, rois


def make_pet(sub, ses, si, ti, aal, truth):
    scan, plant = PET_SCANS[(sub, ses)], PET_SUVR[(sub, ses)]
    p = f"sub-{sub}_ses-{ses}"
    seg_img = nib.load(os.path.join(BIDS, "derivatives", "fmriprep", f"sub-{sub}", f"ses-{ses}", "anat",
                                    f"{p}_desc-aseg_dseg.nii.gz"))
    aff, frames, _, _ = pet_image(sub, ses, seg_img, aal, np.random.default_rng([11, si, ti]))   # its own stream
    img = nib.Nifti1Image(frames.astype(np.float32), aff)
    img.header.set_xyzt_units("mm", "sec")
    d = os.path.join(BIDS, "derivatives", "petprep", f"sub-{sub}", f"ses-{ses}", "pet")
    base = os.path.join(d, f"{p}_trc-FDG_space-T1w_desc-preproc_pet")
    save(img, base + ".nii.gz")
    side = {"TracerName": "FDG", "TracerRadionuclide": "F18", "ModeOfAdministration": "bolus",
            "InjectedRadioactivity": scan["dose"], "InjectedRadioactivityUnits": "MBq", "TimeZero": scan["time_zero"],
            "InjectionStart": 0, "ScanStart": PET_FRAME_START[0], "FrameTimesStart": PET_FRAME_START,
            "FrameDuration": PET_FRAME_DURATION, "Units": "kBq/mL", "ImageDecayCorrected": True,
            "ImageDecayCorrectionTime": scan["dc"]}
    if scan["weight_in"] == "sidecar":
        side["BodyWeight"] = scan["weight"]
    write_json(base + ".json", side)
    # MNI -> T1w for the MNI ROIs: the identity (the demo's T1w world is the MNI world), as fMRIPrep names it
    with open(os.path.join(BIDS, "derivatives", "fmriprep", f"sub-{sub}", f"ses-{ses}", "anat",
                           f"{p}_from-MNI152NLin2009cAsym_to-T1w_mode-image_xfm.txt"), "w") as f:
        f.write("#Insight Transform File V1.0\n#Transform 0\nTransform: AffineTransform_double_3_3\n"
                "Parameters: 1 0 0 0 1 0 0 0 1 0 0 0\nFixedParameters: 0 0 0\n")
    for name in PET_ROIS:
        truth[f"{name}_suvr_pvc"] = plant[name]


def main():
    shutil.rmtree(BIDS, ignore_errors=True)
    shutil.rmtree(ATLASES, ignore_errors=True)
    os.makedirs(BIDS)
    write_json(os.path.join(BIDS, "dataset_description.json"),
               {"Name": "ketaprint demo (synthetic)", "BIDSVersion": "1.9.0", "DatasetType": "raw",
                "GeneratedBy": [{"Name": "scripts/make_demo.py"}]})
    for der, name in [("fmriprep", "fMRIPrep (synthetic stand-in)"), ("qsiprep", "QSIPrep (synthetic stand-in)"),
                      ("petprep", "PETPrep (synthetic stand-in)")]:
        write_json(os.path.join(BIDS, "derivatives", der, "dataset_description.json"),
                   {"Name": name, "BIDSVersion": "1.9.0", "DatasetType": "derivative",
                    "GeneratedBy": [{"Name": "scripts/make_demo.py"}]})
    # the faces task's events by inheritance: the root file for every session, sub-02's own order overrides it
    write_events(os.path.join(BIDS, "task-faces_events.tsv"), faces_events(FACES_ORDER))
    write_json(os.path.join(BIDS, "task-faces_bold.json"),
               {"TaskName": "faces", "TaskDescription": "Blocked emotional faces (fearful, neutral) and shapes matching"})
    write_events(os.path.join(BIDS, "sub-02", "ses-pre", "func", "sub-02_ses-pre_task-faces_events.tsv"),
                 faces_events(FACES_ORDER_02))
    with open(os.path.join(BIDS, "participants.tsv"), "w") as f:
        f.write("participant_id\tage\tsex\tmadrs_baseline\tmadrs_24h\tweight\n")
        for s, age, sex in zip(SUBJECTS, [34, 41, 29], ["F", "M", "F"]):
            f.write(f"sub-{s}\t{age}\t{sex}\t{MADRS[s][0]}\t{MADRS[s][1]}\t{PARTICIPANT_WEIGHT[s]}\n")
    atlas = make_atlas()
    aal = make_aal()
    rows = []
    for si, sub in enumerate(SUBJECTS):
        for ti, ses in enumerate(SESSIONS):
            sd = os.path.join(BIDS, f"sub-{sub}", f"ses-{ses}")
            os.makedirs(sd, exist_ok=True)
            with open(os.path.join(sd, f"sub-{sub}_ses-{ses}_scans.tsv"), "w") as f:
                f.write("filename\tacq_time\n")
            truth = {"participant_id": f"sub-{sub}", "session_id": f"ses-{ses}"}
            make_structural(sub, ses, si, ti, truth, aal)
            if not (sub == "03" and ses == "post"):      # sub-03 has no post-session DWI: a missing input
                make_diffusion(sub, ses, si, ti, atlas, truth)
            if ses == "pre":                                # resting state at baseline only
                make_rest(sub, si, aal, truth)
            if (sub, ses) in FACES_AMP:                     # faces task: baseline, and sub-01's second session
                make_faces(sub, ses, si, ti, aal, truth)
            if (sub, ses) in PET_SCANS:                     # FDG PET: sub-01 and sub-02, both sessions
                make_pet(sub, ses, si, ti, aal, truth)
            rows.append(truth)
    cols = ["participant_id", "session_id"] + sorted({k for r in rows for k in r} - {"participant_id", "session_id"})
    with open(os.path.join(ROOT, "demo-truth.tsv"), "w") as f:
        f.write("\t".join(cols) + "\n")
        for r in rows:
            f.write("\t".join(str(r.get(c, "n/a")) if isinstance(r.get(c, "n/a"), str) else repr(float(r[c])) for c in cols) + "\n")


if __name__ == "__main__":
    main()
