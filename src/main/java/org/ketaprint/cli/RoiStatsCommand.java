package org.ketaprint.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.ketaprint.KetaprintException;
import org.ketaprint.atlas.LabelTable;
import org.ketaprint.atlas.RoiStats;
import org.ketaprint.nifti.Image;
import org.ketaprint.nifti.Images;
import org.ketaprint.table.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ketaprint roistats}: per-label statistics of any map, like fslstats -K or 3dROIstats. */
@Command(name = "roistats", mixinStandardHelpOptions = true, showDefaultValues = true,
    description = {"Voxel count, mean, median and sample std of a 3D map in each atlas label.",
        "The label image is resampled onto the map's grid (nearest neighbour through both affines).",
        "Non-finite map voxels are left out and counted in 'nonfinite'."})
public final class RoiStatsCommand implements Callable<Integer>, Subcommand {
    @Parameters(index = "0", paramLabel = "IMAGE", description = "3D map (e.g. FA, MD).")
    Path image;

    @Option(names = "--atlas", required = true, paramLabel = "LABELS", description = "Integer label image.")
    Path atlas;

    @Option(names = "--lut", paramLabel = "F", description = "Label names (FreeSurfer LUT, FSL XML, dseg.tsv, mricron"
        + " .txt). Default: X.nii.txt, X.txt, X.xml or X.tsv beside the atlas, if any.")
    Path lut;

    @Option(names = "--labels", split = ",", paramLabel = "L", description = "Labels by number or name"
        + " (comma-separated or repeated). Default: every label in the atlas or its table.")
    List<String> labels;

    @Option(names = "--mask", paramLabel = "M", description = "Only voxels where this image (on the map's grid) is non-zero.")
    Path mask;

    @Option(names = "--above", paramLabel = "T", description = "Only voxels where the map (or --threshold-image) is > T.")
    Double above;

    @Option(names = "--threshold-image", paramLabel = "F", description = "Apply --above to this map instead (e.g. FA when IMAGE is MD).")
    Path thresholdImage;

    @Option(names = "--json", description = "Print a JSON array of {label, name, voxels, mean, median, std, nonfinite}.")
    boolean json;

    @Override
    public Integer call() {
        Image img = Images.open(image);
        if (img.volumes() != 1) throw new KetaprintException(image + ": roistats takes a 3D map, this has " + img.volumes() + " volumes");
        org.ketaprint.atlas.LabelImage.requirePlaceable(img);
        float[] map = img.readVolume(0);
        Image lab = Images.open(atlas);
        LabelTable table = lut != null ? LabelTable.read(lut) : LabelTable.beside(atlas);
        int[] want = labels == null ? null : resolve(labels, table);
        boolean[] include = null;
        if (mask != null) include = org.ketaprint.diffusion.BrainMask.read(org.ketaprint.nifti.Images.open(mask), img);
        if (above != null) {
            float[] t = map;
            if (thresholdImage != null) {
                Image ti = Images.open(thresholdImage);
                if (!ti.grid().sameAs(img.grid())) throw new KetaprintException(thresholdImage + ": not on the grid of " + image);
                t = ti.readVolume(0);
            }
            boolean[] a = RoiStats.above(t, above);
            if (include != null) for (int i = 0; i < a.length; i++) a[i] &= include[i];
            include = a;
        } else if (thresholdImage != null) {
            throw new KetaprintException("--threshold-image needs --above");
        }
        List<RoiStats.Row> rows = RoiStats.compute(map, img.grid(), lab, table, want, include);
        if (json) {
            ArrayNode arr = Json.MAPPER.createArrayNode();
            for (RoiStats.Row r : rows) {
                ObjectNode o = arr.addObject();
                o.put("label", r.label());
                if (r.name() == null) o.putNull("name"); else o.put("name", r.name());
                o.put("voxels", r.voxels());
                Json.putNumber(o, "mean", r.mean());
                Json.putNumber(o, "median", r.median());
                Json.putNumber(o, "std", r.std());
                o.put("nonfinite", r.nonfinite());
            }
            System.out.println(Json.pretty(arr));
        } else {
            System.out.println("label\tname\tvoxels\tmean\tmedian\tstd\tnonfinite");
            for (RoiStats.Row r : rows) {
                System.out.printf(Locale.ROOT, "%d\t%s\t%d\t%s\t%s\t%s\t%d%n", r.label(), r.name() == null ? "" : r.name(),
                    r.voxels(), num(r.mean()), num(r.median()), num(r.std()), r.nonfinite());
            }
        }
        return 0;
    }

    private static String num(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.8g", v) : "n/a";
    }

    private int[] resolve(List<String> names, LabelTable table) {
        List<Integer> out = new ArrayList<>();
        for (String s : names) {
            String t = s.trim();
            if (t.isEmpty()) continue;
            if (t.matches("-?\\d+")) {
                out.add(Integer.parseInt(t));
            } else if (table == null) {
                throw new KetaprintException(atlas + ": no label table found to look up '" + t + "' (use --lut)");
            } else {
                out.add(table.label(t));
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }
}
