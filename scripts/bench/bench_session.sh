#!/usr/bin/env bash
# Whole-session throughput (issue 16), with the reference tool in the same run where there is one.
#   scripts/bench/bench_session.sh dti      `ketaprint dti` without a mask vs DIPY median_otsu + WLS fit + saving
#                                           the six maps (whole commands, interpreter/JVM start included)
#   scripts/bench/bench_session.sh session  one default-pipeline session: wall, peak RSS, per-stage split
#   scripts/bench/bench_session.sh cohort   N sessions (default 100) with --nthreads 2: sessions per hour
#   scripts/bench/bench_session.sh report   one session with and without the HTML report: the figures' share per stage
# Data: scripts/bench/make_session.py (2 mm 33-volume DWI, 3 mm 150-volume BOLD, 1 mm aseg) in $BENCH_DIR.
# Env: REPS (default 5), SESSIONS (cohort, default 100), BENCH_DIR (default /tmp/ketaprint-bench-session).
# Run from the repo root after `mvn -B package -DskipTests`; atlases from /usr/share/mricron/templates.
set -euo pipefail
cd "$(dirname "$0")/../.."
what="${1:-session}"
W="${BENCH_DIR:-/tmp/ketaprint-bench-session}"
REPS="${REPS:-5}"
PY=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3)
ATL=/usr/share/mricron/templates
mkdir -p "$W"
median() { sort -g | awk '{a[NR] = $1} END {print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2)}'; }
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2 / 1048576}' /proc/meminfo);" \
  "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

one="$W/one"
if [ ! -f "$one/participants.tsv" ]; then
  echo "making one subject (pre, post) in $one ..."
  "${PY[@]}" scripts/bench/make_session.py "$one" --subjects 1 --unique 2
fi
dwi="$one/derivatives/qsiprep/sub-001/ses-pre/dwi/sub-001_ses-pre_space-MNI152NLin6Asym_desc-preproc_dwi"
cat "$dwi.nii.gz" >/dev/null

case "$what" in
dti)
  cat >"$W/dipy_dti.py" <<'PYEOF'
import sys, time
t0 = time.perf_counter()
import numpy as np, nibabel as nib
from dipy.core.gradients import gradient_table
from dipy.io.gradients import read_bvals_bvecs
from dipy.segment.mask import median_otsu
import dipy.reconst.dti as dti
base, out = sys.argv[1], sys.argv[2]
img = nib.load(base + ".nii.gz")
data = img.get_fdata(dtype=np.float32)
gtab = gradient_table(*read_bvals_bvecs(base + ".bval", base + ".bvec"))
t1 = time.perf_counter()
_, mask = median_otsu(data, vol_idx=np.where(gtab.b0s_mask)[0])
t2 = time.perf_counter()
# fitted on the mask's voxels (DIPY 1.6 fails on return_S0_hat with a 3D mask), maps put back on the grid
fit = dti.TensorModel(gtab, fit_method="WLS", return_S0_hat=True).fit(data[mask])
def grid(v):
    out = np.zeros(mask.shape + v.shape[1:], np.float32)
    out[mask] = v
    return out
maps = {k: grid(v) for k, v in {"FA": fit.fa, "MD": fit.md, "AD": fit.ad, "RD": fit.rd, "V1": fit.evecs[..., 0],
                                "S0": fit.S0_hat}.items()}
t3 = time.perf_counter()
for k, v in maps.items():
    nib.save(nib.Nifti1Image(v.astype(np.float32), img.affine), "%s_%s.nii.gz" % (out, k))
nib.save(nib.Nifti1Image(mask.astype(np.uint8), img.affine), out + "_mask.nii.gz")
t4 = time.perf_counter()
print("dipy read %.2f mask %.2f fit %.2f write %.2f" % (t1 - t0, t2 - t1, t3 - t2, t4 - t3), file=sys.stderr)
PYEOF
  : >"$W/dti.tsv"
  for r in $(seq "$REPS"); do
    /usr/bin/time -f '%e %M' -o "$W/t" bin/ketaprint dti "$dwi.nii.gz" --bval "$dwi.bval" --bvec "$dwi.bvec" \
      --method wls --write-maps true --out "$W/kp" >/dev/null
    read -r kw kr <"$W/t"
    /usr/bin/time -f '%e %M' -o "$W/t" "${PY[@]}" "$W/dipy_dti.py" "$dwi" "$W/dipy" 2>"$W/dipy.err"
    read -r dw dr <"$W/t"
    printf '%s\t%s\t%s\t%s\n' "$kw" "$kr" "$dw" "$dr" >>"$W/dti.tsv"
    echo "run $r: ketaprint dti ${kw} s (peak RSS $((kr / 1024)) MB); DIPY ${dw} s (peak RSS $((dr / 1024)) MB; $(tail -n 1 "$W/dipy.err"))"
  done
  "${PY[@]}" - "$W" <<'PYEOF'
import sys, numpy as np, nibabel as nib
w = sys.argv[1]
a = nib.load(w + "/kp_mask.nii.gz").get_fdata() > 0 if __import__("os").path.exists(w + "/kp_mask.nii.gz") else None
b = nib.load(w + "/dipy_mask.nii.gz").get_fdata() > 0
fa_k = nib.load(w + "/kp_FA.nii.gz").get_fdata()
fa_d = nib.load(w + "/dipy_FA.nii.gz").get_fdata()
inside = b if a is None else a
same = "n/a (no mask file)" if a is None else ("identical (%d voxels)" % b.sum() if (a == b).all() else "DIFFER in %d voxels" % (a != b).sum())
print("mask vs DIPY: %s; max |dFA| in the mask: %.1e" % (same, np.abs(fa_k - fa_d)[inside].max()))
PYEOF
  kw=$(cut -f1 "$W/dti.tsv" | median); dw=$(cut -f3 "$W/dti.tsv" | median)
  echo "median of $REPS: ketaprint dti $kw s, DIPY $dw s: ketaprint is $(awk -v a="$kw" -v b="$dw" 'BEGIN {printf "%.1f", b / a}')x faster"
  ;;
session)
  : >"$W/session.tsv"
  for r in $(seq "$REPS"); do
    rm -rf "$W/out"
    /usr/bin/time -f '%e %M %U %S' -o "$W/t" bin/ketaprint "$one" "$W/out" participant --participant-label 001 \
      --session-label pre --atlas-dir "$ATL" --nthreads 2 --quiet >/dev/null
    read -r wall rss usr sys <"$W/t"
    log="$W/out/sub-001/ses-pre/sub-001_ses-pre_log.txt"
    st=$(for s in structural diffusion restingstate; do sed -n "s/.*\[$s\] ok in \([0-9.]*\) s.*/\1/p" "$log" | head -n 1; done | paste -sd' ')
    echo "$wall $rss $usr $sys $st" >>"$W/session.tsv"
    echo "run $r: wall $wall s, peak RSS $((rss / 1024)) MB, CPU $(awk -v u="$usr" -v s="$sys" 'BEGIN {print u + s}') s; stages (structural diffusion restingstate): $st s"
  done
  echo "median of $REPS: wall $(cut -d' ' -f1 "$W/session.tsv" | median) s, peak RSS" \
    "$(( $(cut -d' ' -f2 "$W/session.tsv" | median | cut -d. -f1) / 1024 )) MB; structural" \
    "$(cut -d' ' -f5 "$W/session.tsv" | median) s, diffusion $(cut -d' ' -f6 "$W/session.tsv" | median) s," \
    "restingstate $(cut -d' ' -f7 "$W/session.tsv" | median) s"
  ;;
cohort)
  n="${SESSIONS:-100}"
  c="$W/cohort$n"
  if [ ! -f "$c/participants.tsv" ]; then
    echo "making $n sessions in $c (4 distinct, the rest symbolic links to them) ..."
    "${PY[@]}" scripts/bench/make_session.py "$c" --subjects $(( (n + 1) / 2 )) --unique 4
  fi
  rm -rf "$W/cout"
  /usr/bin/time -f '%e %M %U %S' -o "$W/t" bin/ketaprint "$c" "$W/cout" participant --atlas-dir "$ATL" \
    --nthreads 2 --quiet >/dev/null
  read -r wall rss usr sys <"$W/t"
  ok=$(ls "$W"/cout/sub-*/ses-*/*_features.tsv | wc -l)
  echo "cohort: $ok of $n sessions in $wall s with --nthreads 2 (peak RSS $((rss / 1024)) MB," \
    "CPU $(awk -v u="$usr" -v s="$sys" 'BEGIN {print u + s}') s): $(awk -v n="$ok" -v w="$wall" 'BEGIN {printf "%.0f", n * 3600 / w}') sessions/hour"
  ;;
report)
  # the same session with and without the HTML report: per stage, its time and the part spent on figures
  # (provenance wall_s, figures_s), the page itself (report_s), and the whole command either way
  : >"$W/report.tsv"
  for r in $(seq "$REPS"); do
    for mode in on off; do
      rm -rf "$W/rout"
      flag=(); [ "$mode" = off ] && flag=(--no-report)
      /usr/bin/time -f '%e' -o "$W/t" bin/ketaprint "$one" "$W/rout" participant --participant-label 001 \
        --session-label pre --atlas-dir "$ATL" --nthreads 2 --quiet "${flag[@]}" >/dev/null
      prov="$W/rout/sub-001/ses-pre/sub-001_ses-pre_provenance.json"
      line=$("${PY[@]}" -c 'import json, sys
p = json.load(open(sys.argv[1]))
print(" ".join("%.3f %.3f" % (s["wall_s"], s.get("figures_s", 0)) for s in p["stages"]), "%.4f" % p.get("report_s", 0))' "$prov")
      echo "$mode $(cat "$W/t") $line" >>"$W/report.tsv"
      echo "run $r report $mode: wall $(cat "$W/t") s; per stage (wall figures) structural diffusion restingstate, page: $line"
    done
  done
  for mode in on off; do
    grep "^$mode " "$W/report.tsv" | cut -d' ' -f2 | median | xargs echo "median whole command, report $mode:"
  done
  grep "^on " "$W/report.tsv" | awk '{for (i = 3; i <= 8; i += 2) {w[i] += $i; f[i] += $(i + 1)}; p += $9; n++}
    END {split("structural diffusion restingstate", name, " ");
         for (i = 3; i <= 8; i += 2) printf "%s: stage %.2f s, figures %.2f s (%.0f %%)\n", name[(i - 1) / 2], w[i] / n, f[i] / n, 100 * f[i] / w[i];
         printf "page: %.3f s\n", p / n}'
  ;;
*) echo "usage: $0 dti|session|cohort|report" >&2; exit 2 ;;
esac
