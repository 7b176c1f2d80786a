#!/usr/bin/env bash
# Oracle (issue 17): the resting-state figures of the session reports against the data (report_resting.py): on the
# demo, the FD plot = the confounds TSV and the sphere outlines = numpy spheres; on a copy of it whose sub-03 ses-pre
# lacks its confounds (the 24P stage fails), the report still shows the mean BOLD and says why FD is missing.
# Run from the repo root after `mvn -B package -DskipTests`. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
PY=/usr/bin/python3
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
bin/ketaprint test-data/demo-bids "$tmp/out" participant --atlas-dir test-data/demo-atlases --nthreads 2 > "$tmp/log" 2>&1 \
  || { cat "$tmp/log"; echo "FAIL: demo run"; exit 1; }
$PY scripts/oracle/report_resting.py "$tmp/out"
$PY - "$tmp/out" <<'PYEOF'
import glob, json, sys
for f in sorted(glob.glob(sys.argv[1] + "/sub-*/ses-*/*_provenance.json")):
    st = [s for s in json.load(open(f))["stages"] if s["id"] == "restingstate" and s["status"] == "ok"]
    for s in st:
        print("  %s: resting state %.2f s, of which figures %.2f s" % (f.split("/")[-1][:14], s["wall_s"], s["figures_s"]))
PYEOF

cp -rL test-data/demo-bids "$tmp/bids"
rm "$tmp/bids/derivatives/fmriprep/sub-03/ses-pre/func/sub-03_ses-pre_task-rest_desc-confounds_timeseries.tsv"
$PY - pipelines/ketamine-response.yaml "$tmp/rest.yaml" <<'PYEOF'
import sys, yaml
p = yaml.safe_load(open(sys.argv[1]))
p["stages"] = [s for s in p["stages"] if s["type"] == "restingstate"]
yaml.safe_dump(p, open(sys.argv[2], "w"), sort_keys=False)
PYEOF
bin/ketaprint "$tmp/bids" "$tmp/out2" participant --pipeline "$tmp/rest.yaml" --participant-label 03 --session-label pre \
  --atlas-dir test-data/demo-atlases > "$tmp/log2" 2>&1 || true
grep -q "restingstate\] failed: .*needs a confounds file" "$tmp/log2" || { cat "$tmp/log2"; echo "FAIL: the stage did not fail as expected"; exit 1; }
$PY scripts/oracle/report_resting.py --failed "$tmp/out2/sub-03/ses-pre/sub-03_ses-pre_report.html"
echo "report_resting: all checks passed"
