package org.ketaprint.table;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ketaprint.KetaprintException;

/** A tab-separated table with a header row; cells are strings, "n/a" for missing (BIDS). */
public final class Table {
    public static final String NA = "n/a";

    private final List<String> columns;
    private final List<Map<String, String>> rows = new ArrayList<>();

    public Table(List<String> columns) {
        this.columns = new ArrayList<>(columns);
    }

    public List<String> columns() {
        return Collections.unmodifiableList(columns);
    }

    public List<Map<String, String>> rows() {
        return rows;
    }

    public void addColumn(String c) {
        if (!columns.contains(c)) columns.add(c);
    }

    public void add(Map<String, String> row) {
        for (String k : row.keySet()) addColumn(k);
        rows.add(new LinkedHashMap<>(row));
    }

    public static Table read(Path p) {
        org.ketaprint.InputFiles.requireRegular(p);
        List<String> lines;
        try {
            lines = Files.readAllLines(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new KetaprintException(p + ": cannot read: " + e.getMessage());
        }
        if (lines.isEmpty()) throw new KetaprintException(p + ": empty table (no header row)");
        String h = lines.get(0);
        if (h.startsWith("\uFEFF")) h = h.substring(1);
        List<String> cols = List.of(h.split("\t", -1));
        Table t = new Table(cols.stream().map(String::trim).toList());
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) continue;
            String[] f = line.split("\t", -1);
            if (f.length != cols.size()) {
                throw new KetaprintException(p + ": line " + (i + 1) + " has " + f.length + " fields, the header has " + cols.size());
            }
            Map<String, String> row = new LinkedHashMap<>();
            for (int c = 0; c < f.length; c++) row.put(t.columns.get(c), f[c].trim());
            t.rows.add(row);
        }
        return t;
    }

    /** Writes the table atomically; missing cells become n/a. */
    public void write(Path p) {
        AtomicFile.write(p, toTsv());
    }

    public String toTsv() {
        StringBuilder sb = new StringBuilder(String.join("\t", columns)).append('\n');
        for (Map<String, String> r : rows) {
            for (int c = 0; c < columns.size(); c++) {
                if (c > 0) sb.append('\t');
                String v = r.get(columns.get(c));
                sb.append(v == null || v.isEmpty() ? NA : v);
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** A number as a table cell: the shortest text that reads back as the same double; n/a for NaN or null. */
    public static String format(Double v) {
        if (v == null || v.isNaN()) return NA;
        if (v.isInfinite()) return v > 0 ? "inf" : "-inf";
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString(v.longValue());
        String p = new java.math.BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
        return p.length() <= 24 ? p : Double.toString(v);
    }

    private static final java.util.regex.Pattern DECIMAL =
        java.util.regex.Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    /**
     * A number written as a plain decimal ("32", "-0.5", ".5", "1e3"), else NaN: unlike {@link Double#parseDouble}
     * no "NaN", "Infinity", hexadecimal ("0x1Ep0"), Java suffixes ("32d", "1f") or surrounding blanks; a value
     * beyond a double's range is NaN too.
     */
    public static double decimal(String s) {
        if (s == null || !DECIMAL.matcher(s).matches()) return Double.NaN;
        double v = Double.parseDouble(s);
        return Double.isInfinite(v) ? Double.NaN : v;
    }

    /** True for a missing cell: n/a (any case) or empty. */
    public static boolean isNa(String s) {
        return s == null || s.isEmpty() || s.equalsIgnoreCase(NA);
    }

    /** Parses a cell as a number; NaN for n/a, empty or non-numeric. */
    public static double number(String s) {
        if (s == null || s.isEmpty() || s.equalsIgnoreCase(NA)) return Double.NaN;
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
