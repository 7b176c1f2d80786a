#!/usr/bin/env python3
"""Checker for the PET oracle (scripts/oracle/pet_reference.sh).

  pet_compare.py compare NAME REF_PREFIX KP_PREFIX   one `ketaprint pet --json` run (KP_PREFIX.json, and with
                                                     --out KP_PREFIX_desc-{static,suvr}_pet.nii.gz) against
                                                     scripts/oracle/pet_reference.py on the same arguments
                                                     (REF_PREFIX.json, REF_PREFIX_desc-static_pet.npy)
  pet_compare.py same NAME A.json B.json [--suv-differs|--suvr-only]
                                                     two runs that must agree: ROI means (Bq/mL), SUV, SUVR,
                                                     SUVR_pvc, the reference mean and the decay-corrected dose
                                                     to 1e-9 relative (--suv-differs: SUV and dose not
                                                     compared; --suvr-only: only SUVR and SUVR_pvc)
  pet_compare.py planted NAME RUN.json TRUTH.json [--noise-free]
                                                     a run (default window, cerebellum, PVC at the planted
                                                     FWHM) against the planted truth

Prints one summary line per case (plus one indented line per failure) and exits 1 on any failure.

Tolerances:
  compare   every number |kp - ref| <= 1e-6 * |ref| (the brief's target): frame starts, durations, weights,
            window, dose, decay-corrected dose, weight, ROI and reference means, SUV, SUVR, GTM observed and
            corrected values, SUVR_pvc; sigma_voxels and to_bq_per_ml to 1e-9; voxel counts, nan_voxels,
            frame indices (0-based, or 1-based throughout: noted), names, specs, units and tracer exactly;
            null exactly where the reference has null (SUV n/a, no PVC). GTM corrected values use the floor
            1e-3 * max |corrected| (a region whose corrected value is ~0 by cancellation cannot carry a
            relative 1e-6). Both sides do the same double arithmetic in another order: rounding separates
            them by ~1e-15 (GTM: ~cond(G) * 1e-16, cond(G) < 10 here).
            The static image (float32 Bq/mL) within 1e-6 relative of the reference's float64 static image
            (float32 rounding is 6e-8), NaN exactly where the reference has NaN; the SUVR image likewise
            against static / reference mean; grid and affine those of the PET.
  same      1e-9 relative: the variants differ only in how the same numbers are written (kBq/mL float32 vs
            Bq/mL float32 holding exactly 1000 x the same values, MBq/mL float64 holding main / 1000, 10 mCi
            vs 370 MBq, F18 vs 18F), so only double rounding (~1e-16) may differ. (A reader that rounds
            float64 voxels to float32 moves the MBq/mL variant by ~1e-8 and fails here.)
  planted   GTM SUVR_pvc of the four planted ROIs within 2 % of the planted SUVR (1 % multiplicative noise
            per voxel per frame: over 40 seeds the largest error was 1.2 %, for an 8-voxel ROI; the
            noise-free phantom: 1e-5, float32 storage only); GTM corrected concentrations of cortex, white
            matter and the reference within 2 % (noise-free 1e-5) of the planted ones; SUVR without PVC of the
            two 8-voxel ROIs below 0.8 x the planted SUVR (partial volume biases them low); voxel counts, frame
            weights and the decay-corrected dose equal to the planted ones.
"""
import json
import math
import os
import sys

import numpy as np

REL = 1e-6
SAME = 1e-9


def load(path):
    with open(path) as f:
        return json.load(f)


class Checker:
    def __init__(self, kp="ketaprint", ref="reference"):
        self.kp_label, self.ref_label = kp, ref
        self.bad = []
        self.notes = []
        self.n = 0
        self.worst = 0.0

    def num(self, what, ref, kp, rel=REL, floor=0.0):
        if ref is None:
            if kp is not None:
                self.bad.append(f"{what}: {self.kp_label} {kp!r}, {self.ref_label} null")
            return
        if not isinstance(kp, (int, float)) or isinstance(kp, bool) or kp is None:
            self.bad.append(f"{what}: {self.kp_label} {kp!r}, {self.ref_label} {ref!r}")
            return
        self.n += 1
        if math.isnan(kp):
            self.bad.append(f"{what}: {self.kp_label} NaN, {self.ref_label} {ref!r}")
            return
        d = abs(kp - ref) / max(abs(ref), floor, 1e-300)
        if ref == kp:
            d = 0.0
        self.worst = max(self.worst, d)
        if d > rel:
            self.bad.append(f"{what}: {self.kp_label} {kp!r}, {self.ref_label} {ref!r} (rel {d:.2e})")

    def exact(self, what, ref, kp):
        self.n += 1
        if ref != kp:
            self.bad.append(f"{what}: {self.kp_label} {kp!r}, {self.ref_label} {ref!r}")


def reason_ok(ref_reason, kp_reason):
    if ref_reason is None:
        return kp_reason is None
    if not isinstance(kp_reason, str) or not kp_reason.strip():
        return False
    k = kp_reason.lower()
    if ref_reason.startswith("not decay"):
        return "decay" in k
    if "dose" in ref_reason:
        return "dose" in k or "injectedradioactivity" in k
    if "weight" in ref_reason:
        return "weight" in k
    return "decay" in k


def compare(name, refp, kpp):
    import nibabel as nib
    c = Checker()
    ref, kp = load(refp + ".json"), load(kpp + ".json")
    for k in ref:
        if k not in kp:
            c.bad.append(f"key {k} missing from ketaprint's JSON")
    if c.bad:
        return report(name, c)
    for i in range(2):
        c.num(f"window_s[{i}]", ref["window_s"][i], kp["window_s"][i])
    kf = [f for f in kp["frames"] if f.get("weight_s", 0) > 0]
    zero = [f for f in kp["frames"] if not f.get("weight_s", 0) > 0]
    if zero:
        c.notes.append(f"ketaprint lists {len(zero)} zero-weight frames too")
    if len(kf) != len(ref["frames"]):
        c.bad.append(f"frames with weight > 0: ketaprint {[(f.get('index'), f.get('weight_s')) for f in kf]}, "
                     f"reference {[(f['index'], f['weight_s']) for f in ref['frames']]}")
    else:
        offs = {f.get("index") - r["index"] for f, r in zip(kf, ref["frames"]) if isinstance(f.get("index"), int)}
        if offs == {1}:
            c.notes.append("frame indices 1-based")
        elif offs != {0}:
            c.bad.append(f"frame indices: ketaprint {[f.get('index') for f in kf]}, reference (0-based) "
                         f"{[r['index'] for r in ref['frames']]}")
        for f, r in zip(kf, ref["frames"]):
            for key in ("start_s", "duration_s", "weight_s"):
                c.num(f"frame {r['index']} {key}", r[key], f.get(key))
    c.exact("units", ref["units"], kp["units"])
    c.num("to_bq_per_ml", ref["to_bq_per_ml"], kp["to_bq_per_ml"], rel=1e-12)
    c.exact("tracer", ref["tracer"], kp["tracer"])
    c.num("half_life_s", ref["half_life_s"], kp["half_life_s"], rel=1e-12)
    for key in ("dose_bq", "decay_correction_time_s", "weight_kg"):
        c.num(key, ref[key], kp[key])
    if (ref["suv_na_reason"] or "").startswith("not decay") and kp["dose_decay_corrected_bq"] is None:
        c.notes.append("not decay-corrected: ketaprint's dose_decay_corrected_bq null (reference computes it)")
    else:
        c.num("dose_decay_corrected_bq", ref["dose_decay_corrected_bq"], kp["dose_decay_corrected_bq"])
    if not reason_ok(ref["suv_na_reason"], kp["suv_na_reason"]):
        c.bad.append(f"suv_na_reason: ketaprint {kp['suv_na_reason']!r}, reference {ref['suv_na_reason']!r}")
    elif ref["suv_na_reason"]:
        c.notes.append(f"SUV n/a: {kp['suv_na_reason']!r}")
    c.exact("nan_voxels", ref["nan_voxels"], kp["nan_voxels"])
    rr, kr = ref["reference"], kp["reference"]
    c.exact("reference voxels", rr["voxels"], kr.get("voxels"))
    c.num("reference mean_bq_per_ml", rr["mean_bq_per_ml"], kr.get("mean_bq_per_ml"))
    if kr.get("spec") != rr["spec"]:
        c.notes.append(f"reference spec written {kr.get('spec')!r} (reference: {rr['spec']!r})")
    if [r.get("name") for r in kp["rois"]] != [r["name"] for r in ref["rois"]]:
        c.bad.append(f"ROI names: ketaprint {[r.get('name') for r in kp['rois']]}, "
                     f"reference {[r['name'] for r in ref['rois']]}")
    else:
        for r, k in zip(ref["rois"], kp["rois"]):
            c.exact(f"{r['name']} spec", r["spec"], k.get("spec"))
            c.exact(f"{r['name']} voxels", r["voxels"], k.get("voxels"))
            for key in ("mean_bq_per_ml", "suv", "suvr", "suvr_pvc"):
                c.num(f"{r['name']} {key}", r[key], k.get(key))
    rp, kpv = ref["pvc"], kp["pvc"]
    if rp is None or kpv is None:
        if (rp is None) != (kpv is None):
            c.bad.append(f"pvc: ketaprint {'null' if kpv is None else 'an object'}, reference "
                         f"{'null' if rp is None else 'an object'}")
    else:
        c.num("pvc fwhm_mm", rp["fwhm_mm"], kpv.get("fwhm_mm"), rel=1e-12)
        for i in range(3):
            c.num(f"pvc sigma_voxels[{i}]", rp["sigma_voxels"][i], (kpv.get("sigma_voxels") or [None] * 3)[i],
                  rel=1e-9)
        kreg = kpv.get("regions") or []
        if len(kreg) != len(rp["regions"]):
            c.bad.append(f"pvc regions: ketaprint {[(g.get('name'), g.get('voxels')) for g in kreg]}, reference "
                         f"{[(g['name'], g['voxels']) for g in rp['regions']]}")
        else:
            fl = 1e-3 * max(abs(g["corrected_bq_per_ml"]) for g in rp["regions"])
            roi_names = {r["name"] for r in ref["rois"]}
            renamed = []
            for g, k in zip(rp["regions"], kreg):
                if g["name"] in roi_names:
                    c.exact("pvc region name", g["name"], k.get("name"))
                elif k.get("name") != g["name"]:
                    renamed.append(f"{g['name']}->{k.get('name')}")
                c.exact(f"pvc {g['name']} voxels", g["voxels"], k.get("voxels"))
                c.num(f"pvc {g['name']} observed_bq_per_ml", g["observed_bq_per_ml"], k.get("observed_bq_per_ml"))
                c.num(f"pvc {g['name']} corrected_bq_per_ml", g["corrected_bq_per_ml"],
                      k.get("corrected_bq_per_ml"), floor=fl)
            if renamed:
                c.notes.append("GTM region names " + ", ".join(renamed))
    # images
    img_note = ""
    spath = kpp + "_desc-static_pet.nii.gz"
    if os.path.exists(refp + "_desc-static_pet.npy"):
        rs = np.load(refp + "_desc-static_pet.npy")
        raff = nib.load(refp + "_desc-static_pet.nii.gz").affine
        if not os.path.exists(spath):
            c.bad.append("no " + os.path.basename(spath))
        else:
            worst = []
            for tag, want in (("static", rs), ("suvr", rs / ref["reference"]["mean_bq_per_ml"])):
                p = f"{kpp}_desc-{tag}_pet.nii.gz"
                if not os.path.exists(p):
                    c.bad.append("no " + os.path.basename(p))
                    continue
                im = nib.load(p)
                if im.shape[:3] != want.shape or (len(im.shape) > 3 and int(np.prod(im.shape[3:])) != 1):
                    c.bad.append(f"{tag} image shape {im.shape}, PET grid {want.shape}")
                    continue
                if not np.allclose(im.affine, raff, atol=1e-5):
                    c.bad.append(f"{tag} image affine differs from the PET's:\n{im.affine}")
                if im.get_data_dtype() != np.float32:
                    c.bad.append(f"{tag} image stored as {im.get_data_dtype()}, not float32")
                v = np.asarray(im.get_fdata()).reshape(want.shape)
                rn, kn = np.isnan(want), np.isnan(v)
                if (rn != kn).any():
                    c.bad.append(f"{tag} image: NaN at {int(kn.sum())} voxels, reference at {int(rn.sum())} "
                                 f"({int((rn != kn).sum())} differ)")
                ok = ~rn & ~kn
                d = np.abs(v[ok] - want[ok]) / np.maximum(np.abs(want[ok]), 1e-30)
                w = float(d.max()) if d.size else 0.0
                worst.append(f"{tag} {w:.1e}")
                if w > REL:
                    i = int(np.argmax(d))
                    at = tuple(int(x) for x in np.argwhere(ok)[i])
                    c.bad.append(f"{tag} image: {int((d > REL).sum())} voxels beyond {REL:g} relative, worst {at}: "
                                 f"ketaprint {v[at]!r}, reference {want[at]!r} (rel {d[i]:.2e})")
            img_note = "; images worst rel " + ", ".join(worst)
    return report(name, c, img_note)


def report(name, c, extra=""):
    print(f"  {name}: {c.n} values, worst rel {c.worst:.1e}{extra}"
          + (f"; {'; '.join(c.notes)}" if c.notes else "")
          + ("  ok" if not c.bad else f"  FAIL ({len(c.bad)})"))
    # the first 40 lines, then the image lines among the rest
    shown = c.bad[:40] + [b for b in c.bad[40:] if " image" in b]
    for b in shown:
        print("      " + b)
    if len(c.bad) > len(shown):
        print(f"      ... {len(c.bad) - len(shown)} more")
    return not c.bad


def same(name, pa, pb, mode=""):
    c = Checker("variant", "base")
    a, b = load(pa), load(pb)
    keys = ["suvr", "suvr_pvc"]
    if mode != "--suvr-only":
        keys.append("mean_bq_per_ml")
        c.num("reference mean_bq_per_ml", a["reference"]["mean_bq_per_ml"], b["reference"]["mean_bq_per_ml"], SAME)
    c.exact("reference voxels", a["reference"]["voxels"], b["reference"]["voxels"])
    if not mode:
        keys.append("suv")
        c.num("dose_decay_corrected_bq", a["dose_decay_corrected_bq"], b["dose_decay_corrected_bq"], SAME)
        if any(r["suv"] is None for r in a["rois"]):
            c.bad.append("SUV null in the base run")
    if len(a["rois"]) != len(b["rois"]):
        c.bad.append(f"{len(b['rois'])} ROIs, expected {len(a['rois'])}")
    for ra, rb in zip(a["rois"], b["rois"]):
        c.exact(f"{ra['name']} voxels", ra["voxels"], rb.get("voxels"))
        for k in keys:
            c.num(f"{ra['name']} {k}", ra[k], rb.get(k), SAME)
    return report(name, c)


def planted(name, prun, ptruth, noise_free=False):
    c = Checker("run", "planted")
    res, t = load(prun), load(ptruth)
    tol = 1e-5 if noise_free else 0.02
    reg = t["regions"]
    lines = []
    for r in res["rois"]:
        if r["name"] not in reg:
            continue
        tr = reg[r["name"]]
        c.exact(f"{r['name']} voxels (planted)", tr["pet_voxels"], r["voxels"])
        if r["suvr_pvc"] is None:
            c.bad.append(f"{r['name']}: no suvr_pvc")
            continue
        e = r["suvr_pvc"] / tr["suvr"] - 1
        c.worst = max(c.worst, abs(e))
        c.n += 1
        lines.append(f"{r['name']} {r['suvr']:.3f} -> {r['suvr_pvc']:.4f} (planted {tr['suvr']:.4f}, {100 * e:+.2f} %)")
        if abs(e) > tol:
            c.bad.append(f"{r['name']}: SUVR_pvc {r['suvr_pvc']:.6f}, planted {tr['suvr']:.6f} ({100 * e:+.3f} %, "
                         f"tolerance {100 * tol:g} %)")
        if r["name"] in t["small_rois"] and not r["suvr"] < 0.8 * tr["suvr"]:
            c.bad.append(f"{r['name']} (8 voxels): SUVR without PVC {r['suvr']:.4f} not below 0.8 x planted "
                         f"{tr['suvr']:.4f}")
    regs = (res.get("pvc") or {}).get("regions") or []
    # the three tissue regions follow the ROIs and the reference, in that order
    nroi = len(res["rois"])
    for g, key in zip(regs[nroi:nroi + 3], ("cerebellum", "cortex", "white_matter")):
        want = reg[key]["static_bq_per_ml"]
        e = g["corrected_bq_per_ml"] / want - 1
        c.n += 1
        c.worst = max(c.worst, abs(e))
        if abs(e) > tol:
            c.bad.append(f"GTM {key} corrected {g['corrected_bq_per_ml']:.2f} Bq/mL, planted {want:.2f} "
                         f"({100 * e:+.3f} %)")
    if len(regs) < nroi + 3:
        c.bad.append(f"{len(regs)} GTM regions, expected at least {nroi + 3}")
    kw = [f["weight_s"] for f in res["frames"] if f["weight_s"] > 0]
    c.exact("frame weights (planted)", [w for w in t["window_40_60_weights_s"] if w > 0], kw)
    c.num("dose_decay_corrected_bq (planted)", t["dose_decay_corrected_bq"], res["dose_decay_corrected_bq"], 1e-12)
    print(f"  {name}: SUVR -> SUVR_pvc: " + "; ".join(lines))
    return report(name + " planted", c, f" (tolerance {100 * tol:g} %)")


def main(argv):
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    if len(argv) == 4 and argv[0] == "compare":
        return 0 if compare(*argv[1:]) else 1
    if len(argv) in (4, 5) and argv[0] == "same":
        return 0 if same(argv[1], argv[2], argv[3], argv[4] if len(argv) == 5 else "") else 1
    if len(argv) in (4, 5) and argv[0] == "planted":
        return 0 if planted(argv[1], argv[2], argv[3], "--noise-free" in argv[4:]) else 1
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
