#!/usr/bin/python3
"""ketaprint model against scikit-learn 1.2 (issue 18).

    model_sklearn.py make OUT [--n 40] [--r 0.79] [--seed 1]   a planted ketaprint OUTPUT_DIR (r = 0: a null table)
    model_sklearn.py check OUT NAME                           group/model/NAME against sklearn on ketaprint's folds
    model_sklearn.py auc-tuning OUT                           the issue's case: LOO with AUC- or log-loss-tuned sklearn

make: pipeline.yaml (the default pipeline), group/features.tsv (ses-pre and ses-post rows) and
group/features_change.tsv for n subjects; baseline hippocampus_l_vol_mm3 has a sample correlation of exactly r with
responder (half the subjects; r = 0: plain noise), five other features are noise; the MADRS scores give that responder, with a larger
reduction for a larger volume (so madrs_pct_change correlates negatively with it).

check: for every outer fold of folds.tsv (and the final model, repeat 0) GridSearchCV(Pipeline(StandardScaler,
LogisticRegression(C) or Ridge(alpha)), the same grid, scoring neg_log_loss or neg_mean_squared_error,
cv=PredefinedSplit(ketaprint's inner folds)) must choose ketaprint's penalty with the same inner loss, and predict
the test rows as ketaprint did (1e-6); the final coefficients (1e-6), the metrics (AUC, DeLong CI by an independent
numpy implementation, spread over repeats, balanced accuracy, Brier, log-loss; R^2, MAE) must agree, and the
report's ROC curve read back from its SVG must be sklearn's roc_curve.
LogisticRegression's solver there is newton-cholesky (exact Newton, as ketaprint); solver="lbfgs" minimises the same
objective but stops at scipy's default ftol of 2.2e-9 (LogisticRegression passes only gtol), which leaves up to ~1e-4
in the probabilities and more in large coefficients at large C: it is run beside at the same C, compared to 1e-3
(relative to the largest coefficient), and its objective must not be lower than the exact optimum's.
"""
import json
import os
import shutil
import sys

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.metrics import (balanced_accuracy_score, brier_score_loss, log_loss, mean_absolute_error, r2_score,
                             roc_auc_score)
from sklearn.model_selection import GridSearchCV, PredefinedSplit
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

REPO = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..')
FEATURES = ['hippocampus_l_vol_mm3', 'accumbens_l_vol_mm3', 'cingulum_cg_l_fa', 'sgacc_rdlpfc_fc_z', 'sgacc_alff', 'pfc_gbc_z']
TOL = 1e-6
failures = []


def arg(name, default):
    return type(default)(sys.argv[sys.argv.index(name) + 1]) if name in sys.argv else default


def make(out, n, r, seed):
    rng = np.random.default_rng(seed)
    y = rng.permutation(np.r_[np.ones(n // 2), np.zeros(n - n // 2)])
    yc = y - y.mean()
    e = rng.standard_normal(n)
    e -= e.mean()
    if r != 0:   # exactly r; a null table keeps plain noise (a correlation of exactly 0 is no null: it biases CV low)
        e -= (e @ yc) / (yc @ yc) * yc
    z = r * yc / np.linalg.norm(yc) + np.sqrt(1 - r * r) * e / np.linalg.norm(e)
    x = np.column_stack([4000 + 400 * np.sqrt(n) * z, 500 + 60 * rng.standard_normal(n), 0.5 + 0.05 * rng.standard_normal(n),
                         0.2 + 0.15 * rng.standard_normal(n), 8 + rng.standard_normal(n), 0.01 + 0.005 * rng.standard_normal(n)])
    base = rng.integers(25, 36, n)
    # MADRS at 24 h: a reduction of 55-90 % for responders, 0-40 % for the others, larger with a larger volume when r > 0
    frac = np.clip(np.where(y == 1, 0.275, 0.8) - 0.1 * r * (z - z.mean()) / z.std() + 0.05 * rng.standard_normal(n), 0, 1)
    frac = np.where(y == 1, np.clip(frac, 0.1, 0.45), np.clip(frac, 0.6, 1.0))
    follow = np.round(base * frac).astype(int)
    pct = 100.0 * (follow - base) / base
    ids = ['sub-%02d' % (i + 1) for i in range(n)]
    clin = pd.DataFrame({'age': rng.integers(25, 65, n), 'sex': rng.choice(['F', 'M'], n), 'madrs_baseline': base,
                         'madrs_24h': follow, 'madrs_pct_change': pct,
                         'responder': ((base - follow) / base >= 0.5).astype(int), 'remitter': (follow <= 10).astype(int)})
    assert (clin.responder.values == y).all()
    post = x * (1 + 0.02 * rng.standard_normal(x.shape))
    rows = []
    for i in range(n):
        for ses, v in (('ses-pre', x[i]), ('ses-post', post[i])):
            rows.append([ids[i], ses] + list(v) + list(clin.iloc[i]))
    wide = pd.DataFrame(rows, columns=['participant_id', 'session_id'] + FEATURES + list(clin.columns))
    change = pd.DataFrame({'participant_id': ids})
    for j, f in enumerate(FEATURES):
        change[f + '_change'] = post[:, j] - x[:, j]
        change[f + '_pct_change'] = 100 * (post[:, j] - x[:, j]) / np.abs(x[:, j])
    os.makedirs(os.path.join(out, 'group'), exist_ok=True)
    shutil.copy(os.path.join(REPO, 'pipelines', 'ketamine-response.yaml'), os.path.join(out, 'pipeline.yaml'))
    wide.to_csv(os.path.join(out, 'group', 'features.tsv'), sep='\t', index=False, float_format='%.17g')
    change.to_csv(os.path.join(out, 'group', 'features_change.tsv'), sep='\t', index=False, float_format='%.17g')
    print('planted table: %s (n = %d, %d responders; baseline hippocampus_l_vol_mm3: r = %.4f with responder, %.4f with '
          'madrs_pct_change)' % (out, n, y.sum(), np.corrcoef(x[:, 0], y)[0, 1], np.corrcoef(x[:, 0], pct)[0, 1]))


def close(what, a, b, tol=TOL):
    a, b = np.asarray(a, float), np.asarray(b, float)
    d = np.max(np.abs(a - b)) if a.size else 0.0
    if not (a.shape == b.shape and d <= tol):
        failures.append('%s: max |difference| %.3g > %.0e' % (what, d, tol))
    return d


def delong(y, s):
    """DeLong's AUC variance by midranks (Sun and Xu 2014), written apart from ketaprint's pairwise version."""
    pos, neg = s[y == 1], s[y == 0]
    m, n = len(pos), len(neg)
    from scipy.stats import rankdata
    tz = rankdata(np.r_[pos, neg])
    tx, ty = rankdata(pos), rankdata(neg)
    auc = (tz[:m].sum() - m * (m + 1) / 2) / (m * n)
    v10 = (tz[:m] - tx) / n
    v01 = 1 - (tz[m:] - ty) / m
    se = np.sqrt(np.var(v10, ddof=1) / m + np.var(v01, ddof=1) / n)
    return auc, se


def design(out, model):
    """The model's rows and terms rebuilt from the group tables with pandas (dummies: sorted levels, first dropped)."""
    g = os.path.join(out, 'group')
    wide = pd.read_csv(os.path.join(g, 'features.tsv'), sep='\t', na_values='n/a', keep_default_na=False, float_precision='round_trip')
    session = model['session']
    rows = wide[wide.session_id == session] if session != 'n/a' else wide
    rows = rows.set_index('participant_id')
    change = pd.read_csv(os.path.join(g, 'features_change.tsv'), sep='\t', na_values='n/a', keep_default_na=False, float_precision='round_trip')
    rows = rows.join(change.set_index('participant_id'), how='left')
    cols = {}
    for t in model['features'] + model['covariates']:
        if t in rows:
            cols[t] = rows[t]
        else:
            c, lv = t[:-1].split('[', 1)
            cols[t] = (rows[c] == lv).astype(float)
    return pd.DataFrame(cols), rows[model['target']]


def lbfgs(x, y, c, xt, p, r):
    """sklearn's lbfgs at the same penalty: it stops at scipy's default ftol (2.2e-9 relative, not settable through
    LogisticRegression), so it is compared to 1e-4, and its objective must not be below the exact optimum's."""
    sc = StandardScaler().fit(x)
    lr = LogisticRegression(C=c, penalty='l2', solver='lbfgs', tol=1e-12, max_iter=100000).fit(sc.transform(x), y)
    ex = LogisticRegression(C=c, penalty='l2', solver='newton-cholesky', tol=1e-12, max_iter=1000).fit(sc.transform(x), y)

    def objective(m):
        z = sc.transform(x) @ m.coef_.ravel() + m.intercept_[0]
        return np.sum(np.logaddexp(0, z) - y * z) + 0.5 / c * m.coef_.ravel() @ m.coef_.ravel()
    fl, fe = objective(lr), objective(ex)
    if fe > fl + 1e-12 * abs(fl):
        failures.append('C = %g: lbfgs reaches a lower objective (%.17g) than the exact optimum (%.17g)' % (c, fl, fe))
    exact = np.r_[ex.intercept_, ex.coef_.ravel()]
    d = close('lbfgs coefficients at C = %g' % c, np.r_[lr.intercept_, lr.coef_.ravel()], exact, 1e-3 * max(1, np.abs(exact).max()))
    if xt is not None:
        d = max(d, close('lbfgs predictions (repeat %d)' % r, lr.predict_proba(sc.transform(xt))[:, 1], p, 1e-3))
    return d


def roc_figure(page, y, p):
    """The report's ROC polyline, read back to data, against sklearn's roc_curve of the averaged predictions."""
    import re
    from sklearn.metrics import roc_curve
    html = open(page, encoding='utf-8').read()
    svg = re.search(r'<svg[^>]*data-plot="roc"[^>]*>.*?</svg>', html, re.S).group(0)
    a = {k: float(v) for k, v in re.findall(r'data-(x0|x1|y0|y1|left|top|w|h)="([^"]+)"', svg.split('>', 1)[0])}
    pts = re.search(r'<polyline[^>]*data-series="roc"[^>]*points="([^"]+)"', svg).group(1)
    xy = np.array([[float(v) for v in q.split(',')] for q in pts.split()])
    fpr = a['x0'] + (xy[:, 0] - a['left']) / a['w'] * (a['x1'] - a['x0'])
    tpr = a['y0'] + (1 - (xy[:, 1] - a['top']) / a['h']) * (a['y1'] - a['y0'])
    f, t, _ = roc_curve(y, p, drop_intermediate=False)
    if len(f) != len(fpr):
        failures.append('ROC figure: %d points, sklearn %d' % (len(fpr), len(f)))
    else:
        close('ROC figure (fpr, tpr read back from the SVG)', np.c_[fpr, tpr], np.c_[f, t], 1e-4)


def check(out, name):
    d = os.path.join(out, 'group', 'model', name)
    model = json.load(open(os.path.join(d, 'model.json')))
    cls = model['kind'] == 'classification'
    pen = 'C' if cls else 'alpha'
    folds = pd.read_csv(os.path.join(d, 'folds.tsv'), sep='\t', na_values='n/a', keep_default_na=False, float_precision='round_trip')
    pens = pd.read_csv(os.path.join(d, 'penalties.tsv'), sep='\t', float_precision='round_trip')
    pred = pd.read_csv(os.path.join(d, 'predictions.tsv'), sep='\t', float_precision='round_trip').set_index('participant_id')
    coef = pd.read_csv(os.path.join(d, 'coefficients.tsv'), sep='\t', float_precision='round_trip')
    metrics = model['metrics']
    X, y = design(out, model)
    X, y = X.loc[pred.index], y.loc[pred.index].astype(float)
    close('observed target', pred.observed, y, 0)
    terms = list(X.columns)
    grid = np.sort(np.array(model['cv']['grid']))
    if not cls:
        grid = grid[::-1]   # strongest penalty first, as ketaprint breaks ties
    reps = sorted(r for r in folds.repeat.unique() if r > 0)
    mine = pd.DataFrame(index=pred.index, columns=['repeat_%d' % r for r in reps], dtype=float)
    worst = {'penalty': 0, 'loss': 0, 'prediction': 0}
    chosen = 0
    for (r, f), part in folds.groupby(['repeat', 'outer_fold']):
        train = part[part.role == 'train']
        test = part[part.role == 'test'].participant_id
        est = make_pipeline(StandardScaler(), LogisticRegression(penalty='l2', solver='newton-cholesky', tol=1e-12, max_iter=1000)
                            if cls else Ridge())
        gs = GridSearchCV(est, {('logisticregression__C' if cls else 'ridge__alpha'): grid},
                          scoring='neg_log_loss' if cls else 'neg_mean_squared_error',
                          cv=PredefinedSplit(train.inner_fold.values.astype(int) - 1), refit=True)
        gs.fit(X.loc[train.participant_id].values, y.loc[train.participant_id].values)
        row = pens[(pens.repeat == r) & (pens.outer_fold == f)].iloc[0]
        best = gs.best_params_[('logisticregression__C' if cls else 'ridge__alpha')]
        if not np.isclose(best, row[pen], rtol=1e-12):
            failures.append('repeat %d fold %d: sklearn chose %s = %g, ketaprint %g' % (r, f, pen, best, row[pen]))
        chosen += 1
        worst['loss'] = max(worst['loss'], close('repeat %d fold %d inner loss' % (r, f), -gs.best_score_, row.inner_loss))
        if cls:
            worst['lbfgs'] = max(worst.get('lbfgs', 0), lbfgs(X.loc[train.participant_id].values, y.loc[train.participant_id].values,
                                                            row[pen], X.loc[test].values if len(test) else None,
                                                            gs.predict_proba(X.loc[test].values)[:, 1] if len(test) else None, r))
        if r == 0:
            model_est = gs.best_estimator_
            lin = model_est[-1]
            sk = np.r_[np.ravel(lin.intercept_), np.ravel(lin.coef_)]
            worst['coef'] = close('final coefficients', sk, coef.coefficient.values)
            close('final scaler mean', model_est[0].mean_, coef['mean'].values[1:], 1e-9 * np.abs(model_est[0].mean_).max())
            close('final scaler sd', model_est[0].scale_, coef['sd'].values[1:], 1e-9 * np.abs(model_est[0].scale_).max())
            continue
        xt = X.loc[test].values
        p = gs.predict_proba(xt)[:, 1] if cls else gs.predict(xt)
        mine.loc[test, 'repeat_%d' % r] = p
        worst['prediction'] = max(worst['prediction'], close('repeat %d fold %d predictions' % (r, f), p, pred.loc[test, 'repeat_%d' % r]))
    mean = mine.mean(axis=1).values
    close('mean predictions', mean, pred.predicted.values)
    yv = y.values
    if cls:
        per = [roc_auc_score(yv, mine[c].values) for c in mine]
        auc, se = delong(yv, mean)
        close('AUC', roc_auc_score(yv, mean), metrics['auc'])
        close('DeLong se', se, metrics['auc_se'])
        close('AUC CI', [max(0, auc - 1.959963984540054 * se), min(1, auc + 1.959963984540054 * se)],
              [metrics['auc_ci_low'], metrics['auc_ci_high']])
        close('balanced accuracy', balanced_accuracy_score(yv, (mean > 0.5).astype(int)), metrics['balanced_accuracy'])
        close('Brier', brier_score_loss(yv, mean), metrics['brier'])
        close('log-loss', log_loss(yv, mean), metrics['log_loss'])
        key = 'auc'
        score = auc
        roc_figure(os.path.join(d, 'report.html'), yv, pred.predicted.values)
    else:
        per = [r2_score(yv, mine[c].values) for c in mine]
        close('R^2', r2_score(yv, mean), metrics['r2'])
        close('MAE', mean_absolute_error(yv, mean), metrics['mae'], TOL * max(1, np.abs(yv).max()))
        key = 'r2'
        score = r2_score(yv, mean)
    close(key + ' over repeats', [np.mean(per), np.min(per), np.max(per)],
          [metrics[key + '_repeat_mean'], metrics[key + '_repeat_min'], metrics[key + '_repeat_max']])
    if len(per) > 1:
        close(key + ' sd over repeats', np.std(per, ddof=1), metrics[key + '_repeat_sd'])
    print('%s: %s %.4f, %d penalty choices equal to sklearn\'s, max |difference|: inner loss %.1e, out-of-fold %.1e, '
          'final coefficients %.1e%s' % (name, key, score, chosen, worst['loss'], worst['prediction'], worst.get('coef', np.nan),
                                         '; lbfgs (tol 1e-12) at the same C: %.1e' % worst['lbfgs'] if cls else ''))
    return model


def auc_tuning(out):
    """The issue's case: sklearn's LogisticRegressionCV inside leave-one-out, tuned on AUC and on log-loss (printed)."""
    from sklearn.linear_model import LogisticRegressionCV
    from sklearn.model_selection import StratifiedKFold
    wide = pd.read_csv(os.path.join(out, 'group', 'features.tsv'), sep='\t', float_precision='round_trip')
    pre = wide[wide.session_id == 'ses-pre']
    x, y = pre[FEATURES].values, pre.responder.values
    res = []
    for scoring in ('roc_auc', 'neg_log_loss'):
        p = np.zeros(len(y))
        for i in range(len(y)):
            tr = np.arange(len(y)) != i
            m = make_pipeline(StandardScaler(), LogisticRegressionCV(Cs=np.logspace(-4, 4, 17), cv=StratifiedKFold(5), scoring=scoring,
                                                                     max_iter=10000))
            p[i] = m.fit(x[tr], y[tr]).predict_proba(x[i:i + 1])[0, 1]
        res.append('scoring=%s: pooled AUC %.3f' % (scoring, roc_auc_score(y, p)))
    print('sklearn LogisticRegressionCV in leave-one-out: ' + ', '.join(res))


if __name__ == '__main__':
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    if sys.argv[1] == 'make':
        make(sys.argv[2], arg('--n', 40), arg('--r', 0.79), arg('--seed', 1))
    elif sys.argv[1] == 'auc-tuning':
        auc_tuning(sys.argv[2])
    elif sys.argv[1] == 'check':
        m = check(sys.argv[2], sys.argv[3])
        if failures:
            print('\n'.join('FAIL ' + f for f in failures))
            sys.exit(1)
    else:
        sys.exit(__doc__)
