package org.ketaprint.restingstate;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.ketaprint.KetaprintException;
import org.ketaprint.atlas.LabelImage;
import org.ketaprint.atlas.LabelTable;
import org.ketaprint.nifti.Grid;
import org.ketaprint.nifti.Images;
import org.ketaprint.roi.PlacedRoi;

/**
 * A region of interest in world (MNI) space: a sphere (a voxel belongs when its centre lies within the
 * radius) or a set of atlas labels (resampled to the target grid by nearest neighbour).
 * Written {@code sphere:X,Y,Z,R} (mm) or {@code atlas:FILE:LABEL[+LABEL...]} (numbers or names; names
 * are looked up in the table given ({@code --lut}), else in the label table beside the atlas,
 * {@link LabelTable#fileBeside}: FILE.txt, FILE-without-.gz.txt, .xml, .tsv, or a BIDS dseg.tsv by inheritance).
 */
public abstract class Roi {
    private final String spec;

    Roi(String spec) {
        this.spec = spec;
    }

    /** The ROI as written. */
    public String spec() {
        return spec;
    }

    /** Membership of every voxel of {@code grid} (x fastest). */
    public abstract boolean[] voxels(Grid grid);

    public static Roi parse(String spec) {
        return parse(spec, null);
    }

    /** As {@link #parse(String)}, with {@code names} (null: the table beside the atlas) naming an atlas ROI's labels. */
    public static Roi parse(String spec, LabelTable names) {
        String s = spec == null ? "" : spec.trim();
        if (s.startsWith("sphere:")) {
            String[] p = s.substring(7).split(",");
            if (p.length != 4) throw new KetaprintException("bad ROI '" + s + "': expected sphere:X,Y,Z,R (mm)");
            double[] v = new double[4];
            try {
                for (int i = 0; i < 4; i++) v[i] = Double.parseDouble(p[i].trim());
            } catch (NumberFormatException e) {
                throw new KetaprintException("bad ROI '" + s + "': expected sphere:X,Y,Z,R with numbers (mm)");
            }
            return sphere(v[0], v[1], v[2], v[3]);
        }
        if (s.startsWith("atlas:")) {
            String rest = s.substring(6);
            int c = rest.lastIndexOf(':');
            if (c <= 0 || c == rest.length() - 1) {
                throw new KetaprintException("bad ROI '" + s + "': expected atlas:FILE:LABEL[+LABEL...]");
            }
            List<String> labels = new ArrayList<>();
            for (String l : rest.substring(c + 1).split("\\+")) if (!l.isBlank()) labels.add(l.trim());
            return atlas(Path.of(rest.substring(0, c)), labels, names);
        }
        throw new KetaprintException("bad ROI '" + s + "': expected sphere:X,Y,Z,R or atlas:FILE:LABEL[+LABEL...]");
    }

    public static Roi sphere(double x, double y, double z, double radiusMm) {
        if (!(Double.isFinite(x) && Double.isFinite(y) && Double.isFinite(z))) {
            throw new KetaprintException("sphere centre must be finite, got " + x + ", " + y + ", " + z);
        }
        if (!(radiusMm > 0) || !Double.isFinite(radiusMm)) {
            throw new KetaprintException("sphere radius must be a positive finite number of mm, got " + radiusMm);
        }
        return new Sphere(x, y, z, radiusMm);
    }

    public static Roi atlas(Path file, List<String> labels) {
        return atlas(file, labels, null);
    }

    /** Labels of an atlas image, names looked up in {@code names} (null: the table beside the atlas). */
    public static Roi atlas(Path file, List<String> labels, LabelTable names) {
        if (labels.isEmpty()) throw new KetaprintException(file + ": no labels given for the atlas ROI");
        return new Atlas(file, labels, names);
    }

    /**
     * An ROI already placed on a data grid by {@link org.ketaprint.roi.RoiPlacement} (e.g. through a
     * transform to the data's space): its voxels, valid on that grid only.
     */
    public static Roi placed(PlacedRoi placed) {
        return new Placed(placed);
    }

    /** A placed ROI: its voxels on its grid. */
    static final class Placed extends Roi {
        final PlacedRoi placed;

        Placed(PlacedRoi placed) {
            super(placed.spec().spec());
            this.placed = placed;
        }

        @Override
        public boolean[] voxels(Grid g) {
            if (!g.sameAs(placed.grid())) {
                throw new KetaprintException("ROI " + spec() + " was placed on another grid (" + placed.grid() + ") than " + g);
            }
            return placed.mask();
        }
    }

    /** A sphere around an MNI point. */
    static final class Sphere extends Roi {
        final double cx, cy, cz, r;

        Sphere(double cx, double cy, double cz, double r) {
            super(String.format(Locale.ROOT, "sphere:%s,%s,%s,%s", fmt(cx), fmt(cy), fmt(cz), fmt(r)));
            this.cx = cx;
            this.cy = cy;
            this.cz = cz;
            this.r = r;
        }

        @Override
        public boolean[] voxels(Grid g) {
            boolean[] in = new boolean[g.size()];
            double r2 = r * r * (1 + 1e-12);
            for (int k = 0; k < g.nz; k++) {
                for (int j = 0; j < g.ny; j++) {
                    for (int i = 0; i < g.nx; i++) {
                        double[] w = g.affine.apply(i, j, k);
                        double dx = w[0] - cx, dy = w[1] - cy, dz = w[2] - cz;
                        if (dx * dx + dy * dy + dz * dz <= r2) in[g.index(i, j, k)] = true;
                    }
                }
            }
            return in;
        }
    }

    /** Atlas labels by number or name. */
    static final class Atlas extends Roi {
        final Path file;
        final List<String> labels;
        final LabelTable names;

        Atlas(Path file, List<String> labels, LabelTable names) {
            super("atlas:" + file + ":" + String.join("+", labels));
            this.file = file;
            this.labels = List.copyOf(labels);
            this.names = names;
        }

        /** The label numbers, names resolved through the table given, else the one beside the atlas. */
        Set<Integer> numbers() {
            Set<Integer> out = new LinkedHashSet<>();
            LabelTable table = null;
            for (String l : labels) {
                try {
                    out.add(Integer.parseInt(l));
                    continue;
                } catch (NumberFormatException e) {
                    // a name
                }
                if (table == null) table = names != null ? names : tableFor(file);
                out.add(table.label(l));
            }
            return out;
        }

        @Override
        public boolean[] voxels(Grid g) {
            if (!Files.exists(file)) throw new KetaprintException(file + ": atlas file not found");
            Set<Integer> want = numbers();
            int[] onGrid = LabelImage.onGrid(Images.open(file), g);
            boolean[] in = new boolean[onGrid.length];
            boolean any = false;
            for (int i = 0; i < onGrid.length; i++) {
                if (want.contains(onGrid[i])) {
                    in[i] = true;
                    any = true;
                }
            }
            if (!any) {
                throw new KetaprintException(file + ": labels " + labels + " cover no voxel of the "
                    + g + " BOLD grid");
            }
            return in;
        }
    }

    static LabelTable tableFor(Path atlas) {
        LabelTable t = LabelTable.beside(atlas);
        if (t != null) return t;
        throw new KetaprintException(atlas + ": label names need a table beside the atlas (" + LabelTable.besideNames(atlas)
            + "), or --lut; or give label numbers");
    }

    static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    @Override
    public String toString() {
        return spec;
    }
}
