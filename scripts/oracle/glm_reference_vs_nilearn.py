#!/usr/bin/env python3
"""Optional, not run by CI: check scripts/oracle/glm_reference.py against nilearn's OWN functions.

nilearn is not installable here (no PyPI), so this loads the relevant nilearn source files from a nilearn
source tree with its light helpers stubbed (docs, logging, parameter checks) and without importing the
package (which pulls in matplotlib, requests, ...):
hemodynamic_models.py, experimental_paradigm.py, design_matrix.py, glm/_utils.py, regression.py, model.py,
plus create_cosine_drift (signal.py), mean_scaling / _yule_walker / run_glm (first_level.py) and Contrast /
expression_to_contrast_vector / compute_contrast (contrasts.py) exec'd from their source text.

  git -C /work/.mirror/nilearn+nilearn/repo archive HEAD nilearn | tar -x -C /tmp/nl
  glm_reference.py BOLD ...same args... --out P            # first: the reference's outputs
  NILEARN_SRC=/tmp/nl/nilearn glm_reference_vs_nilearn.py BOLD ...same args... --out P

It builds the design with nilearn's make_first_level_design_matrix (frame times by np.linspace as
FirstLevelModel does; confounds and FD spikes passed as add_regs), fits with nilearn's run_glm and computes
each contrast with nilearn's compute_contrast, then prints the largest differences to the reference's files.
(nilearn's make_first_level_design_matrix also applies full_rank regularisation, which the reference, like
ketaprint, does not: it only matters, at ~1e-14, for rank-deficient designs.)
"""
import os
import sys
import types
import importlib.util
import warnings

import numpy as np

ROOT = os.environ.get("NILEARN_SRC", "/tmp/nl/nilearn").rstrip("/") + "/"
def mod(name, **attrs):
    m = types.ModuleType(name); m.__dict__.update(attrs); sys.modules[name] = m; return m
for pk in ['nilearn', 'nilearn._utils', 'nilearn.glm', 'nilearn.glm.first_level', 'nilearn.interfaces']:
    m = mod(pk); m.__path__ = []
mod('nilearn._utils.docs', fill_doc=lambda f: f)
mod('nilearn._utils.logger', find_stack_level=lambda: 1, log=lambda *a, **k: None)
sys.modules['nilearn._utils'].logger = sys.modules['nilearn._utils.logger']
mod('nilearn._utils.param_validation', check_params=lambda x: None, check_is_of_allowed_type=lambda *a, **k: None,
    check_parameter_in_allowed=lambda *a, **k: None)
def load(name, path):
    spec = importlib.util.spec_from_file_location(name, ROOT + path)
    m = importlib.util.module_from_spec(spec); sys.modules[name] = m; spec.loader.exec_module(m); return m
hm = load('nilearn.glm.first_level.hemodynamic_models', 'glm/first_level/hemodynamic_models.py')
ep = load('nilearn.glm.first_level.experimental_paradigm', 'glm/first_level/experimental_paradigm.py')
import pandas as pd
def check_and_load_tables(t, name):
    return [t]
mod('nilearn._utils.glm', check_and_load_tables=check_and_load_tables)
gu = load('nilearn.glm._utils', 'glm/_utils.py')
# signal.py is heavy: take create_cosine_drift's source alone
src = open(ROOT + 'signal.py').read()
i = src.index('def create_cosine_drift'); j = src.index('\ndef ', i + 10)
ns = {'np': np, 'warnings': warnings, 'find_stack_level': lambda: 1}
exec(src[i:j], ns)
mod('nilearn.signal', create_cosine_drift=ns['create_cosine_drift'])
dm = load('nilearn.glm.first_level.design_matrix', 'glm/first_level/design_matrix.py')
mdl = load('nilearn.glm.model', 'glm/model.py')
reg = load('nilearn.glm.regression', 'glm/regression.py')
# first_level.py is heavy: take mean_scaling, _yule_walker and run_glm's source
src = open(ROOT + 'glm/first_level/first_level.py').read()
from scipy.linalg import toeplitz
ns2 = {'np': np, 'warn': warnings.warn, 'find_stack_level': lambda: 1, 'toeplitz': toeplitz,
       'OLSModel': reg.OLSModel, 'ARModel': reg.ARModel, 'check_params': lambda x: None,
       'Parallel': None, 'delayed': None, 'RegressionResults': reg.RegressionResults, 'KMeans': None}
for fn in ['def mean_scaling', 'def _ar_model_fit', 'def _yule_walker', 'def run_glm']:
    i = src.index(fn); j = min(k for k in [src.find('\ndef ', i + 10), src.find('\n@', i + 10), src.find('\nclass ', i + 10)] if k > 0)
    body = src[i:j]
    body = body.replace(') -> tuple[np.ndarray, dict[str | float, RegressionResults]]:', '):').replace(') -> tuple[np.ndarray, np.ndarray]:', '):')
    exec(body, ns2)
# run_glm uses joblib Parallel: replace with a serial version
import joblib
ns2['Parallel'] = joblib.Parallel; ns2['delayed'] = joblib.delayed
mean_scaling, run_glm = ns2['mean_scaling'], ns2['run_glm']
# contrasts: compute_contrast and Contrast without the maskers
src = open(ROOT + 'glm/contrasts.py').read()
ns3 = {'np': np, 'pd': pd, 'sps': __import__('scipy.stats').stats, 'logger': sys.modules['nilearn._utils.logger'],
       'check_parameter_in_allowed': lambda *a, **k: None, 'pad_contrast': gu.pad_contrast, 'z_score': gu.z_score,
       'warnings': warnings, 'find_stack_level': lambda: 1, 'DEF_TINY': 1e-50, 'DEF_DOFMAX': 1e10}
for fn in ['class Contrast', 'def expression_to_contrast_vector', 'def compute_contrast']:
    i = src.index(fn); j = min(k for k in [src.find('\ndef ', i + 10), src.find('\nclass ', i + 10), src.find('\n@', i+10)] if k > 0)
    body = src[i:j].replace(') -> np.ndarray:', '):').replace(') -> Contrast:', '):')
    exec(body, ns3)
compute_contrast, expression_to_contrast_vector = ns3['compute_contrast'], ns3['expression_to_contrast_vector']


# ---- the comparison ----
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
warnings.simplefilter("ignore")
import json  # noqa: E402
import argparse  # noqa: E402
import nibabel as nib  # noqa: E402
import glm_reference as R  # noqa: E402
# args: the same as the reference CLI
argv = sys.argv[1:]
ap = argparse.ArgumentParser(); ap.add_argument('bold'); ap.add_argument('--events'); ap.add_argument('--confounds')
ap.add_argument('--mask'); ap.add_argument('--contrast', action='append'); ap.add_argument('--roi', action='append', default=[])
ap.add_argument('--hrf', default='spm'); ap.add_argument('--noise', default='ar1'); ap.add_argument('--strategy', default='6P')
ap.add_argument('--fd-threshold', type=float, default=0.9); ap.add_argument('--high-pass', type=float, default=0.01)
ap.add_argument('--slice-time-ref', type=float); ap.add_argument('--tr', type=float); ap.add_argument('--out'); ap.add_argument('--json', action='store_true')
A = ap.parse_args(argv)
img = nib.load(A.bold); side = json.load(open(A.bold.replace('.nii.gz', '.json')))
tr = A.tr or side['RepetitionTime']
ref = A.slice_time_ref if A.slice_time_ref is not None else (side['StartTime'] / tr if side.get('SliceTimingCorrected') else 0)
n = img.shape[3]
ft = np.linspace(ref * tr, (n - 1 + ref) * tr, n)
ev = pd.read_csv(A.events, sep='\t')
add, names = [], []
if A.confounds:
    cf = pd.read_csv(A.confounds, sep='\t').fillna(0)
    for c in R.strategy_columns(A.strategy):
        add.append(cf[c].to_numpy()); names.append(c)
    if A.fd_threshold > 0:
        for k, v in enumerate(np.nonzero(cf['framewise_displacement'].to_numpy() > A.fd_threshold)[0]):
            s = np.zeros(n); s[v] = 1; add.append(s); names.append(f'motion_outlier_{k:02d}')
X = dm.make_first_level_design_matrix(ft, ev, hrf_model=A.hrf, drift_model='cosine', high_pass=A.high_pass,
        add_regs=np.column_stack(add) if add else None, add_reg_names=names if add else None, min_onset=-24)
refX = pd.read_csv(A.out + '_design.tsv', sep='\t')
assert list(refX.columns) == list(X.columns), (list(refX.columns), list(X.columns))
print(f'design max |nilearn - reference| = {np.abs(refX.to_numpy() - X.to_numpy()).max():.2e}')
mask = np.asarray(nib.load(A.mask).dataobj) > 0
Y = img.get_fdata()[mask].T
Y, _ = mean_scaling(Y)
labels, results = run_glm(Y, X.to_numpy(), noise_model=A.noise)
if A.noise == 'ar1':
    rr = nib.load(A.out + '_ar1.nii.gz').get_fdata()[mask]
    lab = np.array([float(l) for l in labels])
    print(f'ar1 bins: {int((rr != lab).sum())} voxels differ, {len(set(lab))} bins')
for expr in A.contrast:
    label, e = R.split_label(expr)
    cv = expression_to_contrast_vector(e, list(X.columns))
    con = compute_contrast(labels, results, cv)
    got = {'effect': con.effect.ravel(), 'variance': con.variance, 't': con.stat(), 'p': con.p_value(), 'z': con.z_score()}
    line = []
    for k, v in got.items():
        r = nib.load(f'{A.out}_contrast-{label}_stat-{k}_statmap.nii.gz').get_fdata()[mask]
        d = np.abs(r - v) / np.maximum(np.abs(v), 1e-3 * np.abs(v).max())
        line.append(f'{k} {d.max():.1e}')
    print(f'  {label}: max rel diff ' + ', '.join(line))
