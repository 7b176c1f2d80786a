package org.ketaprint.roi;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ketaprint.KetaprintException;
import org.ketaprint.atlas.Atlases;
import org.ketaprint.bids.BidsName;

/**
 * What a region of interest is, before it meets any data (immutable): an MNI sphere, labels of an atlas, or
 * the non-zero voxels of a mask image. {@link RoiPlacement} puts it on a data grid.
 *
 * <p>Text forms (as the command line writes them): {@code sphere:X,Y,Z,R} (centre and radius in mm),
 * {@code atlas:ATLAS:LABEL[+LABEL...]} (ATLAS an atlas name found through {@link Atlases} or an image file;
 * labels by number or by name in the atlas's label table), {@code mask:FILE}; any of them may end with
 * {@code @SPACE} to state the ROI's space. Map form (a pipeline's {@code rois:} entry, as
 * {@code YNode.plain()} gives it): {@code {sphere: [x, y, z], radius: mm}}, {@code {atlas: NAME, labels: [...]}},
 * {@code {mask: FILE}}, each with an optional {@code space: NAME}.
 *
 * <p>Spaces: a sphere is in {@link #SPHERE_SPACE} unless stated ("MNI152", the generic MNI of the literature
 * and of FSL/mricron atlases, which data in MNI152NLin6Asym or MNI152NLin2009cAsym match without a transform,
 * with a note, see {@link org.ketaprint.spaces.Spaces}); an atlas is in the space its {@link Atlases} entry
 * declares; a mask is in the space of its BIDS {@code space-} entity, else in the data's space.
 */
public final class RoiSpec {
    /** What kind of ROI. */
    public enum Kind { SPHERE, ATLAS, MASK }

    /** The space of sphere coordinates unless stated: generic MNI ({@link Atlases#DEFAULT_SPACE}). */
    public static final String SPHERE_SPACE = Atlases.DEFAULT_SPACE;

    private static final Set<String> SPHERE_KEYS = Set.of("sphere", "radius", "space");
    private static final Set<String> ATLAS_KEYS = Set.of("atlas", "labels", "space");
    private static final Set<String> MASK_KEYS = Set.of("mask", "space");
    private static final Pattern SPACE_SUFFIX = Pattern.compile("@([A-Za-z0-9]+)$");

    private final Kind kind;
    private final double[] centre;
    private final double radius;
    private final String atlas;
    private final List<String> labels;
    private final Path mask;
    private final String space;

    private RoiSpec(Kind kind, double[] centre, double radius, String atlas, List<String> labels, Path mask, String space) {
        this.kind = kind;
        this.centre = centre;
        this.radius = radius;
        this.atlas = atlas;
        this.labels = labels;
        this.mask = mask;
        this.space = space;
    }

    /** A sphere around an MNI point ({@link #SPHERE_SPACE}), mm. */
    public static RoiSpec sphere(double x, double y, double z, double radiusMm) {
        return sphere(x, y, z, radiusMm, null);
    }

    /** A sphere around a point of {@code space} (null: {@link #SPHERE_SPACE}), mm. */
    public static RoiSpec sphere(double x, double y, double z, double radiusMm, String space) {
        if (!(Double.isFinite(x) && Double.isFinite(y) && Double.isFinite(z))) {
            throw new KetaprintException("sphere centre must be finite, got " + x + ", " + y + ", " + z);
        }
        if (!(radiusMm > 0) || !Double.isFinite(radiusMm)) {
            throw new KetaprintException("sphere radius must be positive, got " + radiusMm);
        }
        return new RoiSpec(Kind.SPHERE, new double[] {x, y, z}, radiusMm, null, null, null, space(space));
    }

    /** Labels (numbers or names) of an atlas given by name or image path; the atlas's own space. */
    public static RoiSpec atlas(String atlas, List<String> labels) {
        return atlas(atlas, labels, null);
    }

    /** Labels of an atlas, stating its space (null: the space the atlas declares). */
    public static RoiSpec atlas(String atlas, List<String> labels, String space) {
        if (atlas == null || atlas.isBlank()) throw new KetaprintException("atlas ROI needs an atlas name or file");
        List<String> l = new ArrayList<>();
        if (labels != null) for (String s : labels) if (s != null && !s.isBlank()) l.add(s.trim());
        if (l.isEmpty()) throw new KetaprintException(atlas + ": no labels given for the atlas ROI");
        return new RoiSpec(Kind.ATLAS, null, Double.NaN, atlas.trim(), List.copyOf(l), null, space(space));
    }

    /** The non-zero voxels of a mask image; its space from its BIDS space- entity, else the data's. */
    public static RoiSpec mask(Path file) {
        return mask(file, null);
    }

    /** A mask image, stating its space (null: its BIDS space- entity, else the data's). */
    public static RoiSpec mask(Path file, String space) {
        if (file == null || file.toString().isBlank()) throw new KetaprintException("mask ROI needs a file");
        return new RoiSpec(Kind.MASK, null, Double.NaN, null, null, file, space(space));
    }

    private static String space(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    /** Parses {@code sphere:X,Y,Z,R}, {@code atlas:ATLAS:LABEL[+LABEL...]} or {@code mask:FILE}, each optionally {@code @SPACE}. */
    public static RoiSpec parse(String text) {
        String s = text == null ? "" : text.trim();
        String space = null;
        if (s.startsWith("sphere:") || s.startsWith("atlas:") || s.startsWith("mask:")) {
            Matcher m = SPACE_SUFFIX.matcher(s);
            if (m.find()) {
                space = m.group(1);
                s = s.substring(0, m.start());
            }
        }
        if (s.startsWith("sphere:")) {
            String[] p = s.substring(7).split(",");
            if (p.length != 4) throw new KetaprintException("bad ROI '" + text + "': expected sphere:X,Y,Z,R (mm)");
            double[] v = new double[4];
            try {
                for (int i = 0; i < 4; i++) v[i] = Double.parseDouble(p[i].trim());
            } catch (NumberFormatException e) {
                throw new KetaprintException("bad ROI '" + text + "': expected sphere:X,Y,Z,R with numbers (mm)");
            }
            return sphere(v[0], v[1], v[2], v[3], space);
        }
        if (s.startsWith("atlas:")) {
            String rest = s.substring(6);
            int c = rest.lastIndexOf(':');
            if (c <= 0 || c == rest.length() - 1) {
                throw new KetaprintException("bad ROI '" + text + "': expected atlas:ATLAS:LABEL[+LABEL...]");
            }
            List<String> labels = new ArrayList<>();
            for (String l : rest.substring(c + 1).split("\\+")) if (!l.isBlank()) labels.add(l.trim());
            return atlas(rest.substring(0, c), labels, space);
        }
        if (s.startsWith("mask:")) {
            String f = s.substring(5).trim();
            if (f.isEmpty()) throw new KetaprintException("bad ROI '" + text + "': expected mask:FILE");
            return mask(Path.of(f), space);
        }
        throw new KetaprintException("bad ROI '" + text
            + "': expected sphere:X,Y,Z,R, atlas:ATLAS:LABEL[+LABEL...] or mask:FILE");
    }

    /**
     * From a pipeline mapping of plain values (strings or numbers, lists, maps; see {@code YNode.plain()}):
     * {@code {sphere: [x, y, z], radius: mm}}, {@code {atlas: NAME, labels: [..]}} or {@code {mask: FILE}},
     * each with an optional {@code space}. Unknown keys are errors.
     */
    public static RoiSpec fromMap(Map<String, ?> m) {
        if (m == null) throw new KetaprintException("ROI must be {sphere: [x, y, z], radius: mm}, {atlas: NAME, labels: [...]} or {mask: FILE}");
        String space = m.get("space") == null ? null : scalar(m.get("space"), "space");
        if (m.containsKey("sphere")) {
            unknownKeys(m, SPHERE_KEYS, "sphere");
            Object c = m.get("sphere");
            if (!(c instanceof List<?> l) || l.size() != 3) {
                throw new KetaprintException("sphere centre needs 3 MNI coordinates, as [x, y, z] (mm)");
            }
            if (m.get("radius") == null) throw new KetaprintException("sphere needs a positive 'radius' (mm)");
            double r = number(m.get("radius"), "radius");
            if (!(r > 0)) throw new KetaprintException("sphere needs a positive 'radius' (mm), got " + m.get("radius"));
            return sphere(number(l.get(0), "sphere x"), number(l.get(1), "sphere y"), number(l.get(2), "sphere z"), r, space);
        }
        if (m.containsKey("atlas")) {
            unknownKeys(m, ATLAS_KEYS, "atlas");
            Object l = m.get("labels");
            if (l == null) throw new KetaprintException("atlas ROI needs 'labels' (names or numbers)");
            List<String> labels = new ArrayList<>();
            if (l instanceof List<?> list) {
                for (Object o : list) labels.add(scalar(o, "label"));
            } else {
                labels.add(scalar(l, "labels"));
            }
            return atlas(scalar(m.get("atlas"), "atlas"), labels, space);
        }
        if (m.containsKey("mask")) {
            unknownKeys(m, MASK_KEYS, "mask");
            return mask(Path.of(scalar(m.get("mask"), "mask")), space);
        }
        throw new KetaprintException("ROI needs 'sphere' + 'radius', 'atlas' + 'labels', or 'mask' (got keys " + m.keySet() + ")");
    }

    private static void unknownKeys(Map<String, ?> m, Set<String> allowed, String kind) {
        for (String k : m.keySet()) {
            if (!allowed.contains(k)) {
                throw new KetaprintException("unknown key '" + k + "' in a " + kind + " ROI (allowed: "
                    + new java.util.TreeSet<>(allowed) + ")");
            }
        }
    }

    private static String scalar(Object o, String what) {
        if (o == null || o instanceof List || o instanceof Map) {
            throw new KetaprintException("ROI '" + what + "' must be a single value, got " + o);
        }
        return o instanceof Number n ? fmt(n.doubleValue()) : o.toString().trim();
    }

    private static double number(Object o, String what) {
        if (o instanceof Number n) return n.doubleValue();
        try {
            return Double.parseDouble(scalar(o, what));
        } catch (NumberFormatException e) {
            throw new KetaprintException("ROI '" + what + "' must be a number, got '" + o + "'");
        }
    }

    public Kind kind() {
        return kind;
    }

    /** Sphere centre (x, y, z mm, a copy); null for other kinds. */
    public double[] centre() {
        return centre == null ? null : centre.clone();
    }

    /** Sphere radius (mm); NaN for other kinds. */
    public double radius() {
        return radius;
    }

    /** The atlas name or image path; null for other kinds. */
    public String atlas() {
        return atlas;
    }

    /** The atlas labels as given (numbers or names); null for other kinds. */
    public List<String> labels() {
        return labels;
    }

    /** The mask image; null for other kinds. */
    public Path maskFile() {
        return mask;
    }

    /** The space stated in the spec, or null (then: sphere {@link #SPHERE_SPACE}, atlas its own, mask see {@link #maskSpace}). */
    public String statedSpace() {
        return space;
    }

    /**
     * The ROI's space when it follows from the spec alone: the stated one; for a sphere {@link #SPHERE_SPACE};
     * for a mask its file's BIDS space- entity. Null for an atlas without a stated space (its {@link Atlases}
     * entry knows) and for a mask without one (then it is in the data's space).
     */
    public String space() {
        if (space != null) return space;
        return switch (kind) {
            case SPHERE -> SPHERE_SPACE;
            case MASK -> maskSpace(mask);
            case ATLAS -> null;
        };
    }

    /** The BIDS space- entity of a file name, or null. */
    static String maskSpace(Path file) {
        BidsName n = BidsName.parse(file.getFileName().toString());
        return n == null ? null : n.get("space");
    }

    /** The canonical text form, parseable by {@link #parse}. */
    public String spec() {
        String s = switch (kind) {
            case SPHERE -> String.format(Locale.ROOT, "sphere:%s,%s,%s,%s", fmt(centre[0]), fmt(centre[1]), fmt(centre[2]), fmt(radius));
            case ATLAS -> "atlas:" + atlas + ":" + String.join("+", labels);
            case MASK -> "mask:" + mask;
        };
        return space == null ? s : s + "@" + space;
    }

    /** The mapping form (for pipeline files and provenance). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        switch (kind) {
            case SPHERE -> {
                m.put("sphere", List.of(centre[0], centre[1], centre[2]));
                m.put("radius", radius);
            }
            case ATLAS -> {
                m.put("atlas", atlas);
                m.put("labels", labels);
            }
            case MASK -> m.put("mask", mask.toString());
        }
        if (space != null) m.put("space", space);
        return m;
    }

    static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RoiSpec r && kind == r.kind && Arrays.equals(centre, r.centre)
            && Double.compare(radius, r.radius) == 0 && Objects.equals(atlas, r.atlas) && Objects.equals(labels, r.labels)
            && Objects.equals(mask, r.mask) && Objects.equals(space, r.space);
    }

    @Override
    public int hashCode() {
        return spec().hashCode();
    }

    @Override
    public String toString() {
        return spec();
    }
}
