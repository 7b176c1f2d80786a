package org.ketaprint.imagej;

import ij.IJ;
import ij.ImagePlus;
import ij.plugin.PlugIn;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.ketaprint.KetaprintException;
import org.ketaprint.measure.ParamSet;
import org.ketaprint.mrs.MrsJob;
import org.ketaprint.mrs.MrsStage;
import org.ketaprint.nifti.Grid;
import org.ketaprint.nifti.Image;
import org.ketaprint.nifti.Images;
import org.ketaprint.table.Table;

/**
 * Plugins>ketaprint>MRS voxel: {@code ketaprint mrs} on a fitting tool's results: the tissue fractions and corrected
 * Glu, Gln, Glx in ImageJ's Results table, and the T1 (or the GM map) with the voxel's coverage outlined.
 */
public final class MrsPlugin implements PlugIn {
    public static final Set<String> SKIP = Set.of("results_path", "write_mask");

    @Override
    public void run(String arg) {
        OptionsDialog gd = new OptionsDialog("ketaprint: MRS voxel");
        gd.addFile("Results (LCModel .table, FSL-MRS folder, Osprey TSV)", "");
        gd.addFile("Voxel NIfTI-MRS", "");
        gd.addFile("GM probseg (T1w)", "");
        gd.addFile("WM probseg (T1w)", "");
        gd.addFile("CSF probseg (T1w)", "");
        gd.addFile("T1w image to show (blank: the GM map)", "");
        ParamDialog.add(gd, MrsStage.Params.class, SKIP);
        gd.addCheckbox("Show the voxel on the T1", true);
        gd.addString("Save TSV (optional)", "");
        if (!gd.show()) return;
        Path results = path(gd.nextString()), voxel = path(gd.nextString()), gm = path(gd.nextString()), wm = path(gd.nextString()),
            csf = path(gd.nextString()), t1 = path(gd.nextString());
        Map<String, Object> params = ParamDialog.read(gd, MrsStage.Params.class, SKIP);
        boolean show = gd.nextBoolean();
        String tsv = gd.nextString();
        Ij1.guard("MRS voxel", () -> {
            Output out = run(results, voxel, gm, wm, csf, t1, params, show, s -> IJ.log("ketaprint: " + s));
            Ij1.showAsResults(out.table(), tsv);
            if (out.image() != null) out.image().show();
        });
    }

    private static Path path(String s) {
        return s == null || s.isBlank() ? null : Path.of(s.trim());
    }

    /** The Results rows and, when asked, the T1 with the voxel outlined (not shown). */
    public record Output(Table table, ImagePlus image) {
    }

    /** The same {@link MrsJob} as the CLI and the stage. */
    public static Output run(Path results, Path voxel, Path gm, Path wm, Path csf, Path t1, Map<String, Object> params, boolean show,
                             Consumer<String> log) {
        if (results == null || voxel == null || gm == null || wm == null || csf == null) {
            throw new KetaprintException("give the results, the NIfTI-MRS voxel and the three probability maps");
        }
        MrsStage.Params p = ParamSet.of(MrsStage.Params.class).bind(params);
        MrsJob.Result r = new MrsJob(p.tool(), p.crlbMax()).run(results, voxel, gm, wm, csf);
        r.notes().forEach(n -> log.accept("note: " + n));
        Table t = new Table(List.of("metabolite", "corrected", "conc_ws", "crlb_percent", "tcr_ratio", "fgm", "fwm", "fcsf",
            "fwhm_hz", "snr", "na_reason"));
        for (MrsJob.Metabolite m : r.metabolites()) {
            Map<String, String> row = new LinkedHashMap<>();
            row.put("metabolite", m.name());
            row.put("corrected", Table.format(m.corrected()));
            row.put("conc_ws", Table.format(m.concWs()));
            row.put("crlb_percent", m.crlbPercent() == null ? Table.NA : Table.format(m.crlbPercent()));
            row.put("tcr_ratio", m.tcrRatio() == null ? Table.NA : Table.format(m.tcrRatio()));
            row.put("fgm", Table.format(r.fractions()[0]));
            row.put("fwm", Table.format(r.fractions()[1]));
            row.put("fcsf", Table.format(r.fractions()[2]));
            row.put("fwhm_hz", r.fwhmHz() == null ? Table.NA : Table.format(r.fwhmHz()));
            row.put("snr", r.snr() == null ? Table.NA : Table.format(r.snr()));
            row.put("na_reason", m.naReason() == null ? "" : m.naReason());
            t.add(row);
        }
        ImagePlus img = null;
        if (show) {
            Grid g = r.mask().grid();
            Image base = Images.open(t1 != null ? t1 : gm);
            double[] v = base.readVolumeDouble(0);
            if (!base.grid().sameAs(g)) v = g.resampleNearest(base.grid(), v, 0);
            float[] f = new float[v.length];
            for (int i = 0; i < f.length; i++) f[i] = (float) v[i];
            img = MapImage.imagePlus(f, g, voxel.getFileName().toString().replaceFirst("\\.(nii\\.gz|nii)$", "") + "_on_T1", null,
                null, null);
            int[] lab = new int[g.size()];
            double[] cov = r.mask().coverage();
            for (int i = 0; i < lab.length; i++) if (cov[i] >= 0.5) lab[i] = 1;   // the voxels at least half covered
            Outlines.drawGrid(img, lab, new int[] {1});
            int[] slice = centreSlice(lab, g);
            if (slice[2] >= 0) img.setSlice(slice[2] + 1);
        }
        return new Output(t, img);
    }

    private static int[] centreSlice(int[] lab, Grid g) {
        int[] n = g.dims();
        long s = 0, c = 0;
        for (int k = 0; k < n[2]; k++) for (int j = 0; j < n[1]; j++) for (int i = 0; i < n[0]; i++) if (lab[g.index(i, j, k)] == 1) {
            s += k;
            c++;
        }
        return new int[] {0, 0, c == 0 ? -1 : (int) (s / c)};
    }
}
