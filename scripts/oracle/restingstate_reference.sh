#!/usr/bin/env bash
# Oracle: ketaprint seedcorr/alff/gbc against scripts/restingstate_reference.py (numpy lstsq, nibabel
# resampling) on a freshly generated phantom (another random seed than the committed one) and on the real
# AAL atlas from mricron-data. Run from the repo root after `mvn -B package -DskipTests`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
PY=/usr/bin/python3
REF=scripts/restingstate_reference.py
AAL=/usr/share/mricron/templates/aal.nii.gz
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export KETAPRINT_JAVA_OPTS="${KETAPRINT_JAVA_OPTS:-} -Xmx2g"
fail=0

echo "restingstate oracle: phantom with seed 11 in $tmp"
$PY $REF phantom "$tmp/d" --seed 11
D="$tmp/d"
base=("$D/bold.nii.gz" --mask "$D/brain_mask.nii.gz" --confounds "$D/confounds.tsv")
SG=sphere:6,16,-10,10
DL=sphere:38,44,26,10
cases=(
  "fc|seedcorr|--strategy 24P --seed $SG --target $DL"
  "fc_gsr|seedcorr|--strategy 24P+gsr --seed $SG --target $DL"
  "fc_27p|seedcorr|--strategy 27P --fd-threshold 0.3 --seed $SG --target $DL"
  "fc_cols|seedcorr|--columns trans_x,rot_y,csf,a_comp_cor_02 --band 0.009,0.08 --seed $SG --target $DL"
  "alff|alff|--strategy 24P --roi $SG"
  "alff_36p|alff|--strategy 36P --roi $DL"
  "alff_saturated|alff|--strategy 36P --band 0.01,0.08 --roi $DL"
  "gbc_gsr|gbc|--strategy 24P+gsr --gm-mask $D/gm_mask.nii.gz --roi $DL"
)
if [ -f "$AAL" ]; then
  cases+=("fc_aal|seedcorr|--strategy 24P+gsr --seed $SG --target atlas:$AAL:Frontal_Mid_R+Frontal_Sup_R")
  cases+=("gbc_aal|gbc|--strategy 24P --gm-mask $D/gm_mask.nii.gz --roi atlas:$AAL:Frontal_Mid_R")
else
  echo "  (no $AAL: AAL cases skipped)"
fi
for c in "${cases[@]}"; do
  IFS='|' read -r name kind opts <<<"$c"
  # shellcheck disable=SC2086
  $PY $REF compute $kind "${base[@]}" $opts --out-map "$tmp/ref_$name" >"$tmp/ref_$name.json"
  # shellcheck disable=SC2086
  bin/ketaprint $kind "${base[@]}" $opts --out-map "$tmp/kp_$name" --json >"$tmp/kp_$name.json" 2>"$tmp/kp_$name.err" || {
    echo "FAIL $name: ketaprint exited $?: $(grep -v WARNING "$tmp/kp_$name.err")"; fail=1; continue; }
  if ! $PY - "$tmp" "$name" <<'PY'
import glob, json, os, sys
import nibabel as nib, numpy as np
tmp, name = sys.argv[1], sys.argv[2]
ref = json.load(open(f"{tmp}/ref_{name}.json"))
got = json.load(open(f"{tmp}/kp_{name}.json"))
bad = []
if ("na_reason" in ref) != (got.get("na_reason") is not None):
    bad.append(f"n/a differs: reference {ref.get('na_reason')}, ketaprint {got.get('na_reason')}")
# ketaprint reports the quality values by the quality measure's names (n_used, n_censored, fd_mean)
for k, g in (("n_volumes_used", "n_used"), ("n_volumes_censored", "n_censored")):
    if ref[k] != got[g]:
        bad.append(f"{g} {got[g]} != {ref[k]}")
for k, g in (("r", "r"), ("z", "z"), ("alff", "alff"), ("falff", "falff"), ("gbc_z", "gbc_z"), ("fd_mean_mm", "fd_mean")):
    if k in ref and ref[k] is not None:
        if got.get(g) is None or abs(got[g] - ref[k]) > 1e-6 * max(1, abs(ref[k])):
            bad.append(f"{g} {got.get(g)} != {ref[k]}")
maps = [f"{tmp}/ref_{name}{s}.nii.gz" for s in ("_r", "_z", "_alff", "_falff", "_gbc")
        if os.path.exists(f"{tmp}/ref_{name}{s}.nii.gz")]
worst = 0.0
nvox = 0
for m in maps:
    a = nib.load(m).get_fdata()
    b = nib.load(m.replace("/ref_", "/kp_")).get_fdata()
    if not np.array_equal(np.isnan(a), np.isnan(b)):
        bad.append(os.path.basename(m) + ": NaN voxels differ")
        continue
    f = ~np.isnan(a)
    nvox += int((a[f] != 0).sum())
    if (a[f] != 0).sum() < 100:
        bad.append(os.path.basename(m) + ": fewer than 100 nonzero voxels to compare")
    d = np.abs(a[f] - b[f]) / np.maximum(1, np.abs(a[f]))
    worst = max(worst, float(d.max()))
    if d.max() > 1e-5:
        bad.append(f"{os.path.basename(m)}: max per-voxel difference {d.max():.2e} > 1e-5")
feat = {k: ref[k] for k in ("r", "z", "alff", "falff", "gbc_z") if k in ref}
print(f"  {name}: " + (f"n/a ({got.get('na_reason')}) " if "na_reason" in ref else "") + f"features {feat} used={ref['n_volumes_used']} censored={ref['n_volumes_censored']}; "
      f"{len(maps)} maps ({nvox} nonzero voxels), worst per-voxel diff {worst:.1e}" + ("" if not bad else "  FAIL: " + "; ".join(bad)))
sys.exit(1 if bad else 0)
PY
  then fail=1; fi
done

echo "restingstate oracle: planted truth (24P+gsr r = rho = 0.3 exactly on the kept volumes)"
r=$(bin/ketaprint seedcorr "${base[@]}" --strategy 24P+gsr --seed $SG --target $DL --json 2>/dev/null | $PY -c 'import json,sys; print(json.load(sys.stdin)["r"])')
$PY -c "import sys; r=float('$r'); ok=abs(r-0.3)<1e-5; print(f'  r = {r:.7f}', 'ok' if ok else 'FAIL'); sys.exit(0 if ok else 1)" || fail=1

echo "restingstate oracle: bad input gives one line and exit 2"
bin/ketaprint seedcorr "${base[@]}" --seed sphere:-70,-100,0,5 --target $DL >/dev/null 2>"$tmp/err" && code=0 || code=$?
out=$(grep -v WARNING "$tmp/err" || true)
if [ "$code" = 2 ] && [ "$(echo "$out" | wc -l)" = 1 ] && echo "$out" | grep -q "no voxel inside the brain mask"; then
  echo "  ROI outside the mask: ok ($out)"
else
  echo "  ROI outside the mask: FAIL (exit $code: $out)"; fail=1
fi
[ $fail = 0 ] && echo "restingstate oracle: all checks passed" || echo "restingstate oracle: FAILURES"
exit $fail
