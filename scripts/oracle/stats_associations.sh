#!/usr/bin/env bash
# Oracle: group/associations.tsv against scipy.stats and statsmodels (stats_associations.py): on the demo
# (participant, then group), then on a planted 40-subject dataset (sessions' tables written directly, covariates
# age and sex, missing values, ties, a constant feature) with only the group level run; then the check must fail
# on tables tampered with (a CI bound, a q, an OLS t changed in the 9th digit, a value made n/a).
# Run from the repo root after `mvn -B package -DskipTests`. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=/usr/bin/python3
T="$(mktemp -d)"
trap 'rm -rf "$T"' EXIT
fail=0

echo "== associations: the demo"
bash scripts/run_demo.sh "$T/demo" > "$T/demo.log" 2>&1 || { cat "$T/demo.log"; echo "FAIL: the demo did not run"; exit 1; }
$PY scripts/oracle/stats_associations.py check "$T/demo" || fail=1

echo "== associations: planted, 40 subjects, covariates age and sex"
$PY scripts/oracle/stats_associations.py plant "$T/bids" "$T/out" "$T/planted.yaml"
bin/ketaprint "$T/bids" "$T/out" group --pipeline "$T/planted.yaml" --no-report > "$T/planted.log" 2>&1 \
  || { cat "$T/planted.log"; echo "FAIL: the group level did not run"; exit 1; }
check() {
  $PY scripts/oracle/stats_associations.py check "$T/out" --covariates age,sex --participants "$T/bids/participants.tsv" "$@"
}
check || fail=1
grep -q "f_pred	baseline" "$T/out/group/associations.tsv" || { echo "FAIL: no f_pred row"; fail=1; }

echo "== associations: the check fails on tampered tables"
$PY - "$T/out/group/associations.tsv" "$T" <<'PYEOF'
import sys
src, t = sys.argv[1], sys.argv[2]
lines = [l.split("\t") for l in open(src).read().splitlines()]
head = lines[0]
def tamper(name, row, col, f):
    out = [list(l) for l in lines]
    out[row][head.index(col)] = f(out[row][head.index(col)])
    open(f"{t}/{name}.tsv", "w").write("\n".join("\t".join(l) for l in out) + "\n")
tamper("t1", 1, "pearson_ci_low", lambda v: repr(float(v) * (1 + 1e-8)))
tamper("t2", 3, "welch_q", lambda v: repr(min(1.0, float(v)) * (1 - 1e-8)))
tamper("t3", 12, "ols_t", lambda v: repr(float(v) * (1 + 1e-8)))
tamper("t4", 2, "mannwhitney_p", lambda v: "n/a")
PYEOF
for t in t1 t2 t3 t4; do
  if check --tsv "$T/$t.tsv" > "$T/$t.log"; then
    echo "FAIL: the check passed a tampered table ($t)"
    fail=1
  else
    echo "ok   tampered table $t rejected: $(grep -m1 FAIL "$T/$t.log")"
  fi
done
exit $fail
