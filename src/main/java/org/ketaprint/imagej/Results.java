package org.ketaprint.imagej;

import ij.measure.ResultsTable;
import java.util.Map;
import org.ketaprint.table.Table;

/** ketaprint tables shown as ImageJ ResultsTables (numbers as numbers, text as text). */
public final class Results {
    private Results() {
    }

    /** A ResultsTable with the table's columns and rows; n/a cells become NaN in numeric columns. */
    public static ResultsTable toResultsTable(Table t) {
        ResultsTable rt = new ResultsTable();
        rt.showRowNumbers(false);
        for (Map<String, String> row : t.rows()) {
            rt.incrementCounter();
            for (String c : t.columns()) {
                String v = row.get(c);
                if (v == null || v.isEmpty() || v.equals(Table.NA)) {
                    rt.addValue(c, Double.NaN);
                } else if (numeric(v)) {
                    rt.addValue(c, Double.parseDouble(v));
                } else {
                    rt.addValue(c, v);
                }
            }
        }
        decimals(rt);
        return rt;
    }

    /** Appends the table's rows to an existing ResultsTable (e.g. one info row per image). */
    public static void append(ResultsTable into, Table t) {
        ResultsTable add = toResultsTable(t);
        for (int r = 0; r < add.size(); r++) {
            into.incrementCounter();
            for (String h : add.getHeadings()) {
                double d = add.getValue(h, r);
                String s = add.getStringValue(h, r);
                if (Double.isNaN(d) && s != null && !s.equals("NaN")) {
                    into.addValue(h, s);
                } else {
                    into.addValue(h, d);
                }
            }
        }
        decimals(into);
    }

    /** Six decimals for columns holding non-integers (ImageJ's default of 3 would round volumes). */
    private static void decimals(ResultsTable rt) {
        for (int c = 0; c <= rt.getLastColumn(); c++) {
            if (rt.columnExists(c) && !integral(rt, c)) rt.setDecimalPlaces(c, 6);
        }
    }

    private static boolean integral(ResultsTable rt, int c) {
        for (int r = 0; r < rt.size(); r++) {
            double d = rt.getValueAsDouble(c, r);
            if (!Double.isNaN(d) && d != Math.rint(d)) return false;
        }
        return true;
    }

    static boolean numeric(String v) {
        try {
            Double.parseDouble(v);
            return !v.endsWith("d") && !v.endsWith("f") && !v.endsWith("D") && !v.endsWith("F");
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
