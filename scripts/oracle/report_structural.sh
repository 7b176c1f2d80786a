#!/usr/bin/env bash
# Oracle (issue 17): the structural figures of the session reports against nibabel (report_structural.py), on the
# demo (sub-01/02 have a T1w on the segmentation's grid; sub-03 has none: drawn on the segmentation) and on a copy
# whose sub-03 ses-pre T1w is on another grid (1 mm, LAS: resampled to the segmentation's grid for the figures).
# Run from the repo root after `mvn -B package -DskipTests`. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
PY=/usr/bin/python3
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
bin/ketaprint test-data/demo-bids "$tmp/out" participant --atlas-dir test-data/demo-atlases --nthreads 2 > "$tmp/log" 2>&1 \
  || { cat "$tmp/log"; echo "FAIL: demo run"; exit 1; }
$PY scripts/oracle/report_structural.py "$tmp/out" sub-01_ses-pre=t1w,sub-02_ses-post=t1w,sub-03_ses-pre=seg

cp -rL test-data/demo-bids "$tmp/bids"
anat="$tmp/bids/derivatives/fmriprep/sub-03/ses-pre/anat"
$PY - "$anat" <<'PYEOF'
import sys, numpy as np, nibabel as nib
d = sys.argv[1]
from scipy.ndimage import map_coordinates
seg = nib.load(d + "/sub-03_ses-pre_desc-aseg_dseg.nii.gz")
aff = np.array([[-1.0, 0, 0, 30], [0, 1, 0, -30], [0, 0, 1, -32], [0, 0, 0, 1]])
shape = (62, 62, 62)
ijk = np.indices(shape).reshape(3, -1)
world = aff[:3, :3] @ ijk + aff[:3, 3:]
vox = np.linalg.inv(seg.affine)[:3, :3] @ world + np.linalg.inv(seg.affine)[:3, 3:]
lab = map_coordinates(np.asarray(seg.dataobj), vox, order=0, cval=0).reshape(shape)
t1 = np.where(lab > 0, 60 + (lab % 7) * 12, 5) + np.random.default_rng(3).normal(0, 2, shape)
nib.save(nib.Nifti1Image(t1.astype(np.float32), aff), d + "/sub-03_ses-pre_desc-preproc_T1w.nii.gz")
PYEOF
bin/ketaprint "$tmp/bids" "$tmp/out2" participant --participant-label 03 --session-label pre --atlas-dir test-data/demo-atlases \
  > "$tmp/log2" 2>&1 || { cat "$tmp/log2"; echo "FAIL: run with a T1w"; exit 1; }
$PY scripts/oracle/report_structural.py "$tmp/out2" sub-03_ses-pre=t1w
grep -q "resampled to the segmentation" "$tmp/out2/sub-03/ses-pre/sub-03_ses-pre_report.html" || { echo "FAIL: the resampling is not said"; exit 1; }
grep -q "desc-preproc_T1w" "$tmp/out2/sub-03/ses-pre/sub-03_ses-pre_provenance.json" || { echo "FAIL: the T1w is not in the provenance"; exit 1; }
echo "report_structural: all checks passed"
