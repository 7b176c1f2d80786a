#!/usr/bin/env bash
# Oracle: `ketaprint slurm --submit` on a real one-node SLURM cluster (Debian's slurmctld/slurmd/munge,
# started by hand, no systemd), checked against a local participant+group run of the demo dataset.
#   1. submit the demo with sub-02's task made to fail: the afterany group step must still run and list
#      sub-02 as missing; 2. --resubmit-failed must submit sub-02 alone, after which group/features.tsv
#      must equal the local run's byte for byte; 3. a second --resubmit-failed finds nothing; 4. a full
#      re-submit is idempotent (tasks skip, same table); 5. with --dependency afterok a failed task gets
#      the group step cancelled instead of pending forever.
# Run from anywhere after `mvn -B package -DskipTests`. Every daemon started is stopped by PID on exit.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
source "$repo/scripts/slurm_local_cluster.sh"

job_id() { awk -F'\t' -v s="$2" '$1 == s {print $2}' "$(ls -d "$1"/slurm/*/ | tail -n 1)/jobs.tsv"; }

demo="$repo/test-data/demo-bids"
atlases="$repo/test-data/demo-atlases"
ref="$tmp/local"
out="$tmp/cluster out" # a blank in the path on purpose
echo "== local reference run"
"$repo/bin/ketaprint" "$demo" "$ref" participant --atlas-dir "$atlases" --quiet >/dev/null
"$repo/bin/ketaprint" "$demo" "$ref" group >/dev/null

opts=(--atlas-dir "$atlases" --mem 1G --time 00:10:00)
echo "== 1. submit from / with sub-02's task made to fail (afterany)"
(cd / && "$repo/bin/ketaprint" slurm "$demo" "$out" "${opts[@]}" \
  --setup 'if [ "${sub:-}" = 02 ]; then echo "injected failure" >&2; exit 3; fi' --submit)
a="$(job_id "$out" participant)"; g="$(job_id "$out" group)"
check "job ids recorded (array $a, group $g)" test -n "$a" -a -n "$g"
check "jobs finish within 300 s" wait_jobs "$a" "$g"
st="$(timeout 10 scontrol -o show job "$a" | grep -o 'JobState=[A-Z]*' | sort | uniq -c | tr -s ' ' | tr '\n' ' ')"
check "array: 2 COMPLETED, 1 FAILED ($st)" test "$st" = " 2 JobState=COMPLETED  1 JobState=FAILED "
check "group step ran after the failure and reported it (exit 1: $(states "$g"))" test "$(states "$g")" = "$g:FAILED"
check "failures.tsv lists sub-02 ses-pre and ses-post as missing_outputs, nothing else (missing stage inputs aside)" \
  test "$(tail -n +2 "$out/group/failures.tsv" | grep -v missing_input | cut -f1-4 | sort | tr '\t\n' ' ;')" \
  = "sub-02 ses-post (all) missing_outputs;sub-02 ses-pre (all) missing_outputs;"
check "group log prints the resubmit command" grep -q -- "--resubmit-failed --submit" "$out/logs/group_$g.log"
check "one log per task" test "$(ls "$out"/logs/participant_"$a"_*.log | wc -l)" = 3

echo "== 2. --resubmit-failed"
log="$(cd "$tmp" && "$repo/bin/ketaprint" slurm "$demo" "$out" "${opts[@]}" --resubmit-failed --submit)"
echo "$log"
a="$(job_id "$out" participant)"; g="$(job_id "$out" group)"
check "only sub-02 is resubmitted" test "$(tr -d '\n' < "$(ls -d "$out"/slurm/*/ | tail -n 1)/participants.txt")" = 02
check "jobs finish within 300 s" wait_jobs "$a" "$g"
check "resubmitted task and group COMPLETED" test "$(states "$a" | cut -d: -f2)$(states "$g" | cut -d: -f2)" = COMPLETEDCOMPLETED
check "group/features.tsv equals the local run byte for byte" cmp "$ref/group/features.tsv" "$out/group/features.tsv"
check "group/features_change.tsv equals the local run" cmp "$ref/group/features_change.tsv" "$out/group/features_change.tsv"
check "failures.tsv equals the local run's (missing stage inputs only)" cmp "$ref/group/failures.tsv" "$out/group/failures.tsv"
for f in "$ref"/sub-*/ses-*/*_features.tsv; do
  check "${f#"$ref"/} equals the local run" cmp "$f" "$out/${f#"$ref"/}"
done

echo "== 3. --resubmit-failed when all is complete"
log="$("$repo/bin/ketaprint" slurm "$demo" "$out" "${opts[@]}" --resubmit-failed --submit)"
check "nothing resubmitted ($log)" grep -q "^Nothing to resubmit" <<<"$log"

echo "== 3b. --resubmit-failed is refused while jobs of this folder are queued"
"$repo/bin/ketaprint" slurm "$demo" "$out" "${opts[@]}" --setup 'sleep 10' --submit >/dev/null
a="$(job_id "$out" participant)"; g="$(job_id "$out" group)"
if "$repo/bin/ketaprint" slurm "$demo" "$out" "${opts[@]}" --resubmit-failed --submit >"$tmp/err.txt" 2>&1; then rc=0; else rc=$?; fi
check "refused with exit 2: $(head -n 1 "$tmp/err.txt")" test "$rc" = 2 -a "$(grep -c 'still queued or running' "$tmp/err.txt")" = 1
check "jobs finish within 300 s" wait_jobs "$a" "$g"

echo "== 4. full re-submit is idempotent"
before="$(cat "$out"/sub-*/ses-*/*_provenance.json | sha256sum)"
"$repo/bin/ketaprint" slurm "$demo" "$out" "${opts[@]}" --submit >/dev/null
a="$(job_id "$out" participant)"; g="$(job_id "$out" group)"
check "jobs finish within 300 s" wait_jobs "$a" "$g"
check "all COMPLETED" test "$( (states "$a"; states "$g") | cut -d: -f2 | sort -u)" = COMPLETED
check "outputs untouched (tasks skipped up-to-date subjects)" test "$(cat "$out"/sub-*/ses-*/*_provenance.json | sha256sum)" = "$before"
check "group/features.tsv still equals the local run" cmp "$ref/group/features.tsv" "$out/group/features.tsv"

echo "== 5. afterok: a failed task cancels the group step instead of leaving it pending"
"$repo/bin/ketaprint" slurm "$demo" "$out" "${opts[@]}" --dependency afterok \
  --setup 'if [ "${sub:-}" = 01 ]; then exit 3; fi' --submit >/dev/null
a="$(job_id "$out" participant)"; g="$(job_id "$out" group)"
check "jobs leave the queue within 300 s" wait_jobs "$a" "$g"
check "group step CANCELLED ($(states "$g"))" test "$(states "$g" | cut -d: -f2)" = CANCELLED

echo "== 6. impossible request fails at once (EnforcePartLimits=ALL)"
if "$repo/bin/ketaprint" slurm "$demo" "$tmp/too-big" --mem 100000G --submit >"$tmp/err.txt" 2>&1; then rc=0; else rc=$?; fi
check "exit 2 with sbatch's reason on one line: $(grep '^ketaprint:' "$tmp/err.txt" | sed 's/.*sbatch failed/sbatch failed/')" \
  test "$rc" = 2 -a "$(grep -c 'sbatch failed' "$tmp/err.txt")" = 1

if [ $fails != 0 ]; then echo "slurm_cluster: $fails check(s) FAILED"; exit 1; fi
echo "slurm_cluster: all checks passed"
