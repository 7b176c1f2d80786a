package org.ketaprint.diffusion;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ketaprint.KetaprintException;
import org.ketaprint.atlas.LabelTable;
import org.ketaprint.atlas.RoiStats;
import org.ketaprint.nifti.Grid;
import org.ketaprint.nifti.Image;

/**
 * The diffusion biomarker columns: mean (and median, voxel count) of FA and MD in the cingulum ROIs of
 * the JHU ICBM-DTI-81 white-matter atlas, labels looked up by name. Works on fitted maps or on
 * precomputed FA/MD maps (QSIPrep, TBSS) on a common grid.
 */
public final class DtiRoiFeatures {
    /** Column stem and JHU label name, in column order (note the atlas lists R before L). */
    public static final String[][] CINGULUM = {
        {"cingulum_cg_l", "Cingulum (cingulate gyrus) L"},
        {"cingulum_cg_r", "Cingulum (cingulate gyrus) R"},
        {"cingulum_hc_l", "Cingulum (hippocampus) L"},
        {"cingulum_hc_r", "Cingulum (hippocampus) R"},
    };

    /** mricron's copy of the JHU labels (Debian package mricron-data). */
    public static final Path DEFAULT_ATLAS = Path.of("/usr/share/mricron/templates/JHU-WhiteMatter-labels-1mm.nii.gz");

    private DtiRoiFeatures() {
    }

    /**
     * Feature columns: {@code <roi>_fa}, {@code <roi>_md} (means, the default columns), then
     * {@code <roi>_fa_median}, {@code <roi>_md_median}, {@code <roi>_voxels}. Voxels count when
     * {@code mask} is true (null: where FA is neither 0 nor NaN, i.e. has data) and FA &gt;
     * {@code faThreshold} (NaN: no threshold).
     */
    public static Map<String, Double> cingulum(float[] fa, float[] md, Grid grid, Image atlas, LabelTable table,
                                               boolean[] mask, double faThreshold) {
        if (fa.length != grid.size() || md.length != grid.size()) {
            throw new KetaprintException("FA and MD maps must be on one grid (" + grid + ")");
        }
        boolean[] use = new boolean[fa.length];
        for (int p = 0; p < fa.length; p++) {
            boolean in = mask != null ? mask[p] : (fa[p] != 0 && !Float.isNaN(fa[p]));
            use[p] = in && (Double.isNaN(faThreshold) || fa[p] > faThreshold);
        }
        int[] labels = new int[CINGULUM.length];
        for (int i = 0; i < labels.length; i++) labels[i] = table.label(CINGULUM[i][1]);
        int[] onGrid = RoiStats.labelsOnGrid(atlas, grid);
        List<RoiStats.Row> f = RoiStats.compute(fa, onGrid, table, labels, use);
        List<RoiStats.Row> m = RoiStats.compute(md, onGrid, table, labels, use);
        Map<String, Double> out = new LinkedHashMap<>();
        for (int i = 0; i < labels.length; i++) out.put(CINGULUM[i][0] + "_fa", f.get(i).mean());
        for (int i = 0; i < labels.length; i++) out.put(CINGULUM[i][0] + "_md", m.get(i).mean());
        for (int i = 0; i < labels.length; i++) {
            out.put(CINGULUM[i][0] + "_fa_median", f.get(i).median());
            out.put(CINGULUM[i][0] + "_md_median", m.get(i).median());
            out.put(CINGULUM[i][0] + "_voxels", (double) f.get(i).voxels());
        }
        return out;
    }

    /**
     * The columns from precomputed FA and MD maps (QSIPrep, TBSS, dtifit) used as they are; the atlas's
     * names come from a table beside it. Both maps must share one grid.
     */
    public static Map<String, Double> fromMaps(Path fa, Path md, Path atlas, double faThreshold) {
        Image f = org.ketaprint.nifti.Images.open(fa);
        Image m = org.ketaprint.nifti.Images.open(md);
        if (!f.grid().sameAs(m.grid())) throw new KetaprintException(md + ": not on the grid of " + fa);
        LabelTable t = tableBeside(atlas);
        if (t == null) throw new KetaprintException(atlas + ": no label table beside the atlas (X.nii.txt, X.txt, X.xml, X.tsv)");
        return cingulum(f.readVolume(0), m.readVolume(0), f.grid(), org.ketaprint.nifti.Images.open(atlas), t, null, faThreshold);
    }

    /** The label table beside a label image: X.nii.txt, X.txt, X.xml, X.tsv (BIDS dseg). */
    public static LabelTable tableBeside(Path labelImage) {
        String name = labelImage.getFileName().toString();
        String base = name.endsWith(".gz") ? name.substring(0, name.length() - 3) : name;
        String stem = base.replaceFirst("\\.(nii|hdr|img|mgz|mgh)$", "");
        for (String c : new String[] {base + ".txt", stem + ".txt", stem + ".xml", stem + ".tsv"}) {
            Path p = labelImage.resolveSibling(c);
            if (Files.isRegularFile(p)) return LabelTable.read(p);
        }
        return null;
    }
}
