#!/usr/bin/env bash
# Regenerates the README's report screenshots, docs/img/report-session.png (sub-01 ses-pre) and
# docs/img/report-group.png: runs the demo, then scripts/oracle/report_browser.py, which checks each page and takes
# the screenshot with Chromium itself (top HEIGHT CSS px, scaled by SCALE; no PIL or ImageMagick needed), and checks
# each file stays under 300 kB (level-9 re-deflating Chromium's PNGs gained only 3%, so it is not done).
# Needs chromium and chromium-driver. Run from anywhere after `mvn -B package -DskipTests`.
# Usage: [SCALE=0.6] [HEIGHT=1400] scripts/report_screenshots.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
SCALE="${SCALE:-0.6}"
HEIGHT="${HEIGHT:-1400}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
out="$tmp/out"
bash scripts/run_demo.sh "$out" > "$tmp/demo.log" 2>&1 || { cat "$tmp/demo.log"; exit 1; }
/usr/bin/python3 scripts/oracle/report_browser.py --screenshots "$tmp/shots" --scale "$SCALE" --max-height "$HEIGHT" \
  "$out/sub-01/ses-pre/sub-01_ses-pre_report.html" "$out/group/report.html"
mkdir -p docs/img
cp "$tmp/shots/sub-01_ses-pre_report.png" docs/img/report-session.png
cp "$tmp/shots/group_report.png" docs/img/report-group.png
for f in docs/img/report-session.png docs/img/report-group.png; do
  size=$(stat -c %s "$f")
  [ "$size" -lt 300000 ] || { echo "FAIL: $f is $((size / 1024)) kB, over 300 kB: try a smaller SCALE or HEIGHT"; exit 1; }
  echo "$f: $(od -An -tu1 -j16 -N8 "$f" | awk '{print $3*256+$4 "x" $7*256+$8}'), $((size / 1024)) kB"
done
