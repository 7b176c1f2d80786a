#!/usr/bin/python3
"""Adds the MRS inputs to the demo dataset (run after scripts/make_demo.py; it changes none of that script's files
except demo-truth.tsv, where it adds or replaces the pgacc_* columns):

  * test-data/demo-bids/sub-XX/ses-YY/mrs/sub-XX_ses-YY_voi-pgacc_svs.nii.gz for sub-01 and sub-02, ses-pre
    and ses-post: a single-voxel NIfTI-MRS file (NIfTI-2, complex64, 512 points of a synthetic 1H FID, dwell
    0.5 ms, 123.25 MHz, TE 30 ms, TR 2 s in the ecode-44 JSON extension), a 20 x 20 x 20 mm voxel over the
    pregenual ACC of the small demo brain (written by scripts/oracle/mrs_reference.py's write_svs). ses-pre of
    sub-01 is aligned with the T1 axes; sub-02's ses-pre voxel is aligned with its T1 grid, which is itself
    oblique (12 degrees about x); both ses-post voxels are turned against the T1 grid about two axes
    (sub-01: 22.6 degrees about x and 16.3 about z; sub-02: -28.1 about x and 16.3 about y). The centres are
    snapped (mrs_reference.snapped_centre) so that no T1 sub-sample lies on a face of the voxel.
  * derivatives/fmriprep/sub-XX/ses-YY/anat/sub-XX_ses-YY_label-{GM,WM,CSF}_probseg.nii.gz on the aseg's grid,
    from the aseg labels (make_demo.py's aseg of the PET sessions, which all four MRS sessions are): GM = cortex
    3/42, cerebellar cortex 8/47, hippocampus 17/53, accumbens 26/58; WM = 2/41; CSF = 24 (a box under the
    pgACC voxel); each indicator smoothed once by [1, 2, 1] / 4 along every axis (zero beyond the grid), then
    divided by their sum inside the brain (aseg > 0: they sum to 1 there, float32) and 0 outside.
  * test-data/demo-truth.tsv: pgacc_fgm, pgacc_fwm, pgacc_fcsf, the coverage-weighted tissue fractions of the
    voxel (mrs_reference.place: 5 x 5 x 5 sub-samples per T1 voxel); n/a for sub-03 (no MRS). They are exact
    up to floating point: compare within 1e-6.

Deterministic: fixed seeds, gzip with mtime 0. Run with Debian's python: /usr/bin/python3 scripts/make_demo_mrs.py
"""
import os
import sys

import nibabel as nib
import numpy as np
from scipy import ndimage

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "oracle"))
import mrs_reference as ref  # noqa: E402

ROOT = os.path.join(HERE, "..", "test-data")
BIDS = os.path.join(ROOT, "demo-bids")
META = {"SpectrometerFrequency": [123.25], "ResonantNucleus": ["1H"], "EchoTime": 0.03, "RepetitionTime": 2.0}
# the voxel: offset (mm, along the T1 axes) from the demo brain's centre (voxel 20, 24, 18), rotation against the
# T1 grid and the lattice step of the snapping (0.02 mm / the rotation's denominator)
VOXELS = {
    ("01", "pre"): ((0.5, 8.0, 4.0), np.eye(3), 0.02),
    ("01", "post"): ((1.3, 7.0, 4.5), ref.R13["x"] @ ref.R25["z"], 0.02 / 325),
    ("02", "pre"): ((-0.4, 8.3, 3.6), np.eye(3), 0.02),
    ("02", "post"): ((0.2, 7.2, 4.2), ref.R17["x"].T @ ref.R25["y"], 0.02 / 425),
}
TRUTH_COLS = ["pgacc_fcsf", "pgacc_fgm", "pgacc_fwm"]


def save(data, affine, path):
    """As make_demo.py's save: sform and qform code 2 (aligned to the T1w's anatomy)."""
    img = nib.Nifti1Image(data, affine)
    img.set_qform(affine, code=2)
    img.set_sform(affine, code=2)
    nib.save(img, path)


def smooth(x):
    for ax in range(3):
        x = ndimage.correlate1d(x, [0.25, 0.5, 0.25], axis=ax, mode="constant", cval=0.0)
    return x


GM_LABELS = [3, 42, 8, 47, 17, 53, 26, 58]     # cortex, cerebellar cortex, hippocampus, accumbens
WM_LABELS = [2, 41]
CSF_LABELS = [24]


def tissue_maps(seg):
    labels = set(np.unique(seg).tolist()) - {0}
    unknown = labels - set(GM_LABELS + WM_LABELS + CSF_LABELS)
    if unknown or not labels & set(CSF_LABELS):
        raise SystemExit(f"aseg labels {sorted(labels)}: expected the PET sessions' aseg (cortex, WM, CSF 24, ...)")
    brain = seg > 0
    sm = [smooth(np.isin(seg, ls).astype(np.float64)) for ls in (GM_LABELS, WM_LABELS, CSF_LABELS)]
    tot = sm[0] + sm[1] + sm[2]
    return [np.where(brain, s / np.where(brain, tot, 1.0), 0.0).astype(np.float32) for s in sm]


def main():
    truth = {}
    for (sub, ses), (offset, R_rel, delta) in VOXELS.items():
        p = f"sub-{sub}_ses-{ses}"
        anat = os.path.join(BIDS, "derivatives", "fmriprep", f"sub-{sub}", f"ses-{ses}", "anat")
        aseg = nib.load(os.path.join(anat, f"{p}_desc-aseg_dseg.nii.gz"))
        A = np.asarray(aseg.affine, np.float64)
        seg = np.asanyarray(aseg.dataobj)
        probsegs = []
        for lab, m in zip(("GM", "WM", "CSF"), tissue_maps(seg)):
            path = os.path.join(anat, f"{p}_label-{lab}_probseg.nii.gz")
            save(m, A, path)
            probsegs.append(path)
        zooms = np.sqrt((A[:3, :3] ** 2).sum(0))
        u, _, vt = np.linalg.svd(A[:3, :3] / zooms)
        R_t1 = u @ vt      # the nearest rotation (the float32 header's columns are orthogonal to ~1e-8 only)
        near = A[:3, :3] @ np.array([20.0, 24.0, 18.0]) + A[:3, 3] + R_t1 @ np.array(offset)
        c, Rm = ref.snapped_centre(near, R_t1, A[:3, 3], R_rel, delta)
        fid = ref.synthetic_fid(512, dwell=0.0005, mhz=META["SpectrometerFrequency"][0],
                                seed=1000 + 10 * int(sub) + (ses == "post"))
        svs = os.path.join(BIDS, f"sub-{sub}", f"ses-{ses}", "mrs", f"{p}_voi-pgacc_svs.nii.gz")
        ref.write_svs(svs, fid, ref.mrs_affine(c, [20.0, 20.0, 20.0], Rm), META, version=2, dtype=np.complex64)
        pl = ref.place(svs, probsegs)
        f = pl["fractions"]
        if pl["margins"]["box_q"] < 1e-7:
            raise SystemExit(f"{svs}: a sub-sample lies within 1e-7 of a face (margin {pl['margins']['box_q']})")
        cov = pl["cov"]
        vol = cov.sum() * abs(np.linalg.det(A[:3, :3]))
        print(f"{p}: centre {np.round(c, 4).tolist()} mm, mask {vol:.1f} mm3, fGM {f['gm']:.4f} fWM {f['wm']:.4f} "
              f"fCSF {f['csf']:.4f} (sum {sum(f.values()):.6f}; margin {pl['margins']['box_q']:.2g})")
        truth[(f"sub-{sub}", f"ses-{ses}")] = {"pgacc_fgm": f["gm"], "pgacc_fwm": f["wm"], "pgacc_fcsf": f["csf"]}
    # demo-truth.tsv: the pgacc columns added (or replaced) in make_demo.py's sorted column order
    path = os.path.join(ROOT, "demo-truth.tsv")
    with open(path) as fh:
        lines = fh.read().splitlines()
    cols = lines[0].split("\t")
    rows = [dict(zip(cols, ln.split("\t"))) for ln in lines[1:]]
    ids = ["participant_id", "session_id"]
    cols = ids + sorted((set(cols) - set(ids)) | set(TRUTH_COLS))
    for r in rows:
        t = truth.get((r["participant_id"], r["session_id"]))
        for k in TRUTH_COLS:
            r[k] = repr(float(t[k])) if t else "n/a"
    with open(path, "w") as fh:
        fh.write("\t".join(cols) + "\n")
        for r in rows:
            fh.write("\t".join(r[c] for c in cols) + "\n")


if __name__ == "__main__":
    main()
