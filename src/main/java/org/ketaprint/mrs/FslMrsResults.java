package org.ketaprint.mrs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ketaprint.mrs.MrsResults.Metabolite;

/**
 * The results folder of FSL-MRS's {@code fsl_mrs} (its {@code --output}), as FSL-MRS 2.4.11 writes it; the same
 * columns since 2.0.0 (github.com/wtclarke/fsl_mrs, tag 2.4.11, commit 398fccd).
 *
 * <p>{@code fsl_mrs/scripts/fsl_mrs.py} writes, among others, {@code summary.csv} (Results.to_file what='summary'),
 * {@code qc.csv} (what='qc') and, when it quantified against water, {@code quantification_info.csv}. From
 * {@code fsl_mrs/utils/results.py} (Results.to_file, pandas {@code to_csv(index=False)}, so missing values are
 * empty cells):
 * <ul>
 * <li>{@code summary.csv} columns: {@code Metab}; then {@code /Cr+PCr} and {@code /Cr+PCr CRLB} (the internal
 *     reference, '/' + '+'.join(--internal_ref), default Cr PCr) or, without internal scaling, {@code Raw conc} and
 *     {@code Raw CRLB}; {@code mMol/kg} and {@code mMol/kg CRLB} (molality, only when water scaling ran);
 *     {@code mM} and {@code mM CRLB} (molarity, likewise); {@code %CRLB} (percent, capped at 999 "like LCModel",
 *     999 also for a zero estimate); {@code SNR} and {@code FWHM} merged in from the QC (empty for combined
 *     metabolites such as {@code Glu+Gln}, which --combine adds under names joined by '+').</li>
 * <li>{@code qc.csv} columns: {@code Metab}, {@code SNR} (matched-filter SNR of each metabolite's peak),
 *     {@code FWHM} (in Hz: Results.getQCParams "Returns peak wise SNR and FWHM (in Hz)"; utils/qc.py measures
 *     the width in points times bandwidth / points).</li>
 * <li>{@code mMol/kg} is written only when a water reference (--h2o) and TE and TR were available (fsl_mrs.py);
 *     it is tissue-corrected only when --tissue_frac was given: utils/quantify.py QuantificationInfo, "Tissue
 *     fractions - if not provided pure water concentration assumed". {@code quantification_info.csv}'s column
 *     {@code Tissue volume fractions} is then filled (empty otherwise).</li>
 * </ul>
 * The reader takes concentration = {@code mMol/kg} (the issue: FSL-MRS mMol/kg fitted without tissue fractions;
 * a note says when quantification_info.csv shows fractions were used), crlbPercent = {@code %CRLB}, ratioTcr =
 * the {@code /Cr+PCr} column, and SNR and FWHM (Hz) of the {@code NAA} row of qc.csv (of summary.csv's own SNR and
 * FWHM columns when there is no qc.csv).
 */
public final class FslMrsResults {
    private FslMrsResults() {
    }

    static final String SUMMARY = "summary.csv";
    static final String QC = "qc.csv";
    static final String QUANT_INFO = "quantification_info.csv";
    static final String MOLALITY = "mMol/kg";
    static final String CRLB = "%CRLB";
    /** The metabolite whose SNR and FWHM stand for the spectrum. */
    static final String LINEWIDTH_METABOLITE = "NAA";

    /** Reads an FSL-MRS results folder, or its {@code summary.csv}; errors are one line naming the file. */
    public static MrsResults read(Path folderOrSummary) {
        Path summary = Files.isDirectory(folderOrSummary) ? folderOrSummary.resolve(SUMMARY) : folderOrSummary;
        Path folder = summary.toAbsolutePath().getParent();
        if (Files.isDirectory(folderOrSummary) && !Files.exists(summary)) {
            throw MrsResults.error(folderOrSummary, "no " + SUMMARY + " (not an FSL-MRS results folder)");
        }
        List<String> notes = new ArrayList<>();
        Csv s = Csv.read(summary, "FSL-MRS's summary.csv");
        int metab = s.require("Metab");
        int conc = s.column(MOLALITY);
        if (conc < 0) {
            throw MrsResults.error(summary, "no '" + MOLALITY + "' column (FSL-MRS writes it only when fitted with a water "
                + "reference, TE and TR); columns: " + String.join(", ", s.header));
        }
        int crlb = s.require(CRLB);
        int ratio = -1;
        for (int j = 0; j < s.header.size(); j++) {
            String h = s.header.get(j);
            if (h.startsWith("/") && !h.endsWith(" CRLB")) {
                if (LcmodelTable.isTotalCreatine(h.substring(1))) {
                    ratio = j;
                } else {
                    notes.add("FSL-MRS's internal-reference column is " + h + ", not total creatine: ratioTcr left empty");
                }
            }
        }
        List<Metabolite> rows = new ArrayList<>();
        for (int i = 0; i < s.rows.size(); i++) {
            List<String> r = s.rows.get(i);
            int line = s.lineNumbers.get(i);
            String name = r.get(metab).trim();
            if (name.isEmpty()) throw MrsResults.error(summary, "line " + line + ": empty Metab");
            Double c = s.value(i, conc, MOLALITY + " of " + name);
            if (c == null) {
                if (name.equalsIgnoreCase("Glu")) throw MrsResults.error(summary, "line " + line + ": Glu has no " + MOLALITY + " value");
                notes.add(name + " has no " + MOLALITY + " value in " + SUMMARY + ": left out");
                continue;
            }
            rows.add(new Metabolite(name, c, s.value(i, crlb, CRLB + " of " + name),
                ratio >= 0 ? s.value(i, ratio, s.header.get(ratio) + " of " + name) : null));
        }
        Map<String, Metabolite> metabolites = MrsResults.withAliases(rows);
        MrsResults.requireGlu(summary, metabolites, SUMMARY);

        Double snr = null;
        Double fwhmHz = null;
        Path qcFile = folder.resolve(QC);
        Csv qc = null;
        if (Files.exists(qcFile)) {
            qc = Csv.read(qcFile, "FSL-MRS's qc.csv");
        } else if (s.column("SNR") >= 0 && s.column("FWHM") >= 0) {
            notes.add("no " + QC + " next to " + SUMMARY + ": SNR and FWHM taken from " + SUMMARY);
            qc = s;
        } else {
            notes.add("no " + QC + ": SNR and FWHM left empty");
        }
        if (qc != null) {
            int m = qc.require("Metab");
            int snrCol = qc.require("SNR");
            int fwhmCol = qc.require("FWHM");
            int row = -1;
            for (int i = 0; i < qc.rows.size() && row < 0; i++) {
                if (qc.rows.get(i).get(m).trim().equals(LINEWIDTH_METABOLITE)) row = i;
            }
            if (row < 0) {
                notes.add("no " + LINEWIDTH_METABOLITE + " row in " + qc.file.getFileName() + ": SNR and FWHM left empty");
            } else {
                snr = qc.value(row, snrCol, "SNR of " + LINEWIDTH_METABOLITE);
                fwhmHz = qc.value(row, fwhmCol, "FWHM of " + LINEWIDTH_METABOLITE);
            }
        }

        Path info = folder.resolve(QUANT_INFO);
        if (Files.exists(info)) {
            Csv q = Csv.read(info, "FSL-MRS's quantification_info.csv");
            int f = q.column("Tissue volume fractions");
            int tissue = q.header.isEmpty() ? -1 : 0;
            List<String> given = new ArrayList<>();
            for (int i = 0; f >= 0 && i < q.rows.size(); i++) {
                Double v = q.value(i, f, "tissue volume fraction");
                if (v != null) given.add((tissue >= 0 ? q.rows.get(i).get(tissue).trim() + " " : "") + v);
            }
            if (!given.isEmpty()) {
                notes.add(MOLALITY + " is already tissue-corrected: " + QUANT_INFO + " gives tissue volume fractions ("
                    + String.join(", ", given) + ")");
            }
        } else {
            notes.add("no " + QUANT_INFO + ": whether " + MOLALITY + " used tissue fractions cannot be checked");
        }
        return new MrsResults(MrsResults.FSL_MRS, summary.toString(), metabolites, null, fwhmHz, snr, notes);
    }

    /** A comma-separated table as pandas writes it: a header line, then rows; quoted fields allowed. */
    static final class Csv {
        final Path file;
        final List<String> header;
        final List<List<String>> rows = new ArrayList<>();
        /** The file's line number (from 1) of each row. */
        final List<Integer> lineNumbers = new ArrayList<>();

        private Csv(Path file, List<String> header) {
            this.file = file;
            this.header = header;
        }

        static Csv read(Path file, String what) {
            List<String> lines = MrsResults.lines(file, what);
            int first = 0;
            while (first < lines.size() && lines.get(first).isBlank()) first++;
            if (first == lines.size()) throw MrsResults.error(file, "empty file, not " + what);
            Csv c = new Csv(file, split(file, first + 1, lines.get(first)));
            for (int i = first + 1; i < lines.size(); i++) {
                if (lines.get(i).isBlank()) continue;
                List<String> r = split(file, i + 1, lines.get(i));
                if (r.size() != c.header.size()) {
                    throw MrsResults.error(file, "line " + (i + 1) + " has " + r.size() + " fields, the header has "
                        + c.header.size() + (r.size() < c.header.size() ? " (truncated?)" : ""));
                }
                c.rows.add(r);
                c.lineNumbers.add(i + 1);
            }
            return c;
        }

        int column(String name) {
            for (int j = 0; j < header.size(); j++) {
                if (header.get(j).trim().equals(name)) return j;
            }
            return -1;
        }

        int require(String name) {
            int j = column(name);
            if (j < 0) throw MrsResults.error(file, "no '" + name + "' column; columns: " + String.join(", ", header));
            return j;
        }

        /** The number in row {@code i} (from 0) and column {@code j}; null when empty or NaN (pandas' missing). */
        Double value(int i, int j, String what) {
            String v = rows.get(i).get(j).trim();
            if (v.isEmpty() || v.equalsIgnoreCase("nan")) return null;
            return MrsResults.number(file, lineNumbers.get(i), what, v);
        }

        /** One CSV line's fields; "..." quoting with "" for a quote. */
        static List<String> split(Path file, int n, String line) {
            List<String> out = new ArrayList<>();
            StringBuilder f = new StringBuilder();
            boolean quoted = false;
            for (int k = 0; k < line.length(); k++) {
                char ch = line.charAt(k);
                if (quoted) {
                    if (ch == '"' && k + 1 < line.length() && line.charAt(k + 1) == '"') {
                        f.append('"');
                        k++;
                    } else if (ch == '"') {
                        quoted = false;
                    } else {
                        f.append(ch);
                    }
                } else if (ch == '"') {
                    quoted = true;
                } else if (ch == ',') {
                    out.add(f.toString());
                    f.setLength(0);
                } else {
                    f.append(ch);
                }
            }
            if (quoted) throw MrsResults.error(file, "line " + n + ": a quoted field is not closed (truncated?)");
            out.add(f.toString());
            return out;
        }
    }
}
