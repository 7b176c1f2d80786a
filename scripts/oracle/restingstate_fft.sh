#!/usr/bin/env bash
# Oracle (issue 15): ketaprint seedcorr/alff without censoring against scripts/oracle/restingstate_fft.py,
# a second reference by another method (FFT band-stop + Frisch-Waugh-Lovell with statsmodels OLS, no
# joint design), on a fresh even-length phantom. Run from the repo root after `mvn -B package -DskipTests`.
# Prints one line per case; exits non-zero on any mismatch.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
PY=/usr/bin/python3
FFT=scripts/oracle/restingstate_fft.py
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export KETAPRINT_JAVA_OPTS="${KETAPRINT_JAVA_OPTS:-} -Xmx2g"
fail=0

# the phantom only (150 volumes, TR 2 s); the reference below shares no code with this script
$PY scripts/restingstate_reference.py phantom "$tmp/d" --seed 23
D="$tmp/d"
n=$($PY -c "import nibabel; print(nibabel.load('$D/bold.nii.gz').shape[3])")
echo "restingstate FFT oracle: phantom seed 23, $n volumes, no censoring"
base=("$D/bold.nii.gz" --mask "$D/brain_mask.nii.gz" --confounds "$D/confounds.tsv" --fd-threshold 0)
SG=sphere:6,16,-10,10
DL=sphere:38,44,26,10
cases=(
  "fc_24p|seedcorr|--strategy 24P --seed $SG --target $DL"
  "fc_24p_gsr|seedcorr|--strategy 24P+gsr --seed $SG --target $DL"
  "fc_36p|seedcorr|--strategy 36P --seed $SG --target $DL"
  "fc_cols_band2|seedcorr|--columns trans_x,rot_y,csf,a_comp_cor_02 --band 0.009,0.08 --seed $SG --target $DL"
  "fc_6p_acompcor_band3|seedcorr|--strategy 6P+acompcor --band 0.02,0.15 --seed $DL --target $SG"
  "alff_24p|alff|--strategy 24P --roi $SG"
  "alff_24p_gsr|alff|--strategy 24P+gsr --roi $DL"
  "alff_36p|alff|--strategy 36P --roi $SG"
  "alff_cols_band2|alff|--columns trans_x,rot_y,csf,a_comp_cor_02 --band 0.009,0.08 --roi $DL"
)
for c in "${cases[@]}"; do
  IFS='|' read -r name kind opts <<<"$c"
  # shellcheck disable=SC2086
  bin/ketaprint $kind "${base[@]}" $opts --out-map "$tmp/kp_$name" --json >"$tmp/kp_$name.json" 2>"$tmp/kp_$name.err" || {
    echo "  $name: FAIL: ketaprint exited $?: $(grep -v WARNING "$tmp/kp_$name.err")"; fail=1; continue; }
  # shellcheck disable=SC2086
  $PY $FFT compare "$name" $kind "$tmp/kp_$name" "${base[@]}" $opts || fail=1
done
# the equivalence the reference rests on, shown on the mask's varying voxels
$PY $FFT joint "${base[@]}" --strategy 24P+gsr || fail=1
$PY $FFT joint "${base[@]}" --columns trans_x,rot_y,csf,a_comp_cor_02 --band 0.009,0.08 || fail=1

[ $fail = 0 ] && echo "restingstate FFT oracle: all checks passed" || echo "restingstate FFT oracle: FAILURES"
exit $fail
