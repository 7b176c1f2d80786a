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
import org.ketaprint.pet.PetAnalysis;
import org.ketaprint.pet.PetJob;
import org.ketaprint.pet.PetStage;
import org.ketaprint.table.Table;

/**
 * Plugins>ketaprint>PET SUVR: {@code ketaprint pet} on a PET file (or the file an open image came from): one row per
 * ROI in ImageJ's Results table (SUV, SUVR, GTM-corrected SUVR), and the SUVR image with the ROIs outlined.
 */
public final class PetPlugin implements PlugIn {
    /** Parameters of the stage the ImageJ entries do not take. */
    public static final Set<String> SKIP = Set.of("write_maps", "space", "weight_column");

    @Override
    public void run(String arg) {
        OptionsDialog gd = new OptionsDialog("ketaprint: PET SUVR");
        ImagePlus cur = ij.WindowManager.getCurrentImage();
        gd.addFile("PET file", Ij1.sourceFile(cur));
        gd.addFile("Sidecar JSON (blank: beside the PET)", "");
        gd.addFile("Segmentation aseg (blank: none)", "");
        gd.addString("ROIs (NAME=SPEC; separated by ;)", "");
        ParamDialog.add(gd, PetStage.Params.class, SKIP);
        gd.addCheckbox("Show SUVR image", true);
        gd.addString("Output prefix (optional: writes the static and SUVR images)", "");
        gd.addString("Save TSV (optional)", "");
        if (!gd.show()) return;
        String file = gd.nextString().trim();
        String side = gd.nextString().trim();
        String seg = gd.nextString().trim();
        String rois = gd.nextString().trim();
        Map<String, Object> params = ParamDialog.read(gd, PetStage.Params.class, SKIP);
        boolean show = gd.nextBoolean();
        String prefix = gd.nextString().trim();
        String tsv = gd.nextString();
        Ij1.guard("PET SUVR", () -> {
            IJ.showStatus("ketaprint: PET...");
            Output out = run(path(file), path(side), path(seg), split(rois), params, show, prefix, s -> IJ.log("ketaprint: " + s));
            Ij1.showAsResults(out.table(), tsv);
            if (out.suvr() != null) out.suvr().show();
            IJ.showStatus("ketaprint: PET done");
        });
    }

    static List<String> split(String rois) {
        return rois.isBlank() ? List.of() : java.util.Arrays.stream(rois.split(";")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static Path path(String s) {
        return s == null || s.isBlank() ? null : Path.of(s);
    }

    /** The Results rows and, when asked, the SUVR image (not shown). */
    public record Output(Table table, ImagePlus suvr) {
    }

    /** The same {@link PetJob} as the CLI. */
    public static Output run(Path pet, Path sidecar, Path seg, List<String> rois, Map<String, Object> params, boolean show,
                             String prefix, Consumer<String> log) {
        if (pet == null) throw new KetaprintException("give the PET file");
        PetStage.Params p = ParamSet.of(PetStage.Params.class).bind(params);
        PetJob.Result r = new PetJob(p, rois, null, prefix == null || prefix.isBlank() ? null : prefix, null).run(pet, sidecar, seg, log);
        Table t = new Table(List.of("roi", "spec", "voxels", "mean_bq_per_ml", "suv", "suvr", "suvr_pvc", "reference", "suv_na_reason"));
        for (PetAnalysis.RoiValue v : r.values().rois()) {
            Map<String, String> row = new LinkedHashMap<>();
            row.put("roi", v.name());
            row.put("spec", v.spec());
            row.put("voxels", Integer.toString(v.voxels()));
            row.put("mean_bq_per_ml", Table.format(v.mean()));
            row.put("suv", Table.format(v.suv()));
            row.put("suvr", Table.format(v.suvr()));
            row.put("suvr_pvc", Table.format(v.suvrPvc()));
            row.put("reference", r.values().referenceSpec());
            row.put("suv_na_reason", r.values().suvNa() == null ? "" : r.values().suvNa());
            t.add(row);
        }
        ImagePlus img = null;
        if (show) {
            double[] s = r.image().values();
            float[] vol = new float[s.length];
            for (int i = 0; i < s.length; i++) vol[i] = (float) (s[i] / r.values().referenceMean());
            String base = pet.getFileName().toString().replaceFirst("\\.(nii\\.gz|nii)$", "");
            img = MapImage.imagePlus(vol, r.image().grid(), base + "_desc-suvr", null, null, null);
        }
        return new Output(t, img);
    }
}
