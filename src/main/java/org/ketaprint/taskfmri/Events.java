package org.ketaprint.taskfmri;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import org.ketaprint.KetaprintException;

/**
 * A BIDS {@code *_events.tsv}: {@code onset} and {@code duration} (seconds, required, numbers), {@code trial_type}
 * (optional: every event is then "dummy", as nilearn does) and {@code modulation} (optional amplitude, default 1).
 * As nilearn's {@code check_events}: an n/a onset or duration is an error (give 0 for an impulse); other columns are
 * ignored. Numbers are plain decimals (no hexadecimal, Java suffixes or Infinity); a column may appear once; the file must be
 * a regular file (a FIFO or device is refused before it is opened).
 */
public record Events(String source, List<Event> events, List<String> warnings) {

    /** One event. */
    public record Event(double onset, double duration, String trialType, double modulation) {
    }

    public static Events read(Path tsv) {
        String why = org.ketaprint.InputFiles.problem(tsv, "an events file");
        if (why != null) throw new KetaprintException(tsv + ": " + why);   // a FIFO would block, /dev/zero never end
        List<String> lines;
        try {
            lines = Files.readAllLines(tsv, StandardCharsets.UTF_8);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new KetaprintException(tsv + ": no such events file");
        } catch (java.nio.charset.MalformedInputException e) {
            throw new KetaprintException(tsv + ": cannot read events file: not UTF-8 text");
        } catch (IOException e) {
            throw new KetaprintException(tsv + ": cannot read events file (" + e.getClass().getSimpleName() + ")");
        }
        return parse(tsv.toString(), lines);
    }

    static Events parse(String source, List<String> lines) {
        List<String> rows = new ArrayList<>();
        for (String l : lines) if (!l.isBlank()) rows.add(l.endsWith("\r") ? l.substring(0, l.length() - 1) : l);
        if (rows.isEmpty()) throw new KetaprintException(source + ": empty events file (a header with onset and duration is needed)");
        String[] head = rows.get(0).split("\t", -1);
        if (head.length > 0 && head[0].startsWith("\uFEFF")) head[0] = head[0].substring(1);
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (String h : head) {
            if (!seen.add(h.trim())) throw new KetaprintException(source + ": column '" + h.trim() + "' appears twice");
        }
        int on = indexOf(head, "onset");
        int du = indexOf(head, "duration");
        int tt = indexOf(head, "trial_type");
        int mo = indexOf(head, "modulation");
        if (on < 0 || du < 0) {
            throw new KetaprintException(source + ": events file has no " + (on < 0 ? "onset" : "duration")
                + " column (columns: " + String.join(", ", head) + ")");
        }
        List<String> warnings = new ArrayList<>();
        if (tt < 0) warnings.add(source + ": no trial_type column; every event is condition 'dummy' (as nilearn)");
        List<Event> events = new ArrayList<>();
        List<Integer> naDuration = new ArrayList<>();
        for (int i = 1; i < rows.size(); i++) {
            String[] f = rows.get(i).split("\t", -1);
            if (f.length != head.length) {
                throw new KetaprintException(source + ": row " + i + " has " + f.length + " fields, the header " + head.length);
            }
            double onset = number(source, f[on], "onset", i);
            if (Double.isNaN(onset)) throw new KetaprintException(source + ": onset is n/a in row " + i);
            double duration = number(source, f[du], "duration", i);
            if (Double.isNaN(duration)) {
                naDuration.add(i);
                continue;
            }
            if (duration < 0) throw new KetaprintException(source + ": negative duration " + f[du] + " in row " + i);
            String type = tt < 0 ? "dummy" : f[tt].trim();
            if (type.isEmpty() || type.equals("n/a")) {
                throw new KetaprintException(source + ": trial_type is empty or n/a in row " + i);
            }
            double mod = mo < 0 ? 1.0 : number(source, f[mo], "modulation", i);
            if (Double.isNaN(mod)) throw new KetaprintException(source + ": modulation is n/a in row " + i);
            events.add(new Event(onset, duration, type, mod));
        }
        if (!naDuration.isEmpty()) {
            throw new KetaprintException(source + ": duration is n/a in " + naDuration.size() + " row(s) ("
                + rowsText(naDuration) + "); give each event its duration in seconds (0 models an impulse)");
        }
        if (events.isEmpty()) throw new KetaprintException(source + ": no events");
        return new Events(source, List.copyOf(events), List.copyOf(warnings));
    }

    private static String rowsText(List<Integer> rows) {
        List<String> s = new ArrayList<>();
        for (int i = 0; i < rows.size() && i < 10; i++) s.add(String.valueOf(rows.get(i)));
        return "row " + String.join(", ", s) + (rows.size() > 10 ? ", ..." : "");
    }

    private static int indexOf(String[] head, String name) {
        for (int i = 0; i < head.length; i++) if (head[i].trim().equals(name)) return i;
        return -1;
    }

    /** A plain decimal ("10", "-0.5", ".5", "1e3"): no hexadecimal ("0x1Ep0"), Java suffixes ("30d") or Infinity. */
    private static final java.util.regex.Pattern DECIMAL =
        java.util.regex.Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    private static double number(String source, String s, String column, int row) {
        String t = s.trim();
        if (t.isEmpty() || t.equalsIgnoreCase("n/a") || t.equalsIgnoreCase("nan")) return Double.NaN;
        double v = DECIMAL.matcher(t).matches() ? Double.parseDouble(t) : Double.NaN;
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            throw new KetaprintException(source + ": " + column + " '" + s + "' in row " + row + " is not a number");
        }
        return v;
    }

    /** The conditions in nilearn's order (np.unique: sorted). */
    public List<String> conditions() {
        TreeSet<String> s = new TreeSet<>();
        for (Event e : events) s.add(e.trialType());
        return new ArrayList<>(s);
    }

    /** onset, duration and modulation of one condition's events, in file order. */
    public double[][] of(String condition) {
        List<Event> c = events.stream().filter(e -> e.trialType().equals(condition)).toList();
        double[][] m = new double[3][c.size()];
        for (int i = 0; i < c.size(); i++) {
            m[0][i] = c.get(i).onset();
            m[1][i] = c.get(i).duration();
            m[2][i] = c.get(i).modulation();
        }
        return m;
    }

    /** Events starting at or after {@code end} seconds (they cannot enter the model), described for a warning. */
    public String pastEnd(double end) {
        long n = events.stream().filter(e -> e.onset() >= end).count();
        if (n == 0) return null;
        return String.format(Locale.ROOT, "%s: %d event(s) start at or after the end of the run (%.6g s) and are left out "
            + "of the model; events running past the end are cut there", source, n, end);
    }
}
