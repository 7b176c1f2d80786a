package org.ketaprint.restingstate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ketaprint.KetaprintException;

/**
 * An fMRIPrep {@code *_desc-confounds_timeseries.tsv}: one column per confound, one row per volume.
 * "n/a" (or an empty cell, or NaN) in the first row of a derivative column or of framewise_displacement is
 * 0, as fMRIPrep leaves it undefined there; any other missing value is an error when the column is used.
 * <p>
 * An expansion {@code X_derivative1}, {@code X_power2} or {@code X_derivative1_power2} that a strategy asks for
 * and the file lacks (older fMRIPrep and other tools write only the base columns) is derived from the base
 * column {@code X} as fMRIPrep computes it ({@link #expansion}); columns in the file are used as they are.
 */
public final class Confounds {
    private final String source;
    private final Map<String, double[]> columns;
    private final int rows;

    public Confounds(String source, Map<String, double[]> columns, int rows) {
        this.source = source;
        this.columns = columns;
        this.rows = rows;
    }

    /** Reads a BIDS/fMRIPrep confounds TSV. */
    public static Confounds read(Path tsv) {
        org.ketaprint.InputFiles.requireRegular(tsv);
        List<String> lines;
        try {
            lines = Files.readAllLines(tsv, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new KetaprintException(tsv + ": cannot read confounds: " + e.getMessage());
        }
        lines.removeIf(String::isBlank);
        if (lines.isEmpty()) throw new KetaprintException(tsv + ": empty confounds file (no header line)");
        String[] head = lines.get(0).split("\t", -1);
        int n = lines.size() - 1;
        Map<String, double[]> cols = new LinkedHashMap<>();
        for (String h : head) {
            if (cols.put(h.trim(), new double[n]) != null) {
                throw new KetaprintException(tsv + ": column '" + h.trim() + "' appears twice");
            }
        }
        double[][] byIndex = cols.values().toArray(new double[0][]);
        for (int r = 0; r < n; r++) {
            String[] cells = lines.get(r + 1).split("\t", -1);
            if (cells.length != head.length) {
                throw new KetaprintException(tsv + ": line " + (r + 2) + " has " + cells.length
                    + " cells, the header has " + head.length);
            }
            for (int c = 0; c < cells.length; c++) byIndex[c][r] = parse(cells[c].trim(), tsv, r + 2, head[c]);
        }
        for (Map.Entry<String, double[]> e : cols.entrySet()) firstRow(e.getKey(), e.getValue());
        return new Confounds(tsv.toString(), cols, n);
    }

    /** n/a in the first row of a derivative column or of framewise_displacement is 0 (undefined there). */
    private static void firstRow(String name, double[] col) {
        if (col.length > 0 && (name.contains("derivative") || name.equals("framewise_displacement"))
            && Double.isNaN(col[0])) {
            col[0] = 0;
        }
    }

    /** The expansion suffixes derived when missing, the longest first (so a name matches its own). */
    private static final List<String> SUFFIXES = List.of("_derivative1_power2", "_derivative1", "_power2");

    /** The suffix of an expansion name ({@code _derivative1}, {@code _power2}, {@code _derivative1_power2}), or null. */
    static String suffixOf(String name) {
        for (String s : SUFFIXES) if (name.endsWith(s) && name.length() > s.length()) return s;
        return null;
    }

    /** The base column of an expansion name ({@code csf} of {@code csf_derivative1_power2}), or null. */
    static String baseOf(String name) {
        String s = suffixOf(name);
        return s == null ? null : name.substring(0, name.length() - s.length());
    }

    /**
     * fMRIPrep's expansion {@code suffix} of the base series {@code x}, as written to its TSV (NaN = n/a):
     * {@code _derivative1} the backward difference x[t] - x[t-1], n/a at t = 0; {@code _power2} x[t]^2;
     * {@code _derivative1_power2} the square of {@code _derivative1}, n/a at t = 0.
     * Matched to fMRIPrep's ExpandModel with its formula {@code (dd1(rps + wm + csf + gsr))^^2}
     * (niworkflows/interfaces/confounds.py, later fmriprep/interfaces/confounds.py): {@code temporal_derivatives}
     * computes "temporal derivative terms by the method of backwards differences" with the first row n/a, and
     * {@code exponential_terms} raises each column, the base and its derivative alike, to the power 2; the fMRIPrep
     * documentation (docs/outputs.rst, "Parameter expansion of basic confounds") names them {@code _derivative1}
     * and {@code _power2}.
     */
    static double[] expansion(double[] x, String suffix) {
        int n = x.length;
        double[] out = new double[n];
        switch (suffix) {
            case "_power2" -> {
                for (int t = 0; t < n; t++) out[t] = x[t] * x[t];
            }
            case "_derivative1", "_derivative1_power2" -> {
                if (n > 0) out[0] = Double.NaN;
                for (int t = 1; t < n; t++) {
                    double d = x[t] - x[t - 1];
                    out[t] = suffix.equals("_derivative1") ? d : d * d;
                }
            }
            default -> throw new IllegalArgumentException("not an expansion suffix: " + suffix);
        }
        return out;
    }

    /**
     * True when {@code name} is not in the file but is derived: an expansion whose base column is in the file
     * ({@code X_derivative1_power2} also when only {@code X_derivative1} is: its square).
     */
    public boolean derives(String name) {
        if (columns.containsKey(name)) return false;
        String base = baseOf(name);
        if (base == null) return false;
        return columns.containsKey(base)
            || (suffixOf(name).equals("_derivative1_power2") && columns.containsKey(base + "_derivative1"));
    }

    /** The columns among {@code names} that the file lacks and that are derived ({@link #derives}), in order. */
    public List<String> derived(List<String> names) {
        List<String> out = new ArrayList<>();
        for (String n : names) if (derives(n) && !out.contains(n)) out.add(n);
        return out;
    }

    /** The file's column a derived column is computed from: its base, or for X_derivative1_power2 the file's X_derivative1. */
    private String derivedFrom(String name) {
        String base = baseOf(name);
        return suffixOf(name).equals("_derivative1_power2") && columns.containsKey(base + "_derivative1")
            ? base + "_derivative1" : base;
    }

    /**
     * A derived column: {@link #expansion} of the base column, except that {@code X_derivative1_power2} squares the
     * file's {@code X_derivative1} when the file has it (the square of the derivative the design uses); a first-row
     * n/a is then 0, as for the file's own derivative columns.
     */
    private double[] derive(String name) {
        String from = derivedFrom(name);
        double[] col;
        if (!from.equals(baseOf(name))) {
            double[] d = columns.get(from);
            col = new double[rows];
            for (int t = 0; t < rows; t++) col[t] = d[t] * d[t];
        } else {
            col = expansion(columns.get(from), suffixOf(name));
        }
        firstRow(name, col);
        return col;
    }

    private static double parse(String s, Path f, int line, String col) {
        if (s.isEmpty() || s.equalsIgnoreCase("n/a") || s.equalsIgnoreCase("nan")) return Double.NaN;
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new KetaprintException(f + ": line " + line + ", column '" + col.trim() + "': not a number: '" + s + "'");
        }
    }

    public String source() {
        return source;
    }

    public int rows() {
        return rows;
    }

    public boolean has(String name) {
        return columns.containsKey(name);
    }

    public List<String> names() {
        return new ArrayList<>(columns.keySet());
    }

    /** One column (a copy), derived when the file lacks it and {@link #derives} it. */
    public double[] column(String name) {
        if (derives(name)) return derive(name);
        double[] c = columns.get(name);
        if (c == null) throw new KetaprintException(source + ": no confound column '" + name + "'");
        return c.clone();
    }

    /**
     * The named columns as a volumes x columns matrix, expansions the file lacks derived from their base column;
     * an error names every missing column (for an expansion that cannot be derived, its base column), and any
     * column with missing values.
     */
    public double[][] matrix(List<String> names) {
        List<String> missing = new ArrayList<>();
        List<String> underivable = new ArrayList<>();
        for (String n : names) {
            if (columns.containsKey(n) || derives(n)) continue;
            String base = baseOf(n);
            if (base != null) underivable.add(n);
            String name = base != null ? base : n;
            if (!missing.contains(name)) missing.add(name);
        }
        if (!missing.isEmpty()) {
            throw new KetaprintException(source + ": missing confound column" + (missing.size() > 1 ? "s " : " ")
                + String.join(", ", missing) + (underivable.isEmpty() ? ""
                    : " (needed to derive " + String.join(", ", underivable) + ")"));
        }
        double[][] m = new double[rows][names.size()];
        for (int c = 0; c < names.size(); c++) {
            String name = names.get(c);
            boolean derived = derives(name);
            double[] col = derived ? derive(name) : columns.get(name);
            for (int r = 0; r < rows; r++) {
                if (!Double.isFinite(col[r])) {
                    throw new KetaprintException(source + ": confound column '" + name + "'"
                        + (derived ? " (derived from '" + derivedFrom(name) + "')" : "")
                        + " has a missing or non-finite value at volume " + r);
                }
                m[r][c] = col[r];
            }
        }
        return m;
    }

    /** framewise_displacement (first row 0), or an error when the column is absent. */
    public double[] framewiseDisplacement() {
        if (!has("framewise_displacement")) {
            throw new KetaprintException(source + ": no framewise_displacement column (needed for censoring; "
                + "use --fd-threshold 0 to disable)");
        }
        matrix(List.of("framewise_displacement")); // checks for missing values
        return column("framewise_displacement");
    }
}
