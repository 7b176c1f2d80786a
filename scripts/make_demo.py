#!/usr/bin/python3
"""Generates test-data/demo-bids (a small BIDS dataset with derivatives), test-data/demo-atlases
(small synthetic stand-ins with the JHU label numbers and names) and test-data/demo-truth.tsv, the
values planted in the data, computed here from their definitions (not by ketaprint).

Run with Debian's python: /usr/bin/python3 scripts/make_demo.py
"""
import json
import os
import shutil

import nibabel as nib
import numpy as np

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


def make_structural(sub, ses, si, ti, truth):
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
    save(nib.Nifti1Image(seg, aff), os.path.join(d, f"{p}_desc-aseg_dseg.nii.gz"))
    save(nib.Nifti1Image(mask, aff), os.path.join(d, f"{p}_desc-brain_mask.nii.gz"))
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
        lab.reshape(-1, order="F")[m] = l
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
    data = sig.T.reshape(shape + (len(bvals),), order="F").astype(np.float32)
    p = f"sub-{sub}_ses-{ses}"
    ddir = os.path.join(BIDS, "derivatives", "qsiprep", f"sub-{sub}", f"ses-{ses}", "dwi")
    base = os.path.join(ddir, f"{p}_space-MNI152NLin6Asym_desc-preproc_dwi")
    save(nib.Nifti1Image(data, aff), base + ".nii.gz")
    np.savetxt(base + ".bval", bvals[None], fmt="%g")
    np.savetxt(base + ".bvec", bvecs.T, fmt="%.6f")
    mask = brain.reshape(shape, order="F").astype(np.uint8)
    save(nib.Nifti1Image(mask, aff), os.path.join(ddir, f"{p}_space-MNI152NLin6Asym_desc-brain_mask.nii.gz"))


def main():
    shutil.rmtree(BIDS, ignore_errors=True)
    shutil.rmtree(ATLASES, ignore_errors=True)
    os.makedirs(BIDS)
    write_json(os.path.join(BIDS, "dataset_description.json"),
               {"Name": "ketaprint demo (synthetic)", "BIDSVersion": "1.9.0", "DatasetType": "raw",
                "GeneratedBy": [{"Name": "scripts/make_demo.py"}]})
    for der, name in [("fmriprep", "fMRIPrep (synthetic stand-in)"), ("qsiprep", "QSIPrep (synthetic stand-in)")]:
        write_json(os.path.join(BIDS, "derivatives", der, "dataset_description.json"),
                   {"Name": name, "BIDSVersion": "1.9.0", "DatasetType": "derivative",
                    "GeneratedBy": [{"Name": "scripts/make_demo.py"}]})
    with open(os.path.join(BIDS, "participants.tsv"), "w") as f:
        f.write("participant_id\tage\tsex\tmadrs_baseline\tmadrs_24h\n")
        for s, age, sex in zip(SUBJECTS, [34, 41, 29], ["F", "M", "F"]):
            f.write(f"sub-{s}\t{age}\t{sex}\t{MADRS[s][0]}\t{MADRS[s][1]}\n")
    atlas = make_atlas()
    rows = []
    for si, sub in enumerate(SUBJECTS):
        for ti, ses in enumerate(SESSIONS):
            sd = os.path.join(BIDS, f"sub-{sub}", f"ses-{ses}")
            os.makedirs(sd, exist_ok=True)
            with open(os.path.join(sd, f"sub-{sub}_ses-{ses}_scans.tsv"), "w") as f:
                f.write("filename\tacq_time\n")
            truth = {"participant_id": f"sub-{sub}", "session_id": f"ses-{ses}"}
            make_structural(sub, ses, si, ti, truth)
            if not (sub == "03" and ses == "post"):      # sub-03 has no post-session DWI: a missing input
                make_diffusion(sub, ses, si, ti, atlas, truth)
            rows.append(truth)
    cols = ["participant_id", "session_id"] + sorted({k for r in rows for k in r} - {"participant_id", "session_id"})
    with open(os.path.join(ROOT, "demo-truth.tsv"), "w") as f:
        f.write("\t".join(cols) + "\n")
        for r in rows:
            f.write("\t".join(str(r.get(c, "n/a")) if isinstance(r.get(c, "n/a"), str) else repr(float(r[c])) for c in cols) + "\n")


if __name__ == "__main__":
    main()
