package org.ketaprint.structural;

import java.nio.file.Path;
import java.util.function.Consumer;
import org.ketaprint.atlas.LabelTable;
import org.ketaprint.nifti.Image;

/**
 * What the structural measures read: label counts of a segmentation, its label names, the ICV chosen
 * for it and FreeSurfer's aseg.stats when there is one.
 */
public final class Segmentation {
    public final Image seg;
    public final LabelCounts counts;
    public final LabelTable table;
    public final IcvEstimate icv;
    /** null without a FreeSurfer stats/aseg.stats. */
    public final AsegStats stats;
    final Consumer<String> log;

    public Segmentation(Image seg, LabelTable table, AsegStats stats, Image mask, Consumer<String> log) {
        this.seg = seg;
        this.counts = LabelCounts.of(seg);
        this.table = table == null ? LabelTable.freesurferDefaults() : table;
        this.stats = stats;
        this.icv = IcvEstimate.choose(stats, mask, seg);
        this.log = log;
    }

    /** A label by number or name (names through the table). */
    public int label(String text) {
        String t = text.trim();
        if (t.matches("-?\\d+")) return Integer.parseInt(t);
        return table.label(t);
    }

    public Path path() {
        return seg.path();
    }
}
