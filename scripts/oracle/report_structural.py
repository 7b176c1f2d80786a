"""The structural section's outlines against the segmentation read by nibabel: for every slice panel, the pixels of
each region's colour are exactly the inner boundary of that label's mask on the slice shown (blown up by the panel's
data-sx/data-sy), less what regions drawn later cover; and the left regions are drawn left of the right ones
(neurological convention). Usage: report_structural.py OUTPUT_DIR [SESSION=t1w|seg,...]"""
import glob
import json
import os
import sys

import nibabel as nib
import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
import pngread  # noqa: E402

FREESURFER = {"Left-Hippocampus": 17, "Right-Hippocampus": 53, "Left-Accumbens-area": 26, "Right-Accumbens-area": 58}


def seg_file(prov):
    st = next(s for s in prov["stages"] if s["id"] == "structural")
    name = next(k for k in st["inputs"] if "dseg" in k or "aseg" in k)
    root, rel = name.split(":", 1) if ":" in name and not name.startswith("/") else (None, name)
    return os.path.join(prov["roots"][root], rel) if root else rel


def main(out, expect=None):
    """expect: "sub-01_ses-pre=t1w,sub-03_ses-pre=seg": the background each session's panels must name."""
    backgrounds = dict(kv.split("=") for kv in expect.split(",")) if expect else {}
    reports = sorted(glob.glob(os.path.join(out, "sub-*", "**", "*_report.html"), recursive=True))
    assert reports, "no reports under " + out
    checked = 0
    for rep in reports:
        prov = json.load(open(rep.replace("_report.html", "_provenance.json")))
        canon = np.asarray(nib.as_closest_canonical(nib.load(seg_file(prov))).dataobj)
        for p in pngread.parse(rep).slices:
            if "region" not in p:
                continue
            key = os.path.basename(rep).replace("_report.html", "")
            if key in backgrounds:
                assert p["volume"] == backgrounds[key], (rep, p["volume"], backgrounds[key])
            img = pngread.data_uri_png(p["src"])[:, :, :3]
            sx, sy, k = int(p["sx"]), int(p["sy"]), int(p["index"])
            rois = pngread.rois(p)
            bounds = [pngread.boundary(pngread.display_slice(canon == FREESURFER[n], p["plane"], k), sx, sy) for n, _ in rois]
            assert img.shape[:2] == bounds[0].shape, (rep, img.shape, bounds[0].shape)
            cols = {}
            for i, (name, rgb) in enumerate(rois):
                want = bounds[i].copy()
                for later in bounds[i + 1:]:
                    want &= ~later
                got = np.all(img == np.array(rgb, dtype=np.uint8), axis=2)
                if not np.array_equal(got, want):
                    raise SystemExit("FAIL %s %s %s %d: %s outline has %d pixels, the mask boundary %d (%d differ)" % (
                        rep, p["region"], p["plane"], k, name, got.sum(), want.sum(), (got ^ want).sum()))
                if got.any():
                    cols[name] = np.nonzero(got)[1].mean()
            if p["plane"] in ("axial", "coronal"):
                for a, b in (("Left-Hippocampus", "Right-Hippocampus"), ("Left-Accumbens-area", "Right-Accumbens-area")):
                    if a in cols and b in cols:
                        assert cols[a] < cols[b], "%s: %s drawn right of %s on %s %d (not neurological)" % (rep, a, b, p["plane"], k)
            checked += 1
    assert checked > 0, "no structural panels found"
    print("ok: %d structural panels in %d reports: outlines = nibabel mask boundaries, left on the left" % (checked, len(reports)))


if __name__ == "__main__":
    main(*sys.argv[1:])
