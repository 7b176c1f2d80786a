#!/usr/bin/env bash
# Oracle for bench-read: on a nibabel-written MNI-grid series (20 volumes), ketaprint must read the same
# data as nibabel's get_fdata(dtype=np.float32) (same voxel count and float64 sum), keep its peak heap
# within 1.3x the float32 data, and fail cleanly (exit 2, one line) on a too-small heap or a missing file.
# Timings are printed, never checked. Run from the repo root after `mvn -B package -DskipTests`.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
py=/usr/bin/python3
pyenv=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE)
tmp="$(mktemp -d /tmp/ketaprint-oracle-bench.XXXXXX)"
trap 'rm -rf "$tmp"' EXIT
fail=0
check() {  # check DESCRIPTION COMMAND...
  if "${@:2}"; then echo "ok   $1"; else echo "FAIL $1"; fail=1; fi
}

"${pyenv[@]}" "$py" "$root/scripts/bench/make_series.py" "$tmp" 20 || { echo "FAIL cannot generate the series"; exit 1; }
for ext in nii nii.gz; do
  f="$tmp/series.$ext"
  KETAPRINT_JAVA_OPTS=-Xmx512m "$root/bin/ketaprint" bench-read "$f" --repeat 2 --json > "$tmp/k-$ext.json" \
    || { echo "FAIL bench-read $f exited $?"; fail=1; continue; }
  "${pyenv[@]}" "$py" "$root/scripts/bench/nibabel_read.py" "$f" --repeat 2 --mode nommap > "$tmp/n-$ext.json" \
    || { echo "FAIL nibabel_read.py $f"; fail=1; continue; }
  check "$ext: same voxel count and float64 sum as nibabel get_fdata(dtype=float32); heap peak <= 1.3x data" \
    "$py" - "$tmp/k-$ext.json" "$tmp/n-$ext.json" <<'PY'
import json, sys
k, n = (json.load(open(p)) for p in sys.argv[1:3])
print("     ketaprint: %d voxels, sum %.10g, median %.3f s, heap peak %.3f x data"
      % (k["voxels"], k["checksum"], k["median_s"], k["peak_heap_ratio"]))
print("     nibabel:   %d voxels, sum %.10g, median %.3f s" % (n["voxels"], n["checksum"], n["median_s"]))
ok = k["voxels"] == n["voxels"] == 91 * 109 * 91 * 20 and k["data_bytes"] == 4 * k["voxels"]
ok &= abs(k["checksum"] - n["checksum"]) <= 1e-9 * abs(n["checksum"]) and k["nonfinite"] == n["nonfinite"]
ok &= len(k["runs"]) == 2 and 1.0 <= k["peak_heap_ratio"] <= 1.3
sys.exit(0 if ok else 1)
PY
done
check "bench_read table prints both tools" \
  "$py" "$root/scripts/bench/table.py" "$tmp/k-nii.json" "$tmp/n-nii.json" "$tmp/k-nii.gz.json" "$tmp/n-nii.gz.json"

KETAPRINT_JAVA_OPTS=-Xmx32m "$root/bin/ketaprint" bench-read "$tmp/series.nii" > /dev/null 2> "$tmp/err"
rc=$?
echo "     -Xmx32m: exit $rc: $(cat "$tmp/err")"
check "too-small heap: exit 2, one line naming the file and the -Xmx fix" \
  test "$rc" = 2 -a "$(wc -l < "$tmp/err")" = 1 -a -n "$(grep -F "$tmp/series.nii" "$tmp/err" | grep -e -Xmx)"
"$root/bin/ketaprint" bench-read "$tmp/none.nii" > /dev/null 2> "$tmp/err"
rc=$?
echo "     missing file: exit $rc: $(cat "$tmp/err")"
check "missing file: exit 2, one line naming it" \
  test "$rc" = 2 -a "$(wc -l < "$tmp/err")" = 1 -a -n "$(grep -F none.nii "$tmp/err")"
# The reader bench-read times must read real files as nibabel does (gzip and plain; many datatypes).
check "readFloat checksums match nibabel on nibabel's test images and the mricron atlases" \
  "${pyenv[@]}" "$py" - "$root/bin/ketaprint" <<'PY'
import glob, json, subprocess, sys
import nibabel as nib, numpy as np
files = sorted(glob.glob("/usr/lib/python3/dist-packages/nibabel/tests/data/*.nii*")
               + glob.glob("/usr/lib/python3/dist-packages/nibabel/tests/data/*.hdr")
               + glob.glob("/usr/share/mricron/templates/*.nii*"))
bad = compared = 0
for f in files:
    try:
        img = nib.load(f)
        if not isinstance(img, (nib.Nifti1Image, nib.Nifti2Image, nib.AnalyzeImage)) or \
                type(img).__name__.startswith("Cifti"):
            continue
        ref = img.get_fdata(dtype=np.float32)
    except Exception:
        continue
    p = subprocess.run([sys.argv[1], "bench-read", f, "--repeat", "1", "--warmup", "0", "--json"],
                       capture_output=True, text=True)
    if p.returncode != 0:
        print("     skip %s: ketaprint refuses it: %s" % (f, p.stderr.strip()))
        continue
    k = json.loads(p.stdout)
    fin = np.isfinite(ref)
    s = float(ref.sum(dtype=np.float64, where=fin))
    ok = k["voxels"] == ref.size and k["nonfinite"] == ref.size - np.count_nonzero(fin)
    ok = ok and abs(k["checksum"] - s) <= 1e-9 * max(1.0, float(np.abs(ref).sum(dtype=np.float64, where=fin)))
    compared += 1
    print("     %s %s: %s %d voxels, sum %.10g vs nibabel %.10g" % ("ok  " if ok else "BAD ", f,
          img.get_data_dtype(), ref.size, k["checksum"], s))
    bad += not ok
sys.exit(1 if bad or compared < 5 else 0)
PY
exit $fail
