#!/usr/bin/env bash
# Oracle: `ketaprint glm` (first-level task-fMRI GLM) against scripts/oracle/glm_reference.py, an independent
# numpy/scipy implementation of nilearn FirstLevelModel's definitions, on a planted run
# (scripts/oracle/make_glm_planted.py, fresh in a temp dir). Run from anywhere after `mvn -B package
# -DskipTests` (it builds nothing). Steps:
#   1. the reference's self-test (nilearn docstring values, z accuracy to |z| ~ 37, parser, estimability)
#   2. ketaprint and the reference on the same inputs, several configurations: design, the five stat maps of
#      every contrast, the ar1 map, the JSON (scalars, weights, ROI values) compared (glm_compare.py compare)
#   3. the planted truth recovered (glm_compare.py planted)
#   4. bad input: one line on stderr naming the problem, non-zero exit, no stack trace; onsets past the end
#      warn and succeed; a run shorter than the HRF is handled
#   5. negative controls: the checker flags a reference whose design is off by 1e-6 and one that rounds the
#      rho bins instead of truncating them
# GLM_ORACLE_CMD replaces the command under test (default "bin/ketaprint glm"); the harness itself can be
# exercised with GLM_ORACLE_CMD="/usr/bin/python3 scripts/oracle/glm_reference.py".
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
PY=/usr/bin/python3
REF=scripts/oracle/glm_reference.py
CMP=scripts/oracle/glm_compare.py
read -r -a KP <<<"${GLM_ORACLE_CMD:-bin/ketaprint glm}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export KETAPRINT_JAVA_OPTS="${KETAPRINT_JAVA_OPTS:-} -Xmx2g"
fail=0
failed=()

echo "glm oracle: reference self-test"
if ! $PY $REF --selftest; then fail=1; failed+=("selftest"); fi

echo "glm oracle: planted run (seed 7) in $tmp/d"
$PY scripts/oracle/make_glm_planted.py "$tmp/d" --seed 7
D="$tmp/d"
S=sub-01_task-faces
BOLD="$D/${S}_bold.nii.gz"
EV="$D/${S}_events.tsv"
CONF="$D/${S}_desc-confounds_timeseries.tsv"
MASK="$D/${S}_desc-brain_mask.nii.gz"
ROI=$($PY -c "import json; print(json.load(open('$D/truth.json'))['roi'])")
CTL=$($PY -c "import json; print(json.load(open('$D/truth.json'))['control_roi'])")
HOT=$($PY -c "import json; print(json.load(open('$D/truth.json'))['hot_roi'])")
C3=(--contrast "fearful - neutral" --contrast target --contrast "avg=0.5*fearful + 0.5*neutral - target")
# 'neutral' and its negative reach |z| ~ 15 .. 37 (the p = 1e-300 clip) in the hot sphere: the tails of t -> z
C5=("${C3[@]}" --contrast neutral --contrast "neg=-neutral")
R2=(--roi "$ROI" --roi "$CTL")
R3=("${R2[@]}" --roi "$HOT")

# run_pair NAME BOLD MASK ARGS...: the reference and ketaprint on the same arguments (+ --out, --json)
run_pair() {
  local name=$1 bold=$2 mask=$3
  shift 3
  $PY $REF "$bold" --mask "$mask" "$@" --out "$tmp/ref_$name" --json >"$tmp/ref_$name.json" 2>"$tmp/ref_$name.err" || {
    echo "  $name: FAIL: the reference exited $?: $(cat "$tmp/ref_$name.err")"; return 1; }
  "${KP[@]}" "$bold" --mask "$mask" "$@" --out "$tmp/kp_$name" --json >"$tmp/kp_$name.json" 2>"$tmp/kp_$name.err" || {
    echo "  $name: FAIL: ketaprint exited $?: $(head -5 "$tmp/kp_$name.err")"; return 1; }
}

# case_cmp NAME ARGS...: run both on the planted run and compare everything (CASE_BOLD replaces the BOLD)
case_cmp() {
  local name=$1
  shift
  if run_pair "$name" "${CASE_BOLD:-$BOLD}" "$MASK" "$@" \
      && $PY $CMP compare "$name" "$tmp/ref_$name" "$tmp/kp_$name" "$MASK"; then
    :
  else
    fail=1; failed+=("$name")
  fi
}

echo "glm oracle: ketaprint vs reference (tolerances: glm_compare.py's docstring)"
case_cmp default --events "$EV" --confounds "$CONF" "${C5[@]}" "${R3[@]}"
case_cmp ols --events "$EV" --confounds "$CONF" --noise ols "${C5[@]}" "${R3[@]}"
case_cmp glover_dd --events "$EV" --confounds "$CONF" --hrf "glover + derivative + dispersion" \
  --contrast "fearful - neutral" --contrast "fd=fearful_derivative" --contrast "td=target_dispersion" "${R2[@]}"
# (an unlabelled single column name is its BIDS-safe camel case: contrast-fearfulDerivative_...)
case_cmp spm_d --events "$EV" --confounds "$CONF" --hrf "spm + derivative" --noise ols \
  --contrast "fearful - neutral" --contrast "dd=fearful_derivative - neutral_derivative" \
  --contrast fearful_derivative "${R2[@]}"
case_cmp glover --events "$EV" --confounds "$CONF" --hrf glover --contrast "fearful - neutral" "${R2[@]}"
case_cmp str05_explicit --events "$EV" --confounds "$CONF" --slice-time-ref 0.5 --tr 2 \
  --contrast "fearful - neutral" "${R2[@]}"
case_cmp str0 --events "$EV" --confounds "$CONF" --slice-time-ref 0 --contrast "fearful - neutral" "${R2[@]}"
case_cmp none_fd0 --events "$EV" --confounds "$CONF" --strategy none --fd-threshold 0 "${C3[@]}" "${R2[@]}"
case_cmp cols_hp --events "$EV" --confounds "$CONF" --strategy trans_x,rot_z,framewise_displacement,csf \
  --fd-threshold 0.5 --high-pass 0.008 --contrast "fearful - neutral" --contrast "m=trans_x" "${R2[@]}"
case_cmp no_confounds --events "$EV" --strategy none --contrast "fearful - neutral" "${R2[@]}"
case_cmp bids_extra_columns --events "$D/events_bids_extra.tsv" --confounds "$CONF" "${C3[@]}" "${R2[@]}"
# a TR that is no binary fraction and a slice-timing reference of 0.3 (the high-res grid is then irregular in
# its last bits; many events fall past the shorter run: warnings)
case_cmp tr072_ref03 --events "$EV" --confounds "$CONF" --tr 0.72 --slice-time-ref 0.3 --high-pass 0.02 \
  --contrast "fearful - neutral" --contrast target "${R2[@]}"
# no sidecar: TR from the NIfTI header (pixdim[4] = 2 s), slice_time_ref 0
cp "$BOLD" "$tmp/nosidecar_bold.nii.gz"
CASE_BOLD="$tmp/nosidecar_bold.nii.gz" case_cmp no_sidecar --events "$EV" --confounds "$CONF" \
  --contrast "fearful - neutral" "${R2[@]}"
# explicit --slice-time-ref 0.5 --tr 2 must equal the sidecar's defaults
if [ -f "$tmp/kp_default_design.tsv" ] && [ -f "$tmp/kp_str05_explicit_design.tsv" ]; then
  if cmp -s "$tmp/kp_default_design.tsv" "$tmp/kp_str05_explicit_design.tsv"; then
    echo "  sidecar StartTime / RepetitionTime = explicit --slice-time-ref 0.5 --tr 2: same design  ok"
  else
    echo "  sidecar StartTime / RepetitionTime vs explicit --slice-time-ref 0.5 --tr 2: designs differ  FAIL"
    fail=1; failed+=("sidecar")
  fi
fi

echo "glm oracle: planted truth (fearful - neutral = 2 % in $ROI, AR(1) rho 0.3, 6 FD spikes)"
for who in ref kp; do
  if [ -f "$tmp/${who}_default.json" ] && [ -s "$tmp/${who}_default.json" ]; then
    $PY $CMP planted "$who" "$tmp/${who}_default" "$MASK" "$D/truth.json" || { fail=1; failed+=("planted_$who"); }
  else
    echo "  $who: FAIL: no default run"; fail=1; failed+=("planted_$who")
  fi
done

echo "glm oracle: bad input (one line naming the problem, non-zero exit, no stack trace)"
# expect_error NAME PATTERN ARGS...
expect_error() {
  local name=$1 pat=$2
  shift 2
  local code=0
  "${KP[@]}" "$@" --out "$tmp/bad_$name" >"$tmp/bad_$name.out" 2>"$tmp/bad_$name.err" || code=$?
  local msg
  msg=$(grep -vi 'warn' "$tmp/bad_$name.err" || true)
  local lines
  lines=$(printf '%s' "$msg" | grep -c . || true)
  if [ "$code" != 0 ] && [ "$lines" = 1 ] && echo "$msg" | grep -qiE "$pat" \
      && ! grep -qE 'Exception|^\s+at |Traceback' "$tmp/bad_$name.err"; then
    echo "  $name: ok (exit $code: $msg)"
  else
    echo "  $name: FAIL (exit $code, $lines non-warning stderr lines, want /$pat/): $(head -c 400 "$tmp/bad_$name.err")"
    fail=1; failed+=("bad_$name")
  fi
}
expect_error absent_trial_type "happy" "$BOLD" --events "$EV" --confounds "$CONF" --mask "$MASK" \
  --contrast "happy - neutral"
expect_error not_estimable "estimab" "$BOLD" --events "$D/events_past_end.tsv" --confounds "$CONF" --mask "$MASK" \
  --contrast late
expect_error na_duration "duration" "$BOLD" --events "$D/events_na_duration.tsv" --confounds "$CONF" \
  --mask "$MASK" --contrast "fearful - neutral"

echo "glm oracle: edge input"
# onsets past the end: a warning, success, and the same numbers as the reference (rank-deficient design:
# the 'late' column is all zeros; dispersion still divides by T - p, dof = T - rank)
if run_pair past_end "$BOLD" "$MASK" --events "$D/events_past_end.tsv" --confounds "$CONF" \
    --contrast "fearful - neutral" "${R2[@]}"; then
  nw=$($PY -c "import json,sys; print(len(json.load(open(sys.argv[1]))['warnings']))" "$tmp/kp_past_end.json")
  if [ "$nw" -ge 1 ]; then
    echo "  past_end: succeeded with $nw warning(s): $($PY -c "import json,sys; print(json.load(open(sys.argv[1]))['warnings'])" "$tmp/kp_past_end.json")  ok"
  else
    echo "  past_end: succeeded but no warning in the JSON  FAIL"; fail=1; failed+=("past_end_warning")
  fi
  $PY $CMP compare past_end "$tmp/ref_past_end" "$tmp/kp_past_end" "$MASK" || { fail=1; failed+=("past_end"); }
else
  fail=1; failed+=("past_end")
fi
# a 12-volume (24 s) run, shorter than the 32 s HRF: either a clear one-line error or a warning + the
# reference's numbers
code=0
"${KP[@]}" "$D/short_bold.nii.gz" --events "$D/short_events.tsv" --mask "$D/short_mask.nii.gz" --strategy none \
  --contrast "fearful - neutral" --out "$tmp/kp_short" --json >"$tmp/kp_short.json" 2>"$tmp/kp_short.err" || code=$?
if [ "$code" != 0 ]; then
  msg=$(grep -vi 'warn' "$tmp/kp_short.err" || true)
  if [ "$(printf '%s' "$msg" | grep -c .)" = 1 ] && echo "$msg" | grep -qiE 'short|HRF|32 s|volumes|lasts' \
      && ! grep -qE 'Exception|^\s+at |Traceback' "$tmp/kp_short.err"; then
    echo "  short_run: refused with one line (exit $code): $msg  ok"
  else
    echo "  short_run: FAIL (exit $code): $(head -c 400 "$tmp/kp_short.err")"; fail=1; failed+=("short_run")
  fi
else
  $PY $REF "$D/short_bold.nii.gz" --events "$D/short_events.tsv" --mask "$D/short_mask.nii.gz" --strategy none \
    --contrast "fearful - neutral" --out "$tmp/ref_short" --json >"$tmp/ref_short.json" 2>/dev/null
  nw=$($PY -c "import json,sys; print(len(json.load(open(sys.argv[1]))['warnings']))" "$tmp/kp_short.json")
  if $PY -c "import json,sys; w=json.load(open(sys.argv[1]))['warnings']; sys.exit(0 if any(('HRF' in x or '32' in x) for x in w) else 1)" "$tmp/kp_short.json"; then
    echo "  short_run: succeeded with a warning about the HRF length  ok"
  else
    echo "  short_run: succeeded without a warning naming the HRF ($nw warnings)  FAIL"; fail=1; failed+=("short_run_warning")
  fi
  $PY $CMP compare short_run "$tmp/ref_short" "$tmp/kp_short" "$D/short_mask.nii.gz" || { fail=1; failed+=("short_run"); }
fi

echo "glm oracle: negative controls (the checker must flag these reference variants)"
negctl() {
  local name=$1 flag=$2 want=$3
  shift 3
  # shellcheck disable=SC2086
  $PY $REF "$BOLD" --events "$EV" --confounds "$CONF" --mask "$MASK" "${C5[@]}" "${R3[@]}" $flag \
    --out "$tmp/neg_$name" --json >"$tmp/neg_$name.json" 2>/dev/null
  local out code=0
  out=$($PY $CMP compare "neg_$name" "$tmp/ref_default" "$tmp/neg_$name" "$MASK" 2>&1) || code=$?
  if [ "$code" = 1 ] && echo "$out" | grep -qE "$want"; then
    echo "  $name: flagged  ok ($(echo "$out" | grep -E "$want" | head -1 | sed 's/^ *//' | cut -c1-150))"
  else
    echo "  $name: NOT flagged (exit $code)  FAIL"; echo "$out" | head -5; fail=1; failed+=("neg_$name")
  fi
}
if [ -f "$tmp/ref_default.json" ]; then
  negctl design_plus_1e-6 "--perturb-design 1e-6" "^ +design: "
  negctl rho_rounded "--bin-round" "^ +ar1: "
else
  echo "  FAIL: no reference default run to perturb"; fail=1; failed+=("negctl")
fi

if [ $fail = 0 ]; then
  echo "glm oracle: all checks passed"
else
  echo "glm oracle: FAILURES: ${failed[*]}"
fi
exit $fail
