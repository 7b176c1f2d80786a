package org.ketaprint.restingstate;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.ketaprint.KetaprintException;

/**
 * A confound set by the names XCP-D and nilearn use, in fMRIPrep column names:
 * {@code 6P} (trans/rot x,y,z), {@code 24P} (6P, their derivatives, squares of both), {@code 27P} (24P +
 * white_matter + csf + global_signal), {@code 36P} (the 24P expansion of those nine), {@code acompcor}
 * (a_comp_cor_00..04), {@code none}, joined with '+', and {@code +gsr} (global_signal; the brain-mask mean
 * when the confounds have no such column). An explicit column list is {@link #columns(List)}.
 * The global signal is kept apart from the other columns ({@link #gsr()}) so that a run without a
 * global_signal column can still regress the mask mean.
 */
public final class Strategy {
    public static final String GLOBAL = "global_signal";
    private static final String[] MOTION = {"trans_x", "trans_y", "trans_z", "rot_x", "rot_y", "rot_z"};

    private final String name;
    private final List<String> columns;
    private final boolean gsr;

    private Strategy(String name, List<String> columns, boolean gsr) {
        this.name = name;
        this.columns = List.copyOf(columns);
        this.gsr = gsr;
    }

    /** Parses "24P", "36P", "6P+acompcor", "24P+gsr", "none", ... (case-insensitive). */
    public static Strategy parse(String spec) {
        if (spec == null || spec.isBlank()) throw new KetaprintException("empty confound strategy");
        Set<String> cols = new LinkedHashSet<>();
        boolean gsr = false;
        for (String part : spec.split("\\+")) {
            String p = part.trim().toLowerCase(Locale.ROOT);
            switch (p) {
                case "none":
                    break;
                case "6p":
                    for (String m : MOTION) cols.add(m);
                    break;
                case "24p":
                    for (String m : MOTION) cols.addAll(expand24(m));
                    break;
                case "27p":
                    for (String m : MOTION) cols.addAll(expand24(m));
                    cols.add("white_matter");
                    cols.add("csf");
                    gsr = true;
                    break;
                case "36p":
                    for (String m : MOTION) cols.addAll(expand24(m));
                    for (String m : new String[] {"white_matter", "csf", GLOBAL}) cols.addAll(expand24(m));
                    cols.remove(GLOBAL);
                    gsr = true;
                    break;
                case "acompcor":
                    for (int i = 0; i < 5; i++) cols.add(String.format(Locale.ROOT, "a_comp_cor_%02d", i));
                    break;
                case "gsr":
                    gsr = true;
                    break;
                default:
                    throw new KetaprintException("unknown confound strategy '" + part.trim() + "' in '" + spec
                        + "' (known: 6P, 24P, 27P, 36P, acompcor, none, joined with '+', and +gsr)");
            }
        }
        return new Strategy(spec.trim(), new ArrayList<>(cols), gsr);
    }

    /**
     * A strategy as every door accepts it: a YAML list or {@code a,b,c} whose items are named sets
     * ({@code 24P}, {@code 6P+acompcor}, ...) or confound column names ({@code csf}, {@code trans_x}), or
     * one named set ({@code 24P+gsr}). A '+'-joined item must be named sets only.
     */
    public static Strategy of(List<String> items) {
        List<String> parts = new ArrayList<>();
        for (String it : items) for (String p : it.split(",")) if (!p.isBlank()) parts.add(p.trim());
        if (parts.isEmpty()) throw new KetaprintException("empty confound strategy");
        if (parts.size() == 1 && (parts.get(0).contains("+") || isSetName(parts.get(0)))) return parse(parts.get(0));
        Set<String> cols = new LinkedHashSet<>();
        boolean gsr = false;
        for (String p : parts) {
            if (p.contains("+") || isSetName(p)) {
                Strategy s = parse(p);
                cols.addAll(s.columns);
                gsr |= s.gsr;
            } else if (p.matches("[a-z_][a-z0-9_]*")) {
                if (p.equals(GLOBAL)) {
                    gsr = true;
                } else {
                    cols.add(p);
                }
            } else {
                throw new KetaprintException("unknown confound strategy or column '" + p + "' (named sets: 6P, 24P, 27P, "
                    + "36P, acompcor, none, gsr; columns: lower-case confound names)");
            }
        }
        return new Strategy(String.join(",", parts), new ArrayList<>(cols), gsr);
    }

    private static boolean isSetName(String p) {
        return Set.of("none", "6p", "24p", "27p", "36p", "acompcor", "gsr").contains(p.trim().toLowerCase(Locale.ROOT));
    }

    /** An explicit column list; "global_signal" in it means GSR. */
    public static Strategy columns(List<String> names) {
        List<String> cols = new ArrayList<>();
        boolean gsr = false;
        for (String n : names) {
            String c = n.trim();
            if (c.isEmpty()) continue;
            if (c.equals(GLOBAL)) {
                gsr = true;
            } else if (!cols.contains(c)) {
                cols.add(c);
            }
        }
        return new Strategy(String.join(",", names), cols, gsr);
    }

    private static List<String> expand24(String m) {
        return List.of(m, m + "_derivative1", m + "_power2", m + "_derivative1_power2");
    }

    /** The strategy as given. */
    public String name() {
        return name;
    }

    /** Confound columns other than the plain global signal, in design order. */
    public List<String> columns() {
        return columns;
    }

    /** True when the global signal is regressed. */
    public boolean gsr() {
        return gsr;
    }

    /** The same set plus the global signal. */
    public Strategy withGsr() {
        return gsr ? this : new Strategy(name + "+gsr", columns, true);
    }

    /** The same set without the global signal and its expansions. */
    public Strategy withoutGsr() {
        List<String> c = new ArrayList<>(columns);
        boolean removed = c.removeIf(s -> s.startsWith(GLOBAL));
        if (!gsr && !removed) return this;
        return new Strategy(name + "-gsr", c, false);
    }

    /** Every regressor name, the global signal last: what the data dictionary records. */
    public List<String> regressorNames() {
        List<String> all = new ArrayList<>(columns);
        if (gsr) all.add(GLOBAL);
        return all;
    }

    @Override
    public String toString() {
        return name;
    }
}
