#!/usr/bin/env bash
# Reads a 2 mm MNI 4D series (91x109x91x300 float32) as .nii and .nii.gz with ketaprint bench-read and
# with nibabel's get_fdata(dtype=np.float32), in the same run, and prints one table.
# Run from the repo root after `mvn -B package -DskipTests`.
# Env: REPEAT (timed reads per tool and round, default 5), ROUNDS (rounds of all tools, default 3),
#      NT (volumes, default 300),
#      SERIES_DIR (reuse series.nii[.gz] there instead of generating them), KEEP=1 (keep the temp dir),
#      KETAPRINT_JAVA_OPTS (default -Xmx2g).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
py=/usr/bin/python3
repeat="${REPEAT:-5}"
rounds="${ROUNDS:-3}"
export KETAPRINT_JAVA_OPTS="${KETAPRINT_JAVA_OPTS:--Xmx2g}"
# numpy/nibabel run with the OpenBLAS overrides unset, for their commands only
pyenv=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE)

out="$(mktemp -d /tmp/ketaprint-bench.XXXXXX)"
if [ "${KEEP:-0}" != 1 ]; then trap 'rm -rf "$out"' EXIT; fi
dir="${SERIES_DIR:-$out}"
if [ -z "${SERIES_DIR:-}" ]; then
  echo "generating the series in $dir ..."
  "${pyenv[@]}" "$py" "$here/make_series.py" "$dir" "${NT:-300}"
fi

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), \
$(free -g | awk '/Mem:/ {print $2 " GB RAM"}')"
echo "java: $(java -version 2>&1 | head -n1); KETAPRINT_JAVA_OPTS=$KETAPRINT_JAVA_OPTS"
echo "nibabel $("${pyenv[@]}" "$py" -c 'import nibabel, numpy; print(nibabel.__version__, "numpy", numpy.__version__)')"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "warming the page cache ..."
cat "$dir/series.nii" "$dir/series.nii.gz" > /dev/null

results=()
n=0
run() {  # run NAME CMD...: saves the JSON record
  local f="$out/$((n++))-$1.json"; shift
  "$@" > "$f"
  results+=("$f")
}
for r in $(seq "$rounds"); do
  for ext in nii nii.gz; do
    f="$dir/series.$ext"
    echo "round $r: reading $f ($(stat -c %s "$f") bytes), load $(cut -d' ' -f1 /proc/loadavg) ..."
    run ketaprint "$root/bin/ketaprint" bench-read "$f" --repeat "$repeat" --json
    if [ "$ext" = nii ]; then
      for mode in nommap default touch; do
        run "nibabel-$mode" "${pyenv[@]}" "$py" "$here/nibabel_read.py" "$f" --repeat "$repeat" --mode "$mode"
      done
    else
      run nibabel-default "${pyenv[@]}" "$py" "$here/nibabel_read.py" "$f" --repeat "$repeat" --mode default
    fi
  done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "$rounds rounds of $repeat timed reads per tool (1 warm-up each); median = median of the rounds' medians;"
echo "best = fastest single read; GB/s = float32 bytes / median time (1 GB = 10^9 B)."
echo "peak heap: ketaprint = JVM heap pools' peak; nibabel = tracemalloc peak (numpy arrays)."
echo "time k/n, mem k/n: ketaprint over that nibabel row (below 1: ketaprint faster / leaner)."
"$py" "$here/table.py" "${results[@]}"
