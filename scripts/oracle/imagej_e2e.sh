#!/usr/bin/env bash
# End to end with a real ImageJ 1.x (Debian's imagej) under Xvfb: the plugin jar and its dependency jars go
# into a fresh $HOME/.imagej/plugins; a macro opens NIfTI files through File>Import>NIfTI (ketaprint)...,
# runs Region volumes and Image info, saves the results and saves the images back through
# File>Save As>NIfTI-1 (ketaprint)...; nibabel/numpy then check the tables and that values, voxel size,
# TR and affine survived. DTI maps runs on DIPY's sample DWIs (open image, and a file) and is compared with
# DIPY's TensorModel; ROI statistics runs on Colin27 with the JHU and AAL atlases and is compared with numpy;
# Seed correlation and ALFF run on a fresh resting-state phantom and are compared with scripts/restingstate_reference.py.
# Task GLM runs on the demo faces run (from a file, and on the open image) and is compared with `ketaprint glm --json`
# bit for bit: plain ImageJ with `java -jar` (plain loops), and ImageJ started with the Vector API with bin/ketaprint.
# Run from the repository root after `mvn -B package -DskipTests`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
ROOT=$(pwd)
PY=/usr/bin/python3
TPL=/usr/share/mricron/templates
NIBDATA=/usr/lib/python3/dist-packages/nibabel/tests/data
DIPYDATA=/usr/lib/python3/dist-packages/dipy/data/files

if [ ! -f target/imagej/plugins/ketaprint_.jar ]; then
  echo "imagej_e2e: target/imagej/plugins/ketaprint_.jar missing: run mvn -B package -DskipTests first" >&2
  exit 1
fi
if ! command -v imagej >/dev/null || ! command -v xvfb-run >/dev/null; then
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -q
  $SUDO apt-get install -y -q --no-install-recommends imagej xvfb xauth
fi
for f in "$TPL/aal.nii.gz" "$TPL/aal.nii.txt" "$TPL/ch2.nii.gz" "$TPL/JHU-WhiteMatter-labels-1mm.nii.gz" \
         "$NIBDATA/example4d.nii.gz" "$DIPYDATA/small_101D.nii.gz" "$DIPYDATA/small_64D.nii"; do
  [ -f "$f" ] || { echo "imagej_e2e: missing $f (install mricron-data, python3-nibabel and python3-dipy)" >&2; exit 1; }
done

W=$(mktemp -d /tmp/ketaprint-imagej-e2e.XXXXXX)
trap 'rm -rf "$W"' EXIT
mkdir -p "$W/home/.imagej/plugins" "$W/out"
cp -r target/imagej/plugins/. "$W/home/.imagej/plugins/"
cp target/imagej/optional/ketaprint_open_.jar "$W/home/.imagej/plugins/"   # File>Open / open() / drag-and-drop
echo "imagej_e2e: ImageJ $(dpkg-query -W -f '${Version}' imagej 2>/dev/null || echo '?'), plugins in $W/home/.imagej/plugins"

# name|input[|open]: each is opened through the menu (or ImageJ's own open(), i.e. File>Open and
# drag-and-drop, with "open"), saved back through the menu, and compared with nibabel.
INPUTS="aal|$TPL/aal.nii.gz
ch2_open|$TPL/ch2.nii.gz|open
las_float_open|$ROOT/test-data/imagej/las_float.nii|open
ch2|$TPL/ch2.nii.gz
example4d|$NIBDATA/example4d.nii.gz
labels_oblique|$ROOT/test-data/imagej/labels_oblique.nii.gz
scaled4d|$ROOT/test-data/imagej/scaled4d.nii.gz
las_float|$ROOT/test-data/imagej/las_float.nii
u8|$ROOT/test-data/imagej/u8.nii.gz"

# a resting-state phantom (another seed than the committed one) and its numpy reference
RS="$W/rs"
SG=sphere:6,16,-10,10
DL=sphere:38,44,26,10
"$PY" scripts/restingstate_reference.py phantom "$RS" --seed 11 > /dev/null
RSARGS=("$RS/bold.nii.gz" --mask "$RS/brain_mask.nii.gz" --confounds "$RS/confounds.tsv")
"$PY" scripts/restingstate_reference.py compute seedcorr "${RSARGS[@]}" --strategy 24P+gsr --seed $SG --target $DL \
  --out-map "$W/rs_ref_fc" > "$W/rs_ref_fc.json"
"$PY" scripts/restingstate_reference.py compute alff "${RSARGS[@]}" --strategy 24P --roi $SG --out-map "$W/rs_ref_alff" \
  > "$W/rs_ref_alff.json"

# The demo faces run, and ketaprint glm on it: once as ImageJ runs it (a plain JVM: plain loops), once as
# bin/ketaprint runs it (Vector API). Each ImageJ run below is compared with the CLI run on its own JVM path.
FUNC="$ROOT/test-data/demo-bids/derivatives/fmriprep/sub-01/ses-pre/func/sub-01_ses-pre_task-faces"
GB="${FUNC}_space-MNI152NLin2009cAsym_desc-preproc_bold.nii.gz"
GBT=$(basename "$GB")
GZW="${GBT%.nii.gz}_contrast-fearfulGtNeutral_stat-z"   # the z map window's title
GM="${FUNC}_space-MNI152NLin2009cAsym_desc-brain_mask.nii.gz"
GC="${FUNC}_desc-confounds_timeseries.tsv"
GE="$ROOT/test-data/demo-bids/task-faces_events.tsv"
GROI="atlas:$ROOT/test-data/demo-atlases/aal.nii.gz:Cingulum_Ant_L+Cingulum_Ant_R"
GSPH=sphere:0,40,10,12
JAR=""
for f in target/ketaprint-*.jar; do
  case "$f" in *-sources.jar|*-tests.jar|*-javadoc.jar) ;; *) [ -f "$f" ] && JAR="$f" && break ;; esac
done
[ -n "$JAR" ] || { echo "imagej_e2e: target/ketaprint-*.jar missing: run mvn -B package -DskipTests first" >&2; exit 1; }
GLMARGS=(glm "$GB" --events "$GE" --confounds "$GC" --mask "$GM" --contrast "fearful - neutral" --roi "$GROI" --roi "$GSPH" --json)
java -jar "$JAR" "${GLMARGS[@]}" --out "$W/glm_cli_plain" > "$W/glm_cli_plain.json"
bin/ketaprint "${GLMARGS[@]}" --out "$W/glm_cli_vector" > "$W/glm_cli_vector.json"

# Macro lines: the Results rows of a Task GLM run, the numbers at full precision (%.17g reads back as the same double)
glm_rows() {   # $1: name in the log
  echo "for (r = 0; r < nResults; r++) print(\"E2E $1 row \" + getResultString(\"roi\", r) + \" \" + getResultString(\"contrast\", r) + \" \" + d2s(getResult(\"voxels\", r), 0) + \" \" + String.format(\"%.17g\", getResult(\"beta_pct\", r)) + \" \" + String.format(\"%.17g\", getResult(\"z\", r)) + \" \" + String.format(\"%.17g\", getResult(\"t\", r)));"
  echo "print(\"E2E $1 results \" + nResults + \" images \" + nImages);"
}
# Task GLM from a file, every field named (keys: the labels' first words; the stage's parameters left to their
# defaults, which must be the CLI's); its z map window saved through Save As
glm_file_case() {   # $1: name (log, outputs)
  echo "run(\"Task GLM\", \"bold=[(file below)] file=[$GB] brain=[$GM] events=[$GE] confounds=[$GC] contrast=[fearful - neutral] roi=[$GROI] show output=[$W/out/$1] save=[$W/out/$1.tsv]\");"
  glm_rows "$1"
  echo "selectWindow(\"$GZW\"); print(\"E2E $1 window \" + getTitle() + \" \" + getWidth() + \"x\" + getHeight() + \"x\" + nSlices + \" overlay \" + Overlay.size);"
  echo "run(\"NIfTI-1 (ketaprint)...\", \"save=[$W/out/${1}_window_z.nii.gz]\");"
  echo 'close("*");'
}

M="$W/e2e.ijm"
{
  echo 'setBatchMode(true);'
  echo "run(\"NIfTI (ketaprint)...\", \"open=[$TPL/aal.nii.gz]\");"
  echo 'getVoxelSize(pw, ph, pd, unit); print("E2E image " + getTitle() + " " + getWidth() + "x" + getHeight() + "x" + nSlices + " voxel " + pw + " " + ph + " " + pd + " " + unit);'
  echo "run(\"Region volumes\", \"labels=[] lookup=[$TPL/aal.nii.txt] mask=none show save=[$W/out/volumes.tsv]\");"
  echo 'print("E2E results rows " + nResults + " overlay " + Overlay.size);'
  echo "saveAs(\"Results\", \"$W/out/results.csv\");"
  echo "run(\"Image info\", \"file=[$TPL/aal.nii.gz] statistics save=[$W/out/info.tsv]\");"
  echo 'close("*");'
  while IFS='|' read -r name in how; do
    if [ "$how" = open ]; then
      echo "open(\"$in\");"
    else
      echo "run(\"NIfTI (ketaprint)...\", \"open=[$in]\");"
    fi
    echo "print(\"E2E affine $name \" + Property.get(\"ketaprint.affine\"));"
    echo "Stack.getDimensions(w, h, c, z, t); print(\"E2E opened $name \" + w + \"x\" + h + \"x\" + z + \"x\" + t + \" frame interval \" + Stack.getFrameInterval());"
    # voxel (i, j, k) is ImageJ pixel (i, h-1-j) on slice k+1 (frame 1): probe a line of j at i = w/2, k = z/2
    echo "i = floor(w/2); k = floor(z/2); Stack.setPosition(1, k + 1, 1); for (q = 1; q <= 7; q++) { j = floor(h*q/8); print(\"E2E probe $name \" + i + \" \" + j + \" \" + k + \" \" + d2s(getPixel(i, h - 1 - j), 9)); }"
    echo "run(\"NIfTI-1 (ketaprint)...\", \"save=[$W/out/$name.nii.gz]\");"
    echo 'close();'
  done <<< "$INPUTS"
  # the BIDS pipeline by name: found in plugins/ketaprint/pipelines of the install
  echo "run(\"Run pipeline on a BIDS folder...\", \"bids=[$ROOT/test-data/demo-bids] output=[$W/out/pipeline] pipeline=ketamine-response participants=01 threads=1\");"
  echo "selectWindow(\"ketaprint features\"); print(\"E2E features rows \" + Table.size);"
  # DTI maps on the open DWI (bval/bvec given; mask: median_otsu), then from a file with no image open
  echo "run(\"NIfTI (ketaprint)...\", \"open=[$DIPYDATA/small_101D.nii.gz]\");"
  echo "run(\"DTI maps\", \"diffusion=small_101D.nii.gz file=[] b-values=[$DIPYDATA/small_101D.bval] directions=[$DIPYDATA/small_101D.bvec] method=wls brain=median_otsu mask=[] write_maps=true output=[$W/out/dti101]\");"
  for m in FA MD AD RD; do
    echo "selectWindow(\"small_101D_$m\"); getVoxelSize(pw, ph, pd, unit); print(\"E2E dti window small_101D_$m \" + getWidth() + \"x\" + getHeight() + \"x\" + nSlices + \" voxel \" + d2s(pw, 6) + \" \" + d2s(ph, 6) + \" \" + d2s(pd, 6) + \" affine \" + Property.get(\"ketaprint.affine\"));"
    echo "run(\"NIfTI-1 (ketaprint)...\", \"save=[$W/out/dti101_window_$m.nii.gz]\");"
  done
  echo 'close("*");'
  echo "run(\"DTI maps\", \"diffusion=[(file below)] file=[$DIPYDATA/small_64D.nii] b-values=[$DIPYDATA/small_64D.bval] directions=[$DIPYDATA/small_64D.bvec] method=ols brain=[none (every voxel)] mask=[] write_maps=true output=[$W/out/dti64]\");"
  echo 'print("E2E dti64 images " + nImages);'
  echo 'close("*");'
  # ROI statistics of Colin27 in the JHU 1 mm labels (another grid: resampled), T1 > 60 only; AAL labels by name
  echo "run(\"NIfTI (ketaprint)...\", \"open=[$TPL/ch2.nii.gz]\");"
  echo "run(\"ROI statistics\", \"atlas=[$TPL/JHU-WhiteMatter-labels-1mm.nii.gz] lookup=[] labels=[] mask=none only=60 threshold=[the map itself] show save=[$W/out/roi_jhu.tsv]\");"
  echo 'print("E2E roi rows " + nResults + " overlay " + Overlay.size);'
  echo "saveAs(\"Results\", \"$W/out/roi_results.csv\");"
  echo "run(\"ROI statistics\", \"atlas=[$TPL/aal.nii.gz] lookup=[$TPL/aal.nii.txt] labels=[Hippocampus_L, Hippocampus_R, 3] mask=none only=[] threshold=[the map itself] save=[$W/out/roi_aal.tsv]\");"
  echo 'close("*");'
  # Seed correlation on the open BOLD (24P + the GSR checkbox), ALFF from the file
  RSOPT="brain=[$RS/brain_mask.nii.gz] confounds=[$RS/confounds.tsv] strategy=24P fd_threshold=0.5 min_seconds=120 band=0.01,0.1"
  echo "run(\"NIfTI (ketaprint)...\", \"open=[$RS/bold.nii.gz]\");"
  echo "run(\"Seed correlation\", \"bold=bold.nii.gz file=[] $RSOPT global seed=[$SG] target=[$DL] seed-to-voxel output=[] save=[$W/out/rs_fc.tsv]\");"
  echo 'print("E2E rs results " + nResults + " r " + d2s(getResult("r", 0), 9));'
  echo 'selectWindow("bold_r"); print("E2E rs r-map overlay " + Overlay.size);'
  echo "run(\"NIfTI-1 (ketaprint)...\", \"save=[$W/out/rs_window_r.nii.gz]\");"
  echo 'close("*");'
  # (numbers left out: the dialog's defaults, FD 0.5 mm, 120 s, 0.01-0.1 Hz, must be the CLI's)
  echo "run(\"ALFF\", \"bold=[(file below)] file=[$RS/bold.nii.gz] brain=[$RS/brain_mask.nii.gz] confounds=[$RS/confounds.tsv] strategy=24P roi=[$SG] show output=[$W/out/rs_alff] save=[$W/out/rs_alff.tsv]\");"
  echo 'print("E2E rs alff images " + nImages);'
  echo 'close("*");'
  # Task GLM from a file, then on the open BOLD with a sphere and the confounds left to the dialog's default (the
  # fMRIPrep file beside the image; the sidecar is found there too)
  glm_file_case glm
  echo "run(\"NIfTI (ketaprint)...\", \"open=[$GB]\");"
  echo "run(\"Task GLM\", \"bold=[$GBT] file=[] brain=[$GM] events=[$GE] contrast=[fearful - neutral] roi=[$GSPH] show output=[] save=[$W/out/glm_open.tsv]\");"
  glm_rows glm_open
  echo "selectWindow(\"$GZW\"); print(\"E2E glm_open window \" + getTitle() + \" overlay \" + Overlay.size);"
  echo "run(\"NIfTI-1 (ketaprint)...\", \"save=[$W/out/glm_open_window_z.nii.gz]\");"
  echo 'close("*");'
  echo 'print("E2E-DONE");'
} > "$M"

# The Debian wrapper exits 1 even on success: judge by the output, not the exit code.
set +e
# (from $W, so the pipeline is found by name in the install's plugins/ketaprint/pipelines, not ./pipelines)
# A plain ImageJ start (no --add-modules jdk.incubator.vector): the resting-state code takes its scalar paths.
(cd "$W" && HOME="$W/home" timeout 600 xvfb-run -a imagej -b "$M" \
  > "$W/imagej.log" 2>&1)
set -e
sed 's/^/  imagej| /' "$W/imagej.log"
if ! grep -q '^E2E-DONE' "$W/imagej.log"; then
  echo "imagej_e2e: FAIL: the macro did not finish" >&2
  exit 1
fi
if grep -qiE 'exception|ketaprint (import|save|region volumes|info|DTI maps|ROI statistics|seed correlation|ALFF|pipeline|task GLM):' "$W/imagej.log"; then
  echo "imagej_e2e: FAIL: errors in the ImageJ log" >&2
  exit 1
fi

# Bad input: one line naming the file in the Log, the macro stops, no stack trace.
printf 'not an image' > "$W/bad.nii"
printf 'setBatchMode(true);\nrun("NIfTI (ketaprint)...", "open=[%s]");\nprint("E2E-AFTER-ERROR");\n' "$W/bad.nii" > "$W/bad.ijm"
set +e
HOME="$W/home" timeout 300 xvfb-run -a imagej -b "$W/bad.ijm" > "$W/bad.log" 2>&1
set -e
sed 's/^/  imagej| /' "$W/bad.log"
if grep -q "^ketaprint import: $W/bad.nii: " "$W/bad.log" && ! grep -q 'E2E-AFTER-ERROR' "$W/bad.log" \
   && ! grep -qi 'exception' "$W/bad.log"; then
  echo "ok   corrupt file: one-line error naming the file, macro stopped"
else
  echo "FAIL corrupt file: expected 'ketaprint import: $W/bad.nii: ...' and the macro stopped" >&2
  exit 1
fi

# Task GLM once more, in an ImageJ started with the Vector API (as bin/ketaprint starts Java): bin/ketaprint's numbers
{
  echo 'setBatchMode(true);'
  glm_file_case glm_vector
  echo 'print("E2E-DONE");'
} > "$W/glm_vector.ijm"
set +e
(cd "$W" && HOME="$W/home" JDK_JAVA_OPTIONS="--add-modules jdk.incubator.vector" timeout 300 xvfb-run -a imagej -b "$W/glm_vector.ijm" \
  > "$W/glm_vector.log" 2>&1)
set -e
sed 's/^/  imagej| /' "$W/glm_vector.log"
if ! grep -q '^E2E-DONE' "$W/glm_vector.log" || ! grep -q 'Using incubator modules: jdk.incubator.vector' "$W/glm_vector.log" \
   || grep -qiE 'exception|ketaprint task GLM:' "$W/glm_vector.log"; then
  echo "imagej_e2e: FAIL: Task GLM in ImageJ with the Vector API did not finish cleanly" >&2
  exit 1
fi

# Task GLM bad input (a missing events file; a trial type the events do not have): one line in the Log naming the
# problem, the macro stops, nothing written, no stack trace
while IFS='|' read -r what events contrast want; do
  printf 'setBatchMode(true);\nrun("Task GLM", "bold=[(file below)] file=[%s] brain=[%s] events=[%s] confounds=[%s] contrast=[%s] roi=[%s] show output=[%s] save=[]");\nprint("E2E-AFTER-ERROR");\n' \
    "$GB" "$GM" "$events" "$GC" "$contrast" "$GROI" "$W/out/glm_bad" > "$W/glm_bad.ijm"
  set +e
  HOME="$W/home" timeout 300 xvfb-run -a imagej -b "$W/glm_bad.ijm" > "$W/glm_bad.log" 2>&1
  set -e
  sed 's/^/  imagej| /' "$W/glm_bad.log"
  if [ "$(grep -c '^ketaprint Task GLM: ' "$W/glm_bad.log")" = 1 ] && grep -qF "$want" "$W/glm_bad.log" \
     && ! grep -q 'E2E-AFTER-ERROR' "$W/glm_bad.log" && ! grep -qi 'exception' "$W/glm_bad.log" \
     && ! ls "$W/out"/glm_bad* > /dev/null 2>&1; then
    echo "ok   Task GLM, $what: one-line error naming it, macro stopped, nothing written"
  else
    echo "FAIL Task GLM, $what: expected one line 'ketaprint Task GLM: ...$want...' and the macro stopped" >&2
    exit 1
  fi
done <<GLMBAD
missing events file|$W/no_such_events.tsv|fearful - neutral|ketaprint Task GLM: $W/no_such_events.tsv: no such file
absent trial type|$GE|fearful - angry|ketaprint Task GLM: contrast 'fearful - angry' names 'angry', which is not a trial_type
GLMBAD

INPUTS="$INPUTS" "$PY" - "$W/out" "$W/imagej.log" "$W" <<'PYEOF'
import csv, os, sys
import nibabel as nib
import numpy as np

out, log = sys.argv[1], sys.argv[2]
tpl = "/usr/share/mricron/templates"
fails = 0


def check(ok, what):
    global fails
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        fails += 1


# Region volumes of AAL against numpy: voxel counts x |det(affine[:3,:3])|, names from aal.nii.txt.
img = nib.load(os.path.join(tpl, "aal.nii.gz"))
lab = np.asarray(img.dataobj).astype(int)
vox = abs(np.linalg.det(img.affine[:3, :3]))
labels, counts = np.unique(lab[lab != 0], return_counts=True)
names = {}
for line in open(os.path.join(tpl, "aal.nii.txt")):
    f = line.split()
    if len(f) >= 2 and f[0].isdigit():
        names[int(f[0])] = f[1]
want = {int(l): (int(c), c * vox) for l, c in zip(labels, counts)}

rows = list(csv.DictReader(open(os.path.join(out, "volumes.tsv")), delimiter="\t"))
check([int(r["label"]) for r in rows] == sorted(want), "volumes.tsv has every non-zero AAL label (%d)" % len(want))
check(all(int(r["voxels"]) == want[int(r["label"])][0] for r in rows), "volumes.tsv voxel counts == numpy")
check(all(abs(float(r["volume_mm3"]) - want[int(r["label"])][1]) <= 1e-9 * want[int(r["label"])][1] for r in rows),
      "volumes.tsv volume_mm3 == count x |det| (rel 1e-9)")
check(all(r["name"] == names.get(int(r["label"]), "n/a") for r in rows), "volumes.tsv names == aal.nii.txt")

res = list(csv.DictReader(open(os.path.join(out, "results.csv"))))
check(len(res) == len(want), "ImageJ Results table saved with %d rows" % len(res))
check(all(int(float(r["label"])) in want and abs(float(r["volume_mm3"]) - want[int(float(r["label"]))][1]) < 1e-3
          and r["name"] == names[int(float(r["label"]))] for r in res), "ImageJ Results table == numpy volumes and names")

info = list(csv.DictReader(open(os.path.join(out, "info.tsv")), delimiter="\t"))[0]
data = img.get_fdata()
check(info["shape"].split() == [str(s) for s in img.shape], "info shape == nibabel " + str(img.shape))
check(info["datatype"] == str(img.get_data_dtype()), "info datatype == nibabel " + str(img.get_data_dtype()))
check(np.allclose([float(x) for x in info["zooms"].split()], img.header.get_zooms()), "info zooms == nibabel")
check(np.allclose(np.array([float(x) for x in info["affine"].split()]).reshape(4, 4), img.affine), "info affine == nibabel")
check(abs(float(info["sum"]) - data.sum()) <= 1e-9 * abs(data.sum()) and float(info["max"]) == data.max(),
      "info sum/max == numpy")

logtext = open(log).read()
check("E2E image aal.nii.gz 181x217x181 voxel 1 1 1 mm" in logtext, "ImageJ shows aal.nii.gz as 181x217x181, 1 mm voxels")
check("E2E results rows %d overlay " % len(want) in logtext and " overlay 0\n" not in logtext,
      "Region volumes filled ImageJ's Results table and drew outlines")


pairs = sum(len(np.unique(np.nonzero(lab == l)[2])) for l in labels)
check("E2E results rows %d overlay %d\n" % (len(want), pairs) in logtext,
      "overlay has one outline per (label, slice) with voxels: %d (numpy)" % pairs)


def tr_seconds(im):
    if len(im.shape) < 4:
        return None
    unit = im.header.get_xyzt_units()[1]
    return im.header.get_zooms()[3] * {"msec": 1e-3, "usec": 1e-6}.get(unit, 1.0)


for line in os.environ["INPUTS"].splitlines():
    name, src = line.split("|")[:2]
    a = nib.load(src)
    b = nib.load(os.path.join(out, name + ".nii.gz"))
    check(a.shape == b.shape, "%s: shape %s kept" % (name, a.shape))
    da, db = a.get_fdata(), b.get_fdata()
    same = np.allclose(da, db, rtol=1e-6, atol=0, equal_nan=True)
    exact = np.array_equal(da, db, equal_nan=True)
    check(same, "%s: values kept (%s)" % (name, "identical" if exact else "max rel diff %.2g" % np.nanmax(
        np.abs(da - db) / np.maximum(np.abs(da), 1e-30))))
    check(np.allclose(a.affine, b.affine, atol=1e-5), "%s: affine kept (max diff %.2g mm)" % (name, np.abs(a.affine - b.affine).max()))
    check(np.allclose(a.header.get_zooms()[:3], b.header.get_zooms()[:3], atol=1e-6), "%s: voxel size %s kept" % (
        name, tuple(round(float(z), 6) for z in a.header.get_zooms()[:3])))
    if len(a.shape) > 3:
        check(abs(tr_seconds(a) - tr_seconds(b)) < 1e-6, "%s: TR %.4g s kept" % (name, tr_seconds(a)))
        check(("E2E opened %s %dx%dx%dx%d frame interval %g" % ((name,) + a.shape[:4] + (tr_seconds(a),))) in logtext,
              "%s: ImageJ frame interval == TR" % name)
    aff = [l.split()[3:] for l in logtext.splitlines() if l.startswith("E2E affine %s " % name)]
    check(len(aff) == 1 and len(aff[0]) == 16 and np.allclose(np.array(aff[0], float).reshape(4, 4), a.affine, atol=1e-6),
          "%s: image property ketaprint.affine == nibabel affine" % name)
    probes = [l.split() for l in logtext.splitlines() if l.startswith("E2E probe %s " % name)]
    got, ref = [], []
    for p in probes:
        i, j, k = int(p[3]), int(p[4]), int(p[5])
        got.append(float(p[6]))
        ref.append(da[i, j, k] if da.ndim == 3 else da[i, j, k, 0])
    check(len(probes) == 7 and np.allclose(got, ref, rtol=1e-6, atol=1e-6),
          "%s: ImageJ pixels (x, h-1-j, slice k+1) == nibabel voxels (i, j, k) on a line: %s"
          % (name, " ".join("%g" % r for r in ref)))
    if np.issubdtype(a.get_data_dtype(), np.integer) and a.dataobj.slope == 1 and a.dataobj.inter == 0:
        check(b.get_data_dtype() == a.get_data_dtype(), "%s: datatype %s kept" % (name, a.get_data_dtype()))

# Pipeline from the menu: group features of sub-01 == the demo's ground truth (scripts/make_demo.py).
feat = list(csv.DictReader(open(os.path.join(out, "pipeline", "group", "features.tsv")), delimiter="\t"))
truth = {(r["participant_id"], r["session_id"]): r
         for r in csv.DictReader(open("test-data/demo-truth.tsv"), delimiter="\t")}
cols = ["hippocampus_l_vol_mm3", "hippocampus_r_vol_mm3", "accumbens_l_vol_mm3", "accumbens_r_vol_mm3"]
okp = len(feat) > 0 and all(
    abs(float(r[c]) - float(truth[(r["participant_id"], r["session_id"])][c])) <= 1e-6 * float(truth[(r["participant_id"], r["session_id"])][c])
    for r in feat for c in cols)
check(okp, "Run pipeline (menu): %d sub-01 rows, volumes == demo truth" % len(feat))
check("E2E features rows %d\n" % len(feat) in logtext, "Run pipeline showed the features table")

# DTI maps against DIPY 1.6 (TensorModel, median_otsu) run here on the same sample files.
import warnings
warnings.simplefilter("ignore")
from dipy.core.gradients import gradient_table
from dipy.io.gradients import read_bvals_bvecs
import dipy.reconst.dti as dti
from dipy.segment.mask import median_otsu

DIPYDATA = "/usr/lib/python3/dist-packages/dipy/data/files"


def dipy_fit(name, ext, method, masked):
    im = nib.load(os.path.join(DIPYDATA, name + ext))
    data = im.get_fdata()
    bvals, bvecs = read_bvals_bvecs(os.path.join(DIPYDATA, name + ".bval"), os.path.join(DIPYDATA, name + ".bvec"))
    gtab = gradient_table(bvals, bvecs)
    mask = median_otsu(data, vol_idx=np.where(gtab.b0s_mask)[0])[1] if masked else np.ones(data.shape[:3], bool)
    fit = dti.TensorModel(gtab, fit_method=method).fit(data, mask=mask)
    return im, mask, {"FA": fit.fa, "MD": fit.md, "AD": fit.ad, "RD": fit.rd}


def compare_maps(label, files, im, mask, ref):
    for m, f in files.items():
        b = nib.load(f)
        got = b.get_fdata()
        want = ref[m]
        valid = mask & np.isfinite(want)
        diff = np.abs(got[valid] - want[valid])
        rel = diff / np.maximum(np.abs(want[valid]), 1e-12)
        ok = got.shape == want.shape and valid.sum() > 0 and bool(np.all((diff <= 1e-4 * np.abs(want[valid])) | (diff <= 1e-9)))
        check(ok and np.all(got[~mask] == 0), "%s %s == DIPY in %d mask voxels (max abs %.2g, rel %.2g), 0 outside"
              % (label, m, valid.sum(), diff.max(), rel.max()))
        check(np.allclose(b.affine, im.affine, atol=1e-5), "%s %s affine == DWI affine" % (label, m))


im, mask, ref = dipy_fit("small_101D", ".nii.gz", "WLS", True)
ours_mask = nib.load(os.path.join(out, "dti101_mask.nii.gz")).get_fdata() != 0
check(np.array_equal(ours_mask, mask), "DTI maps (menu, open image): mask == DIPY median_otsu (%d voxels)" % mask.sum())
compare_maps("DTI maps written small_101D WLS", {m: os.path.join(out, "dti101_%s.nii.gz" % m) for m in ref}, im, mask, ref)
compare_maps("DTI maps ImageJ window small_101D WLS", {m: os.path.join(out, "dti101_window_%s.nii.gz" % m) for m in ref},
             im, mask, ref)
zooms = im.header.get_zooms()[:3]
for m in ref:
    line = [l for l in logtext.splitlines() if l.startswith("E2E dti window small_101D_%s " % m)]
    f = line[0].split() if line else []
    ok = len(f) == 26 and f[4] == "x".join(str(s) for s in im.shape[:3]) \
        and np.allclose([float(x) for x in f[6:9]], zooms, atol=1e-5) \
        and np.allclose(np.array(f[10:26], float).reshape(4, 4), im.affine, atol=1e-6)
    check(ok, "DTI maps window small_101D_%s: %s, voxel size and ketaprint.affine of the DWI" % (m, im.shape[:3]))
im, mask, ref = dipy_fit("small_64D", ".nii", "OLS", False)
compare_maps("DTI maps (menu, file) small_64D OLS every voxel", {m: os.path.join(out, "dti64_%s.nii.gz" % m) for m in ref},
             im, mask, ref)
check("E2E dti64 images 4\n" in logtext, "DTI maps from a file opened 4 images (FA, MD, AD, RD)")


# ROI statistics against numpy: labels resampled onto the map by nearest neighbour through both affines.
def roistats(map_img, lab_img, names, wanted=None, above=None):
    v = map_img.get_fdata().astype(np.float32).astype(np.float64)
    lab = np.asarray(lab_img.dataobj)
    ijk = np.indices(v.shape).reshape(3, -1).T
    xyz = nib.affines.apply_affine(map_img.affine, ijk)
    idx = np.floor(nib.affines.apply_affine(np.linalg.inv(lab_img.affine), xyz) + 0.5).astype(int)
    inside = np.all((idx >= 0) & (idx < lab.shape), axis=1)
    on = np.zeros(idx.shape[0], int)
    on[inside] = lab[idx[inside, 0], idx[inside, 1], idx[inside, 2]]
    flat = v.reshape(-1, order="F")
    on = on.reshape(v.shape).reshape(-1, order="F")
    sel_all = np.ones(flat.size, bool) if above is None else flat > above
    if wanted is None:
        wanted = sorted(set(np.unique(on[on > 0]).tolist()) | {k for k in names if k > 0})
    rows = []
    for l in wanted:
        x = flat[(on == l) & sel_all]
        fin = x[np.isfinite(x)]
        rows.append((l, names.get(l, "n/a"), fin.size, fin.mean() if fin.size else None,
                     np.median(fin) if fin.size else None, fin.std(ddof=1) if fin.size > 1 else None, x.size - fin.size))
    return rows, on.reshape(v.shape, order="F")


def table_names(path):
    d = {}
    for line in open(path):
        f = line.split()
        if len(f) >= 2 and f[0].isdigit():
            d[int(f[0])] = f[1]
    return d


def same_rows(rows, got):
    if len(rows) != len(got):
        return False
    for w, g in zip(rows, got):
        if int(g["label"]) != w[0] or g["name"] != w[1] or int(g["voxels"]) != w[2] or int(g["nonfinite"]) != w[6]:
            return False
        for k, ref in zip(("mean", "median", "std"), w[3:6]):
            if ref is None:
                if g[k] != "n/a":
                    return False
            elif abs(float(g[k]) - ref) > 1e-9 * abs(ref):
                return False
    return True


ch2 = nib.load(os.path.join(tpl, "ch2.nii.gz"))
jhu = nib.load(os.path.join(tpl, "JHU-WhiteMatter-labels-1mm.nii.gz"))
rows, on = roistats(ch2, jhu, table_names(os.path.join(tpl, "JHU-WhiteMatter-labels-1mm.nii.txt")), above=60)
got = list(csv.DictReader(open(os.path.join(out, "roi_jhu.tsv")), delimiter="\t"))
check(same_rows(rows, got), "ROI statistics Colin27 in JHU 1 mm labels (T1 > 60): %d labels == numpy (counts, names, "
      "mean/std rel 1e-9, median)" % len(rows))
res = list(csv.DictReader(open(os.path.join(out, "roi_results.csv"))))
check(len(res) == len(rows) and all(int(float(r["label"])) == w[0] and int(float(r["voxels"])) == w[2] for r, w in zip(res, rows)),
      "ROI statistics filled ImageJ's Results table (%d rows)" % len(res))
labs = [w[0] for w in rows]
pairs = sum(len(np.unique(np.nonzero(on == l)[2])) for l in labs)
check("E2E roi rows %d overlay %d\n" % (len(rows), pairs) in logtext,
      "ROI statistics overlay: one outline per (label, slice) of the resampled atlas: %d (numpy)" % pairs)
aal_names = table_names(os.path.join(tpl, "aal.nii.txt"))
inv = {n: k for k, n in aal_names.items()}
rows, _ = roistats(ch2, nib.load(os.path.join(tpl, "aal.nii.gz")), aal_names, wanted=[inv["Hippocampus_L"], inv["Hippocampus_R"], 3])
got = list(csv.DictReader(open(os.path.join(out, "roi_aal.tsv")), delimiter="\t"))
check(same_rows(rows, got), "ROI statistics Colin27 in AAL, labels by name and number (%s) == numpy"
      % ", ".join("%d %s" % (w[0], w[1]) for w in rows))

# Seed correlation and ALFF against scripts/restingstate_reference.py (numpy lstsq) on the fresh phantom.
import json
W = sys.argv[3]


def rs_map(ref, got, what):
    a = nib.load(ref).get_fdata()
    b = nib.load(got).get_fdata()
    f = ~np.isnan(a)
    d = np.abs(a[f] - b[f]) / np.maximum(1, np.abs(a[f]))
    check(a.shape == b.shape and np.array_equal(np.isnan(a), np.isnan(b)) and (a[f] != 0).sum() > 100 and d.max() <= 1e-5,
          "%s == numpy in %d voxels (max diff %.1e), NaN in the same voxels" % (what, (a[f] != 0).sum(), d.max()))


ref = json.load(open(os.path.join(W, "rs_ref_fc.json")))
row = list(csv.DictReader(open(os.path.join(out, "rs_fc.tsv")), delimiter="\t"))[0]
check(all(abs(float(row[k]) - ref[k]) <= 1e-6 * max(1, abs(ref[k])) for k in ("r", "z"))
      and abs(float(row["fd_mean"]) - ref["fd_mean_mm"]) <= 1e-6
      and int(row["n_used"]) == ref["n_volumes_used"] and int(row["n_censored"]) == ref["n_volumes_censored"],
      "Seed correlation (menu, open BOLD, 24P + GSR): r %.6f z %.6f, %d volumes used == numpy" % (ref["r"], ref["z"], ref["n_volumes_used"]))
check(("E2E rs results 1 r %.9f" % float(row["r"]))[:26] in logtext, "Seed correlation filled ImageJ's Results table")
rs_map(os.path.join(W, "rs_ref_fc_r.nii.gz"), os.path.join(out, "rs_window_r.nii.gz"), "Seed correlation r map (ImageJ window)")
ov = [l for l in logtext.splitlines() if l.startswith("E2E rs r-map overlay ")]
check(len(ov) == 1 and int(ov[0].split()[-1]) > 0, "Seed correlation r map has the seed and target outlined (%s)" % (ov[0].split()[-1] if ov else "?"))
ref = json.load(open(os.path.join(W, "rs_ref_alff.json")))
row = list(csv.DictReader(open(os.path.join(out, "rs_alff.tsv")), delimiter="\t"))[0]
check(all(abs(float(row[k]) - ref[k]) <= 1e-6 * max(1, abs(ref[k])) for k in ("alff", "falff"))
      and int(row["n_censored"]) == ref["n_volumes_censored"] and float(row["fd_threshold_mm"]) == 0.5,
      "ALFF (menu, file, default numbers): ROI alff %.6f falff %.6f, %d censored == numpy" % (ref["alff"], ref["falff"], ref["n_volumes_censored"]))
rs_map(os.path.join(W, "rs_ref_alff_alff.nii.gz"), os.path.join(out, "rs_alff_alff.nii.gz"), "ALFF map")
rs_map(os.path.join(W, "rs_ref_alff_falff.nii.gz"), os.path.join(out, "rs_alff_falff.nii.gz"), "fALFF map")
check("E2E rs alff images 2\n" in logtext, "ALFF opened the ALFF and fALFF maps")

# Task GLM against ketaprint glm --json on the same files, bit for bit, each on its own JVM path: plain ImageJ with
# java -jar (plain loops), ImageJ with the Vector API with bin/ketaprint.
FUNC = "test-data/demo-bids/derivatives/fmriprep/sub-01/ses-pre/func/sub-01_ses-pre_task-faces_"
GLAB = "fearfulGtNeutral"
STATS = ("effect", "variance", "t", "z", "p")
vlog = open(os.path.join(W, "glm_vector.log")).read()


def same_glm(name, text, cli, roi_index, prefix, what):
    ref = json.load(open(os.path.join(W, cli + ".json")))
    con = ref["contrasts"][0]
    want = [con["rois"][i] for i in roi_index]
    # E2E NAME row ROI CONTRAST VOXELS BETA Z T
    rows = [l.split()[3:] for l in text.splitlines() if l.startswith("E2E %s row " % name)]
    check(con["name"] == GLAB and len(rows) == len(want) and all(
        r[0] == w["roi"] and r[1] == GLAB and int(r[2]) == w["voxels"]
        and float(r[3]) == w["beta"] and float(r[4]) == w["z"] and float(r[5]) == w["t"] for r, w in zip(rows, want)),
        "%s: Results table == %s --json bit for bit (%s)" % (what, cli, "; ".join(
            "%s: %d voxels, beta_pct %r, z %r, t %r" % (w["roi"].split(":")[0], w["voxels"], w["beta"], w["z"], w["t"])
            for w in want)))
    tsv = list(csv.DictReader(open(os.path.join(out, name + ".tsv")), delimiter="\t"))
    check(len(tsv) == len(want) and all(
        t["contrast"] == GLAB and t["roi"] == w["roi"] and int(t["voxels"]) == w["voxels"] and float(t["beta_pct"]) == w["beta"]
        and float(t["z"]) == w["z"] and float(t["t"]) == w["t"] and int(t["dof"]) == ref["dof"]
        and t["noise_model"] == ref["noise_model"] for t, w in zip(tsv, want)),
        "%s: saved TSV == %s --json bit for bit (beta_pct, z, t, voxels; dof %d, %s)" % (what, cli, ref["dof"], ref["noise_model"]))
    cz = nib.load(os.path.join(W, cli + "_contrast-%s_stat-z_statmap.nii.gz" % GLAB))
    czd = cz.get_fdata()
    if prefix:
        same = [s for s in STATS if np.array_equal(
            nib.load(os.path.join(out, prefix + "_contrast-%s_stat-%s_statmap.nii.gz" % (GLAB, s))).get_fdata(),
            nib.load(os.path.join(W, cli + "_contrast-%s_stat-%s_statmap.nii.gz" % (GLAB, s))).get_fdata())]
        check(same == list(STATS), "%s: written maps == %s's, every voxel (%s)" % (what, cli, ", ".join(same) or "none"))
        check(open(os.path.join(out, prefix + "_design.tsv")).read() == open(os.path.join(W, cli + "_design.tsv")).read(),
              "%s: written design.tsv == %s's" % (what, cli))
    wz = nib.load(os.path.join(out, name + "_window_z.nii.gz"))
    wzd = wz.get_fdata()
    check(wzd.shape == czd.shape and np.array_equal(wzd, czd.astype(np.float32)) and np.count_nonzero(czd) == ref["mask_voxels"]
          and np.allclose(wz.affine, cz.affine, atol=1e-6),
          "%s: z map window (saved through Save As) == %s's z map as float32 in all %d voxels (%d in the mask), and its affine"
          % (what, cli, czd.size, ref["mask_voxels"]))
    return ref


# the atlas ROI on the BOLD grid by nearest neighbour (numpy): its voxels in the mask, the slices it is outlined on
bold = nib.load(FUNC + "space-MNI152NLin2009cAsym_desc-preproc_bold.nii.gz")
gmask = nib.load(FUNC + "space-MNI152NLin2009cAsym_desc-brain_mask.nii.gz").get_fdata() > 0
aal = nib.load("test-data/demo-atlases/aal.nii.gz")
alab = np.asarray(aal.dataobj).astype(int)
aal_ids = {n: k for k, n in table_names("test-data/demo-atlases/aal.nii.txt").items()}
ijk = np.indices(gmask.shape).reshape(3, -1).T
idx = np.floor(nib.affines.apply_affine(np.linalg.inv(aal.affine), nib.affines.apply_affine(bold.affine, ijk)) + 0.5).astype(int)
inside = np.all((idx >= 0) & (idx < alab.shape), axis=1)
on = np.zeros(idx.shape[0], int)
on[inside] = alab[tuple(idx[inside].T)]
groi = np.isin(on, [aal_ids["Cingulum_Ant_L"], aal_ids["Cingulum_Ant_R"]]).reshape(gmask.shape)
gslices = len(np.unique(np.nonzero(groi)[2]))
gtitle = os.path.basename(FUNC) + "space-MNI152NLin2009cAsym_desc-preproc_bold_contrast-%s_stat-z" % GLAB

for name, text, cli, what in (("glm", logtext, "glm_cli_plain", "Task GLM (menu, file, plain JVM) vs java -jar"),
                              ("glm_vector", vlog, "glm_cli_vector", "Task GLM (menu, file, Vector API) vs bin/ketaprint")):
    ref = same_glm(name, text, cli, [0], name, what)
    check(ref["contrasts"][0]["rois"][0]["voxels"] == int((groi & gmask).sum()),
          "%s: the atlas ROI's %d voxels == numpy (AAL Cingulum_Ant_L+R by nearest neighbour, in the mask)"
          % (what, (groi & gmask).sum()))
    win = [l.split() for l in text.splitlines() if l.startswith("E2E %s window " % name)]
    check(len(win) == 1 and win[0][3] == gtitle and win[0][4] == "x".join(str(s) for s in gmask.shape)
          and int(win[0][6]) == gslices and "E2E %s results 1 images 1\n" % name in text,
          "%s: one z map window %s, %s, the ROI outlined on its %d slices (numpy)"
          % (what, gtitle, "x".join(str(s) for s in gmask.shape), gslices))
same_glm("glm_open", logtext, "glm_cli_plain", [1], None,
         "Task GLM (menu, open BOLD, default confounds, sphere) vs java -jar")
win = [l.split() for l in logtext.splitlines() if l.startswith("E2E glm_open window ")]
check(len(win) == 1 and win[0][3] == gtitle and int(win[0][-1]) > 0 and "E2E glm_open results 1 images 2\n" in logtext,
      "Task GLM (open BOLD): the z map window, the sphere outlined on it (%s)" % (win[0][-1] if win else "?"))
pz = nib.load(os.path.join(W, "glm_cli_plain_contrast-%s_stat-z_statmap.nii.gz" % GLAB)).get_fdata()
vz = nib.load(os.path.join(W, "glm_cli_vector_contrast-%s_stat-z_statmap.nii.gz" % GLAB)).get_fdata()
print("note Task GLM: plain loops and the Vector API give different z in %d of %d mask voxels (max |dz| %.1g): rounding"
      % ((pz != vz).sum(), np.count_nonzero(pz), np.abs(pz - vz).max()))
check(np.abs(pz - vz).max() <= 1e-12 * max(1, np.abs(pz).max()), "Task GLM: plain-loop and Vector API z maps agree to 1e-12")

print("imagej_e2e: %s (%d failed)" % ("FAIL" if fails else "all checks passed", fails))
sys.exit(1 if fails else 0)
PYEOF
