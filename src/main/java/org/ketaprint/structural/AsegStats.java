package org.ketaprint.structural;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.ketaprint.KetaprintException;

/**
 * FreeSurfer's {@code stats/aseg.stats} (written by mri_segstats): the "# Measure" lines (eTIV, ...) and
 * the structure table. Its Volume_mm3 is partial-volume corrected (mri_segstats --pv), so it differs
 * from a plain voxel count, which is its NVoxels column.
 */
public final class AsegStats {
    /** One row of the structure table. */
    public record Structure(int segId, String name, long voxels, double volumeMm3) {
    }

    private final Path path;
    private final Map<String, Double> measures;
    private final Map<Integer, Structure> structures;

    private AsegStats(Path path, Map<String, Double> measures, Map<Integer, Structure> structures) {
        this.path = path;
        this.measures = Collections.unmodifiableMap(measures);
        this.structures = Collections.unmodifiableMap(structures);
    }

    public static AsegStats read(Path p) {
        org.ketaprint.InputFiles.requireRegular(p);
        List<String> lines;
        try {
            lines = Files.readAllLines(p, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new KetaprintException(p + ": cannot read aseg.stats: " + e.getMessage());
        }
        Map<String, Double> measures = new LinkedHashMap<>();
        Map<Integer, Structure> rows = new LinkedHashMap<>();
        List<String> cols = null;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty()) continue;
            if (line.startsWith("#")) {
                String body = line.substring(1).trim();
                if (body.startsWith("Measure ")) {
                    // # Measure EstimatedTotalIntraCranialVol, eTIV, Estimated Total Intracranial Volume, 1690406.5, mm^3
                    String[] f = body.substring(8).split(",");
                    if (f.length < 4) throw bad(p, i, "a Measure line needs 'name, short name, description, value, unit'");
                    double v = number(p, i, f[3].trim());
                    measures.put(f[0].trim(), v);
                    measures.put(f[1].trim(), v);
                } else if (body.startsWith("ColHeaders")) {
                    cols = new ArrayList<>(List.of(body.substring(10).trim().split("\\s+")));
                }
                continue;
            }
            if (cols == null) throw bad(p, i, "table row before the '# ColHeaders' line");
            String[] f = line.split("\\s+");
            int seg = col(cols, "SegId", p), nv = col(cols, "NVoxels", p), vol = col(cols, "Volume_mm3", p),
                nm = col(cols, "StructName", p);
            if (f.length < cols.size()) throw bad(p, i, "expected " + cols.size() + " columns, found " + f.length);
            int id = (int) number(p, i, f[seg]);
            rows.put(id, new Structure(id, f[nm], (long) number(p, i, f[nv]), number(p, i, f[vol])));
        }
        if (measures.isEmpty() && rows.isEmpty()) {
            throw new KetaprintException(p + ": not an aseg.stats file (no '# Measure' lines and no table)");
        }
        return new AsegStats(p, measures, rows);
    }

    private static int col(List<String> cols, String name, Path p) {
        for (int i = 0; i < cols.size(); i++) {
            if (cols.get(i).equalsIgnoreCase(name)) return i;
        }
        throw new KetaprintException(p + ": no '" + name + "' column in the '# ColHeaders' line");
    }

    private static double number(Path p, int line, String s) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw bad(p, line, "'" + s + "' is not a number");
        }
    }

    private static KetaprintException bad(Path p, int line, String what) {
        return new KetaprintException(p + ": line " + (line + 1) + ": " + what);
    }

    public Path path() {
        return path;
    }

    /** eTIV (mm^3), NaN when the file has no EstimatedTotalIntraCranialVol measure. */
    public double etivMm3() {
        return measure("eTIV");
    }

    /** A "# Measure" value by its name or short name (case-insensitive), NaN when absent. */
    public double measure(String name) {
        for (Map.Entry<String, Double> e : measures.entrySet()) {
            if (e.getKey().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) return e.getValue();
        }
        return Double.NaN;
    }

    /** Measures by name and by short name. */
    public Map<String, Double> measures() {
        return measures;
    }

    /** Table rows by SegId. */
    public Map<Integer, Structure> structures() {
        return structures;
    }

    /** Volume_mm3 (partial-volume corrected) of a SegId, NaN when the table lacks it. */
    public double volumeMm3(int segId) {
        Structure s = structures.get(segId);
        return s == null ? Double.NaN : s.volumeMm3();
    }
}
