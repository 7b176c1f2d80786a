#!/usr/bin/env bash
# Calibration of ketaprint model's permutation p under the null (issue 18; not in CI): COUNT null tables (40
# subjects, six noise features, responder half the subjects; scripts/oracle/model_sklearn.py make --r 0), each run
# with --permutations PERMS; the p values must be uniform: Kolmogorov-Smirnov test against U(0, 1), p > 0.01.
# Also prints the mean AUC (centred at 0.5 expected) and the share of p <= 0.05.
# p = (1 + #{permuted >= observed}) / (1 + PERMS) takes PERMS + 1 values, so the KS distance carries up to
# 1 / (PERMS + 1) from the discreteness alone.
# Run from the repo root; builds the jar if there is none. Env: COUNT (default 200; e.g. 10 for a smoke run),
# PERMS (default 99), CV (default kfold:5:2), THREADS (default 2), BENCH_DIR (default a temporary folder; the tables
# are removed at the end unless KEEP=1, results.tsv stays).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
py=/usr/bin/python3
count="${COUNT:-200}"
perms="${PERMS:-99}"
cv="${CV:-kfold:5:2}"
threads="${THREADS:-2}"
[ "$perms" -ge 1 ] || { echo "PERMS must be 1 or more (the script tests the permutation p)"; exit 2; }
w="${BENCH_DIR:-$(mktemp -d /tmp/ketaprint-model-null.XXXXXX)}"
ls target/ketaprint-*.jar > /dev/null 2>&1 || mvn -B -o -q package -DskipTests
# a private copy of the jar, so that a build during the run does not break it
mkdir -p "$w/jar" && cp target/ketaprint-*.jar "$w/jar/" && cp -r target/lib "$w/jar/"
export KETAPRINT_JAR="$(ls "$w"/jar/ketaprint-*.jar | head -1)"
echo "machine: $(nproc) cores; $count null tables, $perms permutations each, --cv $cv, $threads threads; in $w"
$py - "$w" "$count" <<'PYEOF'
import sys
sys.path.insert(0, 'scripts/oracle')
import contextlib, io, model_sklearn
w, n = sys.argv[1], int(sys.argv[2])
with contextlib.redirect_stdout(io.StringIO()):
    for i in range(n):
        model_sklearn.make('%s/t%03d' % (w, i), 40, 0.0, 10000 + i)
PYEOF
start=$(date +%s)
: > "$w/results.tsv"
for i in $(seq 0 $((count - 1))); do
  t=$(printf '%s/t%03d' "$w" "$i")
  bin/ketaprint model "$t" --cv "$cv" --permutations "$perms" --seed "$i" --nthreads "$threads" --json 2> "$t.err" > "$t.json" \
    || { echo "table $i failed:"; cat "$t.err"; exit 1; }
  $py -c "import json,sys; m=json.load(open(sys.argv[1]))['metrics']; print(m['auc'], m['permutation_p'], sep='\t')" "$t.json" \
    >> "$w/results.tsv"
  [ $(( (i + 1) % 10 )) = 0 ] && echo "  $((i + 1))/$count tables, $(( $(date +%s) - start )) s"
done
rc=0
$py - "$w/results.tsv" "$(( $(date +%s) - start ))" <<'PYEOF' || rc=$?
import sys
import numpy as np
from scipy.stats import kstest
r = np.loadtxt(sys.argv[1], ndmin=2)
auc, p = r[:, 0], r[:, 1]
ks = kstest(p, 'uniform')
print('tables %d, %s s: mean AUC %.3f (sd %.3f); permutation p: mean %.3f, share <= 0.05 %.3f; KS D = %.3f, p = %.3g'
      % (len(p), sys.argv[2], auc.mean(), auc.std(ddof=1), p.mean(), np.mean(p <= 0.05), ks.statistic, ks.pvalue))
print('ok: uniform (KS p > 0.01)' if ks.pvalue > 0.01 else 'FAIL: KS p <= 0.01')
sys.exit(0 if ks.pvalue > 0.01 else 1)
PYEOF
[ "${KEEP:-0}" = 1 ] || rm -rf "$w"/t[0-9][0-9][0-9] "$w"/t[0-9][0-9][0-9].json "$w"/t[0-9][0-9][0-9].err "$w/jar"
echo "results: $w/results.tsv (AUC, permutation p per table)"
exit $rc
