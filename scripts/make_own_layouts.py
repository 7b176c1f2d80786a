#!/usr/bin/env python3
"""Builds the three layouts of the README's "Your own layout" section from the demo dataset (Python 3
standard library only): DEST/mni-no-space (derivatives without space- entities: data already in MNI),
DEST/base-confounds (fMRIPrep confounds with the base columns only, no 24P expansions), and DEST/native
(the resting-state BOLD, its mask and GM in T1w space, shifted by SHIFT mm, with the subject's
from-MNI152NLin2009cAsym_to-T1w transform). Every layout carries the demo's signals, so its features
must equal the demo's (scripts/own_layouts.sh checks them)."""
import gzip, pathlib, re, shutil, struct, sys

DEMO = pathlib.Path(__file__).resolve().parent.parent / "test-data" / "demo-bids"
SHIFT = (6.0, -4.0, 8.0)          # T1w world = MNI world + SHIFT (mm), for every voxel


def copy(dest):
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(DEMO, dest)
    return dest


def derivative_files(root):
    return sorted(p for p in (root / "derivatives").rglob("*") if p.is_file())


def mni_no_space(dest):
    root = copy(dest / "mni-no-space")
    for p in derivative_files(root):
        new = re.sub(r"_space-MNI[A-Za-z0-9]+", "", p.name)   # the MNI files; the T1w-space PET keeps its entity
        if new != p.name and not p.with_name(new).exists():  # an MNI GM map beside the T1w one (MRS) keeps its name
            p.rename(p.with_name(new))


def base_confounds(dest):
    root = copy(dest / "base-confounds")
    for p in derivative_files(root):
        if not p.name.endswith("_desc-confounds_timeseries.tsv"):
            continue
        rows = [l.rstrip("\n").split("\t") for l in p.read_text().splitlines()]
        keep = [i for i, c in enumerate(rows[0]) if not re.search(r"_(derivative1|power2|derivative1_power2)$", c)]
        p.write_text("".join("\t".join(r[i] for i in keep) + "\n" for r in rows))


def shift_affine(path, shift):
    """Adds shift to the qform and sform translations of a NIfTI-1 .nii.gz (header only)."""
    data = bytearray(gzip.decompress(path.read_bytes()))
    assert struct.unpack_from("<i", data, 0)[0] == 348, path
    q = list(struct.unpack_from("<3f", data, 268))
    struct.pack_into("<3f", data, 268, *(q[i] + shift[i] for i in range(3)))
    for i, off in enumerate((280, 296, 312)):
        row = list(struct.unpack_from("<4f", data, off))
        row[3] += shift[i]
        struct.pack_into("<4f", data, off, *row)
    path.write_bytes(gzip.compress(bytes(data), mtime=0))


def itk_translation(t):
    """An ITK text transform (LPS) whose RAS point map is x -> x + t."""
    lps = (-t[0], -t[1], t[2])
    return ("#Insight Transform File V1.0\n#Transform 0\nTransform: AffineTransform_double_3_3\n"
            "Parameters: 1 0 0 0 1 0 0 0 1 %r %r %r\nFixedParameters: 0 0 0\n" % lps)


def native(dest):
    root = copy(dest / "native")
    for p in derivative_files(root):
        n = p.name
        is_func = "_task-rest_" in n and "_space-MNI152NLin2009cAsym_" in n
        is_gm = "_space-MNI152NLin2009cAsym_label-GM_probseg" in n
        if not (is_func or is_gm):
            continue
        new = p.with_name(n.replace("_space-MNI152NLin2009cAsym_", "_space-T1w_"))
        p.rename(new)
        if new.name.endswith(".nii.gz"):
            shift_affine(new, SHIFT)
        if is_gm:   # one transform per subject/session, beside its anatomical files
            prefix = new.name.split("_space-")[0]
            # from-MNI_to-T1w (mode image) maps T1w points to MNI points: x -> x - SHIFT
            (new.parent / (prefix + "_from-MNI152NLin2009cAsym_to-T1w_mode-image_xfm.txt")).write_text(
                itk_translation(tuple(-s for s in SHIFT)))


if __name__ == "__main__":
    dest = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/ketaprint-layouts")
    dest.mkdir(parents=True, exist_ok=True)
    mni_no_space(dest)
    base_confounds(dest)
    native(dest)
    print("layouts in %s: mni-no-space base-confounds native" % dest)
