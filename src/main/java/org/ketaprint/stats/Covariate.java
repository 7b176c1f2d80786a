package org.ketaprint.stats;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * A covariate column, one value per subject: numbers (NaN missing) or categories (null missing). Categories are
 * dummy-coded over the rows a test uses: one 0/1 column per level but the first in sorted (code point) order, the
 * reference; a level absent from those rows gets no column (the reference does not change a feature's t or
 * partial r).
 */
public record Covariate(String name, double[] numbers, String[] categories) {
    public static Covariate numeric(String name, double[] v) {
        return new Covariate(name, v, null);
    }

    public static Covariate categorical(String name, String[] v) {
        return new Covariate(name, null, v);
    }

    /** Whether subject i has a value. */
    boolean present(int i) {
        return numbers != null ? Double.isFinite(numbers[i]) : categories[i] != null;
    }

    /** Design columns for rows {@code rows}, named {@code name} or {@code name[level]}. */
    record Design(List<String> names, double[][] columns) {
    }

    static Design design(List<Covariate> cs, int[] rows) {
        List<String> names = new ArrayList<>();
        List<double[]> cols = new ArrayList<>();
        for (Covariate c : cs) {
            if (c.numbers != null) {
                double[] v = new double[rows.length];
                for (int k = 0; k < rows.length; k++) v[k] = c.numbers[rows[k]];
                names.add(c.name);
                cols.add(v);
                continue;
            }
            TreeSet<String> levels = new TreeSet<>();
            for (int r : rows) levels.add(c.categories[r]);
            for (String level : levels) {
                if (level.equals(levels.first())) continue;
                double[] v = new double[rows.length];
                for (int k = 0; k < rows.length; k++) v[k] = c.categories[rows[k]].equals(level) ? 1 : 0;
                names.add(c.name + "[" + level + "]");
                cols.add(v);
            }
        }
        return new Design(names, cols.toArray(new double[0][]));
    }
}
