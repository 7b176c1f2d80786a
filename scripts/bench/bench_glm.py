"""GLM benchmark data and the numpy side (issue 19): `make DIR` writes a 64 x 64 x 50 run (204,800 voxels, all in
the mask) of 300 volumes with AR(1) noise and a block design; `numpy DIR` fits it as nilearn's run_glm does
(scripts/oracle/glm_reference.py: mean scaling, OLS, Yule-Walker, 0.01 bins, per-bin refit; a fearful - neutral
t contrast with z) and prints one JSON line: load and fit seconds."""
import json, os, sys, time
import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "oracle"))


def make(d):
    import nibabel as nib
    os.makedirs(d, exist_ok=True)
    rng = np.random.default_rng(19)
    n, tr, shape = 300, 2.0, (64, 64, 50)
    v = int(np.prod(shape))
    e = rng.normal(0, 10, (v, n)).astype(np.float32)
    for t in range(1, n):
        e[:, t] += np.float32(0.3) * e[:, t - 1]
    data = (1000 + e).reshape(shape + (n,))
    aff = np.diag([3.0, 3.0, 3.0, 1.0])
    img = nib.Nifti1Image(data, aff)
    img.header.set_zooms((3.0, 3.0, 3.0, tr))
    nib.save(img, os.path.join(d, "bold.nii"))
    nib.save(nib.Nifti1Image(np.ones(shape, np.uint8), aff), os.path.join(d, "mask.nii.gz"))
    with open(os.path.join(d, "events.tsv"), "w") as f:
        f.write("onset\tduration\ttrial_type\n")
        for i in range(15):
            f.write(f"{i * 40}\t20\tfearful\n{i * 40 + 20}\t20\tneutral\n")
    cols = ["trans_x", "trans_y", "trans_z", "rot_x", "rot_y", "rot_z"]
    mot = rng.normal(0, 0.01, (n, 6)).cumsum(0)
    with open(os.path.join(d, "confounds.tsv"), "w") as f:
        f.write("\t".join(cols + ["framewise_displacement"]) + "\n")
        for t in range(n):
            f.write("\t".join([repr(x) for x in mot[t]] + ["n/a" if t == 0 else "0.1"]) + "\n")
    with open(os.path.join(d, "bold.json"), "w") as f:
        json.dump({"RepetitionTime": tr}, f)


def fit(d):
    import nibabel as nib
    import glm_reference as ref
    t0 = time.perf_counter()
    img = nib.load(os.path.join(d, "bold.nii"))
    data = np.asarray(img.dataobj, dtype=np.float32)
    mask = np.asarray(nib.load(os.path.join(d, "mask.nii.gz")).dataobj) > 0
    y = data[mask].T.astype(np.float64)   # volumes x voxels, as nilearn's masker gives
    t1 = time.perf_counter()
    events = ref.read_events(os.path.join(d, "events.tsv"))
    conf = ref.read_confounds(os.path.join(d, "confounds.tsv"))
    ft = ref.frame_times_of(y.shape[0], 2.0, 0.0)
    design = ref.build_design(events, ft, "spm", conf, "6P", 0.9)
    x = design[0] if isinstance(design, tuple) else design
    x = x.to_numpy() if hasattr(x, "to_numpy") else np.asarray(x)
    ys, _ = ref.mean_scaling(y)
    res = ref.fit_glm(ys, x, "ar1")
    cols = design[1] if isinstance(design, tuple) else list(design.columns)
    c = np.zeros(x.shape[1])
    c[cols.index("fearful")], c[cols.index("neutral")] = 1, -1
    con = ref.t_contrast(res, c)
    t2 = time.perf_counter()
    print(json.dumps({"voxels": int(y.shape[1]), "volumes": int(y.shape[0]), "load_s": t1 - t0, "fit_s": t2 - t1,
                      "bins": int(len(res["covs"])), "z_max": float(np.max(con["z"]))}))


if __name__ == "__main__":
    {"make": make, "numpy": fit}[sys.argv[1]](sys.argv[2])
