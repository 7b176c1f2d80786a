#!/usr/bin/env bash
# Oracle: `ketaprint roistats` against nibabel + numpy (live) with the real JHU atlases from
# mricron-data: the Colin27 T1 (ch2) in JHU-1mm labels, and a synthetic map with NaN/Inf on an
# x-flipped 2.5 mm grid in JHU-2mm labels (with --above), labels picked by name.
# Run from the repo root after `mvn -B package -DskipTests`. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3)
TPL=/usr/share/mricron/templates
T="$(mktemp -d)"
trap 'rm -rf "$T"' EXIT
"${PY[@]}" - "$T" <<'PYEOF'
import sys, numpy as np, nibabel as nib
t = sys.argv[1]
rng = np.random.default_rng(11)
shape = (70, 84, 66)
aff = np.diag([-2.5, 2.5, 2.5, 1.0]); aff[:3, 3] = [86.3, -119.2, -68.1]
v = rng.uniform(0, 1, shape).astype(np.float32)
v[rng.uniform(size=shape) < 0.01] = np.nan
v[rng.uniform(size=shape) < 0.01] = -np.inf
nib.save(nib.Nifti1Image(v, aff), t + "/map.nii.gz")
PYEOF

bin/ketaprint roistats "$TPL/ch2.nii.gz" --atlas "$TPL/JHU-WhiteMatter-labels-1mm.nii.gz" --json > "$T/a.json"
bin/ketaprint roistats "$T/map.nii.gz" --atlas "$TPL/JHU-WhiteMatter-labels-2mm.nii.gz" --json > "$T/b.json"
bin/ketaprint roistats "$T/map.nii.gz" --atlas "$TPL/JHU-WhiteMatter-labels-2mm.nii.gz" --above 0.2 --json > "$T/c.json"
bin/ketaprint roistats "$T/map.nii.gz" --atlas "$TPL/JHU-WhiteMatter-labels-2mm.nii.gz" --json \
  --labels "Cingulum (cingulate gyrus) R,Cingulum (cingulate gyrus) L" --labels "Cingulum (hippocampus) R,Cingulum (hippocampus) L" > "$T/d.json"

"${PY[@]}" - "$T" "$TPL" <<'PYEOF'
import sys, json, numpy as np, nibabel as nib
t, tpl = sys.argv[1:]
ok = True
def labels_on(map_img, lab_img):
    ijk = np.stack([a.reshape(-1, order="F") for a in np.indices(map_img.shape[:3])], axis=1)   # x fastest
    src = nib.affines.apply_affine(np.linalg.inv(lab_img.affine) @ map_img.affine, ijk)
    idx = np.floor(src + 0.5).astype(int)
    lab = np.asarray(lab_img.dataobj)
    inside = np.all((idx >= 0) & (idx < lab.shape[:3]), axis=1)
    out = np.zeros(len(idx), int)
    out[inside] = lab[tuple(idx[inside].T)]
    return out
def reference(map_file, lab_file, thr=None, want=None):
    m = nib.load(map_file); l = nib.load(lab_file)
    vals = np.asarray(m.dataobj).astype(np.float64).reshape(-1, order="F")
    labs = labels_on(m, l)
    names = {int(s.split()[0]): s.split()[1] for s in open(lab_file.replace(".nii.gz", ".nii.txt")) if s.strip()}
    keys = want or sorted(set(labs[labs > 0]) | {k for k in names if k > 0})
    rows = []
    for k in keys:
        sel = labs == k
        if thr is not None:
            sel &= vals > thr
        v = vals[sel]; fin = v[np.isfinite(v)]
        rows.append({"label": k, "name": names.get(k), "voxels": fin.size, "nonfinite": int(v.size - fin.size),
                     "mean": fin.mean() if fin.size else None, "median": float(np.median(fin)) if fin.size else None,
                     "std": fin.std(ddof=1) if fin.size > 1 else None})
    return rows
def compare(what, mine, ref):
    global ok
    bad = []
    if [r["label"] for r in mine] != [r["label"] for r in ref]:
        bad.append("label lists differ")
    for a, b in zip(mine, ref):
        for k in ("name", "voxels", "nonfinite"):
            if a[k] != b[k]: bad.append("label %d %s %r != %r" % (a["label"], k, a[k], b[k]))
        for k in ("mean", "median", "std"):
            if (a[k] is None) != (b[k] is None) or (a[k] is not None and abs(a[k] - b[k]) > 1e-9 * max(1, abs(b[k]))):
                bad.append("label %d %s %r != %r" % (a["label"], k, a[k], b[k]))
    n = sum(r["voxels"] for r in ref)
    print("  %-66s %s  %d labels, %d voxels %s" % (what, "FAIL" if bad else "ok  ", len(ref), n, "; ".join(bad[:3])))
    ok &= not bad
print("roistats vs nibabel/numpy:")
compare("ch2 T1 in JHU-1mm labels (all labels)", json.load(open(t + "/a.json")),
        reference(tpl + "/ch2.nii.gz", tpl + "/JHU-WhiteMatter-labels-1mm.nii.gz"))
compare("2.5 mm x-flipped map with NaN/-Inf in JHU-2mm labels", json.load(open(t + "/b.json")),
        reference(t + "/map.nii.gz", tpl + "/JHU-WhiteMatter-labels-2mm.nii.gz"))
compare("same, --above 0.2", json.load(open(t + "/c.json")),
        reference(t + "/map.nii.gz", tpl + "/JHU-WhiteMatter-labels-2mm.nii.gz", thr=0.2))
compare("cingulum labels by name (R/L = 35/36, 37/38)", json.load(open(t + "/d.json")),
        reference(t + "/map.nii.gz", tpl + "/JHU-WhiteMatter-labels-2mm.nii.gz", want=[35, 36, 37, 38]))
print("diffusion_roistats: all checks passed" if ok else "diffusion_roistats: FAILURES")
sys.exit(0 if ok else 1)
PYEOF
