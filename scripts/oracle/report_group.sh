#!/usr/bin/env bash
# Oracle: the group level's group/report.html against the group tables, recomputed with pandas (report_group.py):
# on the demo (participant, then group), then on a copy of its outputs with three values edited in the sessions'
# _features.tsv (two outliers, one n/a) and only the group level run again; then the check must fail on pages
# tampered with (a z changed, an outlier row dropped, an outlier point unflagged).
# Run from the repo root after `mvn -B package -DskipTests`. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=/usr/bin/python3
T="$(mktemp -d)"
trap 'rm -rf "$T"' EXIT
fail=0

echo "== group report: the demo"
bash scripts/run_demo.sh "$T/demo" > "$T/demo.log" 2>&1 || { cat "$T/demo.log"; echo "FAIL: the demo did not run"; exit 1; }
$PY scripts/oracle/report_group.py "$T/demo" || fail=1

echo "== group report: edited session values, group level again"
cp -r "$T/demo" "$T/edited"
$PY - "$T/edited" <<'PYEOF'
import sys
out = sys.argv[1]
def edit(sub, ses, col, value):
    f = f"{out}/sub-{sub}/ses-{ses}/sub-{sub}_ses-{ses}_features.tsv"
    head, row = open(f).read().splitlines()
    cols, vals = head.split("\t"), row.split("\t")
    vals[cols.index(col)] = value
    open(f, "w").write(head + "\n" + "\t".join(vals) + "\n")
edit("03", "pre", "hippocampus_l_vol_mm3", "5000")   # pre: median 1209.6, MAD 172.8, z = 15.3
edit("01", "post", "hippocampus_r_vol_mm3", "1")     # post: median 1209.6, MAD 172.8, z = -4.7
edit("02", "pre", "icv_mm3", "n/a")
PYEOF
bin/ketaprint test-data/demo-bids "$T/edited" group > "$T/edited.log" 2>&1 || true   # exit 1: the demo's missing inputs
[ -f "$T/edited/group/report.html" ] || { cat "$T/edited.log"; echo "FAIL: no group/report.html"; exit 1; }
$PY scripts/oracle/report_group.py "$T/edited" --expect hippocampus_l_vol_mm3:sub-03:ses-pre \
  hippocampus_r_vol_mm3:sub-01:ses-post || fail=1

echo "== group report: the check fails on tampered pages"
$PY - "$T/edited/group/report.html" "$T" <<'PYEOF'
import re, sys
page, t = sys.argv[1], sys.argv[2]
s = open(page, encoding="utf-8").read()
z = re.search(r'data-z="([^"]+)"', s).group(1)
open(t + "/t1.html", "w").write(s.replace(f'data-z="{z}"', f'data-z="{float(z) * 1.00001!r}"', 1))
open(t + "/t2.html", "w").write(re.sub(r'<tr class="bad" data-z=[^\n]*\n', "", s, count=1))
open(t + "/t3.html", "w").write(s.replace('<circle class="outlier"', '<circle class="point"', 1))
PYEOF
for t in t1 t2 t3; do
  if $PY scripts/oracle/report_group.py "$T/edited" --page "$T/$t.html" > "$T/$t.log"; then
    echo "FAIL: the check passed a tampered page ($t)"
    fail=1
  else
    echo "ok   tampered page $t rejected: $(grep -m1 FAIL "$T/$t.log")"
  fi
done
exit $fail
