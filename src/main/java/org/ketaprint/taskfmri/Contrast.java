package org.ketaprint.taskfmri;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ketaprint.KetaprintException;

/**
 * A t contrast over design columns, written as nilearn's expressions are: {@code fearful - neutral},
 * {@code 0.5*fearful + 0.5*happy - shapes}, a single column, or {@code NAME=EXPR} to name it. Its BIDS label is
 * {@code NAME}, else {@code aGtB} for {@code a - b}, else the expression in camel case ({@code Plus}, {@code Minus}).
 */
public record Contrast(String label, String expression, Map<String, Double> terms) {
    private static final Pattern NAMED = Pattern.compile("^\\s*([A-Za-z][A-Za-z0-9]*)\\s*=(.*)$", Pattern.DOTALL);
    private static final Pattern TERM = Pattern.compile(
        "\\s*([+-])?\\s*(?:(\\d+(?:\\.\\d*)?(?:[eE][+-]?\\d+)?|\\.\\d+(?:[eE][+-]?\\d+)?)\\s*\\*?\\s*)?([A-Za-z_][A-Za-z0-9_.]*)\\s*");

    /** The longest label: with the prefix and "_stat-variance_statmap.nii.gz" it must fit a file name (255 bytes). */
    static final int MAX_LABEL = 128;

    public static Contrast parse(String spec) {
        if (spec == null || spec.isBlank()) throw new KetaprintException("empty contrast");
        String label = null;
        String expr = spec.trim();
        Matcher named = NAMED.matcher(expr);
        if (named.matches()) {
            label = named.group(1);
            expr = named.group(2).trim();
        }
        Map<String, Double> terms = new LinkedHashMap<>();
        Matcher m = TERM.matcher(expr);
        int at = 0;
        while (at < expr.length()) {
            if (!m.find(at) || m.start() != at || m.end() == at) {
                throw new KetaprintException("contrast '" + spec + "': cannot read '" + expr.substring(at)
                    + "' (write e.g. 'fearful - neutral' or '0.5*a + 0.5*b - c')");
            }
            if (m.group(1) == null && at > 0) {
                throw new KetaprintException("contrast '" + spec + "': a + or - is missing before '" + m.group(3) + "'");
            }
            double w = m.group(2) == null ? 1 : Double.parseDouble(m.group(2));
            if ("-".equals(m.group(1))) w = -w;
            terms.merge(m.group(3), w, Double::sum);
            at = m.end();
        }
        if (terms.isEmpty()) throw new KetaprintException("contrast '" + spec + "' names no column");
        for (Map.Entry<String, Double> e : terms.entrySet()) {
            if (!Double.isFinite(e.getValue())) {
                throw new KetaprintException("contrast '" + spec + "': the weight of '" + e.getKey() + "' is not a finite number");
            }
        }
        if (terms.values().stream().allMatch(w -> w == 0)) {
            throw new KetaprintException("contrast '" + spec + "': every weight is 0 (nothing to test)");
        }
        String l = label != null ? label : label(expr, terms);
        if (l.length() > MAX_LABEL || l.isEmpty()) {
            throw new KetaprintException("contrast '" + (spec.length() > 80 ? spec.substring(0, 80) + "..." : spec) + "': its "
                + "label has " + l.length() + " characters" + (l.isEmpty() ? " (no letter or digit)" : ", too long for file names "
                + "(at most " + MAX_LABEL + ")") + "; name it: NAME=EXPR");
        }
        return new Contrast(l, expr, Map.copyOf(terms));
    }

    private static String label(String expr, Map<String, Double> terms) {
        List<String> names = new ArrayList<>(terms.keySet());
        if (names.size() == 1 && terms.get(names.get(0)) == 1) return camel(names.get(0), false);
        if (names.size() == 2 && terms.get(names.get(0)) == 1 && terms.get(names.get(1)) == -1) {
            return camel(names.get(0), false) + "Gt" + camel(names.get(1), true);
        }
        String s = expr.replace("-", " Minus ").replace("+", " Plus ").replace("*", " Times ").replace(".", " Point ");
        StringBuilder b = new StringBuilder();
        for (String w : s.trim().split("[\\s_]+")) b.append(b.length() == 0 ? camel(w, false) : camel(w, true));
        return b.toString();
    }

    /** Letters and digits only; underscores start a capitalised word. */
    private static String camel(String s, boolean capitalise) {
        StringBuilder b = new StringBuilder();
        boolean up = capitalise;
        for (char c : s.toCharArray()) {
            if (Character.isLetterOrDigit(c) && c < 128) {
                b.append(up ? Character.toUpperCase(c) : c);
                up = false;
            } else {
                up = true;
            }
        }
        return b.toString();
    }

    /**
     * The weights over the design's columns. A name that is neither a column nor a condition of the events is an error
     * naming it; so is a contrast that is not estimable (not in the row space of the design: a condition whose events
     * all fall outside the run, or columns that are collinear).
     */
    public double[] weights(Design d, String eventsSource) {
        double[] c = new double[d.columns()];
        for (Map.Entry<String, Double> e : terms.entrySet()) {
            int j = d.names().indexOf(e.getKey());
            if (j < 0) {
                throw new KetaprintException("contrast '" + expression + "' names '" + e.getKey() + "', which is not a "
                    + "trial_type of " + eventsSource + " (trial types: " + String.join(", ", d.conditions())
                    + ") nor a design column");
            }
            c[j] = e.getValue();
        }
        if (!Linalg.estimable(d.x(), c)) {
            for (Map.Entry<String, Double> e : terms.entrySet()) {
                int j = d.names().indexOf(e.getKey());
                boolean zero = true;
                for (double[] row : d.x()) zero &= row[j] == 0;
                if (zero && d.conditions().contains(e.getKey())) {
                    throw new KetaprintException("contrast '" + expression + "' is not estimable: the regressor of '"
                        + e.getKey() + "' is 0 at every volume (its events in " + eventsSource + " fall outside the run, or "
                        + "their modulation is 0)");
                }
            }
            throw new KetaprintException("contrast '" + expression + "' is not estimable with this design (events of "
                + eventsSource + ": a condition without events inside the run, or columns that are collinear with others)");
        }
        return c;
    }

    /** The weights as "column: weight" text, in design order. */
    public String describe(Design d, double[] c) {
        List<String> s = new ArrayList<>();
        for (int j = 0; j < c.length; j++) if (c[j] != 0) s.add(String.format(Locale.ROOT, "%s: %s", d.names().get(j), c[j]));
        return String.join(", ", s);
    }
}
