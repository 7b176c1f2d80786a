#!/usr/bin/env bash
# Oracle (issue 16, map writing): ketaprint's block-parallel .nii.gz read back by nibabel, zlib and gzip.
# Multi-block images (3D maps, a 4D series with NaN, int16) are written with `convert` at compression 1, 9 and
# the default, and six tensor maps with `dti --compression 1|9|none`; every file must pass `gzip -t`, inflate in
# Python (gzip and zlib: one member, nothing after it) to exactly the bytes of the uncompressed write, and hold
# every voxel of its source in nibabel. Run from the repo root after `mvn -B package -DskipTests` (builds nothing).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
PY=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3)
K=bin/ketaprint
T="$(mktemp -d)"
trap 'rm -rf "$T"' EXIT
fail=0
D="$("${PY[@]}" -c 'import dipy, os; print(os.path.join(os.path.dirname(dipy.__file__), "data", "files"))')"

# sources: six 2 mm maps (4.2 MB each, V1 12.6 MB), a 4D float32 series with NaN/Inf, an int16 volume
"${PY[@]}" scripts/bench/make_maps.py "$T/src"
"${PY[@]}" - "$T/src" <<'PYEOF'
import sys, numpy as np, nibabel as nib
d = sys.argv[1]
rng = np.random.default_rng(16)
s = (rng.normal(500, 40, (53, 61, 47, 9)) * (rng.random((53, 61, 47, 1)) < 0.7)).astype(np.float32)
s[1, 2, 3, 4], s[5, 6, 7, 8], s[0, 0, 0, 0] = np.nan, np.inf, -np.inf
nib.save(nib.Nifti1Image(s, np.diag([2.5, 2.5, 3.0, 1.0])), d + "/series4d.nii")
nib.save(nib.Nifti1Image(np.arange(97 * 89 * 71, dtype=np.int16).reshape(97, 89, 71) % 2000, np.eye(4)), d + "/labels.nii")
PYEOF

for src in "$T"/src/*.nii; do
  name="$(basename "$src" .nii)"
  dt=float32; [ "$name" = labels ] && dt=int16
  $K convert "$src" "$T/$name.nii" --datatype $dt --compression none
  for c in 1 9 default; do
    opt=(--compression "$c"); [ "$c" = default ] && opt=()
    $K convert "$src" "$T/${name}_c$c.nii.gz" --datatype $dt "${opt[@]}"
  done
done
for c in 1 9 none; do
  ext=.nii.gz; [ "$c" = none ] && ext=.nii
  $K dti "$D/small_64D.nii" --bval "$D/small_64D.bval" --bvec "$D/small_64D.bvec" --out "$T/dti$c" --compression "$c" --write-maps true > /dev/null
  for m in FA MD AD RD V1 S0 mask; do [ -f "$T/dti${c}_$m$ext" ] || { echo "FAIL: dti --compression $c wrote no ${m}$ext"; fail=1; }; done
done

for f in "$T"/*.nii.gz; do
  if ! gzip -t "$f"; then echo "FAIL: gzip -t $f"; fail=1; fi
done

if ! "${PY[@]}" - "$T" <<'PYEOF'
import glob, gzip, os, re, sys, zlib
import numpy as np, nibabel as nib
t = sys.argv[1]
ok = True
def check(name, cond, detail=""):
    global ok
    print("  %-60s %s  %s" % (name, "ok  " if cond else "FAIL", detail))
    ok &= bool(cond)
def same(a, b):
    return a.shape == b.shape and np.array_equal(a, b, equal_nan=True)
for f in sorted(glob.glob(t + "/*.nii.gz")):
    base = os.path.basename(f)
    m = re.match(r"(.*)_c(1|9|default)\.nii\.gz$", base)
    plain = t + "/" + m.group(1) + ".nii" if m else f.replace("dti1_", "dtinone_").replace("dti9_", "dtinone_")[:-3]
    raw = open(f, "rb").read()
    d = zlib.decompressobj(wbits=31)
    out = d.decompress(raw)
    check(base + ": one gzip member, nothing after it", d.eof and d.unused_data == b"", "%d -> %d bytes" % (len(raw), len(out)))
    check(base + ": gzip module == uncompressed write", gzip.decompress(raw) == out == open(plain, "rb").read(),
          "%d blocks of 256 KiB" % -(-len(out) // 262144))
    img = nib.load(f)
    if m:
        src = nib.load(t + "/src/" + m.group(1) + ".nii")
        a = np.asarray(src.dataobj)
        check(base + ": nibabel voxels == source", same(np.asarray(img.dataobj), a.astype(img.get_data_dtype())),
              "%s %s" % (img.shape, img.get_data_dtype()))
        check(base + ": affine == source", np.allclose(img.affine, src.affine, atol=1e-6))
    else:
        check(base + ": nibabel voxels == .nii", same(np.asarray(img.dataobj), np.asarray(nib.load(plain).dataobj)), str(img.shape))
sizes = {c: sum(os.path.getsize(p) for p in glob.glob(t + "/*_c%s.nii.gz" % c)) for c in ("1", "9", "default")}
check("level 9 files <= level 1 files", sizes["9"] <= sizes["1"], str(sizes))
sys.exit(0 if ok else 1)
PYEOF
then fail=1; fi

if [ $fail = 0 ]; then echo "nifti_gzip: PASS"; else echo "nifti_gzip: FAIL"; fi
exit $fail
