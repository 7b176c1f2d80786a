#!/usr/bin/python3
"""Full-size synthetic fMRIPrep/QSIPrep-style BIDS sessions for the throughput benchmarks (issue 16).

Per session: a 1 mm aseg (193x229x193, FreeSurfer labels) with its brain mask; a QSIPrep-style 2 mm
MNI152NLin6Asym DWI (91x109x91, 3 b0 + 30 directions at b=1000, int16, no brain mask: the stage computes
median_otsu); an fMRIPrep-style 3 mm MNI152NLin2009cAsym BOLD (65x77x65, 150 volumes, TR 2 s, float32)
with its brain mask, a GM probseg and a confounds TSV with fMRIPrep's column names.

usage: /usr/bin/python3 scripts/bench/make_session.py OUT [--subjects N] [--unique K]
Subjects sub-001..N with sessions pre and post. Only K distinct sessions are generated; the others are
symbolic links to them (the data is the same, the work per session is not), so 100 sessions fit on disk.
"""
import argparse
import json
import os

import nibabel as nib
import numpy as np


def save(data, aff, path, dtype, code=4, tr=None):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    img = nib.Nifti1Image(data.astype(dtype), aff)
    if tr is not None:
        img.header.set_zooms(img.header.get_zooms()[:3] + (tr,))
        img.header.set_xyzt_units("mm", "sec")
    img.set_qform(aff, code=code)
    img.set_sform(aff, code=code)
    nib.save(img, path)


def ellipsoid(shape, radii):
    c = (np.array(shape) - 1) / 2
    i, j, k = np.indices(shape, dtype=np.float32)
    return ((i - c[0]) / radii[0]) ** 2 + ((j - c[1]) / radii[1]) ** 2 + ((k - c[2]) / radii[2]) ** 2


def anat(rng, d, pre):
    shape = (193, 229, 193)
    aff = np.array([[1.0, 0, 0, -96], [0, 1, 0, -132], [0, 0, 1, -78], [0, 0, 0, 1]])
    r = ellipsoid(shape, (68, 86, 70))
    seg = np.zeros(shape, np.int16)
    brain = r <= 1
    left = np.indices(shape)[0] >= 96           # voxel i grows to +x (left)
    seg[brain & left] = 2
    seg[brain & ~left] = 41
    seg[brain & (r > 0.8) & left] = 3
    seg[brain & (r > 0.8) & ~left] = 42
    grow = rng.integers(0, 3)
    for lab, (x, y, z), (a, b, c) in [(17, (120, 100, 60), (10, 30, 12)), (53, (62, 100, 60), (10, 30, 12)),
                                      (26, (106, 140, 70), (6, 6, 6)), (58, (80, 140, 70), (6, 6, 6))]:
        seg[x:x + a + grow, y:y + b, z:z + c] = lab
    save(seg, aff, f"{d}/anat/{pre}_desc-aseg_dseg.nii.gz", np.int16, code=1)
    save(brain, aff, f"{d}/anat/{pre}_desc-brain_mask.nii.gz", np.uint8, code=1)


def dwi(rng, d, pre):
    shape = (91, 109, 91)
    aff = np.array([[-2.0, 0, 0, 90], [0, 2, 0, -126], [0, 0, 2, -72], [0, 0, 0, 1]])
    g = rng.normal(size=(30, 3))
    g /= np.linalg.norm(g, axis=1)[:, None]
    bvec = np.vstack([np.zeros((3, 3)), g])
    bval = np.r_[np.zeros(3), np.full(30, 1000.0)]
    mask = ellipsoid(shape, (34, 43, 36)) <= 1
    n = int(mask.sum())
    ev = np.sort(rng.uniform([0.3e-3, 0.2e-3, 0.1e-3], [1.8e-3, 0.8e-3, 0.6e-3], (n, 3)), axis=1)[:, ::-1]
    q, _ = np.linalg.qr(rng.normal(size=(n, 3, 3)))
    dd = np.einsum("nik,nk,njk->nij", q, ev, q)
    s0 = rng.uniform(600, 1400, n)
    sig = s0[:, None] * np.exp(-bval[None, :] * np.einsum("ti,nij,tj->nt", bvec, dd, bvec))
    sig = np.abs(sig + rng.normal(0, 25, sig.shape) + 1j * rng.normal(0, 25, sig.shape))
    data = np.abs(rng.normal(0, 25, shape + (33,)))
    data[mask] = sig
    base = f"{d}/dwi/{pre}_space-MNI152NLin6Asym_desc-preproc_dwi"
    save(np.round(data), aff, base + ".nii.gz", np.int16)
    np.savetxt(base + ".bval", bval[None], fmt="%g")
    np.savetxt(base + ".bvec", bvec.T, fmt="%.8f")


def bold(rng, d, pre, nt=150, tr=2.0):
    shape = (65, 77, 65)
    aff = np.array([[3.0, 0, 0, -96], [0, 3, 0, -132], [0, 0, 3, -78], [0, 0, 0, 1]])
    r = ellipsoid(shape, (23, 29, 24))
    mask = r <= 1
    n = int(mask.sum())
    t = np.arange(nt) * tr
    comps = np.stack([np.sin(2 * np.pi * f * t + p) for f, p in
                      zip(rng.uniform(0.01, 0.1, 8), rng.uniform(0, 6.3, 8))])        # 8 x nt
    w = rng.normal(0, 1, (n, 8)).astype(np.float32)
    ts = 1000 + 8 * (w @ comps.astype(np.float32)) + rng.normal(0, 10, (n, nt)).astype(np.float32)
    data = np.zeros(shape + (nt,), np.float32)
    data[mask] = ts
    base = f"{d}/func/{pre}_task-rest_space-MNI152NLin2009cAsym"
    save(data, aff, base + "_desc-preproc_bold.nii.gz", np.float32, tr=tr)
    with open(base + "_desc-preproc_bold.json", "w") as f:
        json.dump({"RepetitionTime": tr, "TaskName": "rest"}, f)
    save(mask, aff, base + "_desc-brain_mask.nii.gz", np.uint8)
    gm = np.clip(1.2 - r, 0, 1) * mask
    save(gm, aff, f"{d}/anat/{pre}_space-MNI152NLin2009cAsym_label-GM_probseg.nii.gz", np.float32)
    cols = {}
    motion = np.cumsum(rng.normal(0, 0.02, (nt, 6)), axis=0)
    for c, name in enumerate(["trans_x", "trans_y", "trans_z", "rot_x", "rot_y", "rot_z"]):
        x = motion[:, c] * (0.01 if name.startswith("rot") else 1)
        dx = np.r_[np.nan, np.diff(x)]
        cols[name], cols[name + "_derivative1"] = x, dx
        cols[name + "_power2"], cols[name + "_derivative1_power2"] = x ** 2, dx ** 2
    for name in ["global_signal", "white_matter", "csf"]:
        x = data[mask].mean(0) + rng.normal(0, 1, nt) if name == "global_signal" else rng.normal(0, 1, nt)
        dx = np.r_[np.nan, np.diff(x)]
        cols[name], cols[name + "_derivative1"] = x, dx
        cols[name + "_power2"], cols[name + "_derivative1_power2"] = x ** 2, dx ** 2
    rot = np.abs(np.diff(motion[:, 3:] * 0.01, axis=0)).sum(1) * 50
    fd = np.r_[np.nan, np.abs(np.diff(motion[:, :3], axis=0)).sum(1) + rot]
    fd[rng.integers(1, nt, 5)] = 0.9                                # a few censored volumes
    cols["framewise_displacement"] = fd
    for k in range(5):
        cols[f"a_comp_cor_{k:02d}"] = rng.normal(0, 1, nt)
    with open(base.replace("_space-MNI152NLin2009cAsym", "") + "_desc-confounds_timeseries.tsv", "w") as f:
        f.write("\t".join(cols) + "\n")
        for i in range(nt):
            f.write("\t".join("n/a" if np.isnan(v[i]) else repr(float(v[i])) for v in cols.values()) + "\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--subjects", type=int, default=1)
    ap.add_argument("--unique", type=int, default=2)
    a = ap.parse_args()
    rng = np.random.default_rng(16)
    os.makedirs(a.out, exist_ok=True)
    desc = {"Name": "ketaprint throughput benchmark (synthetic)", "BIDSVersion": "1.9.0"}
    with open(f"{a.out}/dataset_description.json", "w") as f:
        json.dump(desc, f)
    for p in ["fmriprep", "qsiprep"]:
        os.makedirs(f"{a.out}/derivatives/{p}", exist_ok=True)
        with open(f"{a.out}/derivatives/{p}/dataset_description.json", "w") as f:
            json.dump(dict(desc, DatasetType="derivative", GeneratedBy=[{"Name": "make_session.py"}]), f)
    rows = ["participant_id\tage\tsex\tmadrs_baseline\tmadrs_24h"]
    made = []
    k = 0
    for s in range(1, a.subjects + 1):
        sub = f"sub-{s:03d}"
        rows.append(f"{sub}\t{30 + s % 20}\t{'FM'[s % 2]}\t{28 + s % 7}\t{8 + s % 17}")
        for ses in ["pre", "post"]:
            pre = f"{sub}_ses-{ses}"
            raw = f"{a.out}/{sub}/ses-{ses}/anat"
            os.makedirs(raw, exist_ok=True)
            open(f"{raw}/{pre}_T1w.json", "w").write("{}")
            dirs = {p: f"{a.out}/derivatives/{p}/{sub}/ses-{ses}" for p in ["fmriprep", "qsiprep"]}
            if k < a.unique:
                anat(rng, dirs["fmriprep"], pre)
                bold(rng, dirs["fmriprep"], pre)
                dwi(rng, dirs["qsiprep"], pre)
                made.append((pre, dirs))
            else:
                src_pre, src = made[k % len(made)]
                for p, dst in dirs.items():
                    for root, _, files in os.walk(src[p]):
                        rel = os.path.relpath(root, src[p])
                        os.makedirs(os.path.join(dst, rel), exist_ok=True)
                        for fn in files:
                            os.symlink(os.path.abspath(os.path.join(root, fn)),
                                       os.path.join(dst, rel, fn.replace(src_pre, pre)))
            k += 1
    with open(f"{a.out}/participants.tsv", "w") as f:
        f.write("\n".join(rows) + "\n")


if __name__ == "__main__":
    main()
