#!/usr/bin/env python3
"""Independent plain numpy/scipy reference of a first-level task-fMRI GLM (nilearn FirstLevelModel definitions).

Written from nilearn's definitions (nilearn/glm/first_level/hemodynamic_models.py, design_matrix.py,
first_level.py, nilearn/glm/regression.py, model.py, contrasts.py, _utils.py, nilearn/signal.py), not copied
from them; every function names the nilearn function whose numbers it reproduces. nilearn itself is not
needed (and not installed): numpy, scipy and nibabel only.

Usage (the same arguments as `ketaprint glm`):
  glm_reference.py BOLD --events TSV [--confounds TSV] --mask M --contrast EXPR [--contrast ...]
                   [--roi sphere:X,Y,Z,R ...] [--hrf spm|glover|"spm + derivative"|...] [--noise ar1|ols]
                   [--strategy 6P|none|a,b,c] [--fd-threshold 0.9] [--high-pass 0.01] [--slice-time-ref F]
                   [--tr S] --out PREFIX [--json]
  glm_reference.py --selftest

Writes PREFIX_design.tsv, PREFIX_contrast-<label>_stat-<effect|variance|t|z|p>_statmap.nii.gz (float64, 0
outside the mask), PREFIX_ar1.nii.gz (binned rho, ar1 only) and PREFIX_rho_raw.npy (unbinned rho of the mask
voxels in mask order, ar1 only); with --json one JSON object on stdout (the same keys as ketaprint's).
Bad input: one line "glm_reference: error: ..." on stderr, exit 2.

Two test-only switches (hidden from --help) exist for the oracle's negative controls:
  --perturb-design EPS  add EPS to every entry of the first design column after it is built
  --bin-round           bin rho by rounding instead of nilearn's truncation
"""
import argparse
import json
import math
import os
import re
import sys
import warnings

import numpy as np
import scipy.linalg
from scipy import integrate, special, stats
from scipy.interpolate import interp1d

OVERSAMPLING = 50      # nilearn compute_regressor default
MIN_ONSET = -24.0      # nilearn make_first_level_design_matrix default
HRF_LENGTH = 32.0      # nilearn _gamma_difference_hrf default time_length (s)
AR1_BINS = 100         # nilearn run_glm default bins
TINY = 1e-50           # nilearn contrasts.DEF_TINY
DOFMAX = 1e10          # nilearn contrasts.DEF_DOFMAX
HRF_MODELS = ("spm", "glover", "spm + derivative", "spm + derivative + dispersion",
              "glover + derivative", "glover + derivative + dispersion")
SIX_P = ["trans_x", "trans_y", "trans_z", "rot_x", "rot_y", "rot_z"]


class GlmError(Exception):
    """Bad input: reported as one line, exit 2."""


# ----------------------------------------------------------------------------------------------------------
# Hemodynamic response kernels (nilearn hemodynamic_models)
# ----------------------------------------------------------------------------------------------------------

def gamma_difference_hrf(tr, oversampling=OVERSAMPLING, time_length=HRF_LENGTH, onset=0.0, delay=6.0,
                         undershoot=16.0, dispersion=1.0, u_dispersion=1.0, ratio=0.167):
    """nilearn _gamma_difference_hrf: peak gamma minus ratio * undershoot gamma on the oversampled grid
    (step dt = tr / oversampling, rint(time_length / dt) points spanning [0, time_length], shifted by -onset),
    gamma pdfs located at dt, normalised to sum 1."""
    dt = tr / oversampling
    n = int(np.rint(float(time_length) / dt))
    t = np.linspace(0.0, time_length, n)
    t = t - onset
    peak = stats.gamma.pdf(t, delay / dispersion, loc=dt, scale=dispersion)
    under = stats.gamma.pdf(t, undershoot / u_dispersion, loc=dt, scale=u_dispersion)
    h = peak - ratio * under
    return h / h.sum()


# parameters of the two canonical shapes (nilearn spm_hrf / glover_hrf)
SPM_SHAPE = dict(delay=6.0, undershoot=16.0, dispersion=1.0, u_dispersion=1.0, ratio=0.167)
GLOVER_SHAPE = dict(delay=6.0, undershoot=12.0, dispersion=0.9, u_dispersion=0.9, ratio=0.48)


def spm_hrf(tr, oversampling=OVERSAMPLING, time_length=HRF_LENGTH, onset=0.0):
    """nilearn spm_hrf."""
    return gamma_difference_hrf(tr, oversampling, time_length, onset, **SPM_SHAPE)


def glover_hrf(tr, oversampling=OVERSAMPLING, time_length=HRF_LENGTH, onset=0.0):
    """nilearn glover_hrf."""
    return gamma_difference_hrf(tr, oversampling, time_length, onset, **GLOVER_SHAPE)


def _finite_difference(a, b, step):
    """nilearn _compute_derivative_from_values: 1 / step * (f(x) - f(x + step)) (note the sign)."""
    return 1.0 / step * (a - b)


def time_derivative(shape_fn, tr, oversampling=OVERSAMPLING, time_length=HRF_LENGTH, onset=0.0, step=0.1):
    """nilearn spm_time_derivative / glover_time_derivative (_generic_time_derivative, onset step 0.1 s)."""
    return _finite_difference(shape_fn(tr, oversampling, time_length, onset),
                              shape_fn(tr, oversampling, time_length, onset + step), step)


def dispersion_derivative(tr, oversampling=OVERSAMPLING, time_length=HRF_LENGTH, onset=0.0, undershoot=16.0,
                          ratio=0.167, dispersion=1.0, step=0.01):
    """nilearn _generic_dispersion_derivative (dispersion step 0.01).

    Only delay 6, undershoot, ratio and the PEAK dispersion are passed on: u_dispersion stays at its default
    1.0 even for the Glover shape (whose own u_dispersion is 0.9). That is nilearn's definition and kept here."""
    a = gamma_difference_hrf(tr, oversampling, time_length, onset, undershoot=undershoot, ratio=ratio,
                             dispersion=dispersion)
    b = gamma_difference_hrf(tr, oversampling, time_length, onset, undershoot=undershoot, ratio=ratio,
                             dispersion=dispersion + step)
    return _finite_difference(a, b, step)


def spm_dispersion_derivative(tr, oversampling=OVERSAMPLING, time_length=HRF_LENGTH, onset=0.0):
    return dispersion_derivative(tr, oversampling, time_length, onset)


def glover_dispersion_derivative(tr, oversampling=OVERSAMPLING, time_length=HRF_LENGTH, onset=0.0):
    return dispersion_derivative(tr, oversampling, time_length, onset, undershoot=12.0, ratio=0.48,
                                 dispersion=0.9)


def hrf_kernels(hrf_model, tr, oversampling=OVERSAMPLING):
    """nilearn _hrf_kernel: the list of kernels and the column-name suffixes (nilearn _regressor_names)."""
    base = hrf_model.split(" + ")[0]
    if hrf_model not in HRF_MODELS:
        raise GlmError(f"unknown HRF model '{hrf_model}' (use one of: {', '.join(HRF_MODELS)})")
    shape = spm_hrf if base == "spm" else glover_hrf
    kernels, suffixes = [shape(tr, oversampling)], [""]
    if "derivative" in hrf_model:
        kernels.append(time_derivative(shape, tr, oversampling))
        suffixes.append("_derivative")
    if "dispersion" in hrf_model:
        disp = spm_dispersion_derivative if base == "spm" else glover_dispersion_derivative
        kernels.append(disp(tr, oversampling))
        suffixes.append("_dispersion")
    return kernels, suffixes


# ----------------------------------------------------------------------------------------------------------
# Event regressors (nilearn _sample_condition, _compute_n_frames_high_res, compute_regressor, orthogonalize)
# ----------------------------------------------------------------------------------------------------------

def n_frames_high_res(frame_times, min_onset, oversampling):
    """nilearn _compute_n_frames_high_res (a float; the caller rints it)."""
    n = frame_times.size
    lo, hi = np.min(frame_times), np.max(frame_times)
    per_second = (n - 1) * 1.0 / (hi - lo)
    return per_second * ((hi * (1 + 1.0 / (n - 1)) - lo - min_onset) * oversampling) + 1


def high_res_grid(frame_times, min_onset=MIN_ONSET, oversampling=OVERSAMPLING):
    """The grid of nilearn _sample_condition: np.linspace from min + min_onset to max * (1 + 1/(n-1))."""
    n = frame_times.size
    count = int(np.rint(n_frames_high_res(frame_times, float(min_onset), oversampling)))
    return np.linspace(frame_times.min() + float(min_onset), frame_times.max() * (1 + 1.0 / (n - 1)), count)


def boxcar_high_res(onsets, durations, values, grid):
    """nilearn _sample_condition: +value at the first grid index >= onset, -value at the first grid index >=
    onset + duration (both capped at the last index; a zero-length event whose offset index equals its onset
    index, below the last index, ends one sample later), then the cumulative sum."""
    last = grid.size - 1
    reg = np.zeros(grid.size, dtype=np.float64)
    on = np.minimum(np.searchsorted(grid, onsets), last)
    off = np.minimum(np.searchsorted(grid, onsets + durations), last)
    for i in range(len(on)):
        if off[i] < last and off[i] == on[i]:
            off[i] += 1
    for i, v in zip(on, values):
        reg[i] += v
    for i, v in zip(off, values):
        reg[i] -= v
    return np.cumsum(reg)


def orthogonalize(x):
    """nilearn orthogonalize: each column minus its projection on the preceding ones (scipy pinv)."""
    x = np.array(x, dtype=np.float64)
    if x.size == x.shape[0]:
        return x
    for i in range(1, x.shape[1]):
        x[:, i] -= np.dot(np.dot(x[:, i], x[:, :i]), scipy.linalg.pinv(x[:, :i]))
    return x


def condition_regressors(onsets, durations, values, hrf_model, frame_times):
    """nilearn compute_regressor for one condition: boxcar on the high-res grid, np.convolve with each kernel
    truncated to the grid length, linear interpolation (scipy interp1d) at frame_times, orthogonalised."""
    tr_min = float(np.min(np.diff(frame_times)))   # nilearn _calculate_tr
    grid = high_res_grid(frame_times)
    hr = boxcar_high_res(np.asarray(onsets, float), np.asarray(durations, float), np.asarray(values, float), grid)
    kernels, suffixes = hrf_kernels(hrf_model, tr_min)
    conv = np.array([np.convolve(hr, k)[:hr.size] for k in kernels])
    cols = interp1d(grid, conv)(frame_times).T
    return orthogonalize(cols), suffixes


# ----------------------------------------------------------------------------------------------------------
# Drift (nilearn.signal.create_cosine_drift)
# ----------------------------------------------------------------------------------------------------------

def cosine_drift(high_pass, frame_times):
    """nilearn create_cosine_drift: DCT-II columns sqrt(2/n) cos(pi/n (t + 0.5) k), k = 1..K with
    K = min(n - 1, floor(2 n high_pass dt)), then a constant column of ones."""
    n = len(frame_times)
    t = np.arange(n)
    dt = (frame_times[-1] - frame_times[0]) / (n - 1)
    order = min(n - 1, int(np.floor(2 * n * high_pass * dt)))
    out = np.zeros((n, order + 1))
    for k in range(1, order + 1):
        out[:, k - 1] = np.sqrt(2.0 / n) * np.cos((np.pi / n) * (t + 0.5) * k)
    out[:, -1] = 1.0
    return out


# ----------------------------------------------------------------------------------------------------------
# Tables
# ----------------------------------------------------------------------------------------------------------

NA = ("n/a", "", "NaN", "nan", "NA")


def read_tsv(path):
    """A BIDS TSV as {column: list of strings} plus the header order."""
    try:
        with open(path) as f:
            lines = [ln.rstrip("\n").rstrip("\r") for ln in f if ln.strip()]
    except OSError as e:
        raise GlmError(f"cannot read {path}: {e.strerror}")
    if not lines:
        raise GlmError(f"{path} is empty")
    head = lines[0].split("\t")
    rows = [ln.split("\t") for ln in lines[1:]]
    for r in rows:
        if len(r) != len(head):
            raise GlmError(f"{path}: a row has {len(r)} cells, the header {len(head)}")
    return head, {h: [r[j] for r in rows] for j, h in enumerate(head)}


def read_events(path):
    """Events TSV: onset, duration (required, numeric, no n/a), trial_type (default 'dummy' as in nilearn),
    modulation (default 1). Returns (trial_type array, onset, duration, modulation)."""
    head, cols = read_tsv(path)
    out = {}
    for name in ("onset", "duration"):
        if name not in cols:
            raise GlmError(f"events {os.path.basename(path)} has no {name} column")
        vals = cols[name]
        bad = [i for i, v in enumerate(vals) if v.strip() in NA]
        if bad:
            raise GlmError(f"events {os.path.basename(path)}: n/a in the {name} column (row {bad[0] + 1}); "
                           f"every event needs a numeric {name}")
        try:
            out[name] = np.array([float(v) for v in vals])
        except ValueError:
            raise GlmError(f"events {os.path.basename(path)}: non-numeric {name}")
    n = len(out["onset"])
    tt = np.array(cols["trial_type"] if "trial_type" in cols else ["dummy"] * n, dtype=object)
    if "modulation" in cols:
        if any(v.strip() in NA for v in cols["modulation"]):
            raise GlmError(f"events {os.path.basename(path)}: n/a in the modulation column")
        mod = np.array([float(v) for v in cols["modulation"]])
    else:
        mod = np.ones(n)
    return tt, out["onset"], out["duration"], mod


def read_confounds(path):
    """fMRIPrep confounds TSV as {column: float array}, n/a -> 0."""
    head, cols = read_tsv(path)
    out = {}
    for h in head:
        vals = []
        for v in cols[h]:
            v = v.strip()
            vals.append(0.0 if v in NA else float(v))
        out[h] = np.array(vals)
    return head, out


def strategy_columns(strategy):
    s = strategy.strip()
    if s == "6P":
        return list(SIX_P)
    if s.lower() == "none":
        return []
    return [c.strip() for c in s.split(",") if c.strip()]


# ----------------------------------------------------------------------------------------------------------
# Design (nilearn make_first_level_design_matrix with add_regs = confounds + spikes, cosine drift)
# ----------------------------------------------------------------------------------------------------------

def frame_times_of(n, tr, slice_time_ref):
    """arange(n) * tr + slice_time_ref * tr (nilearn FirstLevelModel uses the equivalent np.linspace(start,
    (n - 1 + ref) * tr, n); for TR 2 s and ref 0 or 0.5 both are exact and identical)."""
    return np.arange(n) * tr + slice_time_ref * tr


def build_design(events, frame_times, hrf_model="spm", confounds=None, strategy="6P", fd_threshold=0.9,
                 high_pass=0.01, warn=None):
    """Columns: conditions (np.unique order, each with its HRF columns), confound columns (strategy order),
    spike columns motion_outlier_NN, drift_1..drift_K, constant. Returns (X, names, info)."""
    warn = warn if warn is not None else (lambda m: None)
    n = frame_times.size
    tt, onset, duration, mod = events
    cols, names = [], []
    run_end = frame_times[-1] + float(np.min(np.diff(frame_times)))
    earliest = frame_times[0] + MIN_ONSET
    if (onset >= run_end).any():
        late = sorted(set(str(t) for t in tt[onset >= run_end]))
        warn(f"{int((onset >= run_end).sum())} event(s) start at or after the end of the run "
             f"({run_end:g} s) and do not enter the model: {', '.join(late)}")
    if (onset < earliest).any():
        warn(f"{int((onset < earliest).sum())} event(s) start before {earliest:g} s and are not modelled")
    if (duration < 0).any():
        raise GlmError("events with a negative duration")
    if n * float(np.min(np.diff(frame_times))) < HRF_LENGTH:
        warn(f"the run ({n} volumes, {n * float(np.min(np.diff(frame_times))):g} s) is shorter than the "
             f"{HRF_LENGTH:g} s HRF kernel")
    for cond in np.unique(tt.astype(str)):
        m = tt.astype(str) == cond
        reg, suffixes = condition_regressors(onset[m], duration[m], mod[m], hrf_model, frame_times)
        for j, suf in enumerate(suffixes):
            cols.append(reg[:, j])
            names.append(cond + suf)
    info = {"n_spikes": 0, "fd_mean_mm": None, "spike_volumes": []}
    if confounds is None and strategy_columns(strategy):
        raise GlmError(f"confound strategy {strategy} needs a confounds file (or use --strategy none)")
    if confounds is None and fd_threshold > 0:
        warn("no confounds file: no framewise_displacement, no spike regressors")
    if confounds is not None:
        head, conf = confounds
        if len(next(iter(conf.values()))) != n:
            raise GlmError(f"confounds have {len(next(iter(conf.values())))} rows, the BOLD {n} volumes")
        for c in strategy_columns(strategy):
            if c not in conf:
                raise GlmError(f"confound column '{c}' is not in the confounds file")
            cols.append(conf[c])
            names.append(c)
        if "framewise_displacement" in conf:
            fd = conf["framewise_displacement"]          # n/a (first row) already 0
            info["fd_mean_mm"] = float(fd.mean())
            if fd_threshold > 0:
                spikes = np.nonzero(fd > fd_threshold)[0]
                for k, v in enumerate(spikes):
                    s = np.zeros(n)
                    s[v] = 1.0
                    cols.append(s)
                    names.append(f"motion_outlier_{k:02d}")
                info["n_spikes"] = int(spikes.size)
                info["spike_volumes"] = [int(v) for v in spikes]
        elif fd_threshold > 0:
            warn("the confounds have no framewise_displacement column: no spike regressors")
    drift = cosine_drift(high_pass, frame_times)
    for k in range(drift.shape[1] - 1):
        cols.append(drift[:, k])
        names.append(f"drift_{k + 1}")
    cols.append(drift[:, -1])
    names.append("constant")
    if len(set(names)) != len(names):
        dup = sorted({x for x in names if names.count(x) > 1})
        raise GlmError(f"design columns are not unique: {', '.join(dup)}")
    return np.column_stack(cols).astype(np.float64), names, info


# ----------------------------------------------------------------------------------------------------------
# Model fit (nilearn mean_scaling, run_glm, _yule_walker, OLSModel / ARModel)
# ----------------------------------------------------------------------------------------------------------

def mean_scaling(y):
    """nilearn mean_scaling (axis 0): mean = max(mean over time, 1); 100 * (y / mean - 1)."""
    mean = np.maximum(y.mean(axis=0), 1)
    return 100 * (y / mean - 1), mean


def yule_walker_ar1(resid):
    """nilearn _yule_walker with order 1 on residuals (time x voxels): the GLOBAL mean of the whole array is
    subtracted, r0 = sum y^2 / (T T), r1 = sum y_t y_t+1 / ((T - 1) T), rho = r1 / r0."""
    y = resid.T - resid.mean()
    T = y.shape[1]
    r0 = np.einsum("ij,ij->i", y, y) / (T * T)
    r1 = np.einsum("ij,ij->i", y[:, :-1], y[:, 1:]) / ((T - 1) * T)
    return r1 / r0


def bin_rho(rho, round_instead=False):
    """nilearn run_glm ar1 binning: (rho * bins).astype(int) / bins, i.e. truncation toward zero."""
    if round_instead:   # negative control only
        return np.round(rho * AR1_BINS) / AR1_BINS
    return (rho * AR1_BINS).astype(int) * 1.0 / AR1_BINS


def ar1_whiten(x, rho):
    """nilearn ARModel.whiten, order 1: x_t - rho x_{t-1}, the first row unchanged."""
    x = np.asarray(x, np.float64)
    w = x.copy()
    w[1:] = w[1:] - rho * x[:-1]
    return w


def design_rank(x):
    """nilearn OLSModel.df_model: numpy matrix_rank with tol = sum |X| * eps."""
    return int(np.linalg.matrix_rank(x, np.abs(x).sum() * np.finfo(np.float64).eps))


def wls_fit(xw, yw):
    """nilearn OLSModel.fit on (already whitened) design and data: pinv, beta, whitened residuals,
    dispersion = SSE / (T - p) with p the number of columns, cov = pinv pinv^T."""
    pinv = scipy.linalg.pinv(xw)
    beta = pinv @ yw
    resid = yw - xw @ beta
    disp = np.sum(resid ** 2, 0) / (xw.shape[0] - xw.shape[1])
    return beta, resid, disp, pinv @ pinv.T


def fit_glm(y, x, noise="ar1", bin_round=False):
    """nilearn run_glm. Returns dict: beta (p x V), dispersion (V), cov per voxel via label index,
    rho_raw / rho (V) for ar1, dof."""
    T, p = x.shape
    beta, resid, disp, cov = wls_fit(x, y)
    out = {"dof": T - design_rank(x)}
    if noise == "ols":
        out.update(beta=beta, dispersion=disp, covs=[cov], label=np.zeros(y.shape[1], int))
        return out
    if noise != "ar1":
        raise GlmError(f"unknown noise model '{noise}' (use ar1 or ols)")
    rho_raw = yule_walker_ar1(y - x @ beta)    # OLS residuals, as nilearn (ols_result.residuals)
    rho = bin_rho(rho_raw, bin_round)
    bins, label = np.unique(rho, return_inverse=True)
    beta_w = np.zeros_like(beta)
    disp_w = np.zeros_like(disp)
    covs = []
    for b, r in enumerate(bins):
        m = label == b
        bw, _, dw, cw = wls_fit(ar1_whiten(x, r), ar1_whiten(y[:, m], r))
        beta_w[:, m] = bw
        disp_w[m] = dw
        covs.append(cw)
    out.update(beta=beta_w, dispersion=disp_w, covs=covs, label=label, rho_raw=rho_raw, rho=rho)
    return out


# ----------------------------------------------------------------------------------------------------------
# Contrasts (nilearn expression_to_contrast_vector, compute_contrast, Contrast, z_score)
# ----------------------------------------------------------------------------------------------------------

NAME = r"[A-Za-z_][A-Za-z0-9_]*"
NUM = r"(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?"
TERM = re.compile(rf"\s*([+-])?\s*(?:({NUM})\s*\*\s*)?({NAME})\s*")


def camel(s, capitalise=False):
    """A BIDS label (letters and digits only): any other character starts a capitalised word ('fear_x' -> 'fearX')."""
    out, up = [], capitalise
    for ch in s:
        if ch.isascii() and ch.isalnum():
            out.append(ch.upper() if up else ch)
            up = False
        else:
            up = True
    return "".join(out)


def split_label(expr):
    """'NAME=EXPR' -> (NAME, EXPR); otherwise the label is derived: 'a - b' -> aGtB, 'a' -> a (BIDS-safe camel case)."""
    if "=" in expr:
        name, e = expr.split("=", 1)
        return name.strip(), e.strip()
    e = expr.strip()
    m = re.fullmatch(rf"({NAME})\s*-\s*({NAME})", e)
    if m:
        return camel(m.group(1)) + "Gt" + camel(m.group(2), True), e
    if re.fullmatch(NAME, e):
        return camel(e), e
    return re.sub(r"[^A-Za-z0-9]+", "", e), e


def parse_contrast(expr, columns):
    """A linear expression over column names ('a - b', 'a', '0.5*a + 0.5*b - c') -> {name: weight}."""
    weights = {}
    pos = 0
    first = True
    while pos < len(expr):
        m = TERM.match(expr, pos)
        if not m or m.end() == pos or (not first and m.group(1) is None):
            raise GlmError(f"cannot parse contrast '{expr}' (use e.g. 'a - b' or '0.5*a + 0.5*b - c')")
        sign = -1.0 if m.group(1) == "-" else 1.0
        coef = float(m.group(2)) if m.group(2) else 1.0
        weights[m.group(3)] = weights.get(m.group(3), 0.0) + sign * coef
        pos = m.end()
        first = False
    if not weights:
        raise GlmError("empty contrast")
    return weights


def contrast_vector(weights, columns, trial_types, expr):
    """{name: weight} -> a vector over the design columns; a name that is no column is an error naming it
    (nilearn raises for it too: expression_to_contrast_vector)."""
    for name in weights:
        if name not in columns:
            raise GlmError(f"contrast '{expr}': '{name}' is not a trial_type in the events nor a design column "
                           f"(trial types: {', '.join(sorted(trial_types))})")
    c = np.zeros(len(columns))
    for name, w in weights.items():
        c[columns.index(name)] = w
    return c


def check_estimable(c, x, expr):
    """c is estimable iff it lies in the row space of X: c = c pinv(X) X (up to rounding)."""
    resid = c - (c @ scipy.linalg.pinv(x)) @ x
    if np.linalg.norm(resid) > 1e-8 * max(1.0, np.linalg.norm(c)):
        raise GlmError(f"contrast '{expr}' is not estimable: the design is rank deficient in its direction")


def z_score(p, one_minus_p):
    """nilearn glm._utils.z_score with one_minus_pvalue: z = isf(clip(p)); where that is negative use
    ppf(clip(1 - p as computed by the cdf)). Clip to [1e-300, 1 - 1e-16]."""
    p = np.clip(p, 1.0e-300, 1.0 - 1.0e-16)
    q = np.clip(one_minus_p, 1.0e-300, 1.0 - 1.0e-16)
    z_sf = stats.norm.isf(p)
    z_cdf = stats.norm.ppf(q)
    return np.where(z_sf < 0, z_cdf, z_sf)


def t_contrast(fit, c):
    """nilearn compute_contrast + Contrast (stat_type t): effect, variance, t, p (one-sided, survival), z."""
    beta, disp, covs, label = fit["beta"], fit["dispersion"], fit["covs"], fit["label"]
    effect = c @ beta
    cvc = np.array([c @ cv @ c for cv in covs])
    variance = cvc[label] * disp
    t = effect / np.sqrt(np.maximum(variance, TINY))
    dof = float(min(fit["dof"], DOFMAX))
    p = stats.t.sf(t, dof)
    z = z_score(p, stats.t.cdf(t, dof))
    return {"effect": effect, "variance": variance, "t": t, "z": z, "p": p}


# ----------------------------------------------------------------------------------------------------------
# ROI
# ----------------------------------------------------------------------------------------------------------

def roi_mask(spec, shape, affine):
    """sphere:X,Y,Z,R -> voxels whose centre (affine @ ijk) lies within R mm of (X, Y, Z)."""
    if not spec.startswith("sphere:"):
        raise GlmError(f"unsupported ROI '{spec}' (use sphere:X,Y,Z,R)")
    try:
        x0, y0, z0, r = [float(v) for v in spec[7:].split(",")]
    except ValueError:
        raise GlmError(f"bad ROI '{spec}' (use sphere:X,Y,Z,R)")
    ijk = np.indices(shape).reshape(3, -1).T.astype(float)
    xyz = ijk @ affine[:3, :3].T + affine[:3, 3]
    d2 = ((xyz - [x0, y0, z0]) ** 2).sum(1)
    return (d2 <= r * r * (1 + 1e-12)).reshape(shape)


# ----------------------------------------------------------------------------------------------------------
# The whole run
# ----------------------------------------------------------------------------------------------------------

def sidecar_of(bold):
    for ext in (".nii.gz", ".nii"):
        if bold.endswith(ext):
            return bold[: -len(ext)] + ".json"
    return None


def run(args):
    import nibabel as nib
    warnings_out = []
    warn = warnings_out.append
    try:
        img = nib.load(args.bold)
    except Exception as e:
        raise GlmError(f"cannot read BOLD {args.bold}: {e}")
    if len(img.shape) != 4:
        raise GlmError(f"BOLD {args.bold} is not 4-D")
    side = {}
    sc = sidecar_of(args.bold)
    if sc and os.path.exists(sc):
        with open(sc) as f:
            side = json.load(f)
    if args.tr is not None:
        tr = float(args.tr)
    elif "RepetitionTime" in side:
        tr = float(side["RepetitionTime"])
    else:
        tr = float(img.header.get_zooms()[3])
    if not tr > 0:
        raise GlmError("no repetition time (give --tr)")
    if args.slice_time_ref is not None:
        ref = float(args.slice_time_ref)
    elif side.get("SliceTimingCorrected") and "StartTime" in side:
        ref = float(side["StartTime"]) / tr
    else:
        ref = 0.0
    if not 0 <= ref <= 1:
        raise GlmError(f"slice_time_ref {ref} is outside [0, 1]")
    mimg = nib.load(args.mask)
    if mimg.shape[:3] != img.shape[:3]:
        raise GlmError(f"mask grid {mimg.shape[:3]} differs from the BOLD grid {img.shape[:3]}")
    mask = np.asarray(mimg.dataobj) > 0
    if not mask.any():
        raise GlmError("the mask is empty")
    data = img.get_fdata(dtype=np.float64)
    n = data.shape[3]
    if n < 2:
        raise GlmError("the run has fewer than 2 volumes")
    y = data[mask].T.astype(np.float64)       # time x voxels, mask voxels in C order
    del data
    frame_times = frame_times_of(n, tr, ref)
    events = read_events(args.events)
    confounds = read_confounds(args.confounds) if args.confounds else None
    x, names, info = build_design(events, frame_times, args.hrf, confounds, args.strategy, args.fd_threshold,
                                  args.high_pass, warn)
    if args.perturb_design:
        x[:, 0] += args.perturb_design
    trial_types = set(str(t) for t in events[0])
    contrasts = []
    for expr in args.contrast:
        label, e = split_label(expr)
        w = parse_contrast(e, names)
        c = contrast_vector(w, names, trial_types, e)
        check_estimable(c, x, e)
        contrasts.append((label, e, w, c))
    if n - design_rank(x) < 1:
        raise GlmError(f"no residual degrees of freedom: {n} volumes, design rank {design_rank(x)}")
    ys, _ = mean_scaling(y)
    fit = fit_glm(ys, x, args.noise, args.bin_round)

    out = args.out
    d = os.path.dirname(out)
    if d:
        os.makedirs(d, exist_ok=True)
    with open(out + "_design.tsv", "w") as f:
        f.write("\t".join(names) + "\n")
        for row in x:
            f.write("\t".join(repr(float(v)) for v in row) + "\n")

    def save(vals, path):
        vol = np.zeros(mask.shape, np.float64)
        vol[mask] = vals
        im = nib.Nifti1Image(vol, img.affine)
        im.set_data_dtype(np.float64)
        nib.save(im, path)

    rois = [(spec, roi_mask(spec, mask.shape, img.affine) & mask) for spec in args.roi]
    res_json = []
    for label, e, w, c in contrasts:
        st = t_contrast(fit, c)
        for k in ("effect", "variance", "t", "z", "p"):
            save(st[k], f"{out}_contrast-{label}_stat-{k}_statmap.nii.gz")
        rj = []
        for spec, rm in rois:
            sel = rm[mask]
            nv = int(sel.sum())
            rj.append({"roi": spec, "voxels": nv,
                       "beta": float(st["effect"][sel].mean()) if nv else None,
                       "z": float(st["z"][sel].mean()) if nv else None,
                       "t": float(st["t"][sel].mean()) if nv else None})
        res_json.append({"name": label, "expression": e, "weights": {k: v for k, v in w.items()}, "rois": rj})
    if args.noise == "ar1":
        save(fit["rho"], out + "_ar1.nii.gz")
        np.save(out + "_rho_raw.npy", fit["rho_raw"])
    summary = {"design_columns": names, "dof": int(fit["dof"]), "tr": tr, "slice_time_ref": ref,
               "hrf": args.hrf, "noise_model": args.noise, "n_spikes": info["n_spikes"],
               "fd_mean_mm": info["fd_mean_mm"], "volumes": int(n), "mask_voxels": int(mask.sum()),
               "warnings": warnings_out, "contrasts": res_json}
    for wmsg in warnings_out:
        print("glm_reference: warning: " + wmsg, file=sys.stderr)
    return summary


# ----------------------------------------------------------------------------------------------------------
# Self-test against nilearn's documented values and independent high-precision checks
# ----------------------------------------------------------------------------------------------------------

def _log_t_sf(t, dof):
    """log P(T > t) for t > 0 computed without the incomplete beta: log pdf(t) from gammaln plus the log of
    the integral of pdf(x) / pdf(t) over [t, inf) (scipy quad, well scaled because the integrand is <= 1)."""
    def logpdf(x):
        return (special.gammaln((dof + 1) / 2) - special.gammaln(dof / 2) - 0.5 * math.log(dof * math.pi)
                - (dof + 1) / 2 * math.log1p(x * x / dof))
    lt = logpdf(t)
    # substitute x = t + s; the integrand decays like (1 + s/t)^-(dof+1)
    val, _ = integrate.quad(lambda s: math.exp(logpdf(t + s) - lt), 0, np.inf, epsabs=0, epsrel=1e-13,
                            limit=200)
    return lt + math.log(val)


def _z_from_log_sf(logp):
    """Solve log Phi(-z) = logp for z by Newton's method on scipy.special.log_ndtr (accurate in the tail)."""
    z = math.sqrt(max(-2 * logp - math.log(2 * math.pi) - math.log(max(-2 * logp, 1.0)), 0.1))
    for _ in range(100):
        f = special.log_ndtr(-z) - logp
        # d/dz log Phi(-z) = -phi(z) / Phi(-z)
        dlog = -math.exp(-0.5 * z * z - 0.5 * math.log(2 * math.pi) - special.log_ndtr(-z))
        step = f / dlog
        z -= step
        if abs(step) < 1e-15 * max(1.0, abs(z)):
            break
    return z


def selftest():
    fails = []

    def check(name, ok, detail=""):
        print(f"  {'ok  ' if ok else 'FAIL'} {name}" + (f" ({detail})" if detail else ""))
        if not ok:
            fails.append(name)

    def doc(name, got, want):
        got = np.round(got, 3).tolist()
        got = [0.0 if v == 0 else v for v in got]       # -0.0 prints as -0.0 in nilearn's doctest too
        check(name, got == want, f"{got}")

    # nilearn docstring values (hemodynamic_models.py), t_r=2, oversampling=1, time_length=20
    kw = dict(oversampling=1, time_length=20.0)
    doc("spm_hrf doctest", spm_hrf(2.0, **kw),
        [0.0, 0.0, 0.161, 0.443, 0.335, 0.139, 0.022, -0.028, -0.04, -0.033])
    doc("glover_hrf doctest", glover_hrf(2.0, **kw),
        [0.0, 0.0, 0.226, 0.741, 0.5, 0.037, -0.181, -0.176, -0.103, -0.045])
    doc("spm_time_derivative doctest", time_derivative(spm_hrf, 2.0, **kw),
        [0.0, 0.0, 0.167, 0.04, -0.091, -0.072, -0.035, -0.013, -0.0, 0.005])
    doc("glover_time_derivative doctest", time_derivative(glover_hrf, 2.0, **kw),
        [0.0, 0.0, 0.267, 0.076, -0.215, -0.168, -0.039, 0.027, 0.033, 0.019])
    # (spm_dispersion_derivative's docstring shows the glover example, so only the glover values exist)
    doc("glover_dispersion_derivative doctest", glover_dispersion_derivative(2.0, **kw),
        [0.0, -0.0, -0.373, 0.282, 0.295, -0.04, -0.094, -0.048, -0.017, -0.005])
    # the u_dispersion quirk is what makes those numbers: with u_dispersion 0.9 they would differ
    alt = _finite_difference(
        gamma_difference_hrf(2.0, 1, 20.0, 0.0, undershoot=12.0, ratio=0.48, dispersion=0.9, u_dispersion=0.9),
        gamma_difference_hrf(2.0, 1, 20.0, 0.0, undershoot=12.0, ratio=0.48, dispersion=0.91, u_dispersion=0.9),
        0.01)
    check("glover dispersion derivative keeps u_dispersion 1.0 (0.9 would change the doctest)",
          np.round(alt, 3).tolist() != np.round(glover_dispersion_derivative(2.0, **kw), 3).tolist())
    # kernel length and normalisation at the default oversampling
    h = spm_hrf(2.0)
    check("spm_hrf(2.0) has rint(32 / 0.04) = 800 samples summing to 1",
          h.size == 800 and abs(h.sum() - 1) < 1e-12, f"{h.size}, {h.sum()!r}")

    # make_first_level_design_matrix docstring: frame_times arange(9), glover (its default), 3 conditions
    ft = np.arange(9.0)
    ev = (np.array(["ET_0"] * 3 + ["ET_1"] * 3 + ["ET_2"] * 3, dtype=object), np.arange(9.0), np.ones(9),
          np.ones(9))
    x, names, _ = build_design(ev, ft, "glover", None, "none", 0, 0.01)
    want = [[0.000, 0.000, 0.000, 1.0], [0.001, 0.000, 0.000, 1.0], [0.022, 0.000, 0.000, 1.0],
            [0.135, 0.000, 0.000, 1.0], [0.378, 0.001, 0.000, 1.0], [0.688, 0.022, 0.000, 1.0],
            [0.910, 0.135, 0.000, 1.0], [0.934, 0.378, 0.001, 1.0], [0.771, 0.688, 0.022, 1.0]]
    got = np.round(x, 3)
    check("design doctest (make_first_level_design_matrix)",
          names == ["ET_0", "ET_1", "ET_2", "constant"] and np.array_equal(got, np.array(want)),
          f"{names}, max |diff| {np.abs(got - np.array(want)).max():.3g}")

    # mean_scaling docstring
    ys, mean = mean_scaling(np.array([[1.0, 2.0, 3.0], [2.0, 4.0, 6.0]]))
    check("mean_scaling doctest", np.allclose(mean, [1.5, 3.0, 4.5]) and np.allclose(ys.mean(0), 0))
    ys, mean = mean_scaling(np.array([[0.2, 2.0], [0.4, 4.0]]))
    check("mean_scaling floors the mean at 1", np.allclose(mean, [1.0, 3.0]) and np.allclose(ys[:, 0], [-80, -60]))

    # create_cosine_drift: 200 frames at 2 s, 0.01 Hz -> K = floor(2 * 200 * 0.01 * 2) = 8, orthonormal DCT
    d = cosine_drift(0.01, np.arange(200) * 2.0)
    g = d[:, :-1].T @ d[:, :-1]
    check("cosine drift: 8 orthonormal columns + constant",
          d.shape == (200, 9) and np.allclose(g, np.eye(8), atol=1e-12) and np.all(d[:, -1] == 1))

    # orthogonalize: later columns orthogonal to earlier ones
    rng = np.random.default_rng(0)
    o = orthogonalize(rng.standard_normal((50, 3)))
    check("orthogonalize", abs(o[:, 0] @ o[:, 1]) < 1e-10 and np.abs(o[:, :2].T @ o[:, 2]).max() < 1e-10)

    # _yule_walker: the global (not per-voxel) mean is subtracted; check against a direct formula
    r = rng.standard_normal((40, 3)) + np.array([0.0, 1.0, -2.0])
    yy = r.T - r.mean()
    want = [(v[:-1] @ v[1:] / (39 * 40)) / (v @ v / (40 * 40)) for v in yy]
    check("yule-walker ar1 uses the global mean", np.allclose(yule_walker_ar1(r), want, rtol=1e-14, atol=0))
    # an AR(1) series with rho 0.5 is recovered
    e = rng.standard_normal((4000, 1))
    s = np.zeros_like(e)
    for i in range(1, len(e)):
        s[i] = 0.5 * s[i - 1] + e[i]
    check("yule-walker ar1 recovers rho 0.5", abs(yule_walker_ar1(s)[0] - 0.5) < 0.05)
    check("rho binning truncates toward zero",
          bin_rho(np.array([0.279999, 0.28, -0.019, -0.02, 0.999])).tolist() == [0.27, 0.28, -0.01, -0.02, 0.99])

    # z_score against an independent log-space computation, |t| up to 60 (z up to ~30 and beyond)
    worst = 0.0
    zmax = 0.0
    for dof in (20.0, 100.0, 176.0, 187.0, 1000.0):
        for t in (0.5, 2.0, 5.0, 10.0, 20.0, 30.0, 40.0, 60.0, 100.0, 200.0, 300.0, 500.0, 600.0):
            logp = _log_t_sf(t, dof)
            if logp < math.log(1e-300):
                continue   # nilearn clips p at 1e-300 there
            zref = _z_from_log_sf(logp)
            zpos = float(z_score(stats.t.sf(t, dof), stats.t.cdf(t, dof)))
            zneg = float(z_score(stats.t.sf(-t, dof), stats.t.cdf(-t, dof)))
            worst = max(worst, abs(zpos - zref) / zref, abs(zneg + zref) / zref)
            zmax = max(zmax, zref)
    check(f"z_score vs log-space quad + Newton on log_ndtr, |z| up to {zmax:.1f}, both signs", worst < 1e-9,
          f"worst relative {worst:.1e}")
    # known values: z for p = 1e-300 (the clip) and the normal-t limit
    zc = float(z_score(np.array(0.0), np.array(1.0)))
    zw = _z_from_log_sf(-300 * math.log(10))
    check("z at p clipped to 1e-300", abs(zc - zw) < 1e-9 * zw, f"{zc!r} vs {zw!r}")
    check("t with dof 1e10 gives z = t", abs(float(z_score(stats.t.sf(3.0, 1e10), stats.t.cdf(3.0, 1e10))) - 3)
          < 1e-6)

    # contrast parser and labels
    cols = ["fearful", "neutral", "target", "trans_x", "constant"]
    check("parse 'fearful - neutral'", parse_contrast("fearful - neutral", cols) == {"fearful": 1.0, "neutral": -1.0})
    check("parse '0.5*fearful + 0.5*neutral - target'",
          parse_contrast("0.5*fearful + 0.5*neutral - target", cols)
          == {"fearful": 0.5, "neutral": 0.5, "target": -1.0})
    check("label 'fearful - neutral' -> fearfulGtNeutral", split_label("fearful - neutral")[0] == "fearfulGtNeutral")
    check("label 'avg=0.5*a + 0.5*b' -> avg", split_label("avg=0.5*a + 0.5*b") == ("avg", "0.5*a + 0.5*b"))
    try:
        check_estimable(np.array([1.0, 0, 0]), np.column_stack([np.ones(5), np.ones(5), np.arange(5.0)]), "a")
        check("non-estimable contrast is refused", False)
    except GlmError:
        check("non-estimable contrast is refused", True)

    # an end-to-end recovery on a tiny noiseless + AR(1) problem: OLS and AR1 both find the planted betas
    ft = np.arange(120) * 2.0
    ev = (np.array(["a", "b"] * 6, dtype=object), np.arange(12) * 20.0, np.full(12, 10.0), np.ones(12))
    x, names, _ = build_design(ev, ft, "spm", None, "none", 0, 0.01)
    b = np.zeros(len(names))
    b[0], b[1] = 2.0, 1.0
    yy = x @ b[:, None] + 1e-3 * s[:120]
    for noise in ("ols", "ar1"):
        f = fit_glm(yy, x, noise)
        st = t_contrast(f, np.eye(len(names))[0] - np.eye(len(names))[1])
        check(f"tiny {noise} fit recovers a - b = 1", abs(st["effect"][0] - 1.0) < 0.01 and st["t"][0] > 50,
              f"effect {st['effect'][0]:.5f}, t {st['t'][0]:.0f}, rho {f.get('rho_raw', [np.nan])[0]:.3f}")

    print("glm_reference selftest: " + ("all passed" if not fails else f"{len(fails)} FAILED: {', '.join(fails)}"))
    return 0 if not fails else 1


# ----------------------------------------------------------------------------------------------------------

def main(argv=None):
    ap = argparse.ArgumentParser(prog="glm_reference.py", description="numpy/scipy first-level GLM reference")
    ap.add_argument("bold", nargs="?")
    ap.add_argument("--selftest", action="store_true")
    ap.add_argument("--events")
    ap.add_argument("--confounds")
    ap.add_argument("--mask")
    ap.add_argument("--contrast", action="append", default=[])
    ap.add_argument("--roi", action="append", default=[])
    ap.add_argument("--hrf", default="spm")
    ap.add_argument("--noise", default="ar1")
    ap.add_argument("--strategy", default="6P")
    ap.add_argument("--fd-threshold", type=float, default=0.9)
    ap.add_argument("--high-pass", type=float, default=0.01)
    ap.add_argument("--slice-time-ref", type=float, default=None)
    ap.add_argument("--tr", type=float, default=None)
    ap.add_argument("--out")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--perturb-design", type=float, default=0.0, help=argparse.SUPPRESS)
    ap.add_argument("--bin-round", action="store_true", help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.selftest:
        return selftest()
    try:
        for need in ("bold", "events", "mask", "out"):
            if getattr(a, need) is None:
                raise GlmError(f"missing {'BOLD' if need == 'bold' else '--' + need}")
        if not a.contrast:
            raise GlmError("give at least one --contrast")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            summary = run(a)
    except GlmError as e:
        print(f"glm_reference: error: {e}", file=sys.stderr)
        return 2
    if a.json:
        print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
