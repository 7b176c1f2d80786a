#!/usr/bin/python3
"""Two-run resting-state phantom and its numpy reference (issue 13, "More than one run per session").

Writes test-data/restingstate/two-runs/: a tiny BIDS dataset (fMRIPrep-style derivatives of sub-01, ses-1,
task-rest run-1 and run-2: BOLD + sidecar, each run's own brain mask and confounds, one GM probseg) and
reference.json, the default pipeline's resting-state columns for that session.

The denoising of each run is the single-run reference's (scripts/restingstate_reference.py, imported, not
copied): design = constant + trend + confounds + DFT cos/sin outside the band, OLS residuals (numpy lstsq)
on the run's volumes with FD <= 0.5 mm. The runs are then combined as XCP-D's --combine-runs does it since
26.0.0 (changelog: "the time series, both voxel/vertex-wise and parcellated, are z-scored prior to
concatenation"; xcp_d.utils.concatenation.zscore_niimg, scipy.stats.zscore over time, ddof 0):
  seedcorr   each run's clean seed and target ROI-mean series z-scored (scipy.stats.zscore), concatenated;
             r = Pearson r of the concatenations, z = arctanh(r)
  GBC        each run's clean voxel series z-scored and concatenated; per gray-matter voxel the mean of
             arctanh(clip(r)) over every other one; voxels: in every run's mask, varying in every run, GM > 0.5
  ALFF/fALFF per run as for one run (ROI mean of voxel values), then the mean weighted by volumes used
  quality  fd_mean over every volume of both runs (each run's first = 0); n_used, n_censored summed
  n/a      when the used time of both runs together is < 120 s
The phantom plants, in each run, clean 24P+gsr sgACC and rdlPFC ROI series with correlation RHOS[run] exactly
(on the used volumes), at different amplitudes, so the concatenated 24P+gsr r is sum(n_r rho_r) / sum(n_r).

Usage: /usr/bin/python3 scripts/make_two_run_reference.py      (rebuilds the dataset and reference.json)
"""
import json
import os
import sys

import nibabel as nib
import numpy as np
from scipy import stats

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import restingstate_reference as ref  # noqa: E402  (the single-run reference: design, clean, load_run, ...)

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
OUT = os.path.join(ROOT, "test-data", "restingstate", "two-runs")
ATLAS = os.path.join(ROOT, "test-data", "demo-atlases", "aal.nii.gz")
SUB, SES, SPACE = "01", "1", "MNI152NLin2009cAsym"
TR = 2.0
VOLUMES = (140, 120)          # 24P + the 0.01-0.1 Hz regressors take ~113 and ~101 columns of these
RHOS = (0.3, 0.5)              # planted per run: the concatenation's r is sum(n_r rho_r) / sum(n_r)
AMPS = (8.0, 14.0)             # signal SD per run: only z-scoring keeps the louder run from weighing more
FD_THRESHOLD, MIN_SECONDS, BAND = 0.5, 120.0, (0.01, 0.1)
SGACC = "sphere:6,16,-10,10"
RDLPFC = "sphere:38,44,26,10"
PFC = ["Frontal_Sup_L", "Frontal_Sup_R", "Frontal_Sup_Orb_L", "Frontal_Sup_Orb_R", "Frontal_Mid_L", "Frontal_Mid_R",
       "Frontal_Mid_Orb_L", "Frontal_Mid_Orb_R", "Frontal_Inf_Oper_L", "Frontal_Inf_Oper_R", "Frontal_Inf_Tri_L",
       "Frontal_Inf_Tri_R", "Frontal_Inf_Orb_L", "Frontal_Inf_Orb_R", "Frontal_Sup_Medial_L", "Frontal_Sup_Medial_R",
       "Frontal_Med_Orb_L", "Frontal_Med_Orb_R", "Rectus_L", "Rectus_R"]
# 6 mm voxels, half a millimetre off the sphere centres' lattice (no voxel centre on a sphere's surface) and a
# quarter voxel off the 2 mm AAL grid (no nearest-neighbour ties)
AFFINE = np.array([[6.0, 0, 0, -5.5], [0, 6, 0, 2.5], [0, 0, 6, -21.5], [0, 0, 0, 1]])
SHAPE = (12, 12, 10)


def func_name(run, rest):
    return f"sub-{SUB}_ses-{SES}_task-rest_run-{run}_{rest}"


def paths(run):
    d = os.path.join(OUT, "derivatives", "fmriprep", f"sub-{SUB}", f"ses-{SES}", "func")
    return {"bold": os.path.join(d, func_name(run, f"space-{SPACE}_desc-preproc_bold.nii.gz")),
            "mask": os.path.join(d, func_name(run, f"space-{SPACE}_desc-brain_mask.nii.gz")),
            "confounds": os.path.join(d, func_name(run, "desc-confounds_timeseries.tsv"))}


def gm_path():
    return os.path.join(OUT, "derivatives", "fmriprep", f"sub-{SUB}", f"ses-{SES}", "anat",
                        f"sub-{SUB}_ses-{SES}_space-{SPACE}_label-GM_probseg.nii.gz")


# ---------------------------------------------------------------- phantom

def confounds(rng, n):
    """fMRIPrep-style columns: 24P motion, framewise_displacement (spikes above 0.5 mm), global_signal, wm, csf."""
    spikes = np.sort(rng.choice(np.arange(5, n - 5), 5, replace=False))
    mot = np.cumsum(rng.normal(0, 0.03, (n, 6)), 0)
    mot[:, 3:] *= 0.01
    for s in spikes:
        mot[s:, :3] += rng.normal(0, 0.6, 3)
    conf = {}
    for j, m in enumerate(ref.MOTION):
        d = np.r_[np.nan, np.diff(mot[:, j])]
        conf[m], conf[m + "_derivative1"] = mot[:, j], d
        conf[m + "_power2"], conf[m + "_derivative1_power2"] = mot[:, j] ** 2, d ** 2
    dm = np.abs(np.diff(mot, axis=0))
    conf["framewise_displacement"] = np.r_[np.nan, dm[:, :3].sum(1) + 50 * dm[:, 3:].sum(1)]
    conf["global_signal"] = rng.normal(0, 1, n).cumsum() * 0.3 + rng.normal(0, 1, n)
    conf["white_matter"] = rng.normal(0, 1, n)
    conf["csf"] = rng.normal(0, 1, n)
    return conf


def write_confounds(path, conf, n):
    names = list(conf)
    with open(path, "w") as f:
        f.write("\t".join(names) + "\n")
        for i in range(n):
            f.write("\t".join("n/a" if np.isnan(conf[c][i]) else repr(float(conf[c][i])) for c in names) + "\n")


def phantom_run(rng, n, brain, const_voxel, rho, amp):
    """One run's BOLD (x, y, z, t), planting rho between the clean 24P+gsr sgACC and rdlPFC ROI series."""
    t = np.arange(n)
    conf = confounds(rng, n)
    fd = np.nan_to_num(conf["framewise_displacement"])
    keep = fd <= FD_THRESHOLD
    cols, _ = ref.strategy_columns("24P")
    c24 = np.column_stack([np.nan_to_num(conf[c]) for c in cols])
    g = conf["global_signal"]
    x_full = ref.design(n, TR, np.column_stack([c24, g]), BAND)

    def inband():
        """Random in-band series, orthogonal to the 24P+gsr+band design on the used volumes."""
        fr = np.arange(1, n // 2 + 1) / (n * TR)
        ks = np.nonzero((fr >= BAND[0]) & (fr <= BAND[1]))[0] + 1
        y = sum(rng.normal() * np.cos(2 * np.pi * k * t / n) + rng.normal() * np.sin(2 * np.pi * k * t / n) for k in ks)
        return y - x_full @ np.linalg.lstsq(x_full[keep], y[keep], rcond=None)[0]

    s = inband()
    s /= s[keep].std(ddof=1)
    u = inband()
    u -= s * (u[keep] @ s[keep]) / (s[keep] @ s[keep])
    u /= u[keep].std(ddof=1)
    tt = rho * s + np.sqrt(1 - rho ** 2) * u
    nvox = int(np.prod(SHAPE))
    xyz = nib.affines.apply_affine(AFFINE, np.indices(SHAPE).reshape(3, -1).T)
    sg = ((xyz - [6, 16, -10]) ** 2).sum(1) <= 100
    dl = ((xyz - [38, 44, 26]) ** 2).sum(1) <= 100
    ts = np.zeros((n, nvox))
    ts += rng.uniform(500, 1500, nvox)
    ts += np.outer(t, rng.normal(0.1, 0.05, nvox)) + np.outer(np.cos(2 * np.pi * t / n), rng.normal(25, 3, nvox))
    w = rng.normal(0, 2, (24, 1)) + rng.normal(0, 1, (24, nvox))
    w[np.arange(24) % 4 != 0] *= 10
    ts += c24 @ w
    ts += np.outer(g, rng.uniform(0.5, 1.5, nvox)) * 4
    ts[~keep] += rng.normal(0, 40, ((~keep).sum(), nvox))
    oob = ref.design(n, TR, None, BAND)[:, 2:]
    for v in range(nvox):
        sig = s if sg[v] else tt if dl[v] else 0.5 * s + rng.normal(0, 1, n)
        ts[:, v] += amp * sig + oob @ rng.normal(0, 1.5, oob.shape[1]) + (0 if sg[v] or dl[v] else rng.normal(0, 2, n))
    # in-band voxel noise that averages to zero over each ROI's used voxels (brain, not the constant voxel)
    inb = brain.reshape(-1)
    for roi in (sg, dl):
        idx = np.setdiff1d(np.nonzero(roi & inb)[0], [] if const_voxel is None else [const_voxel])
        e = np.column_stack([inband() for _ in idx])
        ts[:, idx] += 2.0 * (e - e.mean(1, keepdims=True))
    if const_voxel is not None:
        ts[:, const_voxel] = 1000.0
    ts[:, ~inb] = 0.0
    return ts.T.reshape(SHAPE + (n,)).astype(np.float32), conf


def save(img_data, path, dtype=None):
    img = nib.Nifti1Image(img_data if dtype is None else img_data.astype(dtype), AFFINE)
    img.header.set_sform(AFFINE, 4)
    img.header.set_qform(AFFINE, 4)
    if img_data.ndim == 4:
        img.header.set_xyzt_units("mm", "sec")
        img.header["pixdim"][4] = TR
    nib.save(img, path)


def phantom():
    rng = np.random.default_rng(13)
    xyz = nib.affines.apply_affine(AFFINE, np.indices(SHAPE).reshape(3, -1).T)
    ijk = np.indices(SHAPE).reshape(3, -1).T
    brain1 = np.ones(SHAPE, bool)
    brain1[0, :, :] = False
    brain1[:, 0, :] = False
    brain2 = brain1.copy()
    brain2[:, :, -1] = False       # run 2's mask lacks the top slice (and with it part of the PFC)
    brain2[-1, -1, :] = False
    sg = (((xyz - [6, 16, -10]) ** 2).sum(1) <= 100).reshape(SHAPE)
    const2 = int(np.ravel_multi_index(tuple(np.argwhere(sg & brain2)[1]), SHAPE))   # constant in run 2 only
    for d in (os.path.dirname(paths(1)["bold"]), os.path.dirname(gm_path())):
        os.makedirs(d, exist_ok=True)
    with open(os.path.join(OUT, "dataset_description.json"), "w") as f:
        json.dump({"Name": "two-run resting-state phantom (scripts/make_two_run_reference.py)", "BIDSVersion": "1.8.0"}, f)
        f.write("\n")
    with open(os.path.join(OUT, "derivatives", "fmriprep", "dataset_description.json"), "w") as f:
        json.dump({"Name": "fMRIPrep-style phantom", "BIDSVersion": "1.8.0", "DatasetType": "derivative",
                   "GeneratedBy": [{"Name": "make_two_run_reference.py"}]}, f)
        f.write("\n")
    for run, (n, brain, const, rho, amp) in enumerate(zip(VOLUMES, (brain1, brain2), (None, const2), RHOS, AMPS), start=1):
        vol, conf = phantom_run(rng, n, brain, const, rho, amp)
        p = paths(run)
        save(vol, p["bold"])
        with open(p["bold"].replace(".nii.gz", ".json"), "w") as f:
            json.dump({"RepetitionTime": TR, "TaskName": "rest"}, f)
            f.write("\n")
        save(brain.astype(np.uint8), p["mask"])
        write_confounds(p["confounds"], conf, n)
    # gray matter: probability 0.9 at x >= 10 mm or in the sgACC sphere, 0.3 elsewhere (threshold 0.5)
    gm = np.where(((xyz[:, 0] >= 10) | sg.reshape(-1)), 0.9, 0.3).reshape(SHAPE).astype(np.float32)
    save(gm, gm_path())
    return {"rho_per_run": list(RHOS), "signal_sd_per_run": list(AMPS), "const_voxel_run2_ijk": [int(v) for v in ijk[const2]]}


# ---------------------------------------------------------------- reference

class Args:
    """What restingstate_reference.load_run / roi_mask take."""


def run_data(run, strategy):
    p = paths(run)
    img, data, brain, ts, cmat, keep, fd = ref.load_run(p["bold"], p["mask"], p["confounds"], strategy, FD_THRESHOLD)
    tr = float(json.load(open(p["bold"].replace(".nii.gz", ".json")))["RepetitionTime"])
    n = data.shape[3]
    return {"img": img, "brain": brain, "ts": ts, "cmat": cmat, "keep": keep, "fd": fd, "tr": tr, "n": n,
            "ok": ref.varying(ts, keep)}


def roi(spec, r):
    return ref.roi_mask(spec, r["img"], r["brain"])[r["brain"]]


def zcat(series):
    """Each series z-scored over time (scipy.stats.zscore, ddof 0), concatenated."""
    return np.concatenate([stats.zscore(s) for s in series])


def seedcorr(strategy):
    runs = [run_data(k, strategy) for k in (1, 2)]
    seeds, targets = [], []
    for r in runs:
        x = ref.design(r["n"], r["tr"], r["cmat"], BAND)
        seeds.append(ref.clean(r["ts"][:, roi(SGACC, r) & r["ok"]].mean(1)[:, None], x, r["keep"])[:, 0])
        targets.append(ref.clean(r["ts"][:, roi(RDLPFC, r) & r["ok"]].mean(1)[:, None], x, r["keep"])[:, 0])
    rr = ref.pearson(zcat(seeds), zcat(targets))
    return rr, float(np.arctanh(rr)), runs


def alff(strategy):
    runs = [run_data(k, strategy) for k in (1, 2)]
    a, f, w = [], [], []
    for r in runs:
        c_band = ref.clean(r["ts"], ref.design(r["n"], r["tr"], r["cmat"], BAND), r["keep"])
        c_full = ref.clean(r["ts"], ref.design(r["n"], r["tr"], r["cmat"], None), r["keep"])
        al = c_band.std(0, ddof=1)
        fa = al / c_full.std(0, ddof=1)
        m = roi(SGACC, r) & r["ok"]
        a.append(al[m].mean())
        f.append(fa[m].mean())
        w.append(r["keep"].sum())
    w = np.array(w, float)
    return float((w * a).sum() / w.sum()), float((w * f).sum() / w.sum()), a, f


def gbc(strategy):
    runs = [run_data(k, strategy) for k in (1, 2)]
    first = runs[0]
    # voxels (first run's mask order) in every run's mask, varying in every run, GM probability > 0.5
    gm_vol = np.asarray(nib.load(gm_path()).dataobj) > 0.5
    common = np.ones(first["brain"].sum(), bool)
    for r in runs[1:]:
        common &= r["brain"][first["brain"]]
    ok = gm_vol[first["brain"]] & common
    for r in runs:
        ok_r = np.zeros(first["brain"].shape, bool)
        ok_r[r["brain"]] = r["ok"]
        ok &= ok_r[first["brain"]]
    cols = []
    for r in runs:
        vol_index = np.zeros(first["brain"].shape, int) - 1
        vol_index[r["brain"]] = np.arange(r["brain"].sum())
        own = vol_index[first["brain"]][ok]
        c = ref.clean(r["ts"][:, own], ref.design(r["n"], r["tr"], r["cmat"], BAND), r["keep"])
        cols.append(stats.zscore(c, axis=0))
    zc = np.concatenate(cols, axis=0)
    rmat = np.clip(zc.T @ zc / zc.shape[0], -(1 - 1e-7), 1 - 1e-7)
    zmat = np.arctanh(rmat)
    np.fill_diagonal(zmat, 0)
    g = np.full(first["brain"].sum(), np.nan)
    g[ok] = zmat.sum(1) / (ok.sum() - 1)
    pfc = ref.roi_mask("atlas:%s:%s" % (ATLAS, "+".join(PFC)), first["img"], first["brain"])[first["brain"]]
    return float(np.nanmean(g[pfc & ok])), int(ok.sum()), int((pfc & ok).sum())


def reference():
    rr, z, runs = seedcorr("24P")
    rg, zg, _ = seedcorr("24P+gsr")
    a, f, a_runs, f_runs = alff("24P")
    gbc_r, n_gm, n_roi = gbc("24P+gsr")
    gbc_plain, _, _ = gbc("24P")
    fd = np.concatenate([r["fd"] for r in runs])
    used = [int(r["keep"].sum()) for r in runs]
    left = sum(u * r["tr"] for u, r in zip(used, runs))
    assert left >= MIN_SECONDS, "the phantom must leave enough time"
    return {
        "columns": {
            "sgacc_rdlpfc_fc_z": z, "sgacc_rdlpfc_fc_gsr_z": zg, "sgacc_alff": a, "sgacc_falff": f,
            "pfc_gbcr_z": gbc_r, "pfc_gbc_z": gbc_plain, "fd_mean_mm": float(fd.mean()),
            "n_volumes_censored": int(sum(r["n"] for r in runs) - sum(used)), "n_volumes_used": int(sum(used))},
        "r": rr, "r_gsr": rg,
        "runs": [{"run": k + 1, "volumes": r["n"], "volumes_used": u} for k, (r, u) in enumerate(zip(runs, used))],
        "alff_per_run": [float(v) for v in a_runs], "falff_per_run": [float(v) for v in f_runs],
        "gbc_voxels": n_gm, "gbc_pfc_voxels": n_roi,
        "definition": "each run denoised alone (restingstate_reference.py: 24P / 24P+gsr, FD 0.5 mm, 0.01-0.1 Hz "
                      "regressors); seedcorr and GBC on the per-run z-scored (scipy.stats.zscore) clean series "
                      "concatenated, as XCP-D --combine-runs (26.0.0 on); ALFF/fALFF per run, mean weighted by volumes "
                      "used; fd_mean over all volumes; n_used/n_censored summed",
    }


def main():
    planted = phantom()
    out = reference()
    w = np.array([r["volumes_used"] for r in out["runs"]], float)
    planted["r_gsr"] = float((w * np.array(RHOS)).sum() / w.sum())
    out["planted"] = planted
    with open(os.path.join(OUT, "reference.json"), "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    print(json.dumps(out["columns"], indent=1))
    print("planted 24P+gsr r", planted["r_gsr"], "-> reference", out["r_gsr"])


if __name__ == "__main__":
    main()
