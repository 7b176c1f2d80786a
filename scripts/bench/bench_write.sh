#!/usr/bin/env bash
# Writes six float32 tensor maps of a 2 mm brain grid (96x114x96; V1 x3) as .nii.gz with ketaprint bench-write on
# one thread and on all cores, and with nibabel's nib.save, at gzip levels 1 and 6, in the same run; prints one table.
# Run from the repo root after `mvn -B package -DskipTests`.
# Env: REPEAT (timed writes per tool and round, default 5), ROUNDS (default 3), LEVELS (default "1 6"),
#      KEEP=1 (keep the temp dir), KETAPRINT_JAVA_OPTS.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
py=/usr/bin/python3
repeat="${REPEAT:-5}"
rounds="${ROUNDS:-3}"
levels="${LEVELS:-1 6}"
pyenv=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE)

out="$(mktemp -d /tmp/ketaprint-bench-write.XXXXXX)"
if [ "${KEEP:-0}" != 1 ]; then trap 'rm -rf "$out"' EXIT; fi
"${pyenv[@]}" "$py" "$here/make_maps.py" "$out/maps"
maps=("$out"/maps/*.nii)

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "java: $(java -version 2>&1 | head -n1); nibabel $("${pyenv[@]}" "$py" -c 'import nibabel, numpy; print(nibabel.__version__, "numpy", numpy.__version__)')"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
results=()
n=0
run() {  # run NAME CMD...: saves the JSON record
  local f="$out/$((n++))-$1.json"; shift
  "$@" > "$f"
  results+=("$f")
}
for r in $(seq "$rounds"); do
  for level in $levels; do
    echo "round $r, level $level, load $(cut -d' ' -f1 /proc/loadavg) ..."
    run k1 "$root/bin/ketaprint" bench-write "${maps[@]}" --out-dir "$out/k1" --compression "$level" --threads 1 --repeat "$repeat" --json
    run kN "$root/bin/ketaprint" bench-write "${maps[@]}" --out-dir "$out/kN" --compression "$level" --repeat "$repeat" --json
    run nib "${pyenv[@]}" "$py" "$here/nibabel_write.py" "${maps[@]}" --out-dir "$out/nib" --level "$level" --repeat "$repeat"
  done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "$rounds rounds of $repeat timed writes of all six maps (33.6 MB of float32) per tool and level, 1 warm-up each;"
echo "median = median of the rounds' medians; MB/s = float32 MB / median."
"$py" "$here/write_table.py" "${results[@]}"
