#!/usr/bin/env bash
# Benchmark: ketaprint dti vs DIPY 1.6 TensorModel(fit_method='WLS') on the same synthetic 2 mm
# whole-brain DWI (91x109x91, ~250k mask voxels, 64 directions + 5 b0s, int16 .nii), in the same run.
# Run from the repo root after `mvn -B package -DskipTests`. Data goes to $BENCH_DIR (not committed).
set -euo pipefail
cd "$(dirname "$0")/../.."
W="${BENCH_DIR:-/tmp/ketaprint-bench-dti}"
PY=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3)
mkdir -p "$W"

if [ ! -f "$W/dwi.nii" ]; then
  echo "making synthetic DWI in $W ..."
  "${PY[@]}" - "$W" <<'PYEOF'
import sys, numpy as np, nibabel as nib
w = sys.argv[1]
rng = np.random.default_rng(0)
shape = (91, 109, 91)
aff = np.array([[-2, 0, 0, 90], [0, 2, 0, -126], [0, 0, 2, -72], [0, 0, 0, 1.0]])
g = np.loadtxt("test-data/diffusion/small_64D.bvec")[1:]     # DIPY's 64 directions (file is 65 x 3)
g /= np.linalg.norm(g, axis=1)[:, None]
bvec = np.vstack([np.zeros((5, 3)), g])
bval = np.r_[np.zeros(5), np.full(64, 1000.0)]
i, j, k = np.indices(shape)
c = (np.array(shape) - 1) / 2
mask = ((i - c[0]) / 36) ** 2 + ((j - c[1]) / 44) ** 2 + ((k - c[2]) / 38) ** 2 <= 1
n = int(mask.sum())
ev = np.sort(rng.uniform([0.3e-3, 0.2e-3, 0.1e-3], [2.0e-3, 0.9e-3, 0.6e-3], (n, 3)), axis=1)[:, ::-1]
q, _ = np.linalg.qr(rng.normal(size=(n, 3, 3)))
D = np.einsum("nik,nk,njk->nij", q, ev, q)
s0 = rng.uniform(500, 1500, n)
sig = s0[:, None] * np.exp(-bval[None, :] * np.einsum("ti,nij,tj->nt", bvec, D, bvec))
sig = np.abs(sig + rng.normal(0, 20, sig.shape) + 1j * rng.normal(0, 20, sig.shape))   # Rician noise
data = np.abs(rng.normal(0, 20, shape + (69,)))                                          # background
data[mask] = sig
nib.save(nib.Nifti1Image(np.round(data).astype(np.int16), aff), w + "/dwi.nii")
nib.save(nib.Nifti1Image(mask.astype(np.uint8), aff), w + "/mask.nii.gz")
np.savetxt(w + "/dwi.bval", bval[None], fmt="%g")
np.savetxt(w + "/dwi.bvec", bvec.T, fmt="%.8f")
print("mask voxels:", n)
PYEOF
fi

REPS="${REPS:-3}"
echo "machine: $(nproc) cores, load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
kp_best=0; dipy_best=0
for r in $(seq "$REPS"); do
  kp_out=$(bin/ketaprint dti "$W/dwi.nii" --bval "$W/dwi.bval" --bvec "$W/dwi.bvec" --mask "$W/mask.nii.gz" --method wls --out "$W/kp")
  echo "run $r ketaprint: $(echo "$kp_out" | head -1)"
  v=$(echo "$kp_out" | sed -n 's/.*(\([0-9.]*\) voxels\/s.*/\1/p')
  kp_best=$(awk -v a="$v" -v b="$kp_best" 'BEGIN { print (a > b ? a : b) }')
  v=$("${PY[@]}" - "$W" <<'PYEOF'
import sys, time, warnings, numpy as np, nibabel as nib
from dipy.core.gradients import gradient_table
from dipy.io.gradients import read_bvals_bvecs
import dipy.reconst.dti as dti
warnings.simplefilter("ignore")
w = sys.argv[1]
data = nib.load(w + "/dwi.nii").get_fdata()
mask = nib.load(w + "/mask.nii.gz").get_fdata() > 0
gtab = gradient_table(*read_bvals_bvecs(w + "/dwi.bval", w + "/dwi.bvec"))
t = time.perf_counter(); c = time.process_time()
fit = dti.TensorModel(gtab, fit_method="WLS").fit(data, mask)
fa, md = fit.fa, fit.md
dt = time.perf_counter() - t; dc = time.process_time() - c
n = int(mask.sum())
mine = nib.load(w + "/kp_FA.nii.gz").get_fdata()
mmd = nib.load(w + "/kp_MD.nii.gz").get_fdata()
print("DIPY: WLS fit of %d voxels in %.2f s (%.0f voxels/s, CPU %.2f s); vs ketaprint: max |dFA| %.1e, max |dMD|/MD %.1e"
      % (n, dt, n / dt, dc, np.abs(mine - fa)[mask].max(), (np.abs(mmd - md) / md)[mask].max()), file=sys.stderr)
print("%.1f" % (n / dt))
PYEOF
  2> >(sed "s/^/run $r /" >&2))
  dipy_best=$(awk -v a="$v" -v b="$dipy_best" 'BEGIN { print (a > b ? a : b) }')
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "best of $REPS: ketaprint $kp_best voxels/s (fit incl. streaming the DWI from disk, all cores)"
echo "best of $REPS: DIPY      $dipy_best voxels/s (fit only, data already in memory)"
awk -v a="$kp_best" -v b="$dipy_best" 'BEGIN { printf "ratio ketaprint/DIPY: %.1fx\n", a / b }'
