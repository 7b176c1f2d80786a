#!/usr/bin/python3
"""Second, independent reference for ketaprint's resting-state denoising (issue 15).

Written from docs/restingstate.md, sharing no code with scripts/restingstate_reference.py. Valid for an
even-length run without censoring (--fd-threshold 0), where:
  * the constant and the cos/sin columns at the out-of-band DFT frequencies k/(N*TR) (cosine only at
    Nyquist) span exactly the out-of-band rfft bins (DC included), so projecting them out is an FFT
    band-stop: zero those bins (numpy.fft.rfft/irfft);
  * by Frisch-Waugh-Lovell the joint OLS residual is the residual of the band-stopped series on the
    band-stopped other columns (linear trend + confounds), here by statsmodels OLS.
fALFF's denominator (no band regressors) is statsmodels OLS on [constant, trend, confounds].

Usage (paths as for ketaprint; KP = the --out-map PREFIX and --json output of the same ketaprint run):
  restingstate_fft.py compare NAME KIND KP BOLD --mask M --confounds C [options]   one line; exit 1 on mismatch
  restingstate_fft.py joint BOLD --mask M --confounds C [options]                  FFT/FWL vs a joint lstsq
"""
import argparse
import json
import sys

import nibabel as nib
import numpy as np
import statsmodels.api as sm

TOL = 1e-5       # relative, features and maps
BAND_TOL = 1e-9  # Hz, band edges inclusive
R_ONE = 1 - 1e-12
MOTION = ["trans_x", "trans_y", "trans_z", "rot_x", "rot_y", "rot_z"]


def expansion(base):
    return [base, base + "_derivative1", base + "_power2", base + "_derivative1_power2"]


def strategy(spec):
    """(columns, gsr) of an XCP-D/nilearn strategy name as docs/restingstate.md lists them."""
    named = {
        "6p": MOTION,
        "24p": sum((expansion(m) for m in MOTION), []),
        "27p": sum((expansion(m) for m in MOTION), []) + ["white_matter", "csf", "global_signal"],
        "36p": sum((expansion(m) for m in MOTION + ["white_matter", "csf", "global_signal"]), []),
        "acompcor": ["a_comp_cor_%02d" % i for i in range(5)],
        "gsr": ["global_signal"],
        "none": [],
    }
    cols = []
    for part in spec.split("+"):
        for c in named[part.strip().lower()]:
            if c not in cols:
                cols.append(c)
    return cols


def confounds(path, cols):
    """Columns of the TSV (n/a in the first row of derivatives -> 0; missing expansions derived)."""
    with open(path) as f:
        head = f.readline().rstrip("\n").split("\t")
        rows = [ln.rstrip("\n").split("\t") for ln in f if ln.strip()]
    raw = {h: np.array([np.nan if r[j] == "n/a" else float(r[j]) for r in rows]) for j, h in enumerate(head)}

    def get(c):
        if c in raw:
            v = raw[c].copy()
        elif c.endswith("_derivative1_power2"):
            v = get(c[:-len("_derivative1_power2")] + "_derivative1") ** 2
        elif c.endswith("_derivative1"):
            v = np.r_[0.0, np.diff(get(c[:-len("_derivative1")]))]
        elif c.endswith("_power2"):
            v = get(c[:-len("_power2")]) ** 2
        else:
            raise SystemExit("no column " + c)
        if ("derivative" in c or c == "framewise_displacement") and np.isnan(v[0]):
            v[0] = 0.0
        return v

    return np.column_stack([get(c) for c in cols]) if cols else np.zeros((len(rows), 0)), get


def in_band(f, band):
    return band is not None and band[0] - BAND_TOL <= f <= band[1] + BAND_TOL


def unit(x):
    """Columns scaled to unit norm (same span; the raw trend and squares give cond ~1e9)."""
    return x / np.linalg.norm(x, axis=0)


def band_stop(x, tr, band):
    """Zero DC and every out-of-band rfft bin, along axis 0."""
    n = x.shape[0]
    spec = np.fft.rfft(x, axis=0)
    keep = np.array([k > 0 and in_band(k / (n * tr), band) for k in range(n // 2 + 1)])
    spec[~keep] = 0
    return np.fft.irfft(spec, n=n, axis=0), int((~keep).sum() + (~keep[1:n // 2]).sum())


class Run:
    def __init__(self, a):
        img = nib.load(a.bold)
        self.img = img
        self.brain = np.asarray(nib.load(a.mask).dataobj) > 0
        data = np.asarray(img.dataobj, dtype=np.float32).astype(np.float64)
        self.y = data[self.brain].T  # time x mask voxels
        self.n = self.y.shape[0]
        self.tr = a.tr or float(img.header.get_zooms()[3])
        if self.n % 2:
            raise SystemExit("this reference needs an even number of volumes, got %d" % self.n)
        if a.fd_threshold != 0:
            raise SystemExit("this reference needs --fd-threshold 0 (no censoring)")
        self.band = None if a.band == "none" else tuple(float(v) for v in a.band.split(","))
        cols = a.columns.split(",") if a.columns else strategy(a.strategy)
        self.conf, get = confounds(a.confounds, cols)
        self.ncols = len(cols)
        self.fd_mean = float(get("framewise_displacement").mean())
        self.z = np.column_stack([np.arange(self.n, dtype=float), self.conf])  # trend + confounds
        self.varying = np.isfinite(self.y).all(0) & (self.y.max(0) != self.y.min(0))
        self.bz, self.zeroed = band_stop(self.z, self.tr, self.band)  # zeroed = constant + band columns

    def clean(self, y):
        """FFT band-stop, then statsmodels OLS on the band-stopped trend + confounds (FWL)."""
        by, _ = band_stop(y, self.tr, self.band)
        return sm.OLS(by, unit(self.bz)).fit().resid

    def clean_no_band(self, y):
        x = np.column_stack([np.ones(self.n), self.z])
        return sm.OLS(y, unit(x)).fit().resid

    def roi(self, spec):
        """Sphere (voxel centre within R mm, MNI) intersected with the mask, as mask-voxel booleans."""
        if not spec.startswith("sphere:"):
            raise SystemExit("only sphere ROIs here")
        x, y, z, r = (float(v) for v in spec[7:].split(","))
        ijk = np.argwhere(self.brain)  # C order, as data[self.brain]
        xyz = nib.affines.apply_affine(self.img.affine, ijk)
        return ((xyz - [x, y, z]) ** 2).sum(1) <= r * r * (1 + 1e-12)

    def volume(self, v):
        out = np.zeros(self.brain.shape)
        out[self.brain] = v
        return out


def pearson(a, b):
    a, b = a - a.mean(0), b - b.mean(0)
    return (a * b).sum(0) / np.sqrt((a * a).sum(0) * (b * b).sum(0))


def reference(kind, run, a):
    """(features, maps) as ketaprint reports them."""
    feat = {"n_used": run.n, "n_censored": 0, "fd_mean": run.fd_mean, "tr": run.tr,
            "design_columns": run.zeroed + 1 + run.ncols,
            "design_rank": run.zeroed + int(np.linalg.matrix_rank(unit(run.bz)))}
    ok = run.varying
    maps = {}
    clean = run.clean(run.y)
    if kind == "seedcorr":
        seed, target = run.roi(a.seed) & ok, run.roi(a.target) & ok
        s = run.clean(run.y[:, seed].mean(1))
        t = run.clean(run.y[:, target].mean(1))
        feat["seed_voxels"], feat["target_voxels"] = int(run.roi(a.seed).sum()), int(run.roi(a.target).sum())
        feat["r"] = float(pearson(s, t))
        feat["z"] = float(np.arctanh(feat["r"])) if abs(feat["r"]) < R_ONE else None
        with np.errstate(invalid="ignore", divide="ignore"):
            r = pearson(clean, s[:, None])
        r[~ok] = np.nan
        z = np.where(np.abs(r) < R_ONE, np.arctanh(np.clip(r, -R_ONE, R_ONE)), np.nan)
        maps = {"_r": r, "_z": z}
    else:
        alff = clean.std(0, ddof=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            falff = alff / run.clean_no_band(run.y).std(0, ddof=1)
        alff[~ok], falff[~ok] = np.nan, np.nan
        roi = run.roi(a.roi)
        feat["roi_voxels"] = int(roi.sum())
        feat["alff"], feat["falff"] = float(alff[roi & ok].mean()), float(falff[roi & ok].mean())
        maps = {"_alff": alff, "_falff": falff}
    return feat, {k: run.volume(v) for k, v in maps.items()}


def rel(a, b):
    return np.abs(a - b) / np.maximum(np.maximum(np.abs(a), np.abs(b)), 1e-6)


def compare(name, kind, kp, a):
    run = Run(a)
    feat, maps = reference(kind, run, a)
    got = json.load(open(kp + ".json"))
    got.update(got.get("parameters", {}))
    bad, worst_f = [], 0.0
    if got.get("na_reason") is not None:
        bad.append("ketaprint n/a: " + got["na_reason"])
    for k, v in feat.items():
        g = got.get(k)
        if v is None or g is None or isinstance(v, int):
            if g != v:
                bad.append(f"{k} {g} != {v}")
            continue
        d = float(rel(np.float64(g), np.float64(v)))
        worst_f = max(worst_f, d)
        if d > TOL:
            bad.append(f"{k} {g} != {v} (rel {d:.1e})")
    worst_m, nvox = 0.0, 0
    for suffix, ref in maps.items():
        kpm = nib.load(kp + suffix + ".nii.gz").get_fdata()
        if not np.array_equal(np.isnan(ref), np.isnan(kpm)):
            bad.append(f"{suffix}: NaN voxels differ ({int(np.isnan(ref).sum())} vs {int(np.isnan(kpm).sum())})")
            continue
        f = ~np.isnan(ref)
        nvox += int((ref[f] != 0).sum())
        d = float(rel(ref[f], kpm[f]).max())
        worst_m = max(worst_m, d)
        if d > TOL:
            bad.append(f"{suffix}: worst per-voxel rel diff {d:.1e}")
    shown = {k: round(feat[k], 6) for k in ("r", "z", "alff", "falff") if feat.get(k) is not None}
    print(f"  {name}: {shown} design {feat['design_columns']} cols; {len(maps)} maps ({nvox} voxels); worst rel "
          f"diff features {worst_f:.1e}, maps {worst_m:.1e}" + ("  ok" if not bad else "  FAIL: " + "; ".join(bad)))
    return not bad


def joint(a):
    """The claim itself: FFT band-stop + FWL equals the joint OLS residual (plain numpy lstsq)."""
    run = Run(a)
    n, t = run.n, np.arange(run.n)
    cols = [np.ones(n), t.astype(float)] + list(run.conf.T)
    for k in range(1, n // 2 + 1):
        if in_band(k / (n * run.tr), run.band):
            continue
        cols.append(np.cos(2 * np.pi * k * t / n))
        if 2 * k != n:
            cols.append(np.sin(2 * np.pi * k * t / n))
    x = unit(np.column_stack(cols))
    y = run.y[:, run.varying]
    direct = y - x @ np.linalg.lstsq(x, y, rcond=None)[0]
    fwl = run.clean(y)
    d = float(np.abs(direct - fwl).max() / np.abs(direct).max())
    ok = d < 1e-10 and x.shape[1] == run.zeroed + 1 + run.ncols
    print(f"  joint lstsq vs FFT/FWL: {y.shape[1]} voxels x {n} volumes, design {x.shape[1]} cols "
          f"(FFT zeroes {run.zeroed} dims + trend + {run.ncols} confounds), max |diff| / max |residual| "
          f"{d:.1e}" + ("  ok" if ok else "  FAIL (> 1e-10)"))
    return ok


def parser():
    p = argparse.ArgumentParser()
    p.add_argument("bold")
    p.add_argument("--mask", required=True)
    p.add_argument("--confounds", required=True)
    p.add_argument("--strategy", default="24P")
    p.add_argument("--columns")
    p.add_argument("--fd-threshold", type=float, default=0.5)
    p.add_argument("--band", default="0.01,0.1")
    p.add_argument("--tr", type=float)
    p.add_argument("--seed")
    p.add_argument("--target")
    p.add_argument("--roi")
    return p


def main():
    if len(sys.argv) > 4 and sys.argv[1] == "compare":
        sys.exit(0 if compare(sys.argv[2], sys.argv[3], sys.argv[4], parser().parse_args(sys.argv[5:])) else 1)
    if len(sys.argv) > 2 and sys.argv[1] == "joint":
        sys.exit(0 if joint(parser().parse_args(sys.argv[2:])) else 1)
    print(__doc__)
    sys.exit(2)


if __name__ == "__main__":
    main()
