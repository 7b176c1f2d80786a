"""The diffusion section of the session reports, from the data: in every FA panel each outline (the brain mask, then
the features' atlas ROIs) is exactly the inner boundary of that mask on the slice shown (nibabel, closest canonical,
data-sx/data-sy), less what later outlines cover; the V1 panel is |V1| * FA from DIPY's TensorModel (same method and
mask), V1 turned from the bvec frame (FSL: voxel axes, x flipped when det > 0) to world axes: red R-L, green A-P,
blue S-I, within 2 grey levels. Negative controls: a mask shifted one voxel and V1's channels rotated must fail.
Usage: report_diffusion.py OUTPUT_DIR [TRUTH_RGB.nii.gz] (the expected colours on the DWI grid of the only session)"""
import glob
import json
import os
import re
import sys
import warnings

import nibabel as nib
import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import pngread  # noqa: E402

warnings.simplefilter("ignore")
TOL = 2


def path_of(prov, key, out):
    if os.path.isabs(key):
        return key
    root, rel = key.split(":", 1) if ":" in key else (None, key)
    return os.path.join(prov["roots"][root], rel) if root else os.path.join(out, rel)


def stage_files(prov, out):
    st = next(s for s in prov["stages"] if s["id"] == "diffusion")
    files = [path_of(prov, k, out) for k in st.get("inputs", {})]
    dwi = next(f for f in files if re.search(r"_dwi\.nii(\.gz)?$", f))
    masks = [f for f in files if "desc-brain_mask" in f] + [os.path.join(out, f) for f in st.get("derived", []) if "desc-brain_mask" in f]
    return st, dwi, masks[0], st["details"]["atlas"]


def canonical(data, affine):
    return np.asarray(nib.as_closest_canonical(nib.Nifti1Image(data, affine)).dataobj)


def roi_masks(names, atlas_path, dwi):
    """Each ROI's voxels on the DWI grid: the atlas resampled by nearest neighbour (rounding half up, as ketaprint)."""
    table = {}
    for line in open(re.sub(r"\.nii(\.gz)?$", ".nii.txt", atlas_path)):
        parts = line.split(None, 1)
        if len(parts) == 2 and parts[0].isdigit():
            table[re.sub(r"[\s_-]+", " ", parts[1].strip().lower())] = int(parts[0])
    atlas = nib.load(atlas_path)
    lab = np.asarray(atlas.dataobj)
    ijk = np.indices(dwi.shape[:3]).reshape(3, -1)
    m = np.linalg.inv(atlas.affine) @ dwi.affine
    src = np.floor(m[:3, :3] @ ijk + m[:3, 3:] + 0.5).astype(int)
    ok = np.all((src >= 0) & (src < np.array(lab.shape)[:, None]), axis=0)
    on = np.zeros(ijk.shape[1], lab.dtype)
    on[ok] = lab[src[0, ok], src[1, ok], src[2, ok]]
    on = on.reshape(dwi.shape[:3])
    out = {}
    for n in names:
        label = int(n) if n.isdigit() else table[re.sub(r"[\s_-]+", " ", n.strip().lower())]
        out[n] = canonical((on == label).astype(np.uint8), dwi.affine) > 0
    return out


def outline_errors(img, p, masks):
    """Mismatches between each outline's pixels and its mask's boundary less later outlines ([] when all agree)."""
    sx, sy, k = int(p["sx"]), int(p["sy"]), int(p["index"])
    rois = pngread.rois(p)
    bounds = [pngread.boundary(pngread.display_slice(masks[n], p["plane"], k), sx, sy) for n, _ in rois]
    errors = []
    for i, (name, rgb) in enumerate(rois):
        if len(set(rgb)) == 1:
            errors.append("%s drawn in grey %s" % (name, rgb))
        want = bounds[i].copy()
        for later in bounds[i + 1:]:
            want &= ~later
        got = np.all(img == np.array(rgb, dtype=np.uint8), axis=2)
        if got.shape != want.shape or not np.array_equal(got, want):
            errors.append("%s %s %d: %s outline has %d pixels, its boundary %d" % (p["plane"], k, i, name, got.sum(), want.sum()))
    return errors


def dipy_rgb(dwi_path, mask, method):
    """|V1| in world axes times FA on the DWI grid, from DIPY (V1 in the bvec frame, turned by the affine)."""
    from dipy.core.gradients import gradient_table
    from dipy.io.gradients import read_bvals_bvecs
    import dipy.reconst.dti as dti
    stem = re.sub(r"\.nii(\.gz)?$", "", dwi_path)
    img = nib.load(dwi_path)
    gtab = gradient_table(*read_bvals_bvecs(stem + ".bval", stem + ".bvec"))
    fit = dti.TensorModel(gtab, fit_method=method.upper()).fit(img.get_fdata(), mask)
    v = fit.evecs[..., :, 0].copy()
    a = img.affine[:3, :3]
    if np.linalg.det(a) > 0:
        v[..., 0] *= -1
    w = v @ (a / np.linalg.norm(a, axis=0)).T
    n = np.linalg.norm(w, axis=-1, keepdims=True)
    rgb = np.abs(w) / np.where(n > 0, n, 1) * np.nan_to_num(fit.fa)[..., None]
    return np.nan_to_num(rgb)


def rgb_errors(img, p, rgb_can):
    """Pixels whose colour differs from round(255 * expected) by more than TOL, and how many are not black."""
    sx, sy, k = int(p["sx"]), int(p["sy"]), int(p["index"])
    want = np.stack([pngread.display_slice(rgb_can[..., c], "axial", k) for c in range(3)], axis=2)
    want = np.repeat(np.repeat(np.round(255 * np.clip(want, 0, 1)), sy, axis=0), sx, axis=1)
    if want.shape != img.shape:
        return ["V1 panel %s, expected %s" % (img.shape, want.shape)], 0
    d = np.abs(img.astype(int) - want.astype(int))
    bad = int((d.max(axis=2) > TOL).sum())
    return (["V1 axial %d: %d pixels off by more than %d (max %d)" % (k, bad, TOL, d.max())] if bad else []), int((img.max(axis=2) > 0).sum())


def main(out, truth=None):
    reports = sorted(glob.glob(os.path.join(out, "sub-*", "**", "*_report.html"), recursive=True))
    assert reports, "no reports under " + out
    fa_panels = v1_panels = controls = 0
    fails = []
    for rep in reports:
        prov = json.load(open(rep.replace("_report.html", "_provenance.json")))
        st = next(s for s in prov["stages"] if s["id"] == "diffusion")
        panels = [p for p in pngread.parse(rep).slices if p.get("volume") in ("fa", "v1")]
        if st["status"] != "ok":
            assert not panels, rep + ": diffusion panels although the stage did not run"
            continue
        st, dwi_path, mask_path, atlas = stage_files(prov, out)
        assert "transform" not in st["details"], "the check resamples the atlas without a transform"
        dwi = nib.load(dwi_path)
        mask = np.asarray(nib.load(mask_path).dataobj) > 0
        masks = {"brain mask": canonical(mask.astype(np.uint8), dwi.affine) > 0}
        names = [n for p in panels for n, _ in pngread.rois(p) if n != "brain mask"]
        masks.update(roi_masks(sorted(set(names)), atlas, dwi))
        shifted = dict(masks, **{"brain mask": np.roll(masks["brain mask"], 1, axis=0)})
        rgb = canonical(dipy_rgb(dwi_path, mask, st["parameters"]["method"]), dwi.affine)
        kinds = [p["volume"] for p in panels]
        assert kinds.count("fa") >= 2 and kinds.count("v1") == 1, (rep, kinds)
        for p in panels:
            img = pngread.data_uri_png(p["src"])[:, :, :3]
            if p["volume"] == "fa":
                assert pngread.rois(p)[0][0] == "brain mask" and len(pngread.rois(p)) >= 2, (rep, p["rois"])
                fails += [rep + ": " + e for e in outline_errors(img, p, masks)]
                controls += bool(outline_errors(img, p, shifted))
                fa_panels += 1
            else:
                errs, lit = rgb_errors(img, p, rgb)
                fails += [rep + ": DIPY: " + e for e in errs]
                if lit < 20:
                    fails.append(rep + ": V1 panel nearly black (%d pixels)" % lit)
                controls += bool(rgb_errors(img, p, np.roll(rgb, 1, axis=3))[0])
                if truth:
                    t = nib.load(truth)
                    fails += [rep + ": truth: " + e for e in rgb_errors(img, p, canonical(t.get_fdata(), t.affine))[0]]
                    controls += bool(rgb_errors(img, p, canonical(np.abs(t.get_fdata()[..., ::-1]), t.affine))[0])
                v1_panels += 1
    if fails:
        raise SystemExit("FAIL\n" + "\n".join(fails))
    want_controls = fa_panels + v1_panels * (2 if truth else 1)
    if controls != want_controls:
        raise SystemExit("FAIL: only %d of %d negative controls failed as they must" % (controls, want_controls))
    assert fa_panels and v1_panels, "no diffusion panels found"
    print("ok: %d FA panels (outlines = nibabel mask boundaries) and %d V1 panels (= DIPY |V1|*FA in world axes%s) in %d "
          "reports; %d negative controls fail" % (fa_panels, v1_panels, ", = truth" if truth else "", len(reports), controls))


if __name__ == "__main__":
    main(*sys.argv[1:])
