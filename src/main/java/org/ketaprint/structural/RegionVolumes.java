package org.ketaprint.structural;

import java.util.ArrayList;
import java.util.List;
import org.ketaprint.KetaprintException;
import org.ketaprint.atlas.LabelTable;
import org.ketaprint.nifti.Image;

/** Volumes of labelled regions: voxel count x |det(affine 3x3)| mm^3. */
public final class RegionVolumes {
    private RegionVolumes() {
    }

    /** Volumes of {@code labels} (null: every non-zero label present), named by FreeSurfer's LUT. */
    public static List<RegionVolume> count(Image seg, int[] labels) {
        return count(seg, labels, null, null);
    }

    /**
     * Volumes of {@code labels} in {@code seg}, in the order asked.
     *
     * @param labels the labels wanted, or null for every non-zero label present in the image
     * @param lut names the labels; null means {@link LabelTable#freesurferDefaults()}. A label asked for
     *     explicitly must be in it (error otherwise); with labels == null, labels it lacks get a null name
     * @param mask when not null, only voxels where it is non-zero count; its grid must be the image's
     */
    public static List<RegionVolume> count(Image seg, int[] labels, LabelTable lut, Image mask) {
        LabelTable table = lut == null ? LabelTable.freesurferDefaults() : lut;
        if (labels != null) {
            for (int l : labels) {
                if (!table.contains(l)) {
                    throw new KetaprintException(table.source() + ": has no label " + l
                        + (lut == null ? " (give a lookup table that names it with --lut)" : ""));
                }
            }
        }
        LabelCounts c = LabelCounts.of(seg, mask);
        int[] want = labels == null ? c.nonZeroLabels() : labels;
        return fromCounts(c, want, table);
    }

    /** Volumes of {@code labels} from counts already made. */
    public static List<RegionVolume> fromCounts(LabelCounts c, int[] labels, LabelTable table) {
        List<RegionVolume> out = new ArrayList<>();
        for (int l : labels) {
            long n = c.voxels(l);
            out.add(new RegionVolume(l, table == null ? null : table.name(l), n, n * c.voxelVolume()));
        }
        return out;
    }

    /** Label numbers for names, through the table (error naming the table when one is missing). */
    public static int[] labelsForNames(List<String> names, LabelTable lut) {
        LabelTable table = lut == null ? LabelTable.freesurferDefaults() : lut;
        return names.stream().mapToInt(table::label).toArray();
    }

    /** One warning line per empty label: its volume is 0, which is reported, not an error. */
    public static List<String> warnings(Image seg, List<RegionVolume> volumes) {
        List<String> w = new ArrayList<>();
        for (RegionVolume r : volumes) {
            if (r.empty()) {
                w.add(seg.path() + ": label " + r.label() + (r.name() == null ? "" : " (" + r.name() + ")")
                    + " has no voxels; its volume is 0");
            }
        }
        return w;
    }
}
