"""Oracle for group/associations.tsv (issue 18): every column recomputed from the group tables with scipy.stats and
statsmodels, equal within 1e-9 relative (1e-12 absolute near 0); n/a exactly where a test cannot be done.
  plant BIDS_DIR OUTPUT_DIR PIPELINE  writes a planted 40-subject dataset (participants.tsv with age and sex, the
                                      sessions' _features.tsv and _provenance.json, a pipeline with covariates)
  check OUTPUT_DIR [--pre pre] [--covariates age,sex --participants TSV] [--tsv FILE]
                                      compares; exit status 1 on any mismatch"""
import argparse
import json
import os
import sys
import warnings

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import special, stats
from statsmodels.stats.meta_analysis import effectsize_smd
from statsmodels.stats.multitest import multipletests

warnings.simplefilter("ignore")
Z = stats.norm.ppf(0.975)
FEATURES = ["f_pred", "f_age", "f_noise1", "f_noise2", "f_ties", "f_missing", "f_const"]


def plant(bids, out, pipeline):
    rng = np.random.default_rng(18)
    n = 40
    os.makedirs(bids)
    json.dump({"Name": "planted associations", "BIDSVersion": "1.9.0"}, open(f"{bids}/dataset_description.json", "w"))
    z = rng.standard_normal(n)
    age = np.round(rng.normal(40, 10, n))
    sex = rng.choice(["F", "M"], n)
    base = rng.integers(20, 41, n)
    pct = -40 + 15 * z + 10 * rng.standard_normal(n)
    follow = np.clip(np.round(base * (1 + pct / 100)), 0, 60)
    rows = []
    for i in range(n):
        rows.append([f"sub-{i + 1:02d}", "n/a" if i in (3, 17, 29) else f"{age[i]:g}", "n/a" if i == 8 else sex[i],
                     f"{base[i]}", "n/a" if i in (5, 33) else f"{follow[i]:g}"])
    pd.DataFrame(rows, columns=["participant_id", "age", "sex", "madrs_baseline", "madrs_24h"]).to_csv(
        f"{bids}/participants.tsv", sep="\t", index=False)
    pre = {"f_pred": 1000 + 100 * z + 30 * rng.standard_normal(n),
           "f_age": 0.5 * age + 3 * rng.standard_normal(n) + 2 * z,
           "f_noise1": rng.standard_normal(n), "f_noise2": rng.lognormal(0, 1, n),
           "f_ties": rng.integers(0, 5, n).astype(float), "f_missing": rng.standard_normal(n),
           "f_const": np.full(n, 5.0)}
    post = {k: v + rng.standard_normal(n) * (0.2 * np.abs(v).mean() + 1e-9) for k, v in pre.items()}
    post["f_pred"] = pre["f_pred"] - 40 * z + 10 * rng.standard_normal(n)
    post["f_ties"] = rng.integers(0, 5, n).astype(float)
    post["f_const"] = np.full(n, 5.0)
    for ses, vals in (("pre", pre), ("post", post)):
        for i in range(n):
            if ses == "post" and i in (11, 23):
                continue   # no post session
            sub = f"sub-{i + 1:02d}"
            os.makedirs(f"{bids}/{sub}/ses-{ses}/anat", exist_ok=True)
            open(f"{bids}/{sub}/ses-{ses}/anat/{sub}_ses-{ses}_T1w.nii.gz", "w").close()
            d = f"{out}/{sub}/ses-{ses}"
            os.makedirs(d)
            cells = ["n/a" if (k == "f_missing" and i % 5 == 0) or (k == "f_age" and ses == "post" and i == 7)
                     else repr(float(vals[k][i])) for k in FEATURES]
            open(f"{d}/{sub}_ses-{ses}_features.tsv", "w").write(
                "\t".join(["participant_id", "session_id"] + FEATURES) + "\n" + "\t".join([sub, f"ses-{ses}"] + cells) + "\n")
            open(f"{d}/{sub}_ses-{ses}_provenance.json", "w").write('{"stages": []}\n')
    with open(pipeline, "w") as f:
        f.write("name: planted\nclinical:\n  covariates: [age, sex]\nstages:\n  - type: structural\n    features:\n")
        for k in FEATURES:
            f.write(f"      - {{column: {k}, measure: volume, label: Left-Hippocampus}}\n")


def expected_row(x, y, resp, covs):
    """The cells of one feature x (per subject, NaN missing) against y and responder; covs: name -> values."""
    e = {}
    ok = np.isfinite(x) & np.isfinite(y)
    xs, ys = x[ok], y[ok]
    n = e["n"] = int(ok.sum())
    defined = n >= 3 and np.ptp(xs) > 0 and np.ptp(ys) > 0
    r, p = stats.pearsonr(xs, ys) if defined else (np.nan, np.nan)
    e.update(pearson_r=r, pearson_p=p)
    lo = hi = np.nan
    if defined and n >= 4:
        lo, hi = np.tanh(np.arctanh(r) - Z / np.sqrt(n - 3)), np.tanh(np.arctanh(r) + Z / np.sqrt(n - 3))
    e.update(pearson_ci_low=lo, pearson_ci_high=hi)
    rho, p = stats.spearmanr(xs, ys) if defined else (np.nan, np.nan)
    e.update(spearman_rho=rho, spearman_p=p)
    a, b = x[(resp == 1) & np.isfinite(x)], x[(resp == 0) & np.isfinite(x)]
    e.update(n_responders=len(a), n_nonresponders=len(b), mean_responders=a.mean() if len(a) else np.nan,
             mean_nonresponders=b.mean() if len(b) else np.nan)
    g = lo = hi = welch = mw = np.nan
    if len(a) >= 2 and len(b) >= 2:
        if np.ptp(np.concatenate([a, b])) > 0:
            mw = stats.mannwhitneyu(a, b, alternative="two-sided", use_continuity=True, method="asymptotic").pvalue
        if a.var() > 0 or b.var() > 0:
            n1, n2 = len(a), len(b)
            df = n1 + n2 - 2
            # statsmodels' standardized difference uses J = 1 - 3 / (4 N - 9); ketaprint the exact gamma form
            smd, _ = effectsize_smd(a.mean(), a.std(ddof=1), n1, b.mean(), b.std(ddof=1), n2)
            j = np.exp(special.gammaln(df / 2) - 0.5 * np.log(df / 2) - special.gammaln((df - 1) / 2))
            g = smd / (1 - 3 / (4 * (n1 + n2) - 9)) * j
            se = np.sqrt((n1 + n2) / (n1 * n2) + g * g / (2 * (n1 + n2)))
            lo, hi = g - Z * se, g + Z * se
            welch = stats.ttest_ind(a, b, equal_var=False).pvalue
    e.update(hedges_g=g, hedges_g_ci_low=lo, hedges_g_ci_high=hi, welch_p=welch, mannwhitney_p=mw)
    if covs is None:
        return e
    use = ok.copy()
    for v in covs.values():
        use &= np.array([c is not None and not (isinstance(c, float) and np.isnan(c)) for c in v])
    e["n_adjusted"] = m = int(use.sum())
    design = []
    for name, v in covs.items():
        v = np.asarray(v, dtype=object)[use]
        if all(isinstance(c, float) for c in v):
            design.append(v.astype(float))
        else:
            for level in sorted(set(v))[1:]:
                design.append((v == level).astype(float))
    zc = np.column_stack([np.ones(m)] + design)
    k = zc.shape[1] - 1
    df = m - 2 - k
    pr = pp = t = tp = np.nan
    if df >= 1 and np.linalg.matrix_rank(np.column_stack([zc, x[use]])) == k + 2:
        fit = sm.OLS(y[use], np.column_stack([zc[:, :1], x[use], zc[:, 1:]])).fit()
        t, tp = fit.tvalues[1], fit.pvalues[1]
        rx = sm.OLS(x[use], zc).fit().resid
        ry = sm.OLS(y[use], zc).fit().resid
        pr = stats.pearsonr(rx, ry)[0]
        pp = 2 * stats.t.sf(abs(pr * np.sqrt(df / (1 - pr * pr))), df)
    e.update(partial_r=pr, partial_p=pp, ols_t=t, ols_p=tp)
    return e


def number(s):
    return np.nan if s == "n/a" else float(s)


def check(out, pre, cov_names, participants, tsv):
    g = f"{out}/group"
    tsv = tsv or f"{g}/associations.tsv"
    bad = []
    feat = pd.read_csv(f"{g}/features.tsv", sep="\t", dtype=str, keep_default_na=False)
    chg = pd.read_csv(f"{g}/features_change.tsv", sep="\t", dtype=str, keep_default_na=False)
    got = pd.read_csv(tsv, sep="\t", dtype=str, keep_default_na=False)
    dictionary = json.load(open(f"{g}/associations.json"))
    if list(dictionary) != list(got.columns) or not all(v.get("Description") for v in dictionary.values()):
        bad.append(f"associations.json: one entry with a Description per column: {list(dictionary)} vs {list(got.columns)}")
    pids = sorted(set(feat.participant_id))
    first = feat.drop_duplicates("participant_id").set_index("participant_id")
    y = np.array([number(first.madrs_pct_change[p]) for p in pids])
    resp = np.array([number(first.responder[p]) for p in pids])
    covs = None
    if cov_names:
        part = pd.read_csv(participants, sep="\t", dtype=str, keep_default_na=False)
        part = part.set_index("participant_id")
        covs = {}
        for c in cov_names:
            cells = [None if part[c][p] == "n/a" else part[c][p] for p in pids]
            try:
                covs[c] = [np.nan if v is None else float(v) for v in cells]
            except ValueError:
                covs[c] = cells
    base = feat[(feat.session_id == f"ses-{pre}") | (feat.session_id == "n/a")].drop_duplicates("participant_id")
    base = base.set_index("participant_id")
    chg = chg.set_index("participant_id")
    features = list(dict.fromkeys(got.feature))
    if len(got) != 2 * len(features) or list(got.family) != ["baseline"] * len(features) + ["change"] * len(features):
        bad.append(f"rows: one per feature and family, baseline first ({len(got)} rows, {len(features)} features)")
    rows = []
    for family, src, suffix in (("baseline", base, ""), ("change", chg, "_change")):
        for f in features:
            x = np.array([number(src[f + suffix][p]) if p in src.index else np.nan for p in pids])
            rows.append(expected_row(x, y, resp, covs))
    exp = pd.DataFrame(rows)
    for fam in (slice(0, len(features)), slice(len(features), 2 * len(features))):
        for pc in [c for c in exp.columns if c.endswith("_p")]:
            p = exp[pc].iloc[fam].to_numpy()
            q = np.full(len(p), np.nan)
            ok = ~np.isnan(p)
            if ok.any():
                q[ok] = multipletests(p[ok], method="fdr_bh")[1]
            exp.loc[exp.index[fam], pc[:-2] + "_q"] = q
    want = [c for c in got.columns if c not in ("feature", "family", "note")]
    if sorted(want) != sorted(exp.columns):
        bad.append(f"columns: {sorted(want)} vs the oracle's {sorted(exp.columns)}")
    checked, worst = 0, 0.0
    for i in range(len(got)):
        where = f"{got.feature[i]} {got.family[i]}"
        na = False
        for c in exp.columns:
            if c not in got.columns:
                continue
            a, b = number(got[c][i]), float(exp[c][i])
            na |= np.isnan(a)
            checked += 1
            if np.isnan(a) or np.isnan(b):
                if np.isnan(a) != np.isnan(b):
                    bad.append(f"{where} {c}: ketaprint {got[c][i]}, oracle {b!r}")
                continue
            if abs(b) > 1e-12:
                worst = max(worst, abs(a - b) / abs(b))
            if abs(a - b) > max(1e-9 * abs(b), 1e-12):
                bad.append(f"{where} {c}: ketaprint {a!r}, oracle {b!r} (relative {abs(a - b) / max(abs(b), 1e-300):.2e})")
        if na != (got.note[i] != "n/a"):
            bad.append(f"{where}: note '{got.note[i]}' but {'some' if na else 'no'} n/a cells")
    for b in bad[:30]:
        print("FAIL", b)
    print(f"{'FAIL' if bad else 'ok  '} {tsv}: {len(got)} rows, {checked} cells against scipy/statsmodels, {len(bad)} mismatches"
          f" (largest relative difference {worst:.1e})")
    return not bad


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["plant", "check"])
    ap.add_argument("paths", nargs="+")
    ap.add_argument("--pre", default="pre")
    ap.add_argument("--covariates", default="")
    ap.add_argument("--participants")
    ap.add_argument("--tsv")
    a = ap.parse_args()
    if a.mode == "plant":
        plant(*a.paths)
    else:
        sys.exit(0 if check(a.paths[0], a.pre, [c for c in a.covariates.split(",") if c], a.participants, a.tsv) else 1)
