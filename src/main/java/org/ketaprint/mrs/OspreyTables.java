package org.ketaprint.mrs;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ketaprint.mrs.MrsResults.Metabolite;

/**
 * Osprey's quantification tables, as Osprey 2.9.2 writes them (github.com/schorschinho/osprey at 5cbf75c,
 * settings/version.json "Version": "2.9.2"; file names and columns the same since 2.0.0).
 *
 * <p>From Osprey's source:
 * <ul>
 * <li>{@code quantify/OspreyQuantify.m} saves into {@code <outputFolder>/QuantifyResults} (saveDestination) and
 *     {@code quantify/exportQuant.m} writes each table as
 *     {@code <SubSpectrum>_<quant>_Voxel_1_Basis_<n>.tsv}, quant one of {@code amplMets, tCr, rawWaterScaled,
 *     CSFWaterScaled, TissCorrWaterScaled, AlphaCorrWaterScaled, AlphaCorrWaterScaledGroupNormed}, plus
 *     {@code CRLB} and {@code h2oarea} only when the fit method is LCModel; the sub-spectrum is {@code A} for
 *     unedited data. tCr ratios are always computed; rawWaterScaled and the tissue-corrected tables only with
 *     water data.</li>
 * <li>{@code utilities/osp_WriteBIDsTable.m}: MATLAB {@code writetable(..., 'Delimiter', '\t')}: a header line of
 *     metabolite names, then one row per dataset in Osprey's dataset order (rows of excluded datasets removed,
 *     osp_createTable), no dataset column; a JSON sidecar gives units.</li>
 * <li>rawWaterScaled (OspreyQuantify.m quantH2O): amplitude / water amplitude x 55500 mmol/L x water visibility
 *     0.65 x T1 and T2 factors (GM/WM means): "Signal of %s represented as a ratio to the water peak", units
 *     arbitrary, no tissue correction. TissCorrWaterScaled is the Gasparovic tissue-corrected molal value.</li>
 * <li>tCr (quantCr): amplitude / (Cr + PCr amplitude), or / Cr or / PCr when only one is in the basis.</li>
 * <li>Combined names (OspreyQuantify.m): tNAA (NAA+NAAG), Glx (Glu+Gln), tCho (GPC+PCh), tCr (Cr+PCr); LCModel's
 *     'Glu+Gln' and similar are renamed to these, others get '_' for '+' (LCMwrapper/readLCMFitParams.m).</li>
 * <li>{@code QM_processed_spectra.tsv} in the output folder (process/OspreyProcess.m calculate_QM): columns
 *     {@code NAA_SNR, NAA_FWHM} up to Osprey 2.1.0, {@code Cr_SNR, Cr_FWHM} from 2.2.0, then water_FWHM (with a
 *     water reference), residual_water_ampl, freqShift; FWHM units Hz. It is not filtered for excluded datasets.</li>
 * <li>CRLB: the {@code CRLB} table holds LCModel's %SD and exists only for LCModel fits; Osprey's own model
 *     exports none, so crlbPercent is then null.</li>
 * </ul>
 */
public final class OspreyTables {
    private OspreyTables() {
    }

    static final String QUANTIFY_FOLDER = "QuantifyResults";
    static final String QM = "QM_processed_spectra.tsv";
    static final String RAW = "rawWaterScaled";
    static final String TCR = "tCr";
    static final String CRLB = "CRLB";
    private static final Pattern TABLE = Pattern.compile(
        "(.+)_(amplMets|tCr|rawWaterScaled|CSFWaterScaled|TissCorrWaterScaled|AlphaCorrWaterScaled|AlphaCorrWaterScaledGroupNormed|CRLB|h2oarea)_Voxel_(\\d+)_Basis_(\\d+)\\.tsv");

    /**
     * Reads Osprey's tables for one dataset. {@code path}: Osprey's output folder (with {@code QuantifyResults/}),
     * the {@code QuantifyResults} folder, or one of its {@code .tsv} files (which picks the sub-spectrum and basis;
     * a folder means sub-spectrum A, Voxel 1, Basis 1, or the only rawWaterScaled table there is). {@code dataset}:
     * the row, from 1, in Osprey's dataset order; 0 means the tables must hold exactly one dataset.
     */
    public static MrsResults read(Path path, int dataset) {
        if (dataset < 0) throw MrsResults.error(path, "Osprey dataset " + dataset + ": rows count from 1");
        Path quantDir;
        Path output;
        String prefix;
        String basis;
        if (Files.isDirectory(path)) {
            Path sub = path.resolve(QUANTIFY_FOLDER);
            quantDir = Files.isDirectory(sub) ? sub : path;
            output = quantDir == sub ? path : parent(path);
            String[] pick = pick(quantDir);
            prefix = pick[0];
            basis = pick[1];
        } else {
            Matcher m = TABLE.matcher(path.getFileName().toString());
            if (!Files.exists(path)) throw MrsResults.error(path, "no such file (an Osprey quantification table)");
            if (!m.matches()) {
                throw MrsResults.error(path, "not an Osprey quantification table name (<SubSpectrum>_<quant>_Voxel_1_Basis_<n>.tsv)");
            }
            if (!m.group(3).equals("1")) throw MrsResults.error(path, "only Voxel_1 tables are read");
            quantDir = parent(path);
            output = parent(quantDir);
            prefix = m.group(1);
            basis = m.group(4);
        }
        List<String> notes = new ArrayList<>();
        Path rawFile = quantDir.resolve(name(prefix, RAW, basis));
        if (!Files.exists(rawFile)) {
            throw MrsResults.error(rawFile, "no such file: Osprey writes " + RAW + " only when given water data");
        }
        Tsv raw = Tsv.read(rawFile);
        int row = row(raw, dataset);
        Map<String, Double> conc = raw.row(row);

        Path tcrFile = quantDir.resolve(name(prefix, TCR, basis));
        Map<String, Double> ratios = null;
        if (Files.exists(tcrFile)) {
            Tsv t = Tsv.read(tcrFile);
            sameRows(raw, t);
            ratios = t.row(row);
        } else {
            notes.add("no " + tcrFile.getFileName() + ": ratioTcr left empty");
        }
        Path crlbFile = quantDir.resolve(name(prefix, CRLB, basis));
        Map<String, Double> crlb = null;
        if (Files.exists(crlbFile)) {
            Tsv t = Tsv.read(crlbFile);
            sameRows(raw, t);
            crlb = t.row(row);
        }

        List<Metabolite> rows = new ArrayList<>();
        for (Map.Entry<String, Double> e : conc.entrySet()) {
            String n = e.getKey();
            if (e.getValue() == null) {
                if (n.equalsIgnoreCase("Glu")) throw MrsResults.error(rawFile, "Glu has no value in row " + (row + 1));
                notes.add(n + " has no " + RAW + " value: left out");
                continue;
            }
            rows.add(new Metabolite(n, e.getValue(), crlb == null ? null : crlb.get(n), ratios == null ? null : ratios.get(n)));
        }
        Map<String, Metabolite> metabolites = MrsResults.withAliases(rows);
        MrsResults.requireGlu(rawFile, metabolites, "the " + RAW + " table");

        Double snr = null;
        Double fwhmHz = null;
        Path qmFile = output == null ? null : output.resolve(QM);
        if (qmFile != null && Files.exists(qmFile)) {
            Tsv qm = Tsv.read(qmFile);
            String peak = qm.header.contains("NAA_FWHM") ? "NAA" : qm.header.contains("Cr_FWHM") ? "Cr" : null;
            if (peak == null) {
                notes.add(QM + " has neither NAA_FWHM nor Cr_FWHM: FWHM and SNR left empty");
            } else if (qm.rows.size() != raw.rows.size()) {
                notes.add(QM + " has " + qm.rows.size() + " rows, " + rawFile.getFileName() + " " + raw.rows.size()
                    + " (Osprey leaves excluded datasets out of the quantification tables only): FWHM and SNR left empty");
            } else {
                Map<String, Double> q = qm.row(row);
                fwhmHz = q.get(peak + "_FWHM");
                snr = q.get(peak + "_SNR");
                if (peak.equals("Cr")) notes.add("Osprey (2.2.0 and later) reports the Cr peak's FWHM and SNR, not NAA's");
            }
        } else {
            notes.add("no " + QM + " in " + output + ": FWHM and SNR left empty");
        }
        if (crlb == null) notes.add("Osprey gives CRLBs only for LCModel fits: crlbPercent left empty");
        return new MrsResults(MrsResults.OSPREY, rawFile.toString(), metabolites, null, fwhmHz, snr, notes);
    }

    /** The folder holding {@code p}, relative when {@code p} is. */
    private static Path parent(Path p) {
        Path up = p.getParent();
        return up != null ? up : p.toAbsolutePath().getParent();
    }

    static String name(String prefix, String quant, String basis) {
        return prefix + "_" + quant + "_Voxel_1_Basis_" + basis + ".tsv";
    }

    /** Sub-spectrum and basis of the rawWaterScaled table in a folder: A and 1, or the only one there is. */
    private static String[] pick(Path dir) {
        TreeSet<String> found = new TreeSet<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*_" + RAW + "_Voxel_1_Basis_*.tsv")) {
            for (Path p : ds) found.add(p.getFileName().toString());
        } catch (IOException e) {
            throw MrsResults.error(dir, "cannot list the folder: " + e.getMessage());
        }
        if (found.contains(name("A", RAW, "1"))) return new String[] {"A", "1"};
        if (found.size() == 1) {
            Matcher m = TABLE.matcher(found.first());
            if (m.matches()) return new String[] {m.group(1), m.group(4)};
        }
        if (found.isEmpty()) {
            throw MrsResults.error(dir, "no *_" + RAW + "_Voxel_1_Basis_*.tsv (not Osprey's " + QUANTIFY_FOLDER
                + ", or Osprey had no water data)");
        }
        throw MrsResults.error(dir, "several " + RAW + " tables and none is A_..._Basis_1: name one (" + String.join(", ", found) + ")");
    }

    private static int row(Tsv t, int dataset) {
        if (t.rows.isEmpty()) throw MrsResults.error(t.file, "no dataset rows under the header");
        if (dataset == 0) {
            if (t.rows.size() != 1) {
                throw MrsResults.error(t.file, "holds " + t.rows.size() + " datasets: name the row (OspreyTables.read(path, row))");
            }
            return 0;
        }
        if (dataset > t.rows.size()) throw MrsResults.error(t.file, "has " + t.rows.size() + " datasets, not " + dataset);
        return dataset - 1;
    }

    private static void sameRows(Tsv raw, Tsv other) {
        if (other.rows.size() != raw.rows.size()) {
            throw MrsResults.error(other.file, "has " + other.rows.size() + " rows, " + raw.file.getFileName() + " has "
                + raw.rows.size());
        }
    }

    /** A tab-separated table as MATLAB's writetable writes it: a header line, then rows of numbers. */
    static final class Tsv {
        final Path file;
        final List<String> header;
        final List<String[]> rows = new ArrayList<>();
        final List<Integer> lineNumbers = new ArrayList<>();

        private Tsv(Path file, List<String> header) {
            this.file = file;
            this.header = header;
        }

        static Tsv read(Path file) {
            List<String> lines = MrsResults.lines(file, "an Osprey table");
            int first = 0;
            while (first < lines.size() && lines.get(first).isBlank()) first++;
            if (first == lines.size()) throw MrsResults.error(file, "empty file, not an Osprey table");
            List<String> header = new ArrayList<>();
            for (String h : lines.get(first).split("\t", -1)) header.add(h.trim());
            for (int j = 0; j < header.size(); j++) {
                if (header.get(j).isEmpty()) throw MrsResults.error(file, "line " + (first + 1) + ": column " + (j + 1) + " has no name");
                if (header.indexOf(header.get(j)) != j) {
                    throw MrsResults.error(file, "line " + (first + 1) + ": column " + header.get(j) + " appears twice");
                }
            }
            Tsv t = new Tsv(file, header);
            for (int i = first + 1; i < lines.size(); i++) {
                if (lines.get(i).isBlank()) continue;
                String[] f = lines.get(i).split("\t", -1);
                if (f.length != header.size()) {
                    throw MrsResults.error(file, "line " + (i + 1) + " has " + f.length + " fields, the header has "
                        + header.size() + (f.length < header.size() ? " (truncated?)" : ""));
                }
                t.rows.add(f);
                t.lineNumbers.add(i + 1);
            }
            return t;
        }

        /** Row {@code i} (from 0) by column name; null for an empty or NaN cell. */
        Map<String, Double> row(int i) {
            Map<String, Double> m = new LinkedHashMap<>();
            String[] f = rows.get(i);
            for (int j = 0; j < header.size(); j++) {
                String v = f[j].trim();
                m.put(header.get(j), v.isEmpty() || v.equalsIgnoreCase("NaN") ? null
                    : MrsResults.number(file, lineNumbers.get(i), header.get(j), v));
            }
            return m;
        }
    }
}
