#!/usr/bin/env bash
# The attack suite (issue 14): hostile and valid inputs through every ketaprint door, each outcome classified.
# Builds the corpus in a temporary folder (scripts/attack/make_corpus.py), runs it in-process through
# org.ketaprint.attack.AttackHarness (scripts/attack/run.py), prints run.py's one summary line and exits 1 when a
# stack trace, hang, OOM, silent difference, half-written output, refused valid input or harness error is found.
# Needs `mvn -B package` (or -DskipTests) first: target/classes, target/test-classes, target/lib.
# The TSV of every case goes to target/attack.tsv. ATTACK_KEEP=DIR keeps the corpus and the TSV in DIR;
# ATTACK_ARGS passes options to run.py (e.g. --only img/gz); ATTACK_TIMEOUT bounds the whole run (900 s).
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
py=/usr/bin/python3
if [ -n "${ATTACK_KEEP:-}" ]; then
  corpus="$ATTACK_KEEP"
else
  corpus="$(mktemp -d /tmp/ketaprint-attack.XXXXXX)"
  trap 'rm -rf "$corpus"' EXIT
fi
"$py" "$here/make_corpus.py" "$corpus" --repo "$root" > /dev/null || { echo "attack: cannot build the corpus"; exit 1; }
# the TSV of every case is kept in target/ (the corpus is removed unless ATTACK_KEEP is set)
tsv="$root/target/attack.tsv"
[ -n "${ATTACK_KEEP:-}" ] && tsv="$corpus/attack.tsv"
# shellcheck disable=SC2086
timeout -k 10 "${ATTACK_TIMEOUT:-900}" "$py" "$here/run.py" "$corpus" --repo "$root" --tsv "$tsv" ${ATTACK_ARGS:-}
rc=$?
if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
  echo "attack: the suite did not finish within ${ATTACK_TIMEOUT:-900} s"
  exit 1
fi
if [ "$rc" != 0 ] && [ -f "$tsv" ]; then
  # the failing cases, one line each
  awk -F'\t' 'NR > 1 && ($4 == "stack trace" || $4 == "hang" || $4 == "OOM" || $4 == "silent difference" || $4 == "half written" ||
      $4 == "valid refused" || $4 == "harness error") { printf "attack: %-18s %s%s: %s\n", $4, $1, ($5 == "known" ? " (known)" : ""), ($9 != "" ? $9 : $10) }' \
    "$tsv"
fi
exit "$rc"
