#!/usr/bin/python3
"""Plain numpy/scipy/nibabel reference for ketaprint's resting-state stage (issue 6).

Written from the issue's definitions, not from the Java code:
  design   = constant + linear trend + confound columns + cos/sin for every DFT frequency k/(N*TR),
             k = 1..N//2, outside the pass band (edges inclusive within 1e-9 Hz; cosine only at Nyquist)
  clean    = OLS residuals (numpy.linalg.lstsq) on the rows with framewise_displacement <= threshold
  ROI      = sphere (voxel centre within the radius, MNI mm) or atlas labels resampled to the BOLD grid
             by nearest neighbour (nibabel.processing.resample_from_to, order 0), intersected with the
             brain mask; ROI series = mean of its non-constant voxels' series
  seedcorr = Pearson r of the clean seed and target series, z = arctanh(r); maps of r and z per voxel
  ALFF     = sample SD (ddof=1) of the band-passed clean series; fALFF = ALFF / SD of the series cleaned
             without the band-pass regressors; ROI value = mean of the voxel values
  GBC      = per gray-matter voxel, mean over every other gray-matter voxel of arctanh(clip(r, |r| <= 1-1e-7))

Usage:
  restingstate_reference.py phantom OUTDIR [--seed N]     write the phantom (BOLD, mask, confounds, atlas)
  restingstate_reference.py compute KIND BOLD --mask M [options]   print the reference JSON (KIND: seedcorr,
                                                          alff, gbc), as ketaprint's --json does
  restingstate_reference.py regenerate                    rebuild test-data/restingstate (phantom + refs)
"""
import argparse
import json
import os
import sys

import nibabel as nib
import numpy as np
from nibabel.processing import resample_from_to

MOTION = ["trans_x", "trans_y", "trans_z", "rot_x", "rot_y", "rot_z"]


# ---------------------------------------------------------------- definitions

def expand24(m):
    return [m, m + "_derivative1", m + "_power2", m + "_derivative1_power2"]


def strategy_columns(spec):
    """Confound column names of a strategy, and whether global_signal is regressed."""
    cols, gsr = [], False
    for part in spec.split("+"):
        p = part.strip().lower()
        if p == "none":
            continue
        if p == "6p":
            new = list(MOTION)
        elif p == "24p":
            new = [c for m in MOTION for c in expand24(m)]
        elif p == "27p":
            new = [c for m in MOTION for c in expand24(m)] + ["white_matter", "csf"]
            gsr = True
        elif p == "36p":
            new = [c for m in MOTION + ["white_matter", "csf", "global_signal"] for c in expand24(m)]
            new.remove("global_signal")
            gsr = True
        elif p == "acompcor":
            new = ["a_comp_cor_%02d" % i for i in range(5)]
        elif p == "gsr":
            new, gsr = [], True
        else:
            raise SystemExit("unknown strategy " + part)
        for c in new:
            if c not in cols:
                cols.append(c)
    return cols, gsr


def read_tsv(path):
    with open(path) as f:
        rows = [line.rstrip("\n").split("\t") for line in f if line.strip()]
    head = rows[0]
    out = {}
    for j, h in enumerate(head):
        v = np.array([np.nan if r[j] in ("n/a", "", "NaN", "nan") else float(r[j]) for r in rows[1:]])
        if ("derivative" in h or h == "framewise_displacement") and np.isnan(v[0]):
            v[0] = 0.0
        out[h] = v
    return out


def design(n, tr, conf, band):
    """n x q design matrix evaluated at every volume."""
    t = np.arange(n, dtype=float)
    cols = [np.ones(n), t]
    if conf is not None:
        cols += [conf[:, j] for j in range(conf.shape[1])]
    if band is not None:
        lo, hi = band
        for k in range(1, n // 2 + 1):
            f = k / (n * tr)
            if lo - 1e-9 <= f <= hi + 1e-9:
                continue
            cols.append(np.cos(2 * np.pi * f * t * tr))
            if 2 * k != n:
                cols.append(np.sin(2 * np.pi * f * t * tr))
    return np.column_stack(cols)


def clean(y, x, keep):
    """Residuals of OLS of y (time x k) on x, on the kept rows only."""
    yk, xk = y[keep], x[keep]
    beta = np.linalg.lstsq(xk, yk, rcond=None)[0]
    return yk - xk @ beta


def roi_mask(spec, img, brain):
    """Boolean volume on the BOLD grid: ROI intersected with the brain mask."""
    shape = img.shape[:3]
    if spec.startswith("sphere:"):
        x, y, z, r = [float(v) for v in spec[7:].split(",")]
        ijk = np.indices(shape).reshape(3, -1).T
        xyz = nib.affines.apply_affine(img.affine, ijk)
        d2 = ((xyz - [x, y, z]) ** 2).sum(1)
        m = (d2 <= r * r * (1 + 1e-12)).reshape(shape)
    else:
        rest = spec[6:]
        path, labels = rest.rsplit(":", 1)
        atlas = nib.load(path)
        res = resample_from_to(nib.Nifti1Image(np.asarray(atlas.dataobj, dtype=float), atlas.affine),
                               (shape, img.affine), order=0, cval=0).get_fdata()
        want = []
        for lab in labels.split("+"):
            try:
                want.append(int(lab))
            except ValueError:
                want.append(label_number(path, lab))
        m = np.isin(res, want)
    m &= brain
    if not m.any():
        raise SystemExit("ROI %s has no voxel inside the brain mask" % spec)
    return m


def label_number(atlas_path, name):
    base = atlas_path[:-3] if atlas_path.endswith(".gz") else atlas_path
    norm = lambda s: " ".join(s.replace("_", " ").lower().split())
    with open(base + ".txt", encoding="latin-1") as f:
        for line in f:
            p = line.split()
            if len(p) >= 2 and norm(p[1]) == norm(name):
                return int(p[0])
    raise SystemExit("no label " + name)


def load_run(bold, mask, confounds, strategy, fd_thr, explicit=None):
    img = nib.load(bold)
    data = np.asarray(img.dataobj, dtype=np.float32).astype(np.float64)
    brain = np.asarray(nib.load(mask).dataobj) > 0
    n = data.shape[3]
    ts = data[brain].T  # time x voxels, voxels in C order of the volume
    conf = read_tsv(confounds) if confounds else None
    if explicit is not None:
        cols, gsr = [c for c in explicit if c != "global_signal"], "global_signal" in explicit
    else:
        cols, gsr = strategy_columns(strategy)
    mats = [conf[c] for c in cols]
    if gsr:
        mats.append(conf["global_signal"] if conf is not None and "global_signal" in conf
                    else ts.mean(1))
    cmat = np.column_stack(mats) if mats else None
    fd = conf["framewise_displacement"] if conf is not None and "framewise_displacement" in conf else None
    keep = np.ones(n, bool) if fd is None or fd_thr <= 0 else fd <= fd_thr
    return img, data, brain, ts, cmat, keep, fd


def varying(ts, keep):
    yk = ts[keep]
    return np.isfinite(yk).all(0) & (yk.max(0) != yk.min(0))


def to_volume(brain, values):
    vol = np.zeros(brain.shape, np.float32)
    vol[brain] = values
    return vol


def pearson(a, b):
    a = a - a.mean()
    b = b - b.mean()
    return float((a * b).sum() / np.sqrt((a * a).sum() * (b * b).sum()))


def compute(kind, a):
    img, data, brain, ts, cmat, keep, fd = load_run(a.bold, a.mask, a.confounds, a.strategy, a.fd_threshold,
                                                       getattr(a, "explicit", None))
    n = data.shape[3]
    tr = a.tr if a.tr else float(img.header.get_zooms()[3])
    side = a.bold.replace(".nii.gz", ".json").replace(".nii", ".json")
    if not a.tr and os.path.exists(side):
        tr = float(json.load(open(side))["RepetitionTime"])
    band = None if a.band == "none" else tuple(float(v) for v in a.band.split(","))
    out = {"n_volumes_used": int(keep.sum()), "n_volumes_censored": int(n - keep.sum()),
           "fd_mean_mm": None if fd is None else float(fd.mean()), "tr": tr}
    if keep.sum() * tr < a.min_seconds:
        out["na_reason"] = "too little time"
        return out, {}
    ok = varying(ts, keep)
    x = design(n, tr, cmat, band)
    if keep.sum() - np.linalg.matrix_rank(x[keep]) < 3:  # ketaprint's rule: at least 3 residual dof
        out["na_reason"] = "design leaves fewer than 3 degrees of freedom"
        return out, {}
    maps = {}
    roi_idx = lambda spec: roi_mask(spec, img, brain)[brain]
    if kind == "seedcorr":
        seed = roi_idx(a.seed) & ok
        s = clean(ts[:, seed].mean(1)[:, None], x, keep)[:, 0]
        if a.target:
            tgt = roi_idx(a.target) & ok
            t = clean(ts[:, tgt].mean(1)[:, None], x, keep)[:, 0]
            out["r"] = pearson(s, t)
            out["z"] = float(np.arctanh(out["r"]))
        c = clean(ts, x, keep)
        c = c - c.mean(0)
        sc = s - s.mean()
        with np.errstate(invalid="ignore", divide="ignore"):
            r = (c * sc[:, None]).sum(0) / np.sqrt((c * c).sum(0) * (sc * sc).sum())
        r[~ok] = np.nan
        maps["_r"] = r
        with np.errstate(divide="ignore"):
            maps["_z"] = np.arctanh(r)
    elif kind == "alff":
        c_band = clean(ts, x, keep)
        c_full = clean(ts, design(n, tr, cmat, None), keep)
        alff = c_band.std(0, ddof=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            falff = alff / c_full.std(0, ddof=1)
        alff[~ok] = np.nan
        falff[~ok] = np.nan
        roi = roi_idx(a.roi) & ok
        out["alff"] = float(alff[roi].mean())
        out["falff"] = float(falff[roi].mean())
        maps["_alff"], maps["_falff"] = alff, falff
    elif kind == "gbc":
        gm_all = np.asarray(nib.load(a.gm_mask).dataobj)[brain] > 0
        gm = gm_all & ok
        c = clean(ts[:, gm], x, keep)
        c = c - c.mean(0)
        c = c / np.sqrt((c * c).sum(0))
        rmat = c.T @ c
        rmat = np.clip(rmat, -(1 - 1e-7), 1 - 1e-7)
        zmat = np.arctanh(rmat)
        np.fill_diagonal(zmat, 0)
        g = np.full(brain.sum(), np.nan)
        g[gm] = zmat.sum(1) / (gm.sum() - 1)
        roi = roi_idx(a.roi) & gm
        out["gbc_z"] = float(g[roi].mean())
        maps["_gbc"] = g
    return out, {k: to_volume(brain, v) for k, v in maps.items()}


# ---------------------------------------------------------------- phantom

def phantom(outdir, seed=6, n=150, tr=2.0):
    """Small MNI-space phantom: 5 mm grid covering the sgACC (6,16,-10) and right dlPFC (38,44,26) spheres.

    Planted (exactly, on the kept volumes): the sgACC and dlPFC ROI-mean in-band signals S and T have
    correlation RHO and are orthogonal to the 24P+gsr+band design, so the clean 24P+gsr r is RHO. On top:
    motion artefacts (a 24P mix per voxel), a global artefact (the global_signal column, weight 0.5-1.5
    per voxel), a linear + k=1 cosine drift, spikes on the high-FD volumes (only censoring removes
    them), one constant voxel inside the sgACC sphere.
    """
    rng = np.random.default_rng(seed)
    os.makedirs(outdir, exist_ok=True)
    aff = np.array([[5.0, 0, 0, -5], [0, 5, 0, 5], [0, 0, 5, -20], [0, 0, 0, 1]])
    shape = (12, 11, 13)
    nvox = int(np.prod(shape))
    ijk = np.indices(shape).reshape(3, -1).T  # C order
    xyz = nib.affines.apply_affine(aff, ijk)
    brain = np.ones(shape, bool)
    brain[0, :, :] = False
    brain[:, :, -1] = False
    t = np.arange(n)
    # motion: random walks, with jumps at spike volumes
    spikes = np.sort(rng.choice(np.arange(5, n - 5), 8, replace=False))
    mot = np.cumsum(rng.normal(0, 0.03, (n, 6)), 0)
    mot[:, 3:] *= 0.01
    for s in spikes:
        mot[s:, :3] += rng.normal(0, 0.6, 3)
    conf = {}
    for j, m in enumerate(MOTION):
        d = np.r_[np.nan, np.diff(mot[:, j])]
        conf[m], conf[m + "_derivative1"] = mot[:, j], d
        conf[m + "_power2"], conf[m + "_derivative1_power2"] = mot[:, j] ** 2, d ** 2
    dm = np.abs(np.diff(mot, axis=0))
    fd = np.r_[np.nan, dm[:, :3].sum(1) + 50 * dm[:, 3:].sum(1)]
    conf["framewise_displacement"] = fd
    g = rng.normal(0, 1, n).cumsum() * 0.3 + rng.normal(0, 1, n)
    conf["global_signal"] = g
    for name in ["white_matter", "csf"]:
        conf[name] = rng.normal(0, 1, n)
    for m in ["white_matter", "csf", "global_signal"]:
        d = np.r_[np.nan, np.diff(conf[m])]
        conf[m + "_derivative1"], conf[m + "_power2"] = d, conf[m] ** 2
        conf[m + "_derivative1_power2"] = d ** 2
    for i in range(5):
        conf["a_comp_cor_%02d" % i] = rng.normal(0, 1, n)
    fd0 = np.where(np.isnan(fd), 0, fd)
    keep = fd0 <= 0.5
    cols, _ = strategy_columns("24P")
    zero_first = lambda v: np.where(np.isnan(v), 0, v)
    c24 = np.column_stack([zero_first(conf[c]) for c in cols])
    band = (0.01, 0.1)
    x_full = design(n, tr, np.column_stack([c24, g]), band)
    x_noband = design(n, tr, np.column_stack([c24, g]), None)

    def inband(k):
        """Random in-band series made orthogonal to the full design on the kept rows (all rows defined)."""
        fr = np.arange(1, n // 2 + 1) / (n * tr)
        ks = np.nonzero((fr >= band[0]) & (fr <= band[1]))[0] + 1
        y = sum(rng.normal() * np.cos(2 * np.pi * kk * t / n) + rng.normal() * np.sin(2 * np.pi * kk * t / n)
                for kk in ks)
        beta = np.linalg.lstsq(x_full[keep], y[keep], rcond=None)[0]
        return y - x_full @ beta

    rho = 0.3
    s = inband(0)
    s /= s[keep].std(ddof=1)
    u = inband(1)
    u -= s * (u[keep] @ s[keep]) / (s[keep] @ s[keep])
    u /= u[keep].std(ddof=1)
    tt = rho * s + np.sqrt(1 - rho ** 2) * u  # corr(s, tt) on kept rows is rho exactly
    amp = 8.0
    sg = ((xyz - [6, 16, -10]) ** 2).sum(1) <= 100
    dl = ((xyz - [38, 44, 26]) ** 2).sum(1) <= 100
    ts = np.zeros((n, nvox))
    ts += rng.uniform(500, 1500, nvox)  # baseline
    ts += np.outer(t, rng.normal(0.1, 0.05, nvox)) + np.outer(np.cos(2 * np.pi * t / n), rng.normal(25, 3, nvox))  # drift
    wmot = rng.normal(0, 2, (24, 1)) + rng.normal(0, 1, (24, nvox))  # shared + voxel-specific
    wmot[np.arange(24) % 4 != 0] *= 10  # derivatives and squares matter: 6P leaves them
    ts += c24 @ wmot  # motion artefact
    ts += np.outer(g, rng.uniform(0.5, 1.5, nvox)) * 4  # global artefact
    ts[~keep] += rng.normal(0, 40, ((~keep).sum(), nvox))  # spikes at the censored volumes
    oob = lambda: design(n, tr, None, band)[:, 2:] @ rng.normal(0, 1.5, design(n, tr, None, band).shape[1] - 2)
    for v in range(nvox):
        if sg[v]:
            sig = s
        elif dl[v]:
            sig = tt
        else:
            sig = 0.5 * s + rng.normal(0, 1, n)  # in-band and out-of-band noise elsewhere
        ts[:, v] += amp * sig + oob() + (0 if (sg[v] or dl[v]) else rng.normal(0, 2, n))
    # per-voxel in-band noise inside the ROIs that averages to zero over the ROI's brain voxels
    const_v = np.nonzero(sg & brain.reshape(-1))[0][0]
    for roi in (sg, dl):
        idx = np.setdiff1d(np.nonzero(roi & brain.reshape(-1))[0], [const_v])
        e = np.column_stack([inband(0) for _ in idx])
        e -= e.mean(1, keepdims=True)
        ts[:, idx] += 2.0 * e
    # one constant voxel inside the sgACC sphere (it must be left out of the ROI mean)
    ts[:, const_v] = 1000.0
    vol = ts.T.reshape(shape + (n,)).astype(np.float32)
    img = nib.Nifti1Image(vol, aff)
    img.header.set_xyzt_units("mm", "sec")
    img.header["pixdim"][4] = tr
    img.header.set_sform(aff, 4)
    img.header.set_qform(aff, 4)
    nib.save(img, os.path.join(outdir, "bold.nii.gz"))
    nib.save(nib.Nifti1Image(brain.astype(np.uint8), aff), os.path.join(outdir, "brain_mask.nii.gz"))
    # gray matter: brain voxels with x >= 10 mm or inside the sgACC sphere
    gm = brain & ((xyz[:, 0] >= 10) | sg).reshape(shape)
    nib.save(nib.Nifti1Image(gm.astype(np.uint8), aff), os.path.join(outdir, "gm_mask.nii.gz"))
    names = list(conf.keys())
    with open(os.path.join(outdir, "confounds.tsv"), "w") as f:
        f.write("\t".join(names) + "\n")
        for i in range(n):
            f.write("\t".join("n/a" if np.isnan(conf[c][i]) else repr(float(conf[c][i])) for c in names) + "\n")
    # a small label atlas on a 2 mm grid offset by 0.3 mm (no nearest-neighbour ties):
    # 1 = "Frontal Right" (x > 20, y > 30), 2 = "Cingulate Sub" (the sgACC box)
    aaff = np.array([[2.0, 0, 0, -9.7], [0, 2, 0, 0.3], [0, 0, 2, -25.7], [0, 0, 0, 1]])
    ash = (32, 31, 35)
    axyz = nib.affines.apply_affine(aaff, np.indices(ash).reshape(3, -1).T)
    lab = np.zeros(len(axyz), np.int16)
    lab[(axyz[:, 0] > 20) & (axyz[:, 1] > 30)] = 1
    lab[(np.abs(axyz[:, 0] - 6) < 8) & (np.abs(axyz[:, 1] - 16) < 8) & (np.abs(axyz[:, 2] + 10) < 8)] = 2
    nib.save(nib.Nifti1Image(lab.reshape(ash), aaff), os.path.join(outdir, "atlas.nii.gz"))
    with open(os.path.join(outdir, "atlas.nii.txt"), "w") as f:
        f.write("1 Frontal_Right 1\n2 Cingulate_Sub 2\n")
    planted = {"rho": rho, "z_gsr": float(np.arctanh(rho)), "censored_volumes": [int(v) for v in np.nonzero(~keep)[0]],
               "n_censored": int((~keep).sum()), "fd_mean_mm": float(fd0.mean()), "tr": tr,
               "const_voxel_ijk": [int(v) for v in ijk[const_v]], "signal_sd": amp,
               "note": "corr of the clean 24P+gsr sgACC/rdlPFC series is rho exactly (up to float32 storage); "
                       "the clean sgACC ROI-mean series is signal_sd * S with SD(S) = 1"}
    with open(os.path.join(outdir, "planted.json"), "w") as f:
        json.dump(planted, f, indent=1)


# ---------------------------------------------------------------- cases

SGACC = "sphere:6,16,-10,10"
RDLPFC = "sphere:38,44,26,10"


def cases(d):
    """The committed reference cases: (name, kind, args)."""
    b, m, c = [os.path.join(d, f) for f in ("bold.nii.gz", "brain_mask.nii.gz", "confounds.tsv")]
    base = ["--mask", m, "--confounds", c]
    atl = os.path.join(d, "atlas.nii.gz")
    return [
        ("fc", "seedcorr", [b] + base + ["--strategy", "24P", "--seed", SGACC, "--target", RDLPFC]),
        ("fc_gsr", "seedcorr", [b] + base + ["--strategy", "24P+gsr", "--seed", SGACC, "--target", RDLPFC]),
        ("fc_36p_nocensor", "seedcorr", [b] + base + ["--strategy", "36P", "--fd-threshold", "0",
                                                     "--seed", SGACC, "--target", RDLPFC]),
        ("fc_acompcor_band", "seedcorr", [b] + base + ["--strategy", "6P+acompcor", "--band", "0.02,0.08",
                                                      "--seed", SGACC, "--target", RDLPFC]),
        ("fc_atlas", "seedcorr", [b] + base + ["--strategy", "24P+gsr", "--seed", "atlas:%s:Cingulate_Sub" % atl,
                                              "--target", "atlas:%s:1" % atl]),
        ("fc_meangs", "seedcorr", [b, "--mask", m, "--strategy", "gsr", "--fd-threshold", "0",
                                   "--seed", SGACC, "--target", RDLPFC]),
        ("alff", "alff", [b] + base + ["--strategy", "24P", "--roi", SGACC]),
        ("gbc_gsr", "gbc", [b] + base + ["--strategy", "24P+gsr", "--gm-mask", os.path.join(d, "gm_mask.nii.gz"),
                                         "--roi", "atlas:%s:1" % atl]),
        ("gbc", "gbc", [b] + base + ["--strategy", "24P", "--gm-mask", os.path.join(d, "gm_mask.nii.gz"),
                                     "--roi", "atlas:%s:1" % atl]),
    ]


def parser():
    p = argparse.ArgumentParser()
    p.add_argument("kind", choices=["seedcorr", "alff", "gbc"])
    p.add_argument("bold")
    p.add_argument("--mask", required=True)
    p.add_argument("--confounds")
    p.add_argument("--strategy", default=None)
    p.add_argument("--columns", help="explicit confound columns, comma-separated")
    p.add_argument("--fd-threshold", type=float, default=0.5)
    p.add_argument("--min-seconds", type=float, default=120)
    p.add_argument("--band", default="0.01,0.1")
    p.add_argument("--tr", type=float)
    p.add_argument("--seed")
    p.add_argument("--target")
    p.add_argument("--roi")
    p.add_argument("--gm-mask")
    p.add_argument("--out-map")
    return p


def run_compute(argv):
    a = parser().parse_args(argv)
    if a.strategy is None:
        a.strategy = "24P" if a.confounds else "none"
    a.explicit = a.columns.split(",") if a.columns else None
    out, maps = compute(a.kind, a)
    if a.out_map:
        img = nib.load(a.bold)
        for k, v in maps.items():
            nib.save(nib.Nifti1Image(v, img.affine), a.out_map + k + ".nii.gz")
    return out


def main():
    if len(sys.argv) >= 2 and sys.argv[1] == "phantom":
        seed = int(sys.argv[sys.argv.index("--seed") + 1]) if "--seed" in sys.argv else 6
        phantom(sys.argv[2], seed)
    elif len(sys.argv) >= 2 and sys.argv[1] == "compute":
        print(json.dumps(run_compute(sys.argv[2:]), indent=1))
    elif len(sys.argv) >= 2 and sys.argv[1] == "regenerate":
        root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
        d = os.path.relpath(os.path.join(root, "test-data", "restingstate"))
        phantom(d)
        ref = {}
        for name, kind, args in cases(d):
            args = args + ["--out-map", os.path.join(d, "ref_" + name)] if kind != "seedcorr" or name in ("fc", "fc_gsr") else args
            out = run_compute([kind] + args)
            out["kind"], out["args"] = kind, args
            ref[name] = out
        with open(os.path.join(d, "reference.json"), "w") as f:
            json.dump(ref, f, indent=1)
    else:
        print(__doc__)
        sys.exit(2)


if __name__ == "__main__":
    main()
