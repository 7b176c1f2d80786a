#!/usr/bin/env bash
# Oracle (issue 17): the diffusion figures of the session reports against nibabel and DIPY (report_diffusion.py), on
# the demo, then on sub-01 ses-pre rebuilt as a noise-free DWI stored A-L-S (axes permuted, det > 0: FSL's bvec x flip
# applies) with fibres in every direction, whose V1 colours must also equal the known |direction| * FA.
# Run from the repo root after `mvn -B package -DskipTests`. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
PY=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3)
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
bin/ketaprint test-data/demo-bids "$tmp/out" participant --atlas-dir test-data/demo-atlases --nthreads 2 > "$tmp/log" 2>&1 \
  || { cat "$tmp/log"; echo "FAIL: demo run"; exit 1; }
"${PY[@]}" scripts/oracle/report_diffusion.py "$tmp/out"

cp -rL test-data/demo-bids "$tmp/bids"
"${PY[@]}" - "$tmp/bids/derivatives/qsiprep/sub-01/ses-pre/dwi" "$tmp/truth.nii.gz" <<'PYEOF'
import sys, numpy as np, nibabel as nib
d, truth = sys.argv[1:]
stem = d + "/sub-01_ses-pre_space-MNI152NLin6Asym_desc-preproc_dwi"
mpath = d + "/sub-01_ses-pre_space-MNI152NLin6Asym_desc-brain_mask.nii.gz"
old = nib.load(stem + ".nii.gz")
assert nib.aff2axcodes(old.affine) == ("L", "A", "S")
aff = np.array([[0, -4, 0, 0], [4, 0, 0, 0], [0, 0, 4, 0], [0, 0, 0, 1.0]])   # i -> A, j -> L, k -> S
aff[:3, 3] = old.affine[:3, 3]                                                  # the same voxel centres as the demo's
mask = np.asarray(nib.load(mpath).dataobj).transpose(1, 0, 2)
shape = mask.shape
bval = np.loadtxt(stem + ".bval")
bvec = np.loadtxt(stem + ".bvec").T
i, j, k = np.indices(shape)
a, b = np.pi * i / shape[0], 2 * np.pi * (k / shape[2] + j / shape[1])
w = np.stack([np.cos(a), np.sin(a) * np.cos(b), np.sin(a) * np.sin(b)], -1)   # fibre direction, world axes
ev = np.stack([np.full(shape, 1.7e-3), 0.4e-3 + 0.5e-3 * j / shape[1], np.full(shape, 0.3e-3)], -1)
vb = w @ (aff[:3, :3] / 4)                  # to voxel axes (the rotation's transpose) ...
vb[..., 0] *= -1                            # ... and to FSL's bvec frame (det > 0: x flipped)
e2 = np.cross(vb, [0.3, 0.5, 0.8]); e2 /= np.linalg.norm(e2, axis=-1, keepdims=True)
e3 = np.cross(vb, e2)
D = sum(ev[..., n, None, None] * e[..., :, None] * e[..., None, :] for n, e in enumerate((vb, e2, e3)))
sig = 1000 * np.exp(-bval * np.einsum("ti,...ij,tj->...t", bvec, D, bvec))
nib.save(nib.Nifti1Image(sig.astype(np.float32), aff), stem + ".nii.gz")
nib.save(nib.Nifti1Image(mask.astype(np.uint8), aff), mpath)
fa = np.sqrt(0.5 * ((ev[..., 0] - ev[..., 1]) ** 2 + (ev[..., 1] - ev[..., 2]) ** 2 + (ev[..., 2] - ev[..., 0]) ** 2)
             / (ev ** 2).sum(-1))
nib.save(nib.Nifti1Image((np.abs(w) * (fa * (mask > 0))[..., None]).astype(np.float32), aff), truth)
PYEOF
bin/ketaprint "$tmp/bids" "$tmp/out2" participant --participant-label 01 --session-label pre --atlas-dir test-data/demo-atlases \
  --nthreads 2 > "$tmp/log2" 2>&1 || { cat "$tmp/log2"; echo "FAIL: run on the permuted DWI"; exit 1; }
"${PY[@]}" scripts/oracle/report_diffusion.py "$tmp/out2" "$tmp/truth.nii.gz"
echo "report_diffusion: all checks passed"
