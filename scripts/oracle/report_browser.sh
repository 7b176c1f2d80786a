#!/usr/bin/env bash
# Oracle (issue 17): the demo's HTML QC reports in headless Chromium (scripts/oracle/report_browser.py): one report
# per session folder with a _features.tsv plus group/report.html, each linked from the group page, no request
# leaving the file, every image decoded, a full-page screenshot.
# Needs chromium and chromium-driver (.ci/run installs them). Run from the repo root after
# `mvn -B package -DskipTests`. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
for f in /usr/bin/chromium /usr/bin/chromedriver; do
  [ -x "$f" ] || { echo "FAIL: missing $f (apt-get install --no-install-recommends chromium chromium-driver)"; exit 1; }
done
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
fail=0


echo "== demo (participant, group)"
out="$tmp/out"
bin/ketaprint test-data/demo-bids "$out" participant --atlas-dir test-data/demo-atlases --nthreads 2 > "$tmp/run.log" 2>&1 \
  || { cat "$tmp/run.log"; echo "FAIL: participant run"; exit 1; }
bin/ketaprint test-data/demo-bids "$out" group >> "$tmp/run.log" 2>&1 || { cat "$tmp/run.log"; echo "FAIL: group run"; exit 1; }

echo "== one report per session, each linked from the group page"
sessions=0
while IFS= read -r features; do
  dir="$(dirname "$features")"
  want="${features%_features.tsv}_report.html"
  rel="${want#"$out"/}"
  sessions=$((sessions + 1))
  got="$(find "$dir" -maxdepth 1 -name '*_report.html' | sort | sed "s|^$out/||" | tr '\n' ' ')"
  if [ "$got" != "$rel " ]; then
    echo "FAIL $rel: expected exactly this report in its folder, found: ${got:-none}"; fail=1
  elif ! grep -qF "../$rel" "$out/group/report.html" 2>/dev/null; then
    echo "FAIL $rel: not linked from group/report.html"; fail=1
  else
    echo "ok   $rel"
  fi
done < <(find "$out" -path "$out/group" -prune -o -name '*_features.tsv' -print | sort)
[ "$sessions" -gt 0 ] || { echo "FAIL: no _features.tsv under the demo output"; fail=1; }
stray="$(find "$out" -name '*_report.html' | while read -r r; do [ -e "${r%_report.html}_features.tsv" ] || echo -n "${r#"$out"/} "; done)"
[ -z "$stray" ] || { echo "FAIL: reports without a _features.tsv beside them: $stray"; fail=1; }
if [ -f "$out/group/report.html" ]; then echo "ok   group/report.html"; else echo "FAIL: no group/report.html"; fail=1; fi

echo "== reports in Chromium"
if [ -f "$out/group/report.html" ] || [ -n "$(find "$out" -name '*_report.html' | head -1)" ]; then
  /usr/bin/python3 scripts/oracle/report_browser.py --screenshots "$tmp/shots" "$out" | sed "s|$tmp/||g" || fail=1
else
  echo "FAIL: no reports to check"; fail=1
fi

if [ "$fail" != 0 ]; then echo "report_browser: FAILED"; exit 1; fi
echo "report_browser: all checks passed ($sessions session reports and the group report)"
