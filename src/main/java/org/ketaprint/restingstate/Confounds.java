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
        for (Map.Entry<String, double[]> e : cols.entrySet()) {
            String name = e.getKey();
            if (n > 0 && (name.contains("derivative") || name.equals("framewise_displacement"))
                && Double.isNaN(e.getValue()[0])) {
                e.getValue()[0] = 0;
            }
        }
        return new Confounds(tsv.toString(), cols, n);
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

    /** One column (a copy). */
    public double[] column(String name) {
        double[] c = columns.get(name);
        if (c == null) throw new KetaprintException(source + ": no confound column '" + name + "'");
        return c.clone();
    }

    /**
     * The named columns as a volumes x columns matrix; an error names every missing column, and any column
     * with missing values.
     */
    public double[][] matrix(List<String> names) {
        List<String> missing = new ArrayList<>();
        for (String n : names) if (!columns.containsKey(n)) missing.add(n);
        if (!missing.isEmpty()) {
            throw new KetaprintException(source + ": missing confound column" + (missing.size() > 1 ? "s " : " ")
                + String.join(", ", missing));
        }
        double[][] m = new double[rows][names.size()];
        for (int c = 0; c < names.size(); c++) {
            double[] col = columns.get(names.get(c));
            for (int r = 0; r < rows; r++) {
                if (!Double.isFinite(col[r])) {
                    throw new KetaprintException(source + ": confound column '" + names.get(c)
                        + "' has a missing or non-finite value at volume " + r);
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
