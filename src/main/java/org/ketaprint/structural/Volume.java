package org.ketaprint.structural;

import org.ketaprint.measure.BaseMeasure;
import org.ketaprint.measure.Param;
import org.ketaprint.measure.Value;

/**
 * Measure {@code volume}: a labelled region's volume, voxel count x |det| of the affine's 3x3 (as
 * {@code fslstats -V} and {@code mri_segstats} without --pv), optionally divided by the ICV, or
 * FreeSurfer's partial-volume-corrected Volume_mm3 from aseg.stats.
 */
public final class Volume extends BaseMeasure<Volume.Params, Segmentation> {
    public static final String NAME = "volume";

    public Volume() {
        super(NAME, StructuralStage.TYPE, Params.class, Segmentation.class);
    }

    /** The parameters of {@code volume}. */
    public record Params(
        @Param(help = "The region: a label number, or a name in the label table", required = true) String label,
        @Param(help = "none: mm^3; icv: the volume divided by the intracranial volume", dflt = "none",
            choices = {"none", "icv"}) String normalize,
        @Param(help = "voxels: count x voxel volume; asegstats: FreeSurfer's partial-volume-corrected Volume_mm3 "
            + "from stats/aseg.stats", dflt = "voxels", choices = {"voxels", "asegstats"}) String source) {
    }

    @Override
    public String units(Params p) {
        return p.normalize().equals("icv") ? "fraction" : "mm^3";
    }

    @Override
    public String roi(Params p) {
        return "label " + p.label();
    }

    @Override
    public String describe(Params p) {
        String roi = roi(p);
        if (p.source().equals("asegstats")) {
            return "Volume_mm3 of " + roi + " from FreeSurfer's stats/aseg.stats: partial-volume corrected "
                + "(mri_segstats --pv), so it differs from a plain voxel count"
                + (p.normalize().equals("icv") ? ", divided by the intracranial volume (icv)" : "");
        }
        return p.normalize().equals("icv") ? "Volume of " + roi + " divided by the intracranial volume (icv)"
            : "Volume of " + roi + ": voxel count x |det| of the affine's 3x3 (like fslstats -V, mri_segstats without --pv)";
    }

    @Override
    public Value compute(Segmentation s, Params p) {
        int l = s.label(p.label());
        double vol;
        if (p.source().equals("asegstats")) {
            if (s.stats == null) return Value.na("no FreeSurfer stats/aseg.stats for " + s.path());
            vol = s.stats.volumeMm3(l);
            if (Double.isNaN(vol)) return Value.na("label " + l + " has no row (or no Volume_mm3) in " + s.stats.path());
        } else {
            if (s.counts.voxels(l) == 0 && s.log != null) {
                s.log.accept("warning: label " + l + " is empty in " + s.path() + " (volume 0)");
            }
            vol = s.counts.voxels(l) * s.counts.voxelVolume();
        }
        if (p.normalize().equals("icv") && !(s.icv.mm3() > 0)) {
            return Value.na("the intracranial volume is " + s.icv.mm3() + " mm^3 (" + s.icv.source() + "); nothing to divide by");
        }
        return Value.of(p.normalize().equals("icv") ? vol / s.icv.mm3() : vol);
    }
}
