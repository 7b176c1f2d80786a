package org.ketaprint.diffusion;

import org.ketaprint.atlas.RoiStats;
import org.ketaprint.measure.BaseMeasure;
import org.ketaprint.measure.Param;
import org.ketaprint.measure.Value;

/**
 * Measure {@code tensor_roi}: a statistic (mean, median, voxel count) of a tensor map (FA, MD, AD, RD)
 * in one atlas label brought to the DWI grid, over the brain-mask voxels (and FA above the stage's
 * threshold). The statistic itself is {@link RoiStats}, as {@code ketaprint roistats} computes it.
 */
public final class TensorRoi extends BaseMeasure<TensorRoi.Params, TensorMaps> {
    public static final String NAME = "tensor_roi";

    public TensorRoi() {
        super(NAME, DiffusionStage.TYPE, Params.class, TensorMaps.class);
    }

    /** The parameters of {@code tensor_roi}. */
    public record Params(
        @Param(help = "The atlas label: a name in the atlas's label table, or a number", required = true) String roi,
        @Param(help = "The tensor map", dflt = "fa", choices = {"fa", "md", "ad", "rd"}) String map,
        @Param(help = "The statistic over the ROI's voxels", dflt = "mean", choices = {"mean", "median", "voxels"})
        String stat) {
    }

    @Override
    public String units(Params p) {
        return p.stat().equals("voxels") ? "voxels" : p.map().equals("fa") ? "fraction (0-1)" : "mm^2/s";
    }

    @Override
    public String roi(Params p) {
        return p.roi();
    }

    @Override
    public String describe(Params p) {
        String what = p.stat().equals("voxels") ? "Number of voxels"
            : Character.toUpperCase(p.stat().charAt(0)) + p.stat().substring(1) + " of " + p.map().toUpperCase();
        return what + " in atlas label '" + p.roi() + "' (nearest-neighbour resampled to the DWI grid; within the "
            + "brain mask and above the stage's fa_threshold, if any)";
    }

    @Override
    public Value compute(TensorMaps t, Params p) {
        float[] map = t.map(p.map());
        if (map == null) return Value.na(p.map().toUpperCase() + " is not available from precomputed FA/MD maps");
        String roi = p.roi().trim();
        int label = roi.matches("\\d+") ? Integer.parseInt(roi) : t.table().label(roi);
        RoiStats.Row row = RoiStats.compute(map, t.labels(), t.table(), new int[] {label}, t.use()).get(0);
        if (row.voxels() == 0) return Value.na("ROI '" + roi + "' has no voxels in the brain mask on the DWI grid");
        return Value.of(switch (p.stat()) {
            case "median" -> row.median();
            case "voxels" -> row.voxels();
            default -> row.mean();
        });
    }
}
