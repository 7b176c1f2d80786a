#!/usr/bin/env bash
# Oracle (issue 17): reports of sessions with bad input still render, saying what is missing and why: a 3-volume
# BOLD (sub-01 ses-pre), a truncated DWI (sub-02 ses-pre: the stage fails), no segmentation (sub-03 ses-pre:
# missing input) and no T1w (sub-03). Each page is then opened in Chromium (report_browser.py). Run from the repo
# root after `mvn -B package -DskipTests`. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
PY=/usr/bin/python3
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
fail=0
cp -rL test-data/demo-bids "$tmp/bids"
fp="$tmp/bids/derivatives/fmriprep"
$PY - "$fp/sub-01/ses-pre/func/sub-01_ses-pre_task-rest_space-MNI152NLin2009cAsym_desc-preproc_bold.nii.gz" <<'PYEOF'
import sys, nibabel as nib, numpy as np
img = nib.load(sys.argv[1])
nib.save(nib.Nifti1Image(np.asarray(img.dataobj)[..., :3], img.affine, img.header), sys.argv[1])
PYEOF
conf="$fp/sub-01/ses-pre/func/sub-01_ses-pre_task-rest_desc-confounds_timeseries.tsv"
head -n 4 "$conf" > "$conf.new" && mv "$conf.new" "$conf"
dwi="$tmp/bids/derivatives/qsiprep/sub-02/ses-pre/dwi/sub-02_ses-pre_space-MNI152NLin6Asym_desc-preproc_dwi.nii.gz"
head -c "$(( $(stat -c %s "$dwi") / 2 ))" "$dwi" > "$dwi.new" && mv "$dwi.new" "$dwi"
rm "$fp/sub-03/ses-pre/anat/sub-03_ses-pre_desc-aseg_dseg.nii.gz"
out="$tmp/out"
set +e
bin/ketaprint "$tmp/bids" "$out" participant --atlas-dir test-data/demo-atlases --nthreads 2 > "$tmp/log" 2>&1
rc=$?
bin/ketaprint "$tmp/bids" "$out" group >> "$tmp/log" 2>&1
set -e
[ "$rc" = 1 ] || { cat "$tmp/log"; echo "FAIL: participant exit code $rc, expected 1 (a failed stage)"; fail=1; }

expect() {   # expect REPORT PYTHON-CONDITION-ON-html MESSAGE
  $PY - "$1" "$2" "$3" <<'PYEOF' || fail=1
import sys, re
html = open(sys.argv[1], encoding="utf-8").read()
ok = eval(sys.argv[2])
print(("ok   " if ok else "FAIL ") + sys.argv[1].split("/out/")[-1] + ": " + sys.argv[3])
sys.exit(0 if ok else 1)
PYEOF
}
r1="$out/sub-01/ses-pre/sub-01_ses-pre_report.html"
r2="$out/sub-02/ses-pre/sub-02_ses-pre_report.html"
r3="$out/sub-03/ses-pre/sub-03_ses-pre_report.html"
r4="$out/sub-03/ses-post/sub-03_ses-post_report.html"
expect "$r1" "'class=\"na-columns\"' in html and re.search(r'<td>sgacc_rdlpfc_fc_z</td><td>[^<]*(s left|volumes|censor)', html) is not None" \
  "3-volume BOLD: the connectivity columns are listed as n/a with the reason"
expect "$r1" "'id=\"stage-restingstate\"' in html and 'id=\"stage-structural\"' in html" "3-volume BOLD: every stage has its section"
expect "$r2" "re.search(r'<tr class=\"bad\"><td>diffusion</td><td>failed</td><td>[^<]*dwi', html) is not None" \
  "truncated DWI: diffusion failed, first on the page, naming the file"
expect "$r2" "html.index('class=\"failures\"') < html.index('<section')" "failures come before the sections"
expect "$r3" "re.search(r'<td>structural</td><td>missing_input</td><td>[^<]*seg', html) is not None" \
  "no segmentation: structural missing_input with the query"
expect "$r4" "'No T1w found' in html and 'data-volume=\"seg\"' in html" "no T1w (sub-03): said, and the segmentation drawn instead"
expect "$r4" "re.search(r'<td>diffusion</td><td>missing_input</td><td>[^<]*DWI', html) is not None" "no DWI: missing_input with its reason"
echo "== the same reports in Chromium"
$PY scripts/oracle/report_browser.py "$r1" "$r2" "$r3" "$r4" "$out/group/report.html" | sed "s|$tmp/||g" || fail=1
if [ "$fail" != 0 ]; then echo "report_bad_input: FAILED"; exit 1; fi
echo "report_bad_input: all checks passed"
