#!/usr/bin/env bash
# median_otsu brain mask: ketaprint bench-mask (rank-window median filter, and the old per-voxel
# quickselect with OLD=1) against DIPY 1.6's median_otsu, alternating in the same run, on one DWI.
# Checks that the masks are identical (voxel count and CRC-32) and prints one table.
# Run from the repo root; builds the jar if there is none (mvn -B -o -q package -DskipTests).
# Env: DWI, BVAL, BVEC (default: a synthetic 96x114x96 2 mm DWI, 3 b0 + 30 dirs, made by make_dwi.py in
#      BENCH_DIR, default /tmp/ketaprint-bench-mask), ROUNDS (default 3), KP_REPEAT (timed runs per
#      bench-mask call, default 5, after 1 warm-up), OLD (1: also time the quickselect, 1 run per round).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
py=/usr/bin/python3
pyenv=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE)
rounds="${ROUNDS:-3}"
kp_repeat="${KP_REPEAT:-5}"
old="${OLD:-1}"
w="${BENCH_DIR:-/tmp/ketaprint-bench-mask}"
if [ -z "${DWI:-}" ]; then
  DWI="$w/dwi.nii.gz" BVAL="$w/dwi.bval" BVEC="$w/dwi.bvec"
  if [ ! -f "$DWI" ]; then
    mkdir -p "$w"
    echo "making the synthetic DWI in $w ..."
    "${pyenv[@]}" "$py" "$here/make_dwi.py" "$w"
  fi
fi
ls "$root"/target/ketaprint-*.jar > /dev/null 2>&1 || (cd "$root" && mvn -B -o -q package -DskipTests)

out="$(mktemp -d /tmp/ketaprint-bench-mask.XXXXXX)"
trap 'rm -rf "$out"' EXIT
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "java: $(java -version 2>&1 | head -n1); $("${pyenv[@]}" "$py" -c 'import dipy, scipy; print("dipy", dipy.__version__, "scipy", scipy.__version__)')"
echo "data: $DWI"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for r in $(seq "$rounds"); do
  echo "round $r, load $(cut -d' ' -f1 /proc/loadavg) ..."
  "$root/bin/ketaprint" bench-mask "$DWI" --bval "$BVAL" --bvec "$BVEC" --repeat "$kp_repeat" --json > "$out/kp-$r.json"
  "${pyenv[@]}" "$py" "$here/dipy_mask.py" "$DWI" "$BVAL" "$BVEC" > "$out/dipy-$r.json"
  if [ "$old" = 1 ]; then
    "$root/bin/ketaprint" bench-mask "$DWI" --bval "$BVAL" --bvec "$BVEC" --repeat 1 --warmup 0 --select --json \
      > "$out/old-$r.json"
  fi
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
"$py" - "$out" <<'PYEOF'
import glob, json, statistics, sys
d = sys.argv[1]
rows = {}
for tag, name in [("kp", "ketaprint bench-mask (rank window)"), ("old", "ketaprint bench-mask --select (old)"),
                  ("dipy", "DIPY median_otsu")]:
    recs = [json.load(open(f)) for f in sorted(glob.glob("%s/%s-*.json" % (d, tag)))]
    if recs:
        rows[tag] = (name, recs, [t for r in recs for t in r["runs"]], [t for r in recs for t in r["cpu_runs"]])
dipy_med = statistics.median(rows["dipy"][2])
dipy_cpu = statistics.median(rows["dipy"][3])
print("\nload excluded: b0 volumes (ketaprint) / the 4D data (DIPY, get_fdata) are in memory before timing")
print("wall: best and median of all runs; CPU: median process CPU time (ketaprint: all threads, 2 cores)")
print("%-38s %5s %8s %8s %7s %8s %7s %8s  %s" % ("", "runs", "best s", "median s", "x DIPY", "CPU s", "x DIPY",
                                                "voxels", "crc32"))
ok = True
ref = rows["dipy"][1][0]
for tag, (name, recs, runs, cpu) in rows.items():
    med, cmed = statistics.median(runs), statistics.median(cpu)
    same = all(r["mask_voxels"] == ref["mask_voxels"] and r["mask_crc32"] == ref["mask_crc32"] for r in recs)
    ok &= same
    print("%-38s %5d %8.3f %8.3f %7.3f %8.2f %7.3f %8d  %s%s" % (name, len(runs), min(runs), med, med / dipy_med,
          cmed, cmed / dipy_cpu, recs[0]["mask_voxels"], recs[0]["mask_crc32"], "" if same else "  MASK DIFFERS"))
am = statistics.median(r["applymask_s"] for r in rows["dipy"][1])
print("DIPY applymask (4D masking inside median_otsu, not done by ketaprint): median %.3f s" % am)
print("masks identical to DIPY's: %s" % ("yes" if ok else "NO"))
sys.exit(0 if ok else 1)
PYEOF
