#!/usr/bin/python3
"""Regenerates test-data/diffusion: DIPY 1.6's sample DWIs, DIPY's WLS/OLS tensor maps and median_otsu
masks on them, and a numpy reference for ROI statistics (JHU labels resampled through the affines).

Run from the repo root with Debian's python: /usr/bin/python3 scripts/make_diffusion_reference.py
"""
import json
import os
import shutil
import warnings

import nibabel as nib
import numpy as np
from dipy.core.gradients import gradient_table
from dipy.io.gradients import read_bvals_bvecs
import dipy.reconst.dti as dti
from dipy.segment.mask import median_otsu

warnings.simplefilter("ignore")
OUT = "test-data/diffusion"
DIPY = os.path.join(os.path.dirname(__import__("dipy").__file__), "data", "files")
SAMPLES = {"small_64D": ".nii", "small_101D": ".nii.gz", "small_25": ".nii.gz"}
JHU = "/usr/share/mricron/templates/JHU-WhiteMatter-labels-2mm.nii.gz"


def save(arr, affine, name, dtype=np.float64):
    nib.save(nib.Nifti1Image(np.asarray(arr, dtype), affine), os.path.join(OUT, name))


def dipy_maps():
    for name, ext in SAMPLES.items():
        for suffix in (ext, ".bval", ".bvec"):
            shutil.copyfile(os.path.join(DIPY, name + suffix), os.path.join(OUT, name + suffix))
        img = nib.load(os.path.join(OUT, name + ext))
        data = img.get_fdata()
        bvals, bvecs = read_bvals_bvecs(os.path.join(OUT, name + ".bval"), os.path.join(OUT, name + ".bvec"))
        gtab = gradient_table(bvals, bvecs)
        _, mask = median_otsu(data, vol_idx=np.where(gtab.b0s_mask)[0])
        save(mask, img.affine, name + "_dipy_mask.nii.gz", np.uint8)
        for method in ("WLS", "OLS"):
            # every voxel, background included: the floors on signal and eigenvalues are exercised
            fit = dti.TensorModel(gtab, fit_method=method, return_S0_hat=True).fit(data)
            maps = {"FA": fit.fa, "MD": fit.md, "AD": fit.ad, "RD": fit.rd, "S0": fit.S0_hat,
                    "V1": fit.evecs[..., :, 0]}
            for m, v in maps.items():
                save(v, img.affine, "%s_dipy_%s_%s.nii.gz" % (name, method.lower(), m))


def world_to_label_index(map_affine, shape, lab_affine):
    ijk = np.indices(shape).reshape(3, -1).T
    xyz = nib.affines.apply_affine(map_affine, ijk)
    return np.floor(nib.affines.apply_affine(np.linalg.inv(lab_affine), xyz) + 0.5).astype(int)


def roi_reference():
    jhu = nib.load(JHU)
    lab = np.asarray(jhu.dataobj).astype(np.int16)
    # crop a box holding both cingula; the crop's affine keeps world positions
    lo = np.array([20, 30, 20])
    box = lab[lo[0]:lo[0] + 52, lo[1]:lo[1] + 60, lo[2]:lo[2] + 44]
    lab_aff = jhu.affine.copy()
    lab_aff[:3, 3] = nib.affines.apply_affine(jhu.affine, lo)
    save(box, lab_aff, "jhu_crop_labels.nii.gz", np.int16)
    shutil.copyfile(JHU.replace(".nii.gz", ".nii.txt"), os.path.join(OUT, "jhu_crop_labels.nii.txt"))

    # a map on another grid: 2.5 mm, x flipped, shifted by a fraction of a voxel, with NaN voxels
    rng = np.random.default_rng(5)
    shape = (40, 48, 34)
    maff = np.diag([-2.5, 2.5, 2.5, 1.0])
    maff[:3, 3] = [52.3, -70.2, -30.1]
    fa = rng.uniform(0, 1, shape).astype(np.float32)
    md = rng.uniform(0.4e-3, 1.2e-3, shape).astype(np.float32)
    fa[rng.uniform(size=shape) < 0.02] = np.nan
    md[rng.uniform(size=shape) < 0.02] = np.inf
    save(fa, maff, "roi_fa.nii.gz", np.float32)
    save(md, maff, "roi_md.nii.gz", np.float32)

    idx = world_to_label_index(maff, shape, lab_aff)
    inside = np.all((idx >= 0) & (idx < box.shape), axis=1)
    labels = np.zeros(idx.shape[0], int)
    labels[inside] = box[idx[inside, 0], idx[inside, 1], idx[inside, 2]]
    fa1, md1 = fa.reshape(-1), md.reshape(-1)

    def stats(values, sel):
        v = values[sel]
        fin = v[np.isfinite(v)].astype(np.float64)
        n = fin.size
        return {"voxels": int(n), "nonfinite": int(v.size - n),
                "mean": float(fin.mean()) if n else None,
                "median": float(np.median(fin)) if n else None,
                "std": float(fin.std(ddof=1)) if n > 1 else None}

    names = {int(l.split()[0]): l.split()[1] for l in open(JHU.replace(".nii.gz", ".nii.txt")) if l.strip()}
    ref = {"all_labels_fa": [], "above_0.2_md": []}
    for l in sorted(set(labels[labels > 0]) | {k for k in names if k > 0}):
        row = {"label": int(l), "name": names.get(int(l))}
        ref["all_labels_fa"].append(dict(row, **stats(fa1, labels == l)))
        ref["above_0.2_md"].append(dict(row, **stats(md1, (labels == l) & (fa1 > 0.2))))
    # the default cingulum columns: means over voxels with FA > 0.2 (FA NaN voxels never pass)
    cols = {}
    for stem, lab_no in (("cingulum_cg_l", 36), ("cingulum_cg_r", 35), ("cingulum_hc_l", 38), ("cingulum_hc_r", 37)):
        sel = (labels == lab_no) & (fa1 > 0.2)
        cols[stem + "_fa"] = stats(fa1, sel)["mean"]
        cols[stem + "_md"] = stats(md1, sel)["mean"]
        cols[stem + "_voxels"] = int(sel.sum())
    ref["cingulum_fa_above_0.2"] = cols
    with open(os.path.join(OUT, "roistats_reference.json"), "w") as f:
        json.dump(ref, f, indent=1)


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    dipy_maps()
    roi_reference()
    print("wrote", sorted(os.listdir(OUT)))
