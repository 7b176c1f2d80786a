package org.ketaprint.mrs;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ketaprint.mrs.MrsResults.Metabolite;

/**
 * LCModel's short output, the {@code .table} file (control parameter FILTAB), as LCModel 6.3-1N writes it.
 *
 * <p>Layout, from LCModel's Fortran source ({@code source/LCModel.f}, version_lcm = '6.3-1N', as published in
 * github.com/schorschinho/LCModel at c9d95ff, "as downloaded from the LCModel website"): a version and title line
 * (FORMAT 5580), then four sections, each opened by a line that gives its own length:
 * <pre>
 * $$CONC 14 lines in following concentration table = NCONC+1      (FORMAT 6581: the header line + one per row)
 *     Conc.  %SD /Cr+PCr  Metabolite                              (FORMAT 5584; 5585 for a 4-letter reference: "   /Cr    ")
 *  9.204     4%   1.154 Glu                                       (row: F8.3 or 1PE8.2, I4,'%', F8.3 or 1PE8.1, ' ', name)
 * $$MISC  6 lines in following misc. output table                 (FORMAT 5662)
 *   FWHM = 0.056 ppm    S/N =  22                                 (FORMAT 5591: F6.3, I4)
 * $$DIAG  1 lines in following diagnostic table:                  (FORMAT 5122)
 * $$INPU  9 lines in following table of input changes:            (FORMAT 5132: the control file's lines)
 * </pre>
 * Facts the reader relies on, with their place in LCModel.f (subroutine FINOUT unless said):
 * <ul>
 * <li>A number is printed in E form when |x| &gt; 999.999 or |x| &lt; 0.0995 and x is not 0 (statement function
 *     EFORM), else F8.3; a zero concentration prints as {@code 0.000} with %SD 999. Other writers of this format
 *     print {@code 0.000E+00}; both are read.</li>
 * <li>%SD is NINT(min(100 * SD / Conc., 999)); a concentration of 0 or less is printed as 0 with %SD 999
 *     ({@code IPCERR}). It is the CRLB in percent.</li>
 * <li>The column after %SD is the ratio to NAMREL (default 'Cr'; LCModel uses 'Cr+PCr' or 'Cre+PCr' instead when
 *     that combination is in the table), so the header reads {@code /Cr+PCr} or {@code /Cr}. Both are read as the
 *     ratio to total creatine; any other reference (set by NAMREL) leaves ratioTcr null with a note.</li>
 * <li>Between the ratio and the name LCModel prints {@code +} or {@code -} instead of the space when the
 *     row's soft prior on a concentration ratio (NRATIO/CHRATO) is exceeded above or below ({@code fmtpm}); the
 *     flag is kept as a note, not as part of the name.</li>
 * <li>Combinations (CHCOMB: 'GPC+PCh', 'NAA+NAAG', 'Cr+PCr', 'Glu+Gln', ...) are rows like any other; their
 *     names keep the '+'.</li>
 * <li>The FWHM line is the first of $$MISC; S/N is -1 when LCModel could not compute it (ERRMES 6).</li>
 * <li>Conc. is scaled to the water reference when water scaling ran (DOWS=T), with WCONC (default 35880) and
 *     the attenuation factors ATTH2O (default 0.7) and ATTMET (default 1): with ATTH2O = ATTMET = 1 it is the
 *     water-scaled value without relaxation correction. When $$INPU shows otherwise the reader adds a note.</li>
 * </ul>
 * The reader requires a complete $$CONC table (all the lines its first line announces), a Glu row, and the
 * FWHM line of $$MISC. $$DIAG lines become notes.
 */
public final class LcmodelTable {
    private LcmodelTable() {
    }

    private static final Pattern CONC = Pattern.compile("^\\s*\\$\\$CONC\\s*(\\d+)\\b.*");
    private static final Pattern SECTION = Pattern.compile("^\\s*\\$\\$(\\w+)\\s*(\\d+)?\\b.*");
    private static final Pattern HEADER = Pattern.compile("^\\s*Conc\\.\\s+%SD\\s+/\\s*(\\S*)\\s+Metab(olite|\\.)\\s*$");
    private static final Pattern SD = Pattern.compile("(\\d+)%");
    /** A number at the start of a token, as LCModel prints it (F or E form). */
    private static final Pattern LEADING_NUMBER = Pattern.compile("^[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");
    private static final Pattern FWHM = Pattern.compile("FWHM\\s*=\\s*(\\S+)\\s*ppm\\s+S/N\\s*=\\s*(\\S+)");
    private static final Pattern SETTING = Pattern.compile("(?i)\\b(atth2o|attmet|wconc|dows|iaverg)\\s*=\\s*([^,\\s]+)");

    /** Reads an LCModel {@code .table} file; errors are one line naming the file. */
    public static MrsResults read(Path table) {
        final String what = "an LCModel .table file";
        List<String> lines = MrsResults.lines(table, what);
        if (lines.stream().allMatch(String::isBlank)) throw MrsResults.error(table, "empty file, not " + what);
        List<String> notes = new ArrayList<>();

        int c = find(lines, 0, "CONC");
        if (c < 0) {
            int d = find(lines, 0, "DIAG");
            throw MrsResults.error(table, "no $$CONC section (not " + what
                + (d >= 0 ? ", or LCModel stopped before the fit; its $$DIAG says: " + diagnostics(lines, d) : "") + ")");
        }
        Matcher cm = CONC.matcher(lines.get(c));
        if (!cm.matches()) throw MrsResults.error(table, "line " + (c + 1) + ": $$CONC without its line count");
        int announced = Integer.parseInt(cm.group(1));
        if (announced < 1) throw MrsResults.error(table, "line " + (c + 1) + ": $$CONC announces " + announced + " lines");
        int h = c + 1;
        if (h >= lines.size()) throw truncated(table, announced, 0);
        Matcher hm = HEADER.matcher(lines.get(h));
        if (!hm.matches()) {
            throw MrsResults.error(table, "line " + (h + 1) + ": expected the column header 'Conc.  %SD /Cr+PCr  Metabolite', found '"
                + MrsResults.shorten(lines.get(h).trim()) + "'");
        }
        String reference = hm.group(1);
        boolean tcrRatio = isTotalCreatine(reference);
        if (!tcrRatio) {
            notes.add("LCModel's ratio column is /" + reference + ", not total creatine: ratioTcr left empty");
        } else if (reference.equalsIgnoreCase("Cr") || reference.equalsIgnoreCase("Cre")) {
            notes.add("LCModel's ratio column is /" + reference + " (no Cr+PCr row to refer to): read as the ratio to total creatine");
        }

        // a file cut short is told as such before any half-written row is read
        for (int k = 1; k < announced; k++) {
            int i = h + k;
            if (i >= lines.size() || lines.get(i).isBlank() || lines.get(i).trim().startsWith("$$")) {
                throw truncated(table, announced, k - 1);
            }
        }
        int m = find(lines, h + announced, "MISC");
        if (m < 0) throw MrsResults.error(table, "no $$MISC section after the $$CONC table (truncated?)");
        List<Metabolite> rows = new ArrayList<>();
        for (int k = 1; k < announced; k++) rows.add(row(table, h + k + 1, lines.get(h + k), tcrRatio, notes));
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Metabolite r : rows) {
            if (!seen.add(r.name())) notes.add("LCModel's table has two rows named " + r.name() + ": the first is kept");
        }
        Map<String, Metabolite> metabolites = MrsResults.withAliases(rows);
        MrsResults.requireGlu(table, metabolites, "the $$CONC table");

        Double fwhmPpm = null;
        Double snr = null;
        int miscLines = count(lines.get(m));
        int end = Math.min(lines.size(), m + 1 + Math.max(miscLines, 1));
        for (int i = m + 1; i < end; i++) {
            String line = lines.get(i);
            if (line.trim().startsWith("$$")) break;
            Matcher f = FWHM.matcher(line);
            if (f.find()) {
                fwhmPpm = MrsResults.number(table, i + 1, "FWHM (ppm)", f.group(1));
                snr = MrsResults.number(table, i + 1, "S/N", f.group(2));
                break;
            }
        }
        if (fwhmPpm == null) {
            throw MrsResults.error(table, "the $$MISC section (line " + (m + 1) + ") has no 'FWHM = ... ppm    S/N = ...' line"
                + (m + 1 >= lines.size() ? " (truncated?)" : ""));
        }
        if (snr < 0) {
            notes.add("LCModel could not compute S/N (printed " + snr.intValue() + "): snr left empty");
            snr = null;
        }

        int d = find(lines, m + 1, "DIAG");
        if (d >= 0) {
            String diag = diagnostics(lines, d);
            if (!diag.isEmpty()) notes.add("LCModel $$DIAG: " + diag);
        } else {
            notes.add("no $$DIAG section after $$MISC: the file may have been cut short (the concentrations and $$MISC are complete)");
        }
        int in = find(lines, Math.max(m + 1, d + 1), "INPU");
        if (in >= 0) {
            settingsNotes(sectionBody(lines, in), notes);
        } else {
            notes.add("no $$INPU section: whether Conc. includes ATTH2O or ATTMET cannot be checked");
        }
        return new MrsResults(MrsResults.LCMODEL, table.toString(), metabolites, fwhmPpm, null, snr, notes);
    }

    /** Whether the ratio column's reference is total creatine: Cr+PCr (any order, Cr or Cre), tCr, or Cr alone. */
    static boolean isTotalCreatine(String reference) {
        String r = reference.trim();
        if (r.equalsIgnoreCase("Cr") || r.equalsIgnoreCase("Cre") || r.equalsIgnoreCase("tCr")) return true;
        return "tCr".equals(MrsResults.normalised(r));
    }

    /** One row of the concentration table (line number {@code n}, from 1). */
    private static Metabolite row(Path table, int n, String line, boolean tcrRatio, List<String> notes) {
        String[] t = line.trim().split("\\s+");
        if (t.length < 3) {
            throw MrsResults.error(table, "line " + n + ": a $$CONC row needs 'Conc. %SD ratio name', found '"
                + MrsResults.shorten(line.trim()) + "'");
        }
        double conc = MrsResults.number(table, n, "Conc.", t[0]);
        Matcher sd = SD.matcher(t[1]);
        if (!sd.matches()) {
            throw MrsResults.error(table, "line " + n + ": %SD '" + MrsResults.shorten(t[1]) + "' is not a whole number followed by %");
        }
        double crlb = Double.parseDouble(sd.group(1));
        String ratioText;
        String name;
        char flag = ' ';
        if (t.length >= 4 && MrsResults.isNumber(t[2])) {
            ratioText = t[2];
            name = String.join(" ", java.util.Arrays.copyOfRange(t, 3, t.length));
        } else if (t.length == 3 && MrsResults.isNumber(t[2])) {
            throw MrsResults.error(table, "line " + n + ": a $$CONC row without a metabolite name");
        } else {
            // the ratio and the name joined by LCModel's '+'/'-' flag for a ratio prior exceeded (FINOUT, fmtpm)
            Matcher lead = LEADING_NUMBER.matcher(t[2]);
            String rest = lead.find() ? t[2].substring(lead.end()) : "";
            if (t.length != 3 || rest.length() < 2 || (rest.charAt(0) != '+' && rest.charAt(0) != '-')) {
                throw MrsResults.error(table, "line " + n + ": ratio '" + MrsResults.shorten(t[2]) + "' is not a number");
            }
            ratioText = lead.group();
            flag = rest.charAt(0);
            name = rest.substring(1);
        }
        double ratio = MrsResults.number(table, n, "ratio", ratioText);
        if (flag != ' ') {
            notes.add("LCModel flagged " + name + " (" + flag + "): its concentration ratio prior was exceeded "
                + (flag == '+' ? "above" : "below"));
        }
        return new Metabolite(name, conc, crlb, tcrRatio ? ratio : null);
    }

    /** The $$CONC table ends before the rows its first line announces. */
    private static org.ketaprint.KetaprintException truncated(Path table, int announced, int rowsFound) {
        return MrsResults.error(table, "$$CONC announces " + (announced - 1) + " rows after its header, the file has "
            + rowsFound + " (truncated?)");
    }

    /** Index of the first line at or after {@code from} opening section {@code $$name}, or -1. */
    private static int find(List<String> lines, int from, String name) {
        for (int i = Math.max(0, from); i < lines.size(); i++) {
            Matcher s = SECTION.matcher(lines.get(i));
            if (s.matches() && s.group(1).equalsIgnoreCase(name)) return i;
        }
        return -1;
    }

    /** The line count a section's first line announces, or -1. */
    private static int count(String sectionLine) {
        Matcher s = SECTION.matcher(sectionLine);
        return s.matches() && s.group(2) != null ? Integer.parseInt(s.group(2)) : -1;
    }

    /** The lines a section announces (fewer if the file ends or another section starts first). */
    private static List<String> sectionBody(List<String> lines, int start) {
        int n = count(lines.get(start));
        List<String> body = new ArrayList<>();
        for (int i = start + 1; i < lines.size() && (n < 0 || body.size() < n); i++) {
            if (lines.get(i).trim().startsWith("$$")) break;
            body.add(lines.get(i));
        }
        return body;
    }

    private static String diagnostics(List<String> lines, int d) {
        List<String> out = new ArrayList<>();
        for (String l : sectionBody(lines, d)) {
            if (!l.isBlank()) out.add(l.trim().replaceAll("\\s+", " "));
        }
        return String.join("; ", out);
    }

    /** Notes on the control settings that decide what Conc. is (DOWS, ATTH2O, ATTMET), from $$INPU. */
    private static void settingsNotes(List<String> input, List<String> notes) {
        Map<String, String> set = new LinkedHashMap<>();
        for (String l : input) {
            Matcher s = SETTING.matcher(l);
            while (s.find()) set.put(s.group(1).toLowerCase(Locale.ROOT), s.group(2).replace("'", "").replace("\"", ""));
        }
        String dows = set.getOrDefault("dows", "").toLowerCase(Locale.ROOT);
        String iaverg = set.getOrDefault("iaverg", "").trim();
        boolean waterScaled = dows.startsWith("t") || dows.startsWith(".t") || iaverg.equals("1") || iaverg.equals("4");
        if (!waterScaled) {
            notes.add("$$INPU does not set DOWS=T: Conc. may not be scaled to water (LCModel's default is DOWS=F)");
        }
        attenuation(set, "atth2o", 0.7, notes);
        attenuation(set, "attmet", 1.0, notes);
    }

    private static void attenuation(Map<String, String> set, String key, double lcmodelDefault, List<String> notes) {
        String v = set.get(key);
        Double value = null;
        if (v != null) {
            String t = v.replaceAll("[dD]", "E");
            if (t.endsWith(".")) t = t + "0";
            if (MrsResults.isNumber(t)) value = Double.parseDouble(t);
        }
        double used = value != null ? value : lcmodelDefault;
        if (Math.abs(used - 1.0) > 1e-6) {
            notes.add("Conc. includes LCModel's " + key.toUpperCase(Locale.ROOT) + " = " + used
                + (value == null ? " (its default; not set in $$INPU)" : "")
                + ": not the uncorrected water-scaled value (that needs ATTH2O = ATTMET = 1)");
        }
    }
}
