package org.ketaprint.roi;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ketaprint.KetaprintException;
import org.ketaprint.atlas.Atlas;
import org.ketaprint.atlas.Atlases;
import org.ketaprint.atlas.LabelImage;
import org.ketaprint.atlas.LabelTable;
import org.ketaprint.bids.BidsLayout;
import org.ketaprint.nifti.Affine;
import org.ketaprint.nifti.Grid;
import org.ketaprint.nifti.Image;
import org.ketaprint.nifti.Images;
import org.ketaprint.spaces.SpaceAlignment;
import org.ketaprint.spaces.SpaceMismatchException;
import org.ketaprint.spaces.Spaces;
import org.ketaprint.spaces.TransformChain;

/**
 * The ROI masker (as nilearn's): puts an {@link RoiSpec} on a data image's grid, through the
 * {@link SpaceAlignment} between the ROI's space and the data's, and says which voxels it covers.
 *
 * <ul>
 * <li>sphere: the data voxels whose centre, mapped into the ROI's space by the alignment's chain (the
 * {@code from-<roi>_to-<data>_mode-image} transform maps data points to ROI points), lies within the radius
 * ({@code |p - c|^2 <= r^2 (1 + 1e-12)}, the rule of {@code restingstate.Roi});</li>
 * <li>atlas: the labels resampled onto the grid by nearest neighbour ({@link SpaceAlignment#labelsOnto}),
 * then membership (an integral value among the wanted labels);</li>
 * <li>mask: the mask resampled by nearest neighbour, then its non-zero voxels.</li>
 * </ul>
 * With an identity alignment (same space, or MNI variants) the result is bit for bit that of
 * {@code restingstate.Roi.voxels(grid)}: resampling then goes through {@link Grid#resampleNearest}, whose
 * arithmetic rounds half-voxel ties the same way.
 *
 * <p>Resolve the alignment early, before heavy work: {@link #align(RoiSpec, BidsLayout, String, String, String)}
 * (or the static {@link #align(BidsLayout, String, String, String, String)}, which is
 * {@link SpaceAlignment#resolve}) fails at once with a {@link SpaceMismatchException} naming both spaces when
 * no transform links them. An instance caches atlas look-ups; it is not thread-safe.
 */
public final class RoiPlacement {
    private final Atlases atlases;
    private final Map<String, Atlas> atlasCache = new HashMap<>();

    /** {@code atlases}: where atlas names are looked up (null: atlases only by image path). */
    public RoiPlacement(Atlases atlases) {
        this.atlases = atlases;
    }

    /**
     * How ROIs in {@code roiSpace} reach data in {@code dataSpace} (null, "native", "T1w", an MNI name, ...)
     * for one subject: identity, MNI variants with a note, or the subject's {@code from-<roi>_to-<data>}
     * transform in {@code layout}'s derivatives ({@link SpaceAlignment#resolve}); else a
     * {@link SpaceMismatchException} naming both spaces. As the resting-state stage always did, two MNI152
     * spaces without a transform between them (e.g. MNI152NLin2009cSym data) are also taken as one, with a note.
     */
    public static SpaceAlignment align(BidsLayout layout, String sub, String ses, String roiSpace, String dataSpace) {
        try {
            return SpaceAlignment.resolve(layout, sub, ses, roiSpace, dataSpace);
        } catch (SpaceMismatchException e) {
            if (!isMni(roiSpace) || !isMni(dataSpace)) throw e;
            return new SpaceAlignment(roiSpace, dataSpace, TransformChain.identity(), null, "ROIs in " + Spaces.normalize(roiSpace)
                + " used on data in " + Spaces.normalize(dataSpace) + " without a transform (MNI152 variants differ by ~1-2 mm)");
        }
    }

    private static boolean isMni(String space) {
        return Spaces.normalize(space).toUpperCase(java.util.Locale.ROOT).startsWith("MNI152");
    }

    /** The alignment for one ROI against data in {@code dataSpace} (see {@link #roiSpace}). */
    public SpaceAlignment align(RoiSpec spec, BidsLayout layout, String sub, String ses, String dataSpace) {
        return align(layout, sub, ses, roiSpace(spec, dataSpace), dataSpace);
    }

    /**
     * The space {@code spec} is in: the stated one; a sphere's {@link RoiSpec#SPHERE_SPACE}; the atlas's
     * declared space; a mask's BIDS space- entity, else {@code dataSpace} (normalised: null is "native").
     */
    public String roiSpace(RoiSpec spec, String dataSpace) {
        String s = spec.space();
        if (s != null) return s;
        if (spec.kind() == RoiSpec.Kind.ATLAS) return atlas(spec).space();
        return Spaces.normalize(dataSpace);
    }

    /** The atlas of an atlas ROI: an image file as given, else by name through the atlas folders. */
    public Atlas atlas(RoiSpec spec) {
        if (spec.kind() != RoiSpec.Kind.ATLAS) throw new IllegalArgumentException(spec + " is not an atlas ROI");
        return atlasCache.computeIfAbsent(spec.atlas(), name -> {
            if (Files.isRegularFile(Path.of(name))) return new Atlases(List.of()).find(name);
            if (atlases == null) throw new KetaprintException("atlas '" + name + "': no such file (and no atlas folders to search)");
            return atlases.resolve(name);
        });
    }

    /** Places {@code spec} on {@code grid} taking it to be in the grid's space already (identity). */
    public PlacedRoi place(RoiSpec spec, Grid grid) {
        String s = roiSpace(spec, null);
        return place(spec, grid, s, new SpaceAlignment(s, s, TransformChain.identity(), null, null));
    }

    /**
     * Places {@code spec} on {@code grid}, the grid of data in {@code dataSpace}, through {@code alignment}
     * (resolved for the ROI's space and {@code dataSpace}, e.g. by {@link #align(RoiSpec, BidsLayout, String, String, String)}).
     * An atlas or mask ROI that covers no voxel of the grid is an error; a sphere may be empty.
     */
    public PlacedRoi place(RoiSpec spec, Grid grid, String dataSpace, SpaceAlignment alignment) {
        String rs = roiSpace(spec, dataSpace);
        if (!Spaces.same(alignment.roiSpace(), rs) || !Spaces.same(alignment.dataSpace(), dataSpace)) {
            throw new IllegalArgumentException("alignment " + alignment.roiSpace() + " -> " + alignment.dataSpace()
                + " does not fit ROI " + spec + " in " + rs + " on data in " + Spaces.normalize(dataSpace));
        }
        boolean[] in = switch (spec.kind()) {
            case SPHERE -> sphere(spec, grid, alignment.chain());
            case ATLAS -> atlasVoxels(spec, grid, alignment);
            case MASK -> maskVoxels(spec, grid, alignment);
        };
        int n = 0;
        for (boolean b : in) if (b) n++;
        int[] vox = new int[n];
        for (int i = 0, p = 0; i < in.length; i++) if (in[i]) vox[p++] = i;
        double[] w = new double[n];
        Arrays.fill(w, 1.0);
        return new PlacedRoi(spec, grid, rs, alignment, vox, w);
    }

    private static boolean[] sphere(RoiSpec spec, Grid g, TransformChain chain) {
        double[] c = spec.centre();
        double cx = c[0], cy = c[1], cz = c[2], r = spec.radius();
        boolean[] in = new boolean[g.size()];
        double r2 = r * r * (1 + 1e-12);
        boolean identity = chain.isIdentity();
        Affine a = g.affine;
        for (int k = 0; k < g.nz; k++) {
            for (int j = 0; j < g.ny; j++) {
                for (int i = 0; i < g.nx; i++) {
                    double[] w = a.apply(i, j, k);      // the data voxel's centre, data space
                    if (!identity) chain.map(w);        // ... in ROI space
                    double dx = w[0] - cx, dy = w[1] - cy, dz = w[2] - cz;
                    if (dx * dx + dy * dy + dz * dz <= r2) in[g.index(i, j, k)] = true;
                }
            }
        }
        return in;
    }

    private boolean[] atlasVoxels(RoiSpec spec, Grid g, SpaceAlignment alignment) {
        Atlas atlas = atlas(spec);
        Set<Integer> want = numbers(spec, atlas);
        Image img = Images.open(atlas.image());
        int[] onGrid = LabelImage.toInts(nearest(img, LabelImage.read(img), g, alignment));
        boolean[] in = new boolean[onGrid.length];
        boolean any = false;
        for (int i = 0; i < onGrid.length; i++) {
            if (want.contains(onGrid[i])) {
                in[i] = true;
                any = true;
            }
        }
        if (!any) {
            throw new KetaprintException(atlas.image() + ": labels " + spec.labels() + " cover no voxel of the " + g
                + " data grid" + (alignment.isIdentity() ? "" : " (through " + alignment.chain().describe() + ")"));
        }
        return in;
    }

    private static boolean[] maskVoxels(RoiSpec spec, Grid g, SpaceAlignment alignment) {
        Path file = spec.maskFile();
        if (!Files.isRegularFile(file)) throw new KetaprintException(file + ": ROI mask file not found");
        Image img = Images.open(file);
        LabelImage.requirePlaceable(img);
        double[] onGrid = nearest(img, img.readVolumeDouble(0), g, alignment);
        boolean[] in = new boolean[onGrid.length];
        boolean any = false;
        for (int i = 0; i < onGrid.length; i++) {
            if (onGrid[i] != 0 && !Double.isNaN(onGrid[i])) {
                in[i] = true;
                any = true;
            }
        }
        if (!any) throw new KetaprintException(file + ": the ROI mask covers no voxel of the " + g + " data grid");
        return in;
    }

    /** Nearest-neighbour values {@code v} of {@code img}'s first volume on {@code g}; 0 outside. */
    private static double[] nearest(Image img, double[] v, Grid g, SpaceAlignment alignment) {
        if (alignment.isIdentity()) return g.resampleNearest(img.grid(), v, 0);
        return alignment.labelsOnto(v, img.grid(), g);
    }

    /**
     * The label numbers: numbers as given, names through the label table: for an atlas given as an image file
     * the table beside it ({@link LabelTable#beside}, as {@code restingstate.Roi} reads it: mricron/FSL/BIDS/
     * FreeSurfer names, or a BIDS dseg.tsv by inheritance), else the one its atlas folder entry names.
     */
    Set<Integer> numbers(RoiSpec spec, Atlas atlas) {
        Set<Integer> out = new LinkedHashSet<>();
        LabelTable table = null;
        for (String l : spec.labels()) {
            try {
                out.add(Integer.parseInt(l));
                continue;
            } catch (NumberFormatException e) {
                // a name
            }
            if (table == null) table = table(spec, atlas);
            out.add(table.label(l));
        }
        return out;
    }

    private static LabelTable table(RoiSpec spec, Atlas atlas) {
        boolean file = Files.isRegularFile(Path.of(spec.atlas()));
        LabelTable t = file ? LabelTable.beside(atlas.image()) : atlas.labels();
        if (t == null) t = file ? atlas.labels() : LabelTable.beside(atlas.image());
        if (t != null) return t;
        throw new KetaprintException(atlas.image() + ": label names need a table beside the atlas ("
            + LabelTable.besideNames(atlas.image()) + "); or give label numbers");
    }
}
