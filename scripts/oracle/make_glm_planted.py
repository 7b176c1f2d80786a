#!/usr/bin/env python3
"""Planted first-level task-fMRI run for the GLM oracle (scripts/oracle/glm_reference.sh).

  make_glm_planted.py OUTDIR [--seed 7] [--shape 24,28,24] [--volumes 200]

Writes into OUTDIR (BIDS-like names):
  sub-01_task-faces_bold.nii.gz        float32, 3 mm grid, TR 2 s (pixdim[4] = 2, units sec)
  sub-01_task-faces_bold.json          RepetitionTime 2, SliceTimingCorrected true, StartTime 1 (= TR / 2)
  sub-01_task-faces_events.tsv         fearful / neutral blocks (20 s), 0-duration 'target' events with a
                                       modulation column (1 for the blocks, 0.5..1.5 for the targets)
  sub-01_task-faces_desc-confounds_timeseries.tsv
                                       trans_x..rot_z, framewise_displacement (Power: sum |d trans| +
                                       50 mm * sum |d rot|, n/a first row) with a few FD spikes > 0.9 mm
  sub-01_task-faces_desc-brain_mask.nii.gz
                                       uint8 ellipsoid brain mask
  truth.json                           everything planted (ROI, amplitudes, rho, noise, spikes, expected betas)
and bad-input / edge variants for the oracle:
  events_na_duration.tsv               one block with duration n/a
  events_past_end.tsv                  the main events plus a neutral block and a 'late' event after the run
  events_bids_extra.tsv                the main events without the modulation column (so all 1) and with extra
                                       BIDS columns (response_time with n/a cells, stim_file) to be ignored
  short_bold.nii.gz (+ .json), short_events.tsv, short_mask.nii.gz
                                       the first 12 volumes (24 s, shorter than the 32 s HRF)

Signal model per brain voxel v (percent of its baseline b_v, 800..1200):
  s_v(t) = b_v * (1 + 0.01 * (X_task(t) @ a_v + 0.5 trans_x(t) + drift(t) + spike artefacts + e_v(t)))
where X_task is the spm-HRF design of the events at the slice-timing-corrected frame times (glm_reference
build_design, TR 2 s, slice_time_ref 0.5), a_v = (fearful 3, neutral 1, target 40) inside the planted sphere
and (0.5, 0.5, 0) elsewhere except in a 'hot' sphere with (2, 2, 0) and noise sd 0.005..0.5 % (so
'neutral' spans |z| ~ 15 up to nilearn's clip at p = 1e-300, z = 37.05, while fearful - neutral stays
null there) (a 0-duration event is one 0.04 s sample of the oversampled grid, so its
regressor peaks near 0.01: 40 gives about 0.4 % per unit modulation), e_v is AR(1) with rho 0.3 and marginal
sd 1 (percent), independent across voxels. So fearful - neutral is 2 % in the sphere and 0 outside. Mean
scaling divides by the voxel's time mean, which is b_v * (1 + 0.01 * mean planted signal), so the expected
fitted effect is 2 / (1 + 0.01 m_v), recorded as expected_effect_after_scaling (the mean over the ROI).
"""
import argparse
import json
import os
import sys

import nibabel as nib
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import glm_reference as ref  # noqa: E402

TR = 2.0
STEM = "sub-01_task-faces"
ROI_CENTRE = (13.5, -7.5, 4.5)     # a voxel centre of the grid below (offsets are odd multiples of 1.5 mm)
ROI_RADIUS = 7.0                    # 49 / 9 is no sum of three squares' ratio: no voxel exactly on the border
CONTROL_CENTRE = (-16.5, 10.5, -4.5)
HOT_CENTRE = (-10.5, -19.5, 13.5)   # fearful = neutral = 2 % with tiny noise: |z| from ~15 to the 1e-300 clip
RHO = 0.3
NOISE_SD = 1.0


def affine_for(shape):
    a = np.diag([3.0, 3.0, 3.0, 1.0])
    a[:3, 3] = [-(s - 1) / 2.0 * 3.0 for s in shape]
    return a


def events_table(rng, n_vol):
    """Blocks: fearful at 10 + 60 k, neutral at 40 + 60 k (20 s each) while they end before the run does;
    one fearful block starts at a quarter second; 0-duration targets at jittered times."""
    rows = []
    run_len = n_vol * TR
    k = 0
    while 10 + 60 * k + 50 <= run_len - 10:
        rows.append((10.0 + 60 * k + (0.25 if k == 2 else 0.0), 20.0, "fearful", 1.0))
        rows.append((40.0 + 60 * k, 20.0, "neutral", 1.0))
        k += 1
    t = 5.0
    while True:
        t += rng.uniform(15, 30)
        if t > run_len - 15:
            break
        rows.append((round(t, 2), 0.0, "target", round(float(rng.uniform(0.5, 1.5)), 3)))
    rows.sort()
    return rows


def write_events(path, rows, na_duration_row=None):
    with open(path, "w") as f:
        f.write("onset\tduration\ttrial_type\tmodulation\n")
        for i, (on, du, tt, mo) in enumerate(rows):
            d = "n/a" if i == na_duration_row else repr(du)
            f.write(f"{on!r}\t{d}\t{tt}\t{mo!r}\n")


def motion(rng, n):
    """Smooth random-walk motion (mm, rad) with three one-volume jerks that make FD spikes > 0.9 mm."""
    steps = rng.normal(0, [0.03, 0.03, 0.04, 0.0004, 0.0004, 0.0003], size=(n, 6))
    m = np.cumsum(steps, 0)
    jerks = [47, 113, 160]
    for v in jerks:
        m[v, 1] += 0.7    # trans_y jumps at v and returns at v + 1: FD > 0.9 at v and v + 1
        m[v, 3] += 0.004
    d = np.abs(np.diff(m, axis=0))
    fd = np.concatenate([[np.nan], d[:, :3].sum(1) + 50.0 * d[:, 3:].sum(1)])
    return m, fd, jerks


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--shape", default="24,28,24")
    ap.add_argument("--volumes", type=int, default=200)
    a = ap.parse_args(argv)
    rng = np.random.default_rng(a.seed)
    shape = tuple(int(s) for s in a.shape.split(","))
    n = a.volumes
    os.makedirs(a.out, exist_ok=True)
    aff = affine_for(shape)

    # brain mask: ellipsoid filling most of the box
    ijk = np.indices(shape).reshape(3, -1).T.astype(float)
    xyz = ijk @ aff[:3, :3].T + aff[:3, 3]
    half = np.array(shape) * 3.0 / 2.0
    brain = (((xyz / (half * 0.9)) ** 2).sum(1) <= 1).reshape(shape)
    roi = ref.roi_mask(f"sphere:{ROI_CENTRE[0]},{ROI_CENTRE[1]},{ROI_CENTRE[2]},{ROI_RADIUS}", shape, aff) & brain
    hot = ref.roi_mask(f"sphere:{HOT_CENTRE[0]},{HOT_CENTRE[1]},{HOT_CENTRE[2]},{ROI_RADIUS}", shape, aff) & brain
    nb = int(brain.sum())

    # events, motion, FD
    rows = events_table(rng, n)
    write_events(os.path.join(a.out, f"{STEM}_events.tsv"), rows)
    mot, fd, jerks = motion(rng, n)
    names = ["trans_x", "trans_y", "trans_z", "rot_x", "rot_y", "rot_z"]
    with open(os.path.join(a.out, f"{STEM}_desc-confounds_timeseries.tsv"), "w") as f:
        f.write("\t".join(names + ["framewise_displacement", "csf"]) + "\n")
        csf = rng.normal(0, 1, n)
        for t in range(n):
            cells = [repr(float(v)) for v in mot[t]] + ["n/a" if t == 0 else repr(float(fd[t])), repr(float(csf[t]))]
            f.write("\t".join(cells) + "\n")
    spikes = [int(v) for v in np.nonzero(np.nan_to_num(fd) > 0.9)[0]]

    # planted task signal at the slice-timing-corrected frame times
    tt = np.array([r[2] for r in rows], dtype=object)
    ev = (tt, np.array([r[0] for r in rows]), np.array([r[1] for r in rows]), np.array([r[3] for r in rows]))
    ft = ref.frame_times_of(n, TR, 0.5)
    x, cols, _ = ref.build_design(ev, ft, "spm", None, "none", 0, 0.01)
    xt = x[:, [cols.index("fearful"), cols.index("neutral"), cols.index("target")]]
    amp_in = np.array([3.0, 1.0, 40.0])
    amp_out = np.array([0.5, 0.5, 0.0])
    vox_roi = roi[brain]
    vox_hot = hot[brain]
    task = np.where(vox_roi[None, :], (xt @ amp_in)[:, None], (xt @ amp_out)[:, None])   # n x nb
    task[:, vox_hot] = (xt @ np.array([2.0, 2.0, 0.0]))[:, None]
    # nuisance: motion, slow drift, spike artefacts
    tgrid = np.arange(n)
    drift = 1.5 * np.cos(np.pi / n * (tgrid + 0.5)) + 0.8 * (tgrid / n)
    art = np.zeros(n)
    for v in spikes:
        art[v] = rng.choice([-3.0, 3.0])
    nuis = 0.5 * mot[:, 0] + drift + art
    # AR(1) noise, stationary start, marginal sd NOISE_SD
    innov = rng.normal(0, NOISE_SD * np.sqrt(1 - RHO ** 2), size=(n, nb))
    e = np.empty_like(innov)
    e[0] = rng.normal(0, NOISE_SD, nb)
    for t in range(1, n):
        e[t] = RHO * e[t - 1] + innov[t]
    # the hot sphere: noise sd graded 0.005 .. 0.5 % (log-spaced, shuffled): |t| of neutral ~ 25..2500
    e[:, vox_hot] *= rng.permutation(np.geomspace(0.005, 0.5, int(vox_hot.sum())))[None, :] / NOISE_SD
    base = rng.uniform(800, 1200, nb)
    pct = task + nuis[:, None] + e
    sig = base[None, :] * (1 + 0.01 * pct)
    data = np.zeros(shape + (n,), np.float32)
    data[brain] = sig.T.astype(np.float32)
    # outside the brain: low-level positive background (not analysed)
    data[~brain] = rng.uniform(5, 15, size=(int((~brain).sum()), 1)).astype(np.float32)

    def save(arr, name, dtype, tr=None):
        im = nib.Nifti1Image(arr, aff)
        im.set_data_dtype(dtype)
        if tr is not None:
            zooms = list(im.header.get_zooms()[:3]) + [tr]
            im.header.set_zooms(zooms)
            im.header.set_xyzt_units("mm", "sec")
        im.header.set_qform(aff, 1)
        im.header.set_sform(aff, 1)
        nib.save(im, os.path.join(a.out, name))

    save(data, f"{STEM}_bold.nii.gz", np.float32, TR)
    save(brain.astype(np.uint8), f"{STEM}_desc-brain_mask.nii.gz", np.uint8)
    side = {"RepetitionTime": TR, "SliceTimingCorrected": True, "StartTime": TR / 2, "TaskName": "faces"}
    with open(os.path.join(a.out, f"{STEM}_bold.json"), "w") as f:
        json.dump(side, f, indent=2)

    # expected effect after mean scaling: 2 / (1 + 0.01 * time mean of the planted noise-free signal)
    m_roi = (task + nuis[:, None])[:, vox_roi].mean(0)
    expected = float(np.mean(2.0 / (1 + 0.01 * m_roi)))

    # variants
    na_row = next(i for i, r in enumerate(rows) if r[2] == "neutral")
    write_events(os.path.join(a.out, "events_na_duration.tsv"), rows, na_duration_row=na_row)
    past = rows + [(n * TR + 20.0, 20.0, "neutral", 1.0), (n * TR + 50.0, 10.0, "late", 1.0)]
    write_events(os.path.join(a.out, "events_past_end.tsv"), past)
    with open(os.path.join(a.out, "events_bids_extra.tsv"), "w") as f:
        f.write("onset\tduration\ttrial_type\tresponse_time\tstim_file\n")
        for on, du, tt_, mo in rows:
            rt = "n/a" if tt_ != "target" else repr(round(float(rng.uniform(0.3, 0.9)), 3))
            f.write(f"{on!r}\t{du!r}\t{tt_}\t{rt}\tstim/{tt_}_{int(on)}.png\n")
    ns = 12
    save(data[..., :ns], "short_bold.nii.gz", np.float32, TR)
    with open(os.path.join(a.out, "short_bold.json"), "w") as f:
        json.dump(side, f, indent=2)
    save(brain.astype(np.uint8), "short_mask.nii.gz", np.uint8)
    write_events(os.path.join(a.out, "short_events.tsv"),
                 [(2.0, 6.0, "fearful", 1.0), (9.5, 0.0, "target", 1.0), (12.0, 6.0, "neutral", 1.0)])

    truth = {
        "seed": a.seed, "shape": list(shape), "voxel_mm": 3.0, "volumes": n, "tr": TR, "slice_time_ref": 0.5,
        "roi": f"sphere:{ROI_CENTRE[0]},{ROI_CENTRE[1]},{ROI_CENTRE[2]},{ROI_RADIUS}",
        "control_roi": f"sphere:{CONTROL_CENTRE[0]},{CONTROL_CENTRE[1]},{CONTROL_CENTRE[2]},{ROI_RADIUS}",
        "hot_roi": f"sphere:{HOT_CENTRE[0]},{HOT_CENTRE[1]},{HOT_CENTRE[2]},{ROI_RADIUS}",
        "hot_roi_note": "fearful = neutral = 2 %, target 0, noise sd log-spaced 0.005..0.5 %: fearful - neutral is "
                        "null there, 'neutral' reaches the z clip (p < 1e-300)",
        "roi_voxels": int(vox_roi.sum()), "brain_voxels": nb,
        "amplitudes_in_roi_percent": {"fearful": 3.0, "neutral": 1.0, "target": 40.0},
        "amplitudes_outside_percent": {"fearful": 0.5, "neutral": 0.5, "target": 0.0},
        "fearful_minus_neutral_percent": 2.0,
        "expected_effect_after_scaling": expected,
        "ar1_rho": RHO, "noise_sd_percent": NOISE_SD, "motion_coefficient_trans_x": 0.5,
        "spike_volumes": spikes, "motion_jerk_volumes": jerks,
        "fd_mean_mm": float(np.nan_to_num(fd).mean()),
        "n_events": len(rows),
        "conditions": sorted(set(r[2] for r in rows)),
    }
    with open(os.path.join(a.out, "truth.json"), "w") as f:
        json.dump(truth, f, indent=2)
    print(json.dumps({k: truth[k] for k in ("roi", "roi_voxels", "brain_voxels", "spike_volumes",
                                            "expected_effect_after_scaling")}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
