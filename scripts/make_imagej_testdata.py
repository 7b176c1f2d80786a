#!/usr/bin/python3
"""Small NIfTI inputs and nibabel/numpy reference values for the ImageJ tests (test-data/imagej/).

Run from the repository root with Debian's python (nibabel 5, numpy): /usr/bin/python3 scripts/make_imagej_testdata.py
The reference (reference.json) is what nibabel reads back from each file: shape, zooms, affine, TR and the
scaled data in file order (x fastest, as get_fdata().ravel(order='F')), plus label volumes by numpy.
"""
import json
import os

import nibabel as nib
import numpy as np

OUT = os.path.join("test-data", "imagej")
rng = np.random.default_rng(7)


def rot_z(deg):
    t = np.deg2rad(deg)
    return np.array([[np.cos(t), -np.sin(t), 0], [np.sin(t), np.cos(t), 0], [0, 0, 1.0]])


def labels_oblique():
    shape = (12, 10, 8)
    d = np.zeros(shape, np.int16)
    d[2:6, 1:7, 1:5] = 17      # Left-Hippocampus
    d[6:11, 2:9, 3:7] = 53     # Right-Hippocampus
    d[0:3, 7:10, 5:8] = 26     # Left-Accumbens-area
    d[9, 0, 0] = 58            # Right-Accumbens-area: one voxel in a corner
    a = np.eye(4)
    a[:3, :3] = rot_z(20) @ np.diag([1.5, 2.0, 2.5])
    a[:3, 3] = [-10.25, 33.5, -4.0]
    img = nib.Nifti1Image(d, a)
    img.set_sform(a, 4)
    img.set_qform(a, 1)
    return img


def scaled4d():
    shape = (6, 5, 4, 3)
    raw = rng.integers(-300, 300, size=shape).astype(np.int16)
    a = np.diag([2.0, 3.0, 4.0, 1.0])
    a[:3, 3] = [-5.0, -7.5, 12.0]
    img = nib.Nifti1Image(raw, a)
    img.header.set_data_dtype(np.int16)
    img.header.set_slope_inter(0.5, 10.0)
    img.header.set_xyzt_units("mm", "sec")
    z = list(img.header.get_zooms())
    z[3] = 2.5
    img.header.set_zooms(z)
    img.set_sform(a, 1)
    img.set_qform(a, 1)
    return img


def las_float():
    shape = (7, 6, 5)
    d = rng.normal(100, 40, size=shape).astype(np.float32)
    d[3, 2, 1] = np.nan
    d[0, 0, 0] = -1.0e-3
    a = np.diag([-2.0, 2.0, 2.2, 1.0])
    a[:3, 3] = [6.0, -5.0, -4.4]
    img = nib.Nifti1Image(d, a)
    img.set_sform(a, 2)
    img.set_qform(a, 2)
    return img


def u8():
    shape = (5, 4, 3)
    d = np.arange(np.prod(shape), dtype=np.uint8).reshape(shape, order="F") * 4
    a = np.diag([0.8, 0.8, 1.2, 1.0])
    img = nib.Nifti1Image(d, a)
    img.header.set_data_dtype(np.uint8)
    img.set_sform(a, 2)
    img.set_qform(a, 2)
    return img


def set_scaling(path, slope, inter):
    """nibabel drops a slope that int16 data does not need on save; patch scl_slope/scl_inter in the file."""
    import gzip
    import struct
    op = gzip.open if path.endswith(".gz") else open
    with op(path, "rb") as f:
        b = bytearray(f.read())
    b[112:120] = struct.pack("<ff", slope, inter)
    with op(path, "wb") as f:
        f.write(bytes(b))


def reference(path):
    img = nib.load(path)
    data = img.get_fdata()
    zooms = [float(z) for z in img.header.get_zooms()]
    flat = data.ravel(order="F")
    ref = {
        "shape": list(img.shape),
        "datatype": str(img.get_data_dtype()),
        "zooms": zooms,
        "affine": img.affine.tolist(),
        "tr": zooms[3] if len(img.shape) > 3 else None,
        "data": [None if np.isnan(v) else float(v) for v in flat],
    }
    if "labels" in path:
        vox = abs(np.linalg.det(img.affine[:3, :3]))
        labs, counts = np.unique(data.astype(int), return_counts=True)
        ref["volumes"] = [{"label": int(l), "voxels": int(c), "volume_mm3": float(c * vox)}
                          for l, c in zip(labs, counts) if l != 0]
    return ref


def main():
    os.makedirs(OUT, exist_ok=True)
    files = {"labels_oblique.nii.gz": labels_oblique(), "scaled4d.nii.gz": scaled4d(),
             "las_float.nii": las_float(), "u8.nii.gz": u8()}
    refs = {}
    for name, img in files.items():
        p = os.path.join(OUT, name)
        nib.save(img, p)
        if name == "scaled4d.nii.gz":
            set_scaling(p, 0.5, 10.0)
        refs[name] = reference(p)
    with open(os.path.join(OUT, "reference.json"), "w") as f:
        json.dump(refs, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
