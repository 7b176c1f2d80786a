#!/usr/bin/python3
"""A plain numpy GTM (Rousset et al. 1998) on the demo's FDG PET (scripts/make_demo.py): how close the planted SUVRs
(make_demo.PET_SUVR; the truth's *_suvr_pvc columns) are recovered from the stored images, and the noise SD of that estimate, from which the
tolerances of their comparison are chosen.

Regions on the PET grid: the aseg by nearest neighbour, the ROIs over it (AAL Insula_L / Insula_R, the right
prefrontal labels, habenula spheres; as make_demo.pet_regions); each region's indicator blurred by the PSF (Gaussian,
FWHM 6 mm, scipy.ndimage.gaussian_filter: reflect, truncate 4) is its spread function; G[i][j] = mean over region i of
region j's; G c = t with t the observed regional means of the static image (the frames' mean weighted by their
overlap with the window). SUVR = c(ROI) / c(cerebellar cortex). Three region sets (all give the planted values
without noise): tissue classes (cortex 3+42, WM 2+41, CSF 24, cerebellar cortex 8+47, subcortical 17+53+26+58), the
same plus the background (aseg 0), and each aseg label on its own (reference: the voxel-weighted mean of 8 and 47).

Run with Debian's python: /usr/bin/python3 scripts/demo_pet_gtm.py [--mc N]
"""
import os
import sys

import nibabel as nib
import numpy as np
from scipy.ndimage import gaussian_filter

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_demo as md  # noqa: E402

WINDOWS = {"30-70 min": (1800, 4200), "30-60 min": (1800, 3600), "40-60 min": (2400, 3600), "50-70 min": (3000, 4200)}
CLASSES = {"cortex": (3, 42), "wm": (2, 41), "csf": (24,), "ref": (8, 47), "subcortical": (17, 53, 26, 58)}


def weights(lo, hi):
    s = np.array(md.PET_FRAME_START)
    e = s + np.array(md.PET_FRAME_DURATION)
    return np.clip(np.minimum(e, hi) - np.maximum(s, lo), 0, None)


def region_sets(label, rois):
    """name -> list of (region name, mask) and the reference's region names."""
    free = ~np.any(np.stack(list(rois.values())), 0)
    roi = [(k, m) for k, m in rois.items()]
    classes = [(k, free & np.isin(label, v)) for k, v in CLASSES.items()]
    labels = [(str(l), free & (label == l)) for l in sorted(set(np.unique(label)) - {0})]
    return {"classes": (roi + classes, ["ref"]),
            "classes+background": (roi + classes + [("background", free & (label == 0))], ["ref"]),
            "labels": (roi + labels, ["8", "47"])}


class Gtm:
    def __init__(self, regions, ref, sigma):
        self.names = [n for n, _ in regions]
        self.masks = [m for _, m in regions]
        assert all(m.any() for m in self.masks), [n for n, m in regions if not m.any()]
        r = len(regions)
        self.g = np.zeros((r, r))
        for j, mj in enumerate(self.masks):
            rsf = gaussian_filter(mj.astype(float), sigma, mode="reflect", truncate=4.0)
            for i, mi in enumerate(self.masks):
                self.g[i, j] = rsf[mi].mean()
        self.ref = [self.names.index(n) for n in ref]
        self.nref = np.array([self.masks[i].sum() for i in self.ref], float)

    def corrected(self, img):
        t = np.array([img[m].mean() for m in self.masks])
        return np.linalg.solve(self.g, t)

    def suvr(self, img):
        c = self.corrected(img)
        ref = (c[self.ref] * self.nref).sum() / self.nref.sum()
        return {n: c[self.names.index(n)] / ref for n in md.PET_ROIS}


def static(frames, window):
    w = weights(*window)
    return (frames * w).sum(-1) / w.sum()


def raw_suvr(img, label, rois):
    ref = img[np.isin(label, (8, 47)) & ~np.any(np.stack(list(rois.values())), 0)].mean()
    return {n: img[rois[n]].mean() / ref for n in md.PET_ROIS}


def main():
    n_mc = int(sys.argv[sys.argv.index("--mc") + 1]) if "--mc" in sys.argv else 400
    aal = np.asarray(nib.load(os.path.join(md.ATLASES, "aal.nii.gz")).dataobj)
    worst = {n: 0.0 for n in md.PET_ROIS}
    sds = {n: 0.0 for n in md.PET_ROIS}
    for si, sub in enumerate(md.SUBJECTS):
        for ti, ses in enumerate(md.SESSIONS):
            if (sub, ses) not in md.PET_SCANS:
                continue
            p = f"sub-{sub}_ses-{ses}"
            seg_img = nib.load(os.path.join(md.BIDS, "derivatives", "fmriprep", f"sub-{sub}", f"ses-{ses}", "anat",
                                            f"{p}_desc-aseg_dseg.nii.gz"))
            pet = nib.load(os.path.join(md.BIDS, "derivatives", "petprep", f"sub-{sub}", f"ses-{ses}", "pet",
                                        f"{p}_trc-FDG_space-T1w_desc-preproc_pet.nii.gz"))
            stored = pet.get_fdata()
            label, rois = md.pet_regions(pet.affine, stored.shape[:3], np.asarray(seg_img.dataobj), seg_img.affine, aal)
            _, clean, _, _ = md.pet_image(sub, ses, seg_img, aal, None)
            plant = md.PET_SUVR[(sub, ses)]
            sigma = md.pet_sigma(pet.affine)
            print(f"{p}: planted " + " ".join(f"{n} {plant[n]:.3f}" for n in md.PET_ROIS))
            print("  ROI voxels " + " ".join(f"{n} {int(rois[n].sum())}" for n in md.PET_ROIS)
                  + f"; reference {int((np.isin(label, (8, 47))).sum())}")
            gtms = {k: Gtm(r, ref, sigma) for k, (r, ref) in region_sets(label, rois).items()}
            for k, g in gtms.items():
                s = g.suvr(static(clean, WINDOWS["30-70 min"]))
                err = max(abs(s[n] - plant[n]) for n in md.PET_ROIS)
                print(f"  no noise, {k}: largest |GTM - planted| {err:.2e}")
                assert err < 1e-9
            for wname, win in WINDOWS.items():
                for k, g in gtms.items():
                    s = g.suvr(static(stored, win))
                    print(f"  stored, {wname}, {k}: " + " ".join(f"{n} {s[n] - plant[n]:+.4f}" for n in md.PET_ROIS))
                    for n in md.PET_ROIS:
                        worst[n] = max(worst[n], abs(s[n] - plant[n]))
            for fwhm in (5.0, 7.0, 8.0):       # a wrong PSF: how far it moves the estimate
                g = Gtm(region_sets(label, rois)["classes"][0], ["ref"], sigma * fwhm / md.PET_FWHM)
                s = g.suvr(static(clean, WINDOWS["30-70 min"]))
                print(f"  no noise, PSF FWHM {fwhm:g} mm instead of {md.PET_FWHM:g}: "
                      + " ".join(f"{n} {s[n] - plant[n]:+.3f}" for n in md.PET_ROIS))
            r = raw_suvr(static(stored, WINDOWS["30-70 min"]), label, rois)
            print("  without PVC (ROI mean / reference mean), 30-70 min: "
                  + " ".join(f"{n} {r[n] - plant[n]:+.3f}" for n in md.PET_ROIS))
            # noise: the same model with other seeds; SD of the GTM SUVR (classes, each window)
            for wname, win in WINDOWS.items():
                g = gtms["classes"]
                sims = np.array([[v for v in g.suvr(static(md.pet_image(sub, ses, seg_img, aal, np.random.default_rng(
                    [99, si, ti, i]))[1], win)).values()] for i in range(n_mc)])
                sd = sims.std(0, ddof=1)
                bias = sims.mean(0) - np.array([plant[n] for n in md.PET_ROIS])
                print(f"  noise SD ({n_mc} draws), {wname}: " + " ".join(f"{n} {v:.4f}" for n, v in zip(md.PET_ROIS, sd))
                      + "; mean - planted " + " ".join(f"{v:+.4f}" for v in bias))
                for n, v in zip(md.PET_ROIS, sd):
                    sds[n] = max(sds[n], v)
    print("largest |stored GTM - planted| over sessions, windows and region sets: "
          + " ".join(f"{n} {worst[n]:.4f}" for n in md.PET_ROIS))
    print("largest noise SD over sessions and windows: " + " ".join(f"{n} {sds[n]:.4f}" for n in md.PET_ROIS))


if __name__ == "__main__":
    main()
