#!/usr/bin/env bash
# GLM throughput (issue 19): `ketaprint glm` (AR(1), SPM HRF, 6P, one t contrast with z) beside the numpy reference
# (scripts/oracle/glm_reference.py, vectorised as nilearn's run_glm) on the same run in the same session:
# 204,800 voxels x 300 volumes (scripts/bench/bench_glm.py make). Prints per repetition the fit time of each
# (load excluded: numpy's nibabel read, ketaprint's NIfTI read) and whole-command wall times, then medians and
# the ratio ketaprint / numpy. Env: REPS (default 3), BENCH_DIR (default /tmp/ketaprint-bench-glm).
# Run from the repo root after `mvn -B package -DskipTests`. numpy runs with OPENBLAS_CORETYPE and
# OPENBLAS_L2_SIZE unset (they slow OpenBLAS here).
set -euo pipefail
cd "$(dirname "$0")/../.."
W="${BENCH_DIR:-/tmp/ketaprint-bench-glm}"
REPS="${REPS:-3}"
PY=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3)
median() { sort -g | awk '{a[NR] = $1} END {print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2)}'; }
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2 / 1048576}' /proc/meminfo);" \
  "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
[ -f "$W/bold.nii" ] || { echo "making the run in $W ..."; "${PY[@]}" scripts/bench/bench_glm.py make "$W"; }
cat "$W/bold.nii" > /dev/null
: > "$W/kp.txt"; : > "$W/np.txt"
for r in $(seq "$REPS"); do
  s=$(date +%s.%N)
  bin/ketaprint glm "$W/bold.nii" --events "$W/events.tsv" --confounds "$W/confounds.tsv" --mask "$W/mask.nii.gz" \
    --contrast "fearful - neutral" --json 2> /dev/null > "$W/kp.json"
  kw=$(echo "$(date +%s.%N) - $s" | bc)
  kf=$(/usr/bin/python3 -c "import json; print(json.load(open('$W/kp.json'))['timing']['fit_s'])")
  s=$(date +%s.%N)
  "${PY[@]}" scripts/bench/bench_glm.py numpy "$W" > "$W/np.json"
  nw=$(echo "$(date +%s.%N) - $s" | bc)
  nf=$(/usr/bin/python3 -c "import json; print(json.load(open('$W/np.json'))['fit_s'])")
  printf 'rep %d: ketaprint fit %.2f s (command %.2f s) | numpy fit %.2f s (command %.2f s)\n' "$r" "$kf" "$kw" "$nf" "$nw"
  echo "$kf $kw" >> "$W/kp.txt"; echo "$nf $nw" >> "$W/np.txt"
done
kf=$(cut -d' ' -f1 "$W/kp.txt" | median); kw=$(cut -d' ' -f2 "$W/kp.txt" | median)
nf=$(cut -d' ' -f1 "$W/np.txt" | median); nw=$(cut -d' ' -f2 "$W/np.txt" | median)
/usr/bin/python3 - "$W" <<PYEOF
import json, sys
k = json.load(open(sys.argv[1] + "/kp.json")); n = json.load(open(sys.argv[1] + "/np.json"))
print("voxels %d x volumes %d; AR(1) bins: ketaprint %d, numpy %d" % (k["mask_voxels"], k["volumes"], k["ar1_bins"], n["bins"]))
PYEOF
printf 'median fit: ketaprint %.2f s, numpy %.2f s: ratio %.2f (target <= 0.5)\n' "$kf" "$nf" "$(echo "$kf / $nf" | bc -l)"
printf 'median command: ketaprint %.2f s, numpy %.2f s: ratio %.2f\n' "$kw" "$nw" "$(echo "$kw / $nw" | bc -l)"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
