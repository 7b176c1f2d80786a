#!/usr/bin/python3
"""Regenerates test-data/bench/: small images and what nibabel reads from them (reference.json).

For each image: shape, voxel count, float32 byte count, and the float64 sum of the finite values of
nib.load(f).get_fdata(dtype=np.float32) with the count of the others -- the checksum bench-read must reproduce.
Run from the repo root: /usr/bin/python3 scripts/bench/make_test_data.py
"""
import gzip
import io
import json
import os

import nibabel as nib
import numpy as np

OUT = "test-data/bench"


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(7)
    aff = np.diag([-2.0, 2.0, 2.0, 1.0])
    f32 = (rng.standard_normal((10, 12, 9, 6)) * 50 + 300).astype(np.float32)
    f32[1, 2, 3, 4], f32[9, 0, 0, 0], f32[0, 0, 0, 5] = np.nan, np.inf, -np.inf
    i16 = rng.integers(-3000, 3000, size=(7, 8, 5, 3), dtype=np.int16)
    imgs = {"series_f32.nii": nib.Nifti1Image(f32, aff), "series_f32.nii.gz": nib.Nifti1Image(f32, aff)}
    be = nib.Nifti1Image(i16, aff, nib.Nifti1Header(endianness=">"))
    be.set_data_dtype(np.int16)
    imgs["series_i16_be_scaled.nii"] = be
    # larger than the 1 MB gzip chunk of ElementReader: several chunks, volumes across chunk boundaries
    x = np.arange(64 * 64 * 32 * 10).reshape((64, 64, 32, 10), order="F")
    smooth = np.round(200 * np.sin(x / 977.0) * 4) / 4
    imgs["long_f32.nii.gz"] = nib.Nifti1Image(smooth.astype(np.float32), aff)
    li = nib.Nifti1Image((x % 5003 - 2500).astype(np.int16), aff, nib.Nifti1Header(endianness=">"))
    li.set_data_dtype(np.int16)
    imgs["long_i16_be_scaled.nii.gz"] = li
    ref = {}
    for name, img in imgs.items():
        path = os.path.join(OUT, name)
        nib.save(img, path)
        if "scaled" in name:
            # nibabel picks its own scaling on save; set ours in the stored header afterwards
            hdr = nib.load(path).header.copy()
            hdr["scl_slope"], hdr["scl_inter"] = 0.25, -10.0
            gz = path.endswith(".gz")
            with (gzip.open if gz else open)(path, "rb") as f:
                raw = bytearray(f.read())
            buf = io.BytesIO()
            hdr.write_to(buf)
            raw[: len(buf.getvalue())] = buf.getvalue()
            with (gzip.GzipFile(path, "wb", mtime=0) if gz else open(path, "wb")) as f:
                f.write(bytes(raw))
        back = nib.load(path)
        data = back.get_fdata(dtype=np.float32)
        ref[name] = {"shape": list(data.shape), "voxels": int(data.size), "data_bytes": int(data.size) * 4,
                     "datatype": back.get_data_dtype().str,
                     "scl_slope": float(back.dataobj.slope), "scl_inter": float(back.dataobj.inter),
                     "sum": float(data[np.isfinite(data)].sum(dtype=np.float64)),
                     "nonfinite": int((~np.isfinite(data)).sum()),
                     "volume_sums": [float(v.sum(dtype=np.float64, where=np.isfinite(v)))
                                     for v in (data[..., t] for t in range(data.shape[3]))]}
    with open(os.path.join(OUT, "reference.json"), "w") as f:
        json.dump(ref, f, indent=2)
        f.write("\n")
    print(json.dumps(ref, indent=2))


if __name__ == "__main__":
    main()
