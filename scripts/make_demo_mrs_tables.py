#!/usr/bin/env python3
"""Writes the demo dataset's LCModel results (Python 3 standard library only, no randomness: the same files on
every run): test-data/demo-bids/derivatives/lcmodel/sub-XX/ses-YY/mrs/sub-XX_ses-YY_voi-pgacc_svs.table for
sub-01 and sub-02, ses-pre and ses-post, from the numbers in FITS below.

The layout is LCModel 6.3-1N's .table file as its Fortran source writes it (source/LCModel.f in
github.com/schorschinho/LCModel at c9d95ff, subroutine FINOUT and EXITPS): a version/title line, then
$$CONC (FORMAT 6581, header 5584, rows '(F8.3 or 1PE8.2, I4, '%', F8.3 or 1PE8.1, ' ', name)' with the E form
when |x| > 999.999 or |x| < 0.0995, x != 0), $$MISC (FORMAT 5591 'FWHM =', F6.3, ' ppm', 4X, 'S/N =', I4 first),
$$DIAG and $$INPU (the control file's lines). The control lines say DOWS=T, ATTH2O=1, ATTMET=1: Conc. is then the
water-scaled value without attenuation (relaxation) correction, the value ketaprint's MRS stage wants.

The planted pattern: sub-01's Glu rises from ses-pre to ses-post (9.2 -> 10.1), sub-02's does not (9.6 -> 9.4);
sub-02 ses-pre's Gln has %SD 25, so it is n/a at a 20 % CRLB threshold (the only such row among Glu, Gln,
Glu+Gln, Cr+PCr, NAA+NAAG). FWHM 0.05-0.07 ppm, S/N 15-30. The ratio column (/Cr+PCr) is computed from the
concentrations. The numbers are invented for the demo; they are not from a real scan."""
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "test-data" / "demo-bids" / "derivatives" / "lcmodel"

# (concentration, %SD) of the single metabolites, and FWHM (ppm), S/N, per subject and session.
FITS = {
    ("sub-01", "ses-pre"): dict(
        Cr=(4.52, 8), PCr=(3.61, 10), GABA=(1.12, 19), GPC=(1.21, 7), PCh=(0.38, 21), GSH=(1.54, 13),
        Gln=(3.10, 14), Glu=(9.20, 5), Ins=(6.10, 5), Lac=(0.0, 999), NAA=(10.42, 3), NAAG=(0.86, 24),
        combined={"GPC+PCh": 6, "NAA+NAAG": 3, "Cr+PCr": 3, "Glu+Gln": 4},
        fwhm=0.058, snr=24),
    ("sub-01", "ses-post"): dict(
        Cr=(4.48, 8), PCr=(3.70, 10), GABA=(1.08, 20), GPC=(1.19, 7), PCh=(0.41, 19), GSH=(1.58, 12),
        Gln=(3.30, 12), Glu=(10.10, 4), Ins=(6.02, 5), Lac=(0.21, 67), NAA=(10.51, 3), NAAG=(0.79, 27),
        combined={"GPC+PCh": 5, "NAA+NAAG": 3, "Cr+PCr": 3, "Glu+Gln": 4},
        fwhm=0.054, snr=27),
    ("sub-02", "ses-pre"): dict(
        Cr=(4.61, 9), PCr=(3.44, 12), GABA=(0.97, 24), GPC=(1.30, 8), PCh=(0.29, 28), GSH=(1.49, 15),
        Gln=(2.90, 25), Glu=(9.60, 6), Ins=(6.35, 6), Lac=(0.0, 999), NAA=(10.18, 4), NAAG=(0.95, 26),
        combined={"GPC+PCh": 6, "NAA+NAAG": 3, "Cr+PCr": 4, "Glu+Gln": 5},
        fwhm=0.066, snr=17),
    ("sub-02", "ses-post"): dict(
        Cr=(4.57, 9), PCr=(3.52, 11), GABA=(1.01, 22), GPC=(1.27, 8), PCh=(0.33, 25), GSH=(1.51, 14),
        Gln=(3.00, 17), Glu=(9.40, 5), Ins=(6.28, 6), Lac=(0.0, 999), NAA=(10.26, 3), NAAG=(0.91, 25),
        combined={"GPC+PCh": 6, "NAA+NAAG": 3, "Cr+PCr": 3, "Glu+Gln": 5},
        fwhm=0.062, snr=19),
}
SINGLES = ["Cr", "GABA", "GPC", "GSH", "Gln", "Glu", "Ins", "Lac", "NAA", "NAAG", "PCh", "PCr"]
PARTS = {"GPC+PCh": ("GPC", "PCh"), "NAA+NAAG": ("NAA", "NAAG"), "Cr+PCr": ("Cr", "PCr"), "Glu+Gln": ("Glu", "Gln")}
VERSION = " LCModel (Version 6.3-1N) Copyright: S.W. Provencher.          Ref.: Magn. Reson. Med. 30:672-679 (1993)."


def eform(x):
    """LCModel's statement function EFORM (FINOUT)."""
    return (abs(x) > 999.999 or abs(x) < 0.0995) and x != 0.0


def conc_field(x):
    return f"{x:8.2E}" if eform(x) else f"{x:8.3f}"        # SS1PE8.2 or 0PF8.3


def ratio_field(x):
    return f"{x:8.1E}" if eform(x) else f"{x:8.3f}"        # 1PE8.1 or 0PF8.3


def table(sub, ses, fit):
    rows = [(name, *fit[name]) for name in SINGLES]
    for name, sd in fit["combined"].items():
        rows.append((name, round(sum(fit[p][0] for p in PARTS[name]), 3), sd))
    tcr = fit["Cr"][0] + fit["PCr"][0]
    stem = f"{sub}_{ses}_voi-pgacc_svs"
    lines = [VERSION,
             f" {stem}: ketaprint demo (scripts/make_demo_mrs_tables.py), invented numbers",
             "",
             f"$$CONC{len(rows) + 1:3d} lines in following concentration table = NCONC+1",
             "    Conc.  %SD /Cr+PCr  Metabolite"]
    for name, conc, sd in rows:
        lines.append(" " + conc_field(conc) + f"{sd:4d}%" + ratio_field(conc / tcr) + " " + name)
    misc = [f"  FWHM ={fit['fwhm']:6.3f} ppm    S/N ={fit['snr']:4d}",
            "  Data shift = 0.009 ppm",
            "  Ph:   4 deg       1.8 deg/ppm",
            "  alphaB,S = 3.1E+00,   5.4E+01",
            "   14 spline knots.   Ns = 58(2)"]
    lines += ["", f"$$MISC{len(misc):3d} lines in following misc. output table"] + misc
    lines += ["", "$$DIAG  0 lines in following diagnostic table:"]
    control = [f" filraw='{stem}.raw'",
               f" filh2o='{sub}_{ses}_voi-pgacc_mrsref.raw'",
               f" filtab='{stem}.table'",
               " filbas='press_te30_3t.basis'",
               " dows=T",
               " atth2o=1.0",
               " attmet=1.0",
               " hzpppm=1.2325E+02",
               " nunfil=2048"]
    lines += ["", f"$$INPU{len(control):3d} lines in following table of input changes:"] + control
    return "\n".join(lines) + "\n"


def main():
    for (sub, ses), fit in sorted(FITS.items()):
        path = OUT / sub / ses / "mrs" / f"{sub}_{ses}_voi-pgacc_svs.table"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(table(sub, ses, fit))
        print(f"{path.relative_to(ROOT)}: Glu {fit['Glu'][0]} ({fit['Glu'][1]}%), Gln {fit['Gln'][0]} "
              f"({fit['Gln'][1]}%), FWHM {fit['fwhm']} ppm, S/N {fit['snr']}")


if __name__ == "__main__":
    main()
