#!/usr/bin/env bash
# Oracle: `ketaprint dti` against DIPY 1.6 (python3-dipy, live) on DIPY's sample DWIs, plus bad-input
# checks. Run from the repo root after `mvn -B package -DskipTests`. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3)
T="$(mktemp -d)"
trap 'rm -rf "$T"' EXIT
D="$("${PY[@]}" -c 'import dipy, os; print(os.path.join(os.path.dirname(dipy.__file__), "data", "files"))')"
fail=0

for s in small_64D small_101D small_25; do
  img="$D/$s.nii.gz"; [ -f "$img" ] || img="$D/$s.nii"
  for m in wls ols; do
    bin/ketaprint dti "$img" --bval "$D/$s.bval" --bvec "$D/$s.bvec" --method "$m" --write-maps true --out "$T/${s}_$m" > /dev/null
    if ! "${PY[@]}" - "$img" "$D/$s" "$T/${s}_$m" "$m" <<'PYEOF'
import sys, warnings, numpy as np, nibabel as nib
from dipy.core.gradients import gradient_table
from dipy.io.gradients import read_bvals_bvecs
from dipy.segment.mask import median_otsu
import dipy.reconst.dti as dti
warnings.simplefilter("ignore")
img, base, pre, m = sys.argv[1:]
im = nib.load(img); data = im.get_fdata()
gtab = gradient_table(*read_bvals_bvecs(base + ".bval", base + ".bvec"))
_, dmask = median_otsu(data, vol_idx=np.where(gtab.b0s_mask)[0])
mask = nib.load(pre + "_mask.nii.gz").get_fdata() > 0
ok = True
def check(name, cond, detail):
    global ok
    print("  %-44s %s  %s" % (name, "ok  " if cond else "FAIL", detail))
    ok &= bool(cond)
tag = "%s %s det=%+.1f" % (img.split("/")[-1], m.upper(), np.linalg.det(im.affine[:3, :3]))
print(tag)
check("mask == dipy median_otsu", (mask == dmask).all(), "%d voxels" % mask.sum())
fit = dti.TensorModel(gtab, fit_method="WLS" if m == "wls" else "OLS", return_S0_hat=True).fit(data, dmask)
ref = {"FA": fit.fa, "MD": fit.md, "AD": fit.ad, "RD": fit.rd, "S0": fit.S0_hat}
for k, r in ref.items():
    mine = nib.load("%s_%s.nii.gz" % (pre, k)).get_fdata()
    check(k + " header affine == DWI affine", np.allclose(nib.load("%s_%s.nii.gz" % (pre, k)).affine, im.affine, atol=1e-4), "")
    d = np.abs(mine - r)[dmask]
    if k == "FA":
        check("FA within 1e-4 (abs) of DIPY", d.max() <= 1e-4, "max %.2e" % d.max())
    else:
        rel = (d / np.abs(r[dmask])).max()
        check(k + " within 1e-4 (relative) of DIPY", rel <= 1e-4, "max rel %.2e" % rel)
    check(k + " zero outside the mask", (mine[~dmask] == 0).all(), "")
v1 = nib.load(pre + "_V1.nii.gz").get_fdata()
ev = fit.evals
sep = dmask & (ev[..., 0] - ev[..., 1] > 1e-2 * ev[..., 0])
dot = np.abs((v1 * fit.evecs[..., :, 0]).sum(-1))[sep]
check("V1 parallel to DIPY's (|dot| > 1-1e-5)", dot.min() > 1 - 1e-5, "%d voxels, min %.8f" % (sep.sum(), dot.min()))
check("FA in [0, 1]", (nib.load(pre + "_FA.nii.gz").get_fdata() <= 1).all(), "")
sys.exit(0 if ok else 1)
PYEOF
    then fail=1; fi
  done
done

echo "median_otsu on every demo DWI (no --mask) vs DIPY's:"
for f in test-data/demo-bids/derivatives/qsiprep/sub-*/ses-*/dwi/*_dwi.nii.gz; do
  b="${f%.nii.gz}"; o="$T/demo_$(basename "$b")"
  bin/ketaprint dti "$f" --bval "$b.bval" --bvec "$b.bvec" --write-maps none --out "$o" > /dev/null
  if ! "${PY[@]}" - "$f" "$b" "$o" <<'PYEOF'
import sys, numpy as np, nibabel as nib
from dipy.core.gradients import gradient_table
from dipy.io.gradients import read_bvals_bvecs
from dipy.segment.mask import median_otsu
img, base, pre = sys.argv[1:]
gtab = gradient_table(*read_bvals_bvecs(base + ".bval", base + ".bvec"))
_, dmask = median_otsu(nib.load(img).get_fdata(), vol_idx=np.where(gtab.b0s_mask)[0])
mask = nib.load(pre + "_mask.nii.gz").get_fdata() > 0
ok = mask.shape == dmask.shape and (mask == dmask).all()
print("  %-60s %s  %d voxels" % (img.split("/")[-1], "ok  " if ok else "FAIL", dmask.sum()))
sys.exit(0 if ok else 1)
PYEOF
  then fail=1; fi
done

echo "cingulum features (ketaprint measure tensor_roi) vs DIPY maps + nibabel-resampled JHU-1mm labels:"
"${PY[@]}" - "$T" <<'PYEOF'
import sys, numpy as np, nibabel as nib
t = sys.argv[1]
rng = np.random.default_rng(3)
shape = (40, 45, 32)                       # a 2 mm MNI box holding both cingula
aff = np.diag([2.0, 2.0, 2.0, 1.0]); aff[:3, 3] = [-40, -60, -20]
g = rng.normal(size=(30, 3)); g /= np.linalg.norm(g, axis=1)[:, None]
bvec = np.vstack([np.zeros((2, 3)), g]); bval = np.r_[0, 0, np.full(30, 1000.0)]
n = np.prod(shape)
ev = np.sort(rng.uniform([0.3e-3, 0.2e-3, 0.1e-3], [2.0e-3, 0.9e-3, 0.6e-3], (n, 3)), axis=1)[:, ::-1]
q, _ = np.linalg.qr(rng.normal(size=(n, 3, 3)))
D = np.einsum("nik,nk,njk->nij", q, ev, q)
sig = 1000 * np.exp(-bval[None] * np.einsum("ti,nij,tj->nt", bvec, D, bvec)) + rng.normal(0, 10, (n, 32))
nib.save(nib.Nifti1Image(np.abs(sig).reshape(shape + (32,)).astype(np.float32), aff), t + "/mni_dwi.nii.gz")
nib.save(nib.Nifti1Image(np.ones(shape, np.uint8), aff), t + "/mni_mask.nii.gz")
np.savetxt(t + "/mni.bval", bval[None], fmt="%g"); np.savetxt(t + "/mni.bvec", bvec.T, fmt="%.10f")
np.savetxt(t + "/mni_dwi.bval", bval[None], fmt="%g"); np.savetxt(t + "/mni_dwi.bvec", bvec.T, fmt="%.10f")
PYEOF
# one measure per column, as the pipeline computes it (the DWI is in MNI space: --space says so)
head=(); vals=()
for pair in "cingulum_cg_l|Cingulum (cingulate gyrus) L" "cingulum_cg_r|Cingulum (cingulate gyrus) R" \
            "cingulum_hc_l|Cingulum (hippocampus) L" "cingulum_hc_r|Cingulum (hippocampus) R"; do
  stem="${pair%%|*}"; roi="${pair#*|}"
  for m in fa:mean md:mean fa:voxels; do
    map="${m%%:*}"; stat="${m#*:}"
    col="${stem}_${map}"; [ "$stat" = voxels ] && col="${stem}_voxels"
    v=$(bin/ketaprint measure tensor_roi --dwi "$T/mni_dwi.nii.gz" --mask "$T/mni_mask.nii.gz" --space MNI152 \
        --atlas /usr/share/mricron/templates/JHU-WhiteMatter-labels-1mm.nii.gz --fa-threshold 0.2 \
        --roi "$roi" --map "$map" --stat "$stat" 2>/dev/null)
    head+=("$col"); vals+=("$v")
  done
done
(IFS=$'\t'; echo "${head[*]}"; echo "${vals[*]}") > "$T/features.tsv"
if ! "${PY[@]}" - "$T" <<'PYEOF'
import sys, warnings, numpy as np, nibabel as nib
from dipy.core.gradients import gradient_table
from dipy.io.gradients import read_bvals_bvecs
import dipy.reconst.dti as dti
warnings.simplefilter("ignore")
t = sys.argv[1]
im = nib.load(t + "/mni_dwi.nii.gz")
fit = dti.TensorModel(gradient_table(*read_bvals_bvecs(t + "/mni.bval", t + "/mni.bvec")), fit_method="WLS").fit(im.get_fdata())
lab = nib.load("/usr/share/mricron/templates/JHU-WhiteMatter-labels-1mm.nii.gz")
ijk = np.indices(im.shape[:3]).reshape(3, -1).T
idx = np.floor(nib.affines.apply_affine(np.linalg.inv(lab.affine) @ im.affine, ijk) + 0.5).astype(int)
labels = np.asarray(lab.dataobj)[tuple(idx.T)].reshape(im.shape[:3])   # the box lies inside the atlas
head, vals = [l.rstrip("\n").split("\t") for l in open(t + "/features.tsv")]
got = dict(zip(head, map(float, vals)))
ok = True
for stem, no in (("cingulum_cg_l", 36), ("cingulum_cg_r", 35), ("cingulum_hc_l", 38), ("cingulum_hc_r", 37)):
    sel = (labels == no) & (fit.fa > 0.2)
    for col, ref in ((stem + "_fa", fit.fa[sel].mean()), (stem + "_md", fit.md[sel].mean()),
                     (stem + "_voxels", sel.sum())):
        good = abs(got[col] - ref) <= 1e-5 * abs(ref)
        ok &= good
        print("  %-22s %s  ketaprint %.7g  DIPY+numpy %.7g" % (col, "ok  " if good else "FAIL", got[col], ref))
sys.exit(0 if ok else 1)
PYEOF
then fail=1; fi

echo "bad inputs (exit 2, one line naming the file):"
s="$D/small_25"
expect_error() {   # description, pattern, command...
  local what="$1" pat="$2"; shift 2
  set +e; "$@" > /dev/null 2> "$T/err"; rc=$?; set -e
  if [ "$rc" = 2 ] && [ "$(wc -l < "$T/err")" = 1 ] && grep -q -- "$pat" "$T/err"; then
    echo "  ok    $what: $(cat "$T/err")"
  else
    echo "  FAIL  $what: rc=$rc $(cat "$T/err")"; fail=1
  fi
}
head -c 60 "$s.bval" > "$T/short.bval"
expect_error "bval count != volumes" "short.bval" bin/ketaprint dti "$s.nii.gz" --bval "$T/short.bval" --bvec "$s.bvec" --out "$T/x"
head -2 "$s.bvec" > "$T/two.bvec"
expect_error "bvec with 2 rows" "two.bvec" bin/ketaprint dti "$s.nii.gz" --bval "$s.bval" --bvec "$T/two.bvec" --out "$T/x"
sed 's/^0 /2000 /' "$s.bval" > "$T/nob0.bval"
expect_error "no b0 / zero vector for b>0" "nob0.bval\|two.bvec\|small_25.bvec" bin/ketaprint dti "$s.nii.gz" --bval "$T/nob0.bval" --bvec "$s.bvec" --out "$T/x"
"${PY[@]}" -c "
import numpy as np, nibabel as nib
im = nib.load('$s.nii.gz'); d = im.get_fdata().astype(np.float32); d[4, 4, 1, 3] = np.nan
nib.save(nib.Nifti1Image(d, im.affine), '$T/nan.nii.gz')
nib.save(nib.Nifti1Image(np.ones((5, 5, 5), np.uint8), im.affine), '$T/wrongmask.nii.gz')"
expect_error "mask on another grid" "wrongmask" bin/ketaprint dti "$s.nii.gz" --bval "$s.bval" --bvec "$s.bvec" --mask "$T/wrongmask.nii.gz" --out "$T/x"
bin/ketaprint dti "$T/nan.nii.gz" --bval "$s.bval" --bvec "$s.bvec" --out "$T/nan" > /dev/null 2> "$T/err" || true
if grep -q "NaN/Inf" "$T/err" && "${PY[@]}" -c "
import numpy as np, nibabel as nib, sys
fa = nib.load('$T/nan_FA.nii.gz').get_fdata(); sys.exit(0 if np.isnan(fa[4, 4, 1]) and np.isnan(fa).sum() == 1 else 1)"; then
  echo "  ok    NaN signal: warned, that voxel's FA is NaN, no other: $(head -1 "$T/err")"
else
  echo "  FAIL  NaN signal: $(cat "$T/err")"; fail=1
fi

[ "$fail" = 0 ] && echo "diffusion_dti: all checks passed" || echo "diffusion_dti: FAILURES"
exit "$fail"
