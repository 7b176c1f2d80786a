#!/usr/bin/env bash
# Oracle: `ketaprint mrs` (MRS voxel placement on the T1 grid, tissue fractions, Gasparovic correction) against
# scripts/oracle/mrs_reference.py, an independent numpy reference written from the issue's definitions, on
# synthetic cases (mrs_reference.py --make-cases, fresh in a temp dir). Run from anywhere after
# `mvn -B package -DskipTests` (it builds nothing). Steps:
#   1. the reference's self-test (its NIfTI-MRS writer read back by nibabel, NIfTI-1/2, complex64/128, qform
#      and sform, exact coverage of aligned boxes, the 1 % / 0.1 mm oblique bounds, the Gasparovic formula
#      against its rearranged form, the LCModel table)
#   2. ketaprint and the reference on each case, --json and --mask-out compared (mrs_compare.py: coverage within
#      1e-6, fractions and corrected concentrations within 1e-6 relative; oblique voxels: coverage-weighted
#      centre within 0.1 mm of affine @ (0,0,0), mask volume within 1 % of the product of the sizes). Cases: an
#      axis-aligned voxel on the T1 voxel boundaries (NIfTI-2, complex64), one cutting voxels (NIfTI-1,
#      complex128), oblique voxels about two axes (NIfTI-2 complex128; NIfTI-1 complex64 qform-only
#      left-handed; sform over a different qform), an oblique voxel on an oblique anisotropic T1 grid with WM
#      and CSF maps on another grid (nearest neighbour), the CRLB threshold (20 % kept, 21 % n/a, --crlb-max)
#   3. bad input: a voxel partly outside the T1 field of view, an MRSI file (dims 1-3 > 1), float data, no
#      ecode-44 extension, no EchoTime: exit 2, one line naming the problem, no stack trace
#   4. the demo's four pgACC voxels, probsegs and LCModel tables compared the same way, and the
#      fractions against test-data/demo-truth.tsv's pgacc_fgm, pgacc_fwm, pgacc_fcsf (1e-6)
#   5. negative controls: the checker flags a reference that samples at i + a/5 - 0.5 (half a sub-step off)
#      and one with d_WM 0.66
# MRS_ORACLE_CMD replaces the command under test (default "bin/ketaprint mrs"); the harness itself can be
# exercised with MRS_ORACLE_CMD="/usr/bin/python3 scripts/oracle/mrs_reference.py". MRS_ORACLE_KEEP=1 keeps the temp dir.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
PY=/usr/bin/python3
REF=scripts/oracle/mrs_reference.py
CMP=scripts/oracle/mrs_compare.py
read -r -a KP <<<"${MRS_ORACLE_CMD:-bin/ketaprint mrs}"
tmp=$(mktemp -d)
if [ -n "${MRS_ORACLE_KEEP:-}" ]; then echo "mrs oracle: keeping $tmp"; else trap 'rm -rf "$tmp"' EXIT; fi
fail=0
failed=()

echo "mrs oracle: reference self-test"
if ! $PY $REF --selftest >"$tmp/selftest.txt"; then
  cat "$tmp/selftest.txt"; fail=1; failed+=("selftest")
else
  tail -n 1 "$tmp/selftest.txt"
fi

echo "mrs oracle: synthetic cases in $tmp/c"
$PY $REF --make-cases "$tmp/c"
# one line per case: name voxel gm wm csf table error oblique extra...
$PY - "$tmp/c/cases.json" >"$tmp/cases.tsv" <<'PYEOF'
import json, sys
for c in json.load(open(sys.argv[1])):
    print("\t".join([c["name"], c["voxel"], *c["probseg"], c["table"], c["error"] or "-",
                     "1" if c["oblique"] else "0", *c["extra"]]))
PYEOF

echo "mrs oracle: ketaprint vs reference (tolerances: mrs_compare.py's docstring)"
while IFS=$'\t' read -r -a row; do
  name=${row[0]} voxel=${row[1]} gm=${row[2]} wm=${row[3]} csf=${row[4]} table=${row[5]} err=${row[6]} obl=${row[7]}
  extra=("${row[@]:8}")
  args=("$table" --tool lcmodel --voxel "$voxel" --t1-probseg "$gm" "$wm" "$csf" "${extra[@]}")
  if [ "$err" != "-" ]; then
    rc=0
    "${KP[@]}" "${args[@]}" --mask-out "$tmp/kp_${name}_mask.nii.gz" --json >"$tmp/kp_$name.json" 2>"$tmp/kp_$name.err" || rc=$?
    $PY $CMP error "$name" "$rc" "$tmp/kp_$name.json" "$tmp/kp_$name.err" "$err" || { fail=1; failed+=("$name"); }
    # the reference refuses it too
    rc=0
    $PY $REF "${args[@]}" --json >/dev/null 2>"$tmp/ref_$name.err" || rc=$?
    [ "$rc" = 2 ] || { echo "  $name: FAIL the reference accepted it"; fail=1; failed+=("ref_$name"); }
    continue
  fi
  if ! $PY $REF "${args[@]}" --mask-out "$tmp/ref_${name}_mask.nii.gz" --json >"$tmp/ref_$name.json" 2>"$tmp/ref_$name.err"; then
    echo "  $name: FAIL the reference exited non-zero: $(cat "$tmp/ref_$name.err")"; fail=1; failed+=("$name"); continue
  fi
  # the case must be well posed: no sub-sample within 1e-7 (q units) of a face, no resampled coordinate within
  # 1e-5 voxel of a rounding tie
  if ! $PY -c "
import json, sys
m = json.load(open(sys.argv[1]))['reference_margins']
sys.exit(0 if m['box_q'] > 1e-7 and (m['nn_tie_voxels'] is None or m['nn_tie_voxels'] > 1e-5) else 1)" "$tmp/ref_$name.json"; then
    echo "  $name: FAIL the case is ill-posed (a sub-sample or a resampled coordinate at a tie)"; fail=1; failed+=("$name"); continue
  fi
  if ! "${KP[@]}" "${args[@]}" --mask-out "$tmp/kp_${name}_mask.nii.gz" --json >"$tmp/kp_$name.json" 2>"$tmp/kp_$name.err"; then
    echo "  $name: FAIL ketaprint exited non-zero: $(head -5 "$tmp/kp_$name.err")"; fail=1; failed+=("$name"); continue
  fi
  obl_flag=()
  [ "$obl" = 1 ] && obl_flag=(--oblique)
  $PY $CMP compare "$name" "$tmp/ref_$name.json" "$tmp/kp_$name.json" "$tmp/ref_${name}_mask.nii.gz" \
    "$tmp/kp_${name}_mask.nii.gz" "${obl_flag[@]}" >"$tmp/cmp_$name.txt" || { fail=1; failed+=("$name"); }
  if grep -q FAIL "$tmp/cmp_$name.txt"; then
    grep FAIL "$tmp/cmp_$name.txt"
  else
    echo "  $name: ok ($(grep -c ' ok ' "$tmp/cmp_$name.txt") checks)"
  fi
done <"$tmp/cases.tsv"

echo "mrs oracle: the demo's pgACC voxels and LCModel tables, and pgacc_f* of test-data/demo-truth.tsv"
for s in sub-01_ses-pre sub-01_ses-post sub-02_ses-pre sub-02_ses-post; do
  sub=${s%_*} ses=${s#*_}
  # ses-post voxels are turned against the T1 grid (the 1 % / 0.1 mm bounds); the ses-pre ones lie along it, where
  # the 1.2 and 1.5 mm voxels' sub-sample planes (0.24, 0.3 mm apart) make the volume up to ~1.5 % off
  oblique=""
  [ "$ses" = ses-post ] && oblique=1
  A=test-data/demo-bids/derivatives/fmriprep/$sub/$ses/anat/${s}
  args=("test-data/demo-bids/derivatives/lcmodel/$sub/$ses/mrs/${s}_voi-pgacc_svs.table" --tool lcmodel
        --voxel "test-data/demo-bids/$sub/$ses/mrs/${s}_voi-pgacc_svs.nii.gz"
        --t1-probseg "${A}_label-GM_probseg.nii.gz" "${A}_label-WM_probseg.nii.gz" "${A}_label-CSF_probseg.nii.gz")
  $PY $REF "${args[@]}" --mask-out "$tmp/ref_demo_${s}_mask.nii.gz" --json >"$tmp/ref_demo_$s.json"
  if ! "${KP[@]}" "${args[@]}" --mask-out "$tmp/kp_demo_${s}_mask.nii.gz" --json >"$tmp/kp_demo_$s.json" 2>"$tmp/kp_demo_$s.err"; then
    echo "  demo_$s: FAIL ketaprint exited non-zero: $(head -5 "$tmp/kp_demo_$s.err")"; fail=1; failed+=("demo_$s"); continue
  fi
  $PY $CMP compare "demo_$s" "$tmp/ref_demo_$s.json" "$tmp/kp_demo_$s.json" "$tmp/ref_demo_${s}_mask.nii.gz" \
    "$tmp/kp_demo_${s}_mask.nii.gz" ${oblique:+--oblique} >"$tmp/cmp_demo_$s.txt" || { fail=1; failed+=("demo_$s"); }
  if ! $PY - "$tmp/kp_demo_$s.json" "$sub" "$ses" >>"$tmp/cmp_demo_$s.txt" <<'PYEOF'; then
import csv, json, sys
kp = json.load(open(sys.argv[1]))
row = next(r for r in csv.DictReader(open("test-data/demo-truth.tsv"), delimiter="\t")
           if r["participant_id"] == sys.argv[2] and r["session_id"] == sys.argv[3])
bad = [t for t in ("gm", "wm", "csf") if abs(kp["fractions"][t] - float(row["pgacc_f" + t])) > 1e-6]
print(f"  demo: {'FAIL' if bad else 'ok  '} fractions = demo-truth.tsv pgacc_f* (1e-6){': ' + ', '.join(bad) if bad else ''}")
sys.exit(1 if bad else 0)
PYEOF
    fail=1; failed+=("demo_truth_$s")
  fi
  if grep -q FAIL "$tmp/cmp_demo_$s.txt"; then
    grep FAIL "$tmp/cmp_demo_$s.txt"
  else
    echo "  demo_$s: ok ($(grep -c ' ok ' "$tmp/cmp_demo_$s.txt") checks)"
  fi
done

echo "mrs oracle: negative controls (the checker must flag a wrong result)"
# neg NAME CASE PERTURB: the reference perturbed, compared as if it were ketaprint
neg() {
  local name=$1 case=$2 perturb=$3
  local row
  row=$(awk -F'\t' -v n="$case" '$1 == n' "$tmp/cases.tsv")
  IFS=$'\t' read -r -a r <<<"$row"
  $PY $REF "${r[5]}" --tool lcmodel --voxel "${r[1]}" --t1-probseg "${r[2]}" "${r[3]}" "${r[4]}" --perturb "$perturb" \
    --mask-out "$tmp/neg_${name}_mask.nii.gz" --json >"$tmp/neg_$name.json"
  if $PY $CMP compare "neg_$name" "$tmp/ref_$case.json" "$tmp/neg_$name.json" "$tmp/ref_${case}_mask.nii.gz" \
      "$tmp/neg_${name}_mask.nii.gz" --oblique >"$tmp/neg_$name.txt"; then
    echo "  $name: FAIL the checker passed a wrong result ($perturb)"; fail=1; failed+=("neg_$name")
  else
    echo "  $name: ok, flagged: $(grep FAIL "$tmp/neg_$name.txt" | sed 's/^ *neg_[^:]*: FAIL //; s/:.*//' | paste -sd, | cut -c1-200)"
  fi
}
neg offset oblique_n2_c128 offset
neg density oblique_n2_c128 density

if [ $fail = 0 ]; then
  echo "mrs oracle: all ok"
else
  echo "mrs oracle: FAILED: ${failed[*]}"
fi
exit $fail
