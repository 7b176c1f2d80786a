#!/usr/bin/env python3
"""Checks for scripts/oracle/mrs_reference.sh: `ketaprint mrs --json --mask-out` against mrs_reference.py.

  mrs_compare.py compare NAME REF.json KP.json REF_MASK KP_MASK [--oblique]
  mrs_compare.py error NAME RC STDOUT STDERR PATTERN

compare (exit 1 on any failure, one line per check):
  * the coverage mask (--mask-out): same shape, affine within 1e-6 mm, float32, values in [0, 1] and within
    1e-6 of the reference's voxel by voxel;
  * the JSON: tool; voxel centre and size within 1e-6 mm; volume_mm3 and mask_volume_mm3 within 1e-6
    relative; t1_voxels exactly; te_s, tr_s, spectrometer_mhz within 1e-9 relative; fractions and water mole
    fractions within 1e-6 relative (1e-12 absolute for zeros); for Glu, Gln, Glx conc_ws, crlb_percent and
    tcr_ratio within 1e-9 relative, corrected within 1e-6 relative or null in both, na_reason a non-empty text
    exactly when corrected is null; fwhm_hz within 1e-9 relative, snr exactly;
  * the JSON's own consistency: mask_volume_mm3 = sum(mask) x T1 voxel volume (1e-6 relative), t1_voxels =
    count(mask > 0), volume_mm3 = the product of size_mm;
  * --oblique: the coverage-weighted centre of KP's mask within 0.1 mm of the reference's centre (affine @
    (0,0,0)) and its mask volume within 1 % of the product of the voxel sizes.
error: exit code 2, exactly one line on stderr matching PATTERN (case-insensitive regex), no stack trace, no
JSON on stdout.
"""
import json
import re
import sys

import numpy as np


def rel_ok(a, b, rel, abs_=1e-12):
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= max(rel * abs(b), abs_)


def compare(name, ref_json, kp_json, ref_mask, kp_mask, oblique):
    import nibabel as nib
    fails = []

    def check(what, ok, detail=""):
        if not ok:
            fails.append(what)
        print(f"  {name}: {'ok  ' if ok else 'FAIL'} {what}{(': ' + detail) if detail and not ok else ''}")

    try:
        ref = json.load(open(ref_json))
        kp = json.load(open(kp_json))
    except (OSError, ValueError) as e:
        print(f"  {name}: FAIL reading the JSON: {e}")
        return 1
    # the mask
    try:
        ri, ki = nib.load(ref_mask), nib.load(kp_mask)
        rm = np.asanyarray(ri.dataobj).astype(np.float64)
        km_img = np.asanyarray(ki.dataobj)
        km = km_img.astype(np.float64)
    except Exception as e:      # a missing or unreadable mask
        print(f"  {name}: FAIL reading the masks: {e}")
        return 1
    if km.ndim == 4 and km.shape[3] == 1:
        km = km[..., 0]
    check("mask shape", km.shape == rm.shape, f"{km.shape} vs {rm.shape}")
    check("mask affine (1e-6 mm)", np.allclose(ki.affine, ri.affine, atol=1e-6, rtol=0),
          f"max diff {np.abs(ki.affine - ri.affine).max():.3g}")
    check("mask float32", ki.get_data_dtype() == np.float32, str(ki.get_data_dtype()))
    if km.shape == rm.shape:
        d = np.abs(km - rm)
        check("mask in [0, 1]", km.min() >= 0 and km.max() <= 1, f"range {km.min()} .. {km.max()}")
        bad = np.argwhere(d > 1e-6)
        check("coverage within 1e-6", bad.size == 0,
              f"{len(bad)} voxels differ, max {d.max():.6g}; first {bad[:3].tolist()}: "
              f"kp {[float(km[tuple(b)]) for b in bad[:3]]} ref {[float(rm[tuple(b)]) for b in bad[:3]]}")
    # the JSON
    check("tool", kp.get("tool") == ref["tool"], str(kp.get("tool")))
    kv, rv = kp.get("voxel") or {}, ref["voxel"]
    for k in ("centre_mm", "size_mm"):
        ok = isinstance(kv.get(k), list) and len(kv[k]) == 3 and np.allclose(kv[k], rv[k], atol=1e-6, rtol=0)
        check(f"voxel.{k} (1e-6 mm)", ok, f"{kv.get(k)} vs {rv[k]}")
    for k in ("volume_mm3", "mask_volume_mm3"):
        check(f"voxel.{k} (1e-6 rel)", isinstance(kv.get(k), (int, float)) and rel_ok(kv[k], rv[k], 1e-6),
              f"{kv.get(k)} vs {rv[k]}")
    check("voxel.t1_voxels (exact)", kv.get("t1_voxels") == rv["t1_voxels"], f"{kv.get('t1_voxels')} vs {rv['t1_voxels']}")
    for k in ("te_s", "tr_s", "spectrometer_mhz"):
        check(f"{k} (1e-9 rel)", isinstance(kp.get(k), (int, float)) and rel_ok(kp[k], ref[k], 1e-9), f"{kp.get(k)} vs {ref[k]}")
    for grp in ("fractions", "water_mole_fractions"):
        for t in ("gm", "wm", "csf"):
            g = (kp.get(grp) or {}).get(t)
            check(f"{grp}.{t} (1e-6 rel)", isinstance(g, (int, float)) and rel_ok(g, ref[grp][t], 1e-6),
                  f"{g} vs {ref[grp][t]} (rel {abs(g - ref[grp][t]) / abs(ref[grp][t]) if isinstance(g, (int, float)) and ref[grp][t] else 'n/a'})")
    km_by = {m.get("name"): m for m in kp.get("metabolites") or []}
    for m in ref["metabolites"]:
        n = m["name"]
        k = km_by.get(n)
        if k is None:
            check(f"metabolite {n} present", False, f"names {sorted(km_by)}")
            continue
        for f_ in ("conc_ws", "crlb_percent", "tcr_ratio"):
            check(f"{n}.{f_} (1e-9 rel)", rel_ok(k.get(f_), m[f_], 1e-9), f"{k.get(f_)} vs {m[f_]}")
        c = k.get("corrected")
        ok = (c is None and m["corrected"] is None) or (
            isinstance(c, (int, float)) and m["corrected"] is not None and rel_ok(c, m["corrected"], 1e-6))
        check(f"{n}.corrected (1e-6 rel or both n/a)", ok, f"{c} vs {m['corrected']}")
        r = k.get("na_reason")
        check(f"{n}.na_reason exactly when n/a", (isinstance(r, str) and r.strip() != "") == (c is None), repr(r))
    check("fwhm_hz (1e-9 rel)", rel_ok(kp.get("fwhm_hz"), ref["fwhm_hz"], 1e-9), f"{kp.get('fwhm_hz')} vs {ref['fwhm_hz']}")
    check("snr (exact)", kp.get("snr") == ref["snr"], f"{kp.get('snr')} vs {ref['snr']}")
    # consistency of ketaprint's JSON with its own mask
    vox = abs(np.linalg.det(ki.affine[:3, :3]))
    if isinstance(kv.get("mask_volume_mm3"), (int, float)):
        check("mask_volume_mm3 = sum(mask) x voxel volume", rel_ok(kv["mask_volume_mm3"], km.sum() * vox, 1e-6),
              f"{kv['mask_volume_mm3']} vs {km.sum() * vox}")
    check("t1_voxels = count(mask > 0)", kv.get("t1_voxels") == int((km > 0).sum()), f"{kv.get('t1_voxels')} vs {(km > 0).sum()}")
    if isinstance(kv.get("size_mm"), list) and isinstance(kv.get("volume_mm3"), (int, float)):
        check("volume_mm3 = product of size_mm", rel_ok(kv["volume_mm3"], float(np.prod(kv["size_mm"])), 1e-12))
    if oblique:
        ijk = np.indices(km.shape).reshape(3, -1)
        w = ki.affine[:3, :3] @ ijk + ki.affine[:3, 3:4]
        s = km.sum()
        ctr = (w * km.reshape(-1)).sum(1) / s if s > 0 else np.full(3, np.nan)
        err = float(np.linalg.norm(ctr - np.array(rv["centre_mm"])))
        check("oblique: coverage-weighted centre within 0.1 mm of affine @ (0,0,0)", err < 0.1, f"{err:.4f} mm")
        prod = float(np.prod(rv["size_mm"]))
        rel = abs(s * vox - prod) / prod
        check("oblique: mask volume within 1 % of the product of the sizes", rel < 0.01, f"{100 * rel:.3f} %")
    return 1 if fails else 0


def error(name, rc, out_path, err_path, pattern):
    out = open(out_path, errors="replace").read()
    err = open(err_path, errors="replace").read()
    lines = [l for l in err.splitlines() if l.strip()]
    problems = []
    if rc != 2:
        problems.append(f"exit {rc} (2 expected)")
    if len(lines) != 1:
        problems.append(f"{len(lines)} lines on stderr")
    if re.search(r"Exception|\tat |^\s+at [a-z]", err, re.M):
        problems.append("a stack trace")
    if lines and not re.search(pattern, lines[0], re.I):
        problems.append(f"the message does not match /{pattern}/")
    if out.strip().startswith("{"):
        problems.append("JSON on stdout")
    first = lines[0] if lines else ""
    if problems:
        print(f"  {name}: FAIL {'; '.join(problems)}: {first[:300]!r}")
        return 1
    print(f"  {name}: ok   {first[:200]}")
    return 0


if __name__ == "__main__":
    a = sys.argv[1:]
    if a and a[0] == "compare" and len(a) in (6, 7):
        sys.exit(compare(a[1], a[2], a[3], a[4], a[5], len(a) == 7 and a[6] == "--oblique"))
    if a and a[0] == "error" and len(a) == 6:
        sys.exit(error(a[1], int(a[2]), a[3], a[4], a[5]))
    print(__doc__, file=sys.stderr)
    sys.exit(2)
