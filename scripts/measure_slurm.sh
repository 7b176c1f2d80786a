#!/usr/bin/env bash
# Per-subject peak memory (max RSS) and wall time of one array task, as the SLURM defaults run it
# (-Xmx = 75% of --mem 4G, --nthreads 1), on the demo dataset and on a full-size copy of it whose
# segmentations are upsampled to 256^3 at 1 mm (FreeSurfer's conformed grid) with /usr/bin/python3.
# Run from the repo root after `mvn -B package -DskipTests`; prints a TSV on stdout.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cp -r test-data/demo-bids "$tmp/big"
/usr/bin/python3 - "$tmp/big" <<'PY'
import glob, sys
import nibabel as nib, numpy as np
from scipy.ndimage import zoom
for f in glob.glob(sys.argv[1] + '/derivatives/fmriprep/sub-*/ses-*/anat/*.nii.gz'):
    im = nib.load(f); d = np.asanyarray(im.dataobj)
    z = [256 / s for s in d.shape]
    aff = im.affine.copy(); aff[:3, :3] = aff[:3, :3] @ np.diag([1 / x for x in z])
    nib.save(nib.Nifti1Image(zoom(d, z, order=0).astype(d.dtype), aff, im.header), f)
PY
export KETAPRINT_JAVA_OPTS="-Xmx3072m"
printf 'data\tparticipant\trun\tmax_rss_mb\twall_s\tcpu_s\n'
for data in demo big; do
  bids=test-data/demo-bids; [ $data = big ] && bids="$tmp/big"
  for sub in 01 02 03; do
    for run in 1 2 3; do
      rm -rf "$tmp/out"
      /usr/bin/time -f '%M %e %U %S' -o "$tmp/t" bin/ketaprint "$bids" "$tmp/out" participant \
        --participant-label "$sub" --atlas-dir test-data/demo-atlases --nthreads 1 --quiet >/dev/null 2>&1
      read -r rss wall usr sys <"$tmp/t"
      printf '%s\t%s\t%s\t%d\t%s\t%.2f\n' $data "sub-$sub" $run $((rss / 1024)) "$wall" "$(awk -v a="$usr" -v b="$sys" 'BEGIN {print a + b}')"
    done
  done
done
