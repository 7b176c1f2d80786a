"""The resting-state section of the session reports against the data (issue 17):
- the FD plot's line, read back through its data-to-pixel mapping, is the confounds TSV's framewise_displacement
  (pandas; the first volume's n/a drawn as 0) within half a pixel; the censored circles are exactly the volumes with
  FD > the pipeline file's fd_threshold, and the dashed line is at it;
- on every mean-BOLD panel, each sphere ROI's outline is exactly the inner boundary of the sphere built here from the
  pipeline's centre and radius with the BOLD's nibabel affine (voxel centres within the radius, as
  roi/RoiPlacement.java), on the canonical slice shown, less the pixels of outlines drawn later;
- negative controls: radii 2 mm smaller and larger (10 and 11 mm give the same voxels on the demo's 6 mm grid), and FD
  shifted by one volume, must not match.
Usage: report_resting.py OUTPUT_DIR            (every session with a resting-state section)
       report_resting.py --failed REPORT       (a failed stage: its figures drawn, the FD figure says why)"""
import glob
import json
import os
import re
import sys

import nibabel as nib
import numpy as np
import pandas as pd
import yaml

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
import pngread  # noqa: E402


def section(path):
    html = open(path, encoding="utf-8").read()
    m = re.search(r'<section class="stage" id="stage-restingstate".*?</section>', html, re.S)
    if not m:
        return None, None
    p = pngread.Panels()
    p.feed(m.group(0))
    return p, m.group(0)


def stage_input(prov, stage, part):
    st = next(s for s in prov["stages"] if s["id"] == stage)
    name = next(k for k in st["inputs"] if part in k)
    root, rel = name.split(":", 1) if ":" in name and not name.startswith("/") else (None, name)
    return os.path.join(prov["roots"][root], rel) if root else rel


def sphere_canonical(img, centre, radius):
    """Voxels of img's grid whose centre lies within radius mm of centre, reoriented as nibabel's closest canonical."""
    ijk = np.indices(img.shape[:3]).reshape(3, -1).T
    xyz = nib.affines.apply_affine(img.affine, ijk)
    inside = ((xyz - np.asarray(centre, float)) ** 2).sum(axis=1) <= radius * radius * (1 + 1e-12)
    mask = inside.reshape(img.shape[:3]).astype(np.uint8)
    return np.asarray(nib.as_closest_canonical(nib.Nifti1Image(mask, img.affine)).dataobj) > 0


def outline_mismatch(panel, rois, spheres):
    """For each sphere ROI on the panel: pixels where its colour differs from its boundary less later outlines."""
    img = pngread.data_uri_png(panel["src"])[:, :, :3]
    sx, sy, k = int(panel["sx"]), int(panel["sy"]), int(panel["index"])
    out = {}
    for i, (name, rgb) in enumerate(rois):
        assert len(set(rgb)) > 1, "outline %s is grey %s" % (name, rgb)
        if name not in spheres:
            continue
        want = pngread.boundary(pngread.display_slice(spheres[name], panel["plane"], k), sx, sy)
        assert want.shape == img.shape[:2], (want.shape, img.shape)
        for _, later in rois[i + 1:]:
            want &= ~np.all(img == np.array(later, dtype=np.uint8), axis=2)
        got = np.all(img == np.array(rgb, dtype=np.uint8), axis=2)
        out[name] = (int((got ^ want).sum()), int(got.sum()))
    return out


def check_fd(plot, fd, thr):
    """Mismatches of the FD plot against fd (per volume) and thr; [] when it agrees."""
    bad = []
    lines = [a for t, a in plot["items"] if t == "polyline" and a.get("data-series") == "fd"]
    pts = np.array([[float(v) for v in p.split(",")] for a in lines for p in a["points"].split()])
    xs, ys = pngread.plot_to_data(plot, pts[:, 0], pts[:, 1])
    half_x = 0.5 * (float(plot["x1"]) - float(plot["x0"])) / float(plot["w"])
    half_y = 0.5 * (float(plot["y1"]) - float(plot["y0"])) / float(plot["h"])
    if len(xs) != len(fd) or np.abs(xs - np.arange(len(fd))).max() > half_x:
        return ["%d points for %d volumes, or x is not the volume index" % (len(xs), len(fd))]
    worst = np.abs(ys - fd).max()
    if worst > half_y:
        bad.append("FD line off by %.4g mm (half a pixel: %.4g) at volume %d" % (worst, half_y, np.abs(ys - fd).argmax()))
    circ = [a for t, a in plot["items"] if t == "circle" and "censored" in a.get("class", "").split()]
    cx, cy = pngread.plot_to_data(plot, np.array([float(a["cx"]) for a in circ]), np.array([float(a["cy"]) for a in circ]))
    got = sorted(int(round(x)) for x in cx)
    want = [int(t) for t in np.nonzero(fd > thr)[0]] if thr > 0 else []
    if got != want:
        bad.append("censored circles at %s, FD > %s at %s" % (got, thr, want))
    elif len(got) and np.abs(cy - fd[got]).max() > half_y:
        bad.append("censored circles not at the FD values")
    hl = [a for t, a in plot["items"] if t == "line" and a.get("class") == "threshold"]
    if thr > 0 and (len(hl) != 1 or float(hl[0]["data-value"]) != thr):
        bad.append("threshold line %s, want %s" % ([a.get("data-value") for a in hl], thr))
    return bad


def check_session(rep):
    panels, _ = section(rep)
    if panels is None:
        return None
    prov = json.load(open(rep.replace("_report.html", "_provenance.json")))
    st = next(s for s in prov["stages"] if s["id"] == "restingstate")
    if st["status"] != "ok":
        return None
    stage = next(s for s in yaml.safe_load(open(prov["pipeline_file"]))["stages"] if s.get("type") == "restingstate")
    thr = float(stage.get("params", {}).get("fd_threshold", 0.5))
    conf = pd.read_csv(stage_input(prov, "restingstate", "desc-confounds"), sep="\t", na_values=["n/a"])
    fd = conf["framewise_displacement"].to_numpy(float)
    assert np.isnan(fd[0]) and not np.isnan(fd[1:]).any(), "expected fMRIPrep's n/a in the first row only"
    fd[0] = 0.0
    plots = [p for p in panels.plots if p.get("plot") == "fd"]
    assert len(plots) == 1, "%s: %d FD plots" % (rep, len(plots))
    bad = check_fd(plots[0], fd, thr)
    assert check_fd(plots[0], np.roll(fd, 1), thr), "control: FD shifted by one volume matched"
    bold = nib.load(stage_input(prov, "restingstate", "desc-preproc_bold.nii"))
    spheres = {n: r for n, r in stage.get("rois", {}).items() if "sphere" in r}
    exact = {n: sphere_canonical(bold, r["sphere"], float(r["radius"])) for n, r in spheres.items()}
    controls = [{n: sphere_canonical(bold, r["sphere"], float(r["radius"]) + dr) for n, r in spheres.items()} for dr in (-2, 2)]
    drawn = {n: 0 for n in spheres}
    control = [0, 0]
    mean = [p for p in panels.slices if p.get("volume") == "mean_bold"]
    assert mean, rep + ": no mean BOLD panel"
    for p in mean:
        rois = pngread.rois(p)
        assert set(spheres) <= {n for n, _ in rois}, "%s: outlines %s lack a sphere of %s" % (rep, rois, list(spheres))
        for n, (diff, px) in outline_mismatch(p, rois, exact).items():
            drawn[n] += px
            if diff:
                bad.append("%s %s %s: %d pixels differ from the sphere's boundary" % (n, p["plane"], p["index"], diff))
        for i, c in enumerate(controls):
            control[i] += sum(d for d, _ in outline_mismatch(p, rois, c).values())
    assert min(control) > 0, "control: spheres 2 mm smaller or larger matched the outlines"
    for n, px in drawn.items():
        if px == 0:
            bad.append("sphere %s outlined on no mean BOLD panel" % n)
    if bad:
        raise SystemExit("FAIL %s:\n  %s" % (rep, "\n  ".join(bad)))
    return len(fd), int((fd > thr).sum()), len(mean), sorted(spheres)


def check_failed(rep):
    """A failed resting-state stage (no confounds): mean BOLD panels drawn, the FD figure says why."""
    panels, html = section(rep)
    assert panels is not None and 'data-status="failed"' in html[:200], rep + ": no failed resting-state section"
    assert [p for p in panels.slices if p.get("volume") == "mean_bold"], rep + ": no mean BOLD panel"
    assert re.search(r"Framewise displacement</h3>\s*<p class=\"figfail\">not drawn: no confounds file", html), rep
    assert not [p for p in panels.plots if p.get("plot") == "fd"], rep + ": an FD plot without confounds"
    print("ok: failed stage's report has its mean BOLD panels and says why FD is missing")


def main(out):
    reports = sorted(glob.glob(os.path.join(out, "sub-*", "**", "*_report.html"), recursive=True))
    assert reports, "no reports under " + out
    done = 0
    for rep in reports:
        r = check_session(rep)
        if r:
            done += 1
            print("ok: %s: FD line = TSV (%d volumes), %d censored circles, %d mean BOLD panels: %s outlines = numpy spheres"
                  % (os.path.basename(rep), r[0], r[1], r[2], ", ".join(r[3])))
    assert done > 0, "no report with a resting-state section"


if __name__ == "__main__":
    if sys.argv[1] == "--failed":
        check_failed(sys.argv[2])
    else:
        main(sys.argv[1])
