package org.ketaprint.mrs;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.ketaprint.KetaprintException;
import org.ketaprint.nifti.Grid;
import org.ketaprint.nifti.Image;
import org.ketaprint.nifti.Images;

/**
 * One MRS acquisition: the fitting tool's results ({@link MrsResults}), the voxel placed on the T1 grid of the tissue
 * maps ({@link VoxelMask}), the tissue fractions and Gasparovic's correction ({@link TissueCorrection}) of Glu, Gln and
 * Glx. What the stage, {@code ketaprint mrs} and the ImageJ entry run.
 */
public record MrsJob(String tool, double crlbMax) {
    public static final List<String> METABOLITES = List.of("Glu", "Gln", "Glx");

    /** One metabolite: the tool's values and the corrected concentration (NaN with the reason when n/a). */
    public record Metabolite(String name, double concWs, Double crlbPercent, Double tcrRatio, double corrected, String naReason) {
    }

    /** Everything computed ({@code gm}: the GM probability on the T1 grid, for the report). */
    public record Result(MrsResults fit, MrsVoxel voxel, VoxelMask mask, double[] fractions, double[] moleFractions,
                         List<Metabolite> metabolites, Double fwhmHz, Double snr, List<String> notes, double[] gm) {
        public Metabolite metabolite(String name) {
            for (Metabolite m : metabolites) if (m.name().equals(name)) return m;
            return null;
        }
    }

    public MrsJob {
        if (!(crlbMax > 0)) throw new KetaprintException("the CRLB threshold must be a positive percentage, got " + crlbMax);
    }

    public Result run(Path results, Path voxelFile, Path gm, Path wm, Path csf) {
        MrsResults fit = MrsResults.read(results, tool);
        MrsVoxel voxel = MrsVoxel.read(voxelFile);
        Image g = Images.open(gm);
        Grid t1 = g.grid();
        double[] pgm = g.readVolumeDouble(0);
        double[] pwm = onGrid(wm, t1);
        double[] pcsf = onGrid(csf, t1);
        VoxelMask mask = VoxelMask.of(voxel, t1);
        double[] f = {mask.weightedMean(pgm), mask.weightedMean(pwm), mask.weightedMean(pcsf)};
        List<String> notes = new ArrayList<>(fit.notes());
        double sum = f[0] + f[1] + f[2];
        if (Math.abs(sum - 1) > 0.02) {
            notes.add(String.format(Locale.ROOT, "the tissue fractions sum to %.4f, not 1 (the voxel reaches outside the brain "
                + "or the probability maps do not sum to 1)", sum));
        }
        if (voxel.echoTime() == null || voxel.repetitionTime() == null) {
            throw new KetaprintException(voxelFile + ": no EchoTime/RepetitionTime in the NIfTI-MRS header extension (needed for "
                + "the relaxation correction)");
        }
        double[] w = TissueCorrection.moleFractions(f);
        List<Metabolite> mets = new ArrayList<>();
        for (String name : METABOLITES) {
            MrsResults.Metabolite m = fit.metabolites().get(name);
            if (m == null) {
                if (name.equals("Glu")) {
                    throw new KetaprintException(results + ": no Glu in the " + tool + " results (metabolites: "
                        + String.join(", ", fit.metabolites().keySet()) + ")");
                }
                mets.add(new Metabolite(name, Double.NaN, null, null, Double.NaN, "no " + name + " in the " + tool + " results"));
                continue;
            }
            String na = null;
            if (m.crlbPercent() != null && m.crlbPercent() > crlbMax) {
                na = String.format(Locale.ROOT, "%s CRLB %s %% above %s %%", name, plain(m.crlbPercent()), plain(crlbMax));
            }
            double c = na != null ? Double.NaN
                : TissueCorrection.correct(name, m.concentration(), f, voxel.echoTime(), voxel.repetitionTime());
            mets.add(new Metabolite(name, m.concentration(), m.crlbPercent(), m.ratioTcr(), c, na));
        }
        Double fwhm = fit.fwhmHz();
        if (fwhm == null && fit.fwhmPpm() != null) {
            if (voxel.spectrometerMhz() != null) fwhm = fit.fwhmPpm() * voxel.spectrometerMhz();
            else notes.add("FWHM in Hz needs SpectrometerFrequency in the NIfTI-MRS header extension");
        }
        return new Result(fit, voxel, mask, f, w, mets, fwhm, fit.snr(), List.copyOf(notes), pgm);
    }

    static String plain(double v) {
        return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    private static double[] onGrid(Path p, Grid g) {
        Image i = Images.open(p);
        double[] v = i.readVolumeDouble(0);
        return i.grid().sameAs(g) ? v : g.resampleNearest(i.grid(), v, 0);
    }
}
