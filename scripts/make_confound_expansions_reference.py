#!/usr/bin/python3
"""Regenerates the reference for derived confound expansions (issue 13) from the demo's confounds:

- test-data/restingstate/confounds_base_only.tsv: the demo's sub-01 ses-pre confounds without any
  `_derivative1` / `_power2` column (what older fMRIPrep and other tools write), cells copied as text;
- test-data/restingstate/confounds_expanded_reference.tsv: the 36P expansions of the nine base columns
  (trans_x..rot_z, white_matter, csf, global_signal) computed plainly in pandas the way fMRIPrep defines
  them (its ExpandModel with `(dd1(rps + wm + csf + gsr))^^2`: `_derivative1` = backward difference,
  n/a in the first row; `_power2` = square; `_derivative1_power2` = square of `_derivative1`), n/a for NaN.

Run from the repo root with Debian's python: /usr/bin/python3 scripts/make_confound_expansions_reference.py
"""
import os

import pandas as pd

SRC = ("test-data/demo-bids/derivatives/fmriprep/sub-01/ses-pre/func/"
       "sub-01_ses-pre_task-rest_desc-confounds_timeseries.tsv")
OUT = "test-data/restingstate"
BASES = ["trans_x", "trans_y", "trans_z", "rot_x", "rot_y", "rot_z", "white_matter", "csf", "global_signal"]


def is_expansion(col):
    return "_derivative1" in col or "_power2" in col


def main():
    text = pd.read_csv(SRC, sep="\t", dtype=str, keep_default_na=False)
    base_only = text[[c for c in text.columns if not is_expansion(c)]]
    base_only.to_csv(os.path.join(OUT, "confounds_base_only.tsv"), sep="\t", index=False)

    x = pd.read_csv(os.path.join(OUT, "confounds_base_only.tsv"), sep="\t", na_values=["n/a"],
                    float_precision="round_trip")
    ref = pd.DataFrame(index=x.index)
    for b in BASES:
        d = x[b].diff()                       # x[t] - x[t-1]; NaN at t = 0
        ref[b + "_derivative1"] = d
        ref[b + "_power2"] = x[b] ** 2
        ref[b + "_derivative1_power2"] = d ** 2
    ref.to_csv(os.path.join(OUT, "confounds_expanded_reference.tsv"), sep="\t", index=False, na_rep="n/a")

    # the demo's own motion expansions were written by the same definitions (scripts/make_demo.py)
    full = pd.read_csv(SRC, sep="\t", na_values=["n/a"], float_precision="round_trip")
    worst = max((ref[c] - full[c]).abs().max() for c in full.columns if is_expansion(c))
    print(f"{len(ref.columns)} expansion columns x {len(ref)} rows; "
          f"largest difference to the demo's own expansion columns: {worst:.3g}")


if __name__ == "__main__":
    main()
