#!/usr/bin/env bash
# The README's "Your own layout" commands, run as written on the demo rearranged three ways
# (scripts/make_own_layouts.py): each group table must equal the demo's (base-only confounds: to 1e-9
# relative, since the derived expansions are recomputed from the printed base columns).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PY=/usr/bin/python3; [ -x "$PY" ] || PY=python3
W=$(mktemp -d); trap 'rm -rf "$W"' EXIT
"$PY" scripts/make_own_layouts.py "$W/layouts" > /dev/null
ref="$W/demo"
bin/ketaprint test-data/demo-bids "$ref" participant --atlas-dir test-data/demo-atlases --nthreads 2 --quiet || true
bin/ketaprint test-data/demo-bids "$ref" group --quiet || true
fail=0
compare() {   # name, output dir[, a regex of columns left out]
  if "$PY" - "$ref/group/features.tsv" "$2/group/features.tsv" "${3:-^$}" <<'PYEOF'
import re, sys
a, b = ([l.rstrip("\n").split("\t") for l in open(f)] for f in sys.argv[1:3])
skip = re.compile(sys.argv[3])
assert a[0] == b[0], "columns differ"
bad = []
for ra, rb in zip(a[1:], b[1:]):
    for c, x, y in zip(a[0], ra, rb):
        if x == y or skip.search(c): continue
        try:
            fx, fy = float(x), float(y)
        except ValueError:
            bad.append((ra[0], ra[1], c, x, y)); continue
        if abs(fx - fy) > 1e-9 * max(1.0, abs(fx)): bad.append((ra[0], ra[1], c, x, y))
assert len(a) == len(b), "rows differ"
print("    %d rows x %d columns, %s" % (len(a) - 1, len(a[0]), "equal" if not bad else "DIFFER: %s" % bad[:3]))
sys.exit(1 if bad else 0)
PYEOF
  then echo "ok    $1"; else echo "FAIL  $1"; fail=1; fi
}
cd "$W/layouts"   # the README's commands use relative paths from here
K="$OLDPWD/bin/ketaprint"; A="$OLDPWD/test-data/demo-atlases"

echo "1. raw/derivative files without space- entities, already in MNI: one --space flag"
"$K" mni-no-space out-mni participant --space MNI152NLin2009cAsym --atlas-dir "$A" --quiet || true
"$K" mni-no-space out-mni group --quiet || true
# --space declares every file without space- to be MNI, the fMRIPrep aseg (T1w) too: the T1w-space PET then has no
# segmentation in its space and its columns are n/a (its own error says so), so they are left out here
compare "mni-no-space with --space" out-mni '^(insula|pfc|habenula)_'
if "$K" mni-no-space out-nospace participant --participant-label 01 --session-label pre --atlas-dir "$A" --quiet 2> err.txt; then
  echo "FAIL  without --space the run should fail"; fail=1
elif grep -q -- "--space" out-nospace/sub-01/ses-pre/*_provenance.json; then
  echo "ok    without --space: fails, naming --space as the fix"
else
  echo "FAIL  without --space: the failure does not name --space"; fail=1
fi

echo "2. fMRIPrep confounds without the 24P expansions"
"$K" base-confounds out-base participant --atlas-dir "$A" --quiet || true
"$K" base-confounds out-base group --quiet || true
compare "base-only confounds (expansions derived)" out-base

echo "3. native-space (T1w) BOLD with the subject's from-MNI152NLin2009cAsym_to-T1w transform"
"$K" native out-native participant --atlas-dir "$A" --quiet || true
"$K" native out-native group --quiet || true
# the layout moves only the BOLD and its GM map into a shifted T1w world; the T1w-space PET stays where the demo has it,
# so its MNI ROIs, through this layout's transform, land elsewhere: its columns are left out here
compare "native BOLD through the transform" out-native '^(insula|pfc|habenula)_'

exit $fail
