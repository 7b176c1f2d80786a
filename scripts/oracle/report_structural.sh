#!/usr/bin/env bash
# Oracle (issue 17): the structural figures of the session reports against nibabel (report_structural.py), on the
# demo (no T1w: drawn on the segmentation) and on a copy of it with a T1w added for sub-01 ses-pre (drawn on it).
# Run from the repo root after `mvn -B package -DskipTests`. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
PY=/usr/bin/python3
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
bin/ketaprint test-data/demo-bids "$tmp/out" participant --atlas-dir test-data/demo-atlases --nthreads 2 > "$tmp/log" 2>&1 \
  || { cat "$tmp/log"; echo "FAIL: demo run"; exit 1; }
$PY scripts/oracle/report_structural.py "$tmp/out" seg

cp -rL test-data/demo-bids "$tmp/bids"
anat="$tmp/bids/derivatives/fmriprep/sub-01/ses-pre/anat"
$PY - "$anat" <<'PYEOF'
import sys, numpy as np, nibabel as nib
d = sys.argv[1]
seg = nib.load(d + "/sub-01_ses-pre_desc-aseg_dseg.nii.gz")
lab = np.asarray(seg.dataobj)
t1 = np.where(lab > 0, 60 + (lab % 7) * 12, 5) + np.random.default_rng(3).normal(0, 2, lab.shape)
nib.save(nib.Nifti1Image(t1.astype(np.float32), seg.affine), d + "/sub-01_ses-pre_desc-preproc_T1w.nii.gz")
PYEOF
bin/ketaprint "$tmp/bids" "$tmp/out2" participant --participant-label 01 --session-label pre --atlas-dir test-data/demo-atlases \
  > "$tmp/log2" 2>&1 || { cat "$tmp/log2"; echo "FAIL: run with a T1w"; exit 1; }
$PY scripts/oracle/report_structural.py "$tmp/out2" t1w
grep -q "desc-preproc_T1w" "$tmp/out2/sub-01/ses-pre/sub-01_ses-pre_provenance.json" || { echo "FAIL: the T1w is not in the provenance"; exit 1; }
echo "report_structural: all checks passed"
