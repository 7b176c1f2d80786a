#!/usr/bin/python3
"""Regenerates test-data/diffusion/wls_ols_noisy.json: a NOISY DWI phantom (DIPY's small_64D gradient
table, Rician noise at SNR ~10 on b0) on which WLS and OLS tensor fits differ, and DIPY 1.6's FA from
TensorModel(fit_method="WLS") and TensorModel(fit_method="LS") for it. Signals are stored as float32
values (what the Java fit reads), and both fits here use exactly those values.

Run from the repo root: /usr/bin/python3 scripts/make_wls_ols_reference.py
"""
import json
import warnings

import numpy as np
from dipy.core.gradients import gradient_table
from dipy.io.gradients import read_bvals_bvecs
import dipy.reconst.dti as dti

warnings.simplefilter("ignore")
OUT = "test-data/diffusion/wls_ols_noisy.json"
NV = 24

bvals, bvecs = read_bvals_bvecs("test-data/diffusion/small_64D.bval", "test-data/diffusion/small_64D.bvec")
gtab = gradient_table(bvals, bvecs)
rng = np.random.default_rng(15)
sig = np.zeros((NV, len(bvals)))
for v in range(NV):
    ev = np.sort(rng.uniform([0.9e-3, 0.2e-3, 0.1e-3], [1.8e-3, 0.6e-3, 0.4e-3]))[::-1]
    q, _ = np.linalg.qr(rng.normal(size=(3, 3)))
    d = q @ np.diag(ev) @ q.T
    s0 = rng.uniform(200, 800)
    clean = s0 * np.exp(-bvals * np.einsum("ti,ij,tj->t", gtab.bvecs, d, gtab.bvecs))
    sigma = s0 / 10.0
    sig[v] = np.hypot(clean + rng.normal(0, sigma, clean.shape), rng.normal(0, sigma, clean.shape))
sig = sig.astype(np.float32).astype(np.float64)
fa = {}
for method in ("WLS", "LS"):
    fa[method] = dti.TensorModel(gtab, fit_method=method).fit(sig).fa
diff = np.abs(fa["WLS"] - fa["LS"])
assert diff.max() > 1e-2, diff.max()
with open(OUT, "w") as f:
    json.dump({
        "comment": "written by scripts/make_wls_ols_reference.py (DIPY " + __import__("dipy").__version__ + "); gradients: small_64D.bval/.bvec",
        "signals": [[float(x) for x in row] for row in sig],
        "fa_wls": fa["WLS"].tolist(),
        "fa_ols": fa["LS"].tolist(),
    }, f, separators=(",", ":"))
    f.write("\n")
print("max |FA_WLS - FA_OLS| =", diff.max(), "median", np.median(diff))
