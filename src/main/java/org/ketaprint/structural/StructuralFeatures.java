package org.ketaprint.structural;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ketaprint.atlas.LabelTable;
import org.ketaprint.nifti.Image;

/**
 * The default pipeline's structural features of one subject/session: hippocampus and accumbens volumes
 * (FreeSurfer labels 17, 53, 26, 58), ICV, each volume as a fraction of ICV, and, when FreeSurfer's
 * aseg.stats is given, its partial-volume-corrected volumes and eTIV as separate columns.
 *
 * @param values column name to value (NaN when unavailable), in a stable order
 * @param dictionary column name to its description for the data dictionary
 * @param warnings empty labels and the like, one line each
 */
public record StructuralFeatures(Map<String, Double> values, Map<String, String> dictionary, List<String> warnings) {
    /** Column stem and FreeSurfer label of each default region. */
    public static final Map<String, Integer> DEFAULT_REGIONS;

    static {
        Map<String, Integer> m = new LinkedHashMap<>();
        m.put("hippocampus_l", 17);
        m.put("hippocampus_r", 53);
        m.put("accumbens_l", 26);
        m.put("accumbens_r", 58);
        DEFAULT_REGIONS = Collections.unmodifiableMap(m);
    }

    /**
     * Computes the features.
     *
     * @param seg label image with FreeSurfer label numbers (aseg, fMRIPrep desc-aseg dseg, FSL FIRST)
     * @param lut names for the labels; null for FreeSurfer's
     * @param stats FreeSurfer aseg.stats, or null
     * @param brainMask brain mask on the seg's grid, or null (then ICV is the volume of all non-zero labels)
     */
    public static StructuralFeatures compute(Image seg, LabelTable lut, AsegStats stats, Image brainMask) {
        int[] labels = DEFAULT_REGIONS.values().stream().mapToInt(Integer::intValue).toArray();
        LabelCounts counts = LabelCounts.of(seg);
        LabelTable table = lut == null ? LabelTable.freesurferDefaults() : lut;
        List<RegionVolume> vols = RegionVolumes.fromCounts(counts, labels, table);
        IcvEstimate icv = stats != null && !Double.isNaN(stats.etivMm3()) ? IcvEstimate.fromAsegStats(stats)
            : brainMask != null ? IcvEstimate.choose(null, brainMask, seg)
            : new IcvEstimate(counts.nonZeroVoxels() * counts.voxelVolume(),
                "volume of all non-zero labels (voxel count x voxel volume) of " + seg.path());
        Map<String, Double> v = new LinkedHashMap<>();
        Map<String, String> d = new LinkedHashMap<>();
        int i = 0;
        for (Map.Entry<String, Integer> e : DEFAULT_REGIONS.entrySet()) {
            RegionVolume r = vols.get(i++);
            String what = (r.name() == null ? "label " + r.label() : r.name() + " (label " + r.label() + ")");
            v.put(e.getKey() + "_vol_mm3", r.volumeMm3());
            d.put(e.getKey() + "_vol_mm3", what + " volume in mm^3: voxel count x |det| of the affine's 3x3, "
                + "like fslstats -V and mri_segstats without --pv");
        }
        v.put("icv_mm3", icv.mm3());
        d.put("icv_mm3", "intracranial volume in mm^3: " + icv.source());
        for (String k : DEFAULT_REGIONS.keySet()) {
            v.put(k + "_vol_icvfrac", v.get(k + "_vol_mm3") / icv.mm3());
            d.put(k + "_vol_icvfrac", k + "_vol_mm3 / icv_mm3");
        }
        if (stats != null) {
            for (Map.Entry<String, Integer> e : DEFAULT_REGIONS.entrySet()) {
                String col = e.getKey() + "_vol_asegstats_mm3";
                v.put(col, stats.volumeMm3(e.getValue()));
                d.put(col, "Volume_mm3 of SegId " + e.getValue() + " in " + stats.path() + ": FreeSurfer's "
                    + "partial-volume-corrected volume (mri_segstats --pv); it differs from a plain voxel count");
            }
            v.put("etiv_mm3", stats.etivMm3());
            d.put("etiv_mm3", "FreeSurfer eTIV (EstimatedTotalIntraCranialVol) from " + stats.path());
        }
        return new StructuralFeatures(Collections.unmodifiableMap(v), Collections.unmodifiableMap(d),
            RegionVolumes.warnings(seg, vols));
    }
}
