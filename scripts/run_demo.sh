#!/usr/bin/env bash
# Runs the default pipeline on the demo dataset (participant, then group) and prints where the tables are.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
out="${1:-/tmp/ketaprint-demo}"
rm -rf "$out"
bin/ketaprint test-data/demo-bids "$out" participant --atlas-dir test-data/demo-atlases --nthreads 2
bin/ketaprint test-data/demo-bids "$out" group
cut -f1-8 "$out/group/features.tsv"
echo "Group table: $out/group/features.tsv"
echo "QC reports: $out/group/report.html (and one per session: $out/sub-01/ses-pre/sub-01_ses-pre_report.html, ...)"
