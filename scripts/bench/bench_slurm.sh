#!/usr/bin/env bash
# Sessions per hour through `ketaprint slurm --submit` with its defaults (--mem, --time, --cpus-per-task 1)
# on a private one-node SLURM cluster (scripts/slurm_local_cluster.sh), on the benchmark cohort of
# scripts/bench/bench_session.sh (SESSIONS, default 100). Each task runs under /usr/bin/time (a wrapper given
# as --ketaprint), so the peak RSS and wall time of every task are measured against the defaults.
# Run from the repo root after `mvn -B package -DskipTests`, as root or with sudo.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
n="${SESSIONS:-100}"
W="${BENCH_DIR:-/tmp/ketaprint-bench-session}"
c="$W/cohort$n"
if [ ! -f "$c/participants.tsv" ]; then
  echo "making $n sessions in $c (4 distinct, the rest symbolic links to them) ..."
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 "$repo/scripts/bench/make_session.py" "$c" \
    --subjects $(( (n + 1) / 2 )) --unique 4
fi
source "$repo/scripts/slurm_local_cluster.sh"
job_id() { awk -F'\t' -v s="$2" '$1 == s {print $2}' "$(ls -d "$1"/slurm/*/ | tail -n 1)/jobs.tsv"; }

printf '#!/bin/sh\nexec /usr/bin/time -f "%%M %%e $3" -a -o "%s/times.txt" "%s/bin/ketaprint" "$@"\n' "$tmp" "$repo" \
  >"$tmp/kp-timed"
chmod 755 "$tmp/kp-timed"
out="$tmp/out"
echo "== cluster: 1 node, $(nproc) CPUs; submitting $n sessions with the defaults"
t0=$(date +%s.%N)
"$repo/bin/ketaprint" slurm "$c" "$out" --atlas-dir /usr/share/mricron/templates --ketaprint "$tmp/kp-timed" --submit
a="$(job_id "$out" participant)"; g="$(job_id "$out" group)"
WAIT_LIMIT="${WAIT_LIMIT:-10800}" wait_jobs "$a" "$g"
t1=$(date +%s.%N)
ok=$(ls "$out"/sub-*/ses-*/*_features.tsv 2>/dev/null | wc -l)
grep -v ' group$' "$tmp/times.txt" | awk '{print $1 / 1024, $2}' | sort -g >"$tmp/tasks.txt"
echo "== $ok of $n sessions in $(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.0f", b - a}') s from submission to the end of" \
  "the group job: $(awk -v a="$t0" -v b="$t1" -v n="$ok" 'BEGIN {printf "%.0f", n * 3600 / (b - a)}') sessions/hour"
echo "== participant tasks (2 sessions each): $(wc -l <"$tmp/tasks.txt"); peak RSS max $(tail -n 1 "$tmp/tasks.txt" | cut -d' ' -f1) MB," \
  "median $(awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}' "$tmp/tasks.txt") MB; wall max $(sort -g -k2 "$tmp/tasks.txt" | tail -n 1 | cut -d' ' -f2) s"
echo "== group job: $(grep ' group$' "$tmp/times.txt" | awk '{printf "peak RSS %.0f MB, wall %s s", $1 / 1024, $2}')"
check "all $n sessions have features" test "$ok" = "$n"
[ "$fails" = 0 ]
