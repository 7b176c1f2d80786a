#!/usr/bin/env bash
# Oracle: `ketaprint volumes --json` against nibabel + numpy on real label images (mricron-data's AAL and
# JHU atlases), and ketaprint's MGH/MGZ reader against nibabel (its test.mgz plus MGZ files nibabel
# writes here). Run from the repo root after `mvn -B package -DskipTests`. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
PY=/usr/bin/python3
T=/usr/share/mricron/templates
NIBDATA=/usr/lib/python3/dist-packages/nibabel/tests/data
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
fail=0

for f in "$T/aal.nii.gz" "$T/JHU-WhiteMatter-labels-1mm.nii.gz" "$NIBDATA/test.mgz"; do
  [ -f "$f" ] || { echo "FAIL: missing $f (install mricron-data and python3-nibabel)"; exit 1; }
done

# MGZ files written by nibabel: each MGH type, oblique and anisotropic, 3D and 4D, plus AAL as .mgz
$PY - "$tmp" "$T/aal.nii.gz" <<'PYEOF'
import sys, numpy as np, nibabel as nib
out, aal = sys.argv[1], sys.argv[2]
rng = np.random.default_rng(7)
th = np.deg2rad(20)
rot = np.array([[np.cos(th), 0, np.sin(th)], [0, 1, 0], [-np.sin(th), 0, np.cos(th)]])
aff = np.eye(4); aff[:3, :3] = rot @ np.diag([0.9, 1.3, 2.1]); aff[:3, 3] = [-30, 12, 40]
for name, d in {'u8.mgz': rng.integers(0, 255, (7, 6, 5)).astype(np.uint8),
                'i16.mgh': rng.integers(-999, 999, (7, 6, 5)).astype(np.int16),
                'i32.mgz': rng.integers(-10**6, 10**6, (7, 6, 5)).astype(np.int32),
                'f32_4d.mgz': rng.normal(size=(7, 6, 5, 4)).astype(np.float32)}.items():
    img = nib.MGHImage(d, aff)
    if d.ndim == 4:
        img.header.set_zooms(list(img.header.get_zooms()[:3]) + [2000.0])
    nib.save(img, f'{out}/{name}')
a = nib.load(aal)
nib.save(nib.MGHImage(np.asanyarray(a.dataobj).astype(np.int16), a.affine), f'{out}/aal.mgz')
f = np.asanyarray(a.dataobj).astype(np.float32); f[90, 100, 80] = 4.25
nib.save(nib.Nifti1Image(f, a.affine), f'{out}/aal_float.nii.gz')
PYEOF

echo "== MGH/MGZ reader vs nibabel"
java -cp "$(ls target/ketaprint-*.jar | head -n1):target/lib/*" scripts/oracle/structural_mgh_dump.java \
  "$NIBDATA/test.mgz" "$tmp/u8.mgz" "$tmp/i16.mgh" "$tmp/i32.mgz" "$tmp/f32_4d.mgz" > "$tmp/dump.json"
$PY - "$tmp/dump.json" <<'PYEOF' || fail=1
import sys, json, numpy as np, nibabel as nib
got = json.load(open(sys.argv[1]))
bad = 0
for f, g in got.items():
    img = nib.load(f)
    d = np.asanyarray(img.dataobj)
    want_data = np.concatenate([d[..., t].ravel(order='F') for t in range(d.shape[3])]) if d.ndim == 4 else d.ravel(order='F')
    checks = [
        ('class MghImage', g['class'] == 'MghImage'),
        ('shape', tuple(g['shape']) == img.shape),
        ('dtype', g['dtype'] == str(img.get_data_dtype().newbyteorder('='))),
        ('affine (1e-5 mm)', np.allclose(np.array(g['affine']), img.affine, atol=1e-5, rtol=0)),
        ('data (exact)', np.array_equal(np.array(g['data']), want_data.astype(np.float64))),
        ('TR (s)', (g['tr_s'] is None) if d.ndim == 3 else abs(g['tr_s'] - float(img.header['tr']) / 1000) < 1e-9),
    ]
    for what, ok in checks:
        print(f"{'ok  ' if ok else 'FAIL'} {f.split('/')[-1]}: {what}")
        bad += not ok
sys.exit(1 if bad else 0)
PYEOF

compare() { # label image, optional --lut FILE
  local img="$1"; shift
  bin/ketaprint volumes "$img" "$@" --json > "$tmp/v.json"
  $PY - "$img" "$tmp/v.json" "$@" <<'PYEOF'
import sys, json, numpy as np, nibabel as nib
img, got = sys.argv[1], json.load(open(sys.argv[2]))
lut = {}
if len(sys.argv) > 4 and sys.argv[3] == '--lut':
    for line in open(sys.argv[4]):
        f = line.split()
        if len(f) >= 2: lut[int(f[0])] = f[1]
im = nib.load(img)
d = np.asanyarray(im.dataobj)
labels, counts = np.unique(d, return_counts=True)
vv = abs(np.linalg.det(im.affine[:3, :3]))
want = {int(l): int(c) for l, c in zip(labels, counts) if l != 0}
name = img.split('/')[-1]
bad = 0
ok = [g['label'] for g in got] == sorted(want)
print(f"{'ok  ' if ok else 'FAIL'} {name}: labels = every non-zero label ({len(want)})"); bad += not ok
worst = 0.0
for g in got:
    n = want.get(g['label'], 0)
    if g['voxels'] != n: bad += 1; print(f"FAIL {name}: label {g['label']} voxels {g['voxels']} != numpy {n}")
    worst = max(worst, abs(g['volume_mm3'] - n * vv) / max(1.0, n * vv))
    if lut and g['name'] != lut.get(g['label']): bad += 1; print(f"FAIL {name}: label {g['label']} name {g['name']!r} != {lut.get(g['label'])!r}")
ok = worst < 1e-6
print(f"{'ok  ' if ok else 'FAIL'} {name}: volume_mm3 = numpy count x |det(affine[:3,:3])| = x {vv:.6g} (worst rel. diff {worst:.2e})"); bad += not ok
if lut: print(f"{'ok  ' if not bad else 'FAIL'} {name}: names from {sys.argv[4].split('/')[-1]}")
sys.exit(1 if bad else 0)
PYEOF
}

echo "== volumes --json vs numpy counts (nibabel)"
compare "$T/aal.nii.gz" --lut "$T/aal.nii.txt" || fail=1
compare "$T/JHU-WhiteMatter-labels-1mm.nii.gz" --lut "$T/JHU-WhiteMatter-labels-1mm.nii.txt" || fail=1
compare "$T/JHU-WhiteMatter-labels-2mm.nii.gz" || fail=1
compare "$tmp/aal.mgz" --lut "$T/aal.nii.txt" || fail=1

echo "== same labels from .nii.gz and .mgz"
bin/ketaprint volumes "$T/aal.nii.gz" --json > "$tmp/a.json"
bin/ketaprint volumes "$tmp/aal.mgz" --json > "$tmp/b.json"
$PY - "$tmp/a.json" "$tmp/b.json" <<'PYEOF' || fail=1
import sys, json
a, b = (json.load(open(p)) for p in sys.argv[1:3])
ok = [(x['label'], x['voxels'], round(x['volume_mm3'], 4)) for x in a] == [(x['label'], x['voxels'], round(x['volume_mm3'], 4)) for x in b]
print(f"{'ok  ' if ok else 'FAIL'} aal: {len(a)} labels, same voxels and volumes from .nii.gz and .mgz")
sys.exit(0 if ok else 1)
PYEOF

echo "== bad input: one line on stderr, exit 2"
check_err() { # expected substring, args...
  local want="$1"; shift
  set +e; bin/ketaprint volumes "$@" > /dev/null 2> "$tmp/err"; rc=$?; set -e
  if [ "$rc" = 2 ] && [ "$(wc -l < "$tmp/err")" = 1 ] && grep -q -- "$want" "$tmp/err"; then
    echo "ok   $(cat "$tmp/err")"
  else
    echo "FAIL expected exit 2 and one line with '$want', got exit $rc: $(cat "$tmp/err")"; fail=1
  fi
}
check_err "4.25 at voxel (90,100,80) is not an integer" "$tmp/aal_float.nii.gz"
check_err "no label 9999" "$T/aal.nii.gz" --lut "$T/aal.nii.txt" --labels 9999
check_err "grid differs from the mask" "$T/aal.nii.gz" --mask "$T/JHU-WhiteMatter-labels-2mm.nii.gz"
check_err "has 2 volumes" "$NIBDATA/test.mgz"

if [ "$fail" != 0 ]; then echo "structural_volumes: FAILED"; exit 1; fi
echo "structural_volumes: all checks passed"
