#!/usr/bin/env bash
# Resting-state benchmark, ketaprint beside numpy/OpenBLAS on the same synthetic 2 mm MNI run (237k brain
# voxels x 300 volumes float32, 70k "gray-matter" voxels). Run from the repo root after
# `mvn -B package -DskipTests`. Data go to $BENCH_DIR (default /tmp/ketaprint-rsbench, ~1.1 GB, kept).
# Prints wall and CPU seconds of the computation (loading excluded, reported apart) and the ratios.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
PY=/usr/bin/python3
B=scripts/bench/bench_restingstate.py
D="${BENCH_DIR:-/tmp/ketaprint-rsbench}"
[ -f "$D/bold.nii" ] || $PY $B make "$D"
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-unset}"
jfield() { $PY -c "import json,sys; d=json.load(open('$1')); t=d.get('timing',d); print(t['$2'])"; }
row() { # name, numpy json, ketaprint json
  local nw nc kw kc
  nw=$(jfield "$2" compute_s); nc=$(jfield "$2" compute_cpu_s)
  kw=$(jfield "$3" compute_s); kc=$(jfield "$3" compute_cpu_s)
  $PY -c "print(f'%-34s numpy %7.1f s (cpu %7.1f)   ketaprint %7.1f s (cpu %7.1f)   ratio ketaprint/numpy wall %.2f cpu %.2f' % ('$1', $nw, $nc, $kw, $kc, $kw/$nw, $kc/$nc))"
}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
common=(--mask "$D/mask.nii.gz" --confounds "$D/confounds.tsv")
$PY $B seedmap "$D" >"$out/np_seed.json"
bin/ketaprint seedcorr "$D/bold.nii" "${common[@]}" --strategy 24P --seed sphere:6,16,-10,10 \
  --out-map "$out/kp_seed" --json >"$out/kp_seed.json" 2>/dev/null
$PY $B gbc "$D" >"$out/np_gbc.json"
$PY $B gbc "$D" --coords >"$out/np_gbc_coords.json"
bin/ketaprint gbc "$D/bold.nii" "${common[@]}" --strategy 24P+gsr --gm-mask "$D/gm.nii.gz" --roi sphere:0,80,0,12 \
  --json >"$out/kp_gbc.json" 2>/dev/null
row "seed-to-voxel map (237k x 300)" "$out/np_seed.json" "$out/kp_seed.json"
row "GBC 70k GM voxels, numpy plain" "$out/np_gbc.json" "$out/kp_gbc.json"
row "GBC 70k GM voxels, numpy coords" "$out/np_gbc_coords.json" "$out/kp_gbc.json"
echo "load: numpy $(jfield "$out/np_seed.json" load_s) s, ketaprint $(jfield "$out/kp_seed.json" load_s) s"
