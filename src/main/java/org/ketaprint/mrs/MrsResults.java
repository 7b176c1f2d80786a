package org.ketaprint.mrs;

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
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.ketaprint.InputFiles;
import org.ketaprint.KetaprintException;

/**
 * The fitting results of one single-voxel spectrum, as one of three MRS fitting tools wrote them: LCModel's
 * {@code .table} ({@link LcmodelTable}), an FSL-MRS results folder ({@link FslMrsResults}) or Osprey's
 * quantification tables ({@link OspreyTables}).
 *
 * <p>{@code metabolites} is keyed by the tool's own names (LCModel {@code Glu+Gln}, {@code Cr+PCr}; Osprey {@code Glx},
 * {@code tCr}; ...) and also by the normalised names {@code Glx}, {@code tCr}, {@code tNAA} and {@code tCho} when the
 * tool's own name is a combination of Glu and Gln, of Cr (or Cre) and PCr, of NAA and NAAG, or of GPC and PCh (or
 * PCho), whatever the order or separator ({@code +}, or the {@code _} Osprey puts in LCModel's names). The alias
 * key maps to the same {@link Metabolite}, whose {@code name} stays the tool's own. A name the tool writes itself
 * always wins over an alias. {@link #metabolite(String)} looks a name up, exactly first, then ignoring case.
 *
 * <p>Units: {@code concentration} is each tool's water-scaled value without tissue correction (LCModel's
 * {@code Conc.}, FSL-MRS's {@code mMol/kg}, Osprey's {@code rawWaterScaled}); they are not the same quantity
 * across tools (see each reader). {@code crlbPercent} is the Cramér-Rao lower bound as a percentage of the
 * estimate (LCModel's {@code %SD}, capped at 999 by the tools that cap it), null when the tool gives none.
 * {@code ratioTcr} is the estimate divided by total creatine, null when the tool's ratio is to something else.
 * {@code fwhmPpm} is set by LCModel (which reports ppm), {@code fwhmHz} by FSL-MRS and Osprey (which report Hz);
 * the other is null. Signal-to-noise is each tool's own definition. {@code notes} says what the reader noticed
 * (a tissue-corrected input, a ratio to another reference, LCModel diagnostics, ...).
 */
public record MrsResults(String tool, String source, Map<String, Metabolite> metabolites, Double fwhmPpm,
                         Double fwhmHz, Double snr, List<String> notes) {

    /** LCModel; {@link #read(Path, String)} also takes "lcm". */
    public static final String LCMODEL = "lcmodel";
    /** FSL-MRS; {@link #read(Path, String)} also takes "fsl", "fslmrs", "fsl_mrs". */
    public static final String FSL_MRS = "fsl-mrs";
    /** Osprey. */
    public static final String OSPREY = "osprey";

    /**
     * One metabolite (or a combination the tool summed): its name as the tool wrote it, the water-scaled
     * concentration, the CRLB in percent (null: not given), the ratio to total creatine (null: not given).
     */
    public record Metabolite(String name, double concentration, Double crlbPercent, Double ratioTcr) {
    }

    public MrsResults {
        metabolites = Collections.unmodifiableMap(new LinkedHashMap<>(metabolites));
        notes = List.copyOf(notes);
    }

    /**
     * Reads {@code resultsFileOrFolder} as {@code tool} wrote it: "lcmodel" (a {@code .table} file), "fsl-mrs"
     * (the folder {@code fsl_mrs --output} names, or its {@code summary.csv}), "osprey" (Osprey's output folder,
     * its {@code QuantifyResults} folder, or one of the quantification {@code .tsv} files there; the tables must
     * hold one dataset, see {@link OspreyTables#read(Path, int)} for more). Errors are one line naming the file.
     */
    public static MrsResults read(Path resultsFileOrFolder, String tool) {
        if (resultsFileOrFolder == null) throw new KetaprintException("MRS results: no file or folder given");
        String t = tool == null ? "" : tool.trim().toLowerCase(Locale.ROOT);
        switch (t) {
            case "lcmodel", "lcm":
                return LcmodelTable.read(resultsFileOrFolder);
            case "fsl-mrs", "fsl", "fslmrs", "fsl_mrs":
                return FslMrsResults.read(resultsFileOrFolder);
            case "osprey":
                return OspreyTables.read(resultsFileOrFolder, 0);
            default:
                throw new KetaprintException(KetaprintException.oneLine(resultsFileOrFolder + ": unknown MRS tool '"
                    + tool + "' (expected lcmodel, fsl-mrs or osprey)"));
        }
    }

    /** The metabolite named {@code name} (the tool's own name or a normalised one), or null. */
    public Metabolite metabolite(String name) {
        Metabolite m = metabolites.get(name);
        if (m != null || name == null) return m;
        for (Map.Entry<String, Metabolite> e : metabolites.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) return e.getValue();
        }
        return null;
    }

    // ---------------------------------------------------------------- shared by the three readers

    /** Normalised names of combinations, by their parts (lower case). */
    private static final Map<Set<String>, String> COMBINED = Map.of(
        Set.of("glu", "gln"), "Glx",
        Set.of("cr", "pcr"), "tCr",
        Set.of("cre", "pcr"), "tCr",
        Set.of("naa", "naag"), "tNAA",
        Set.of("gpc", "pch"), "tCho",
        Set.of("gpc", "pcho"), "tCho");

    /**
     * The normalised name of a tool's name, or null when it has none other than itself: "Glu+Gln", "Gln+Glu",
     * "Glu_Gln" give "Glx"; "Cr+PCr", "Cre+PCr", "PCr+Cr", "Cr_PCr" give "tCr"; and so on.
     */
    static String normalised(String toolName) {
        String[] parts = toolName.split("[+_]");
        if (parts.length != 2) return null;
        Set<String> key = new TreeSet<>();
        for (String p : parts) key.add(p.trim().toLowerCase(Locale.ROOT));
        return COMBINED.get(key);
    }

    /**
     * The metabolite map the readers return: each metabolite under its own name, then under its normalised name
     * when it has one the tool did not write itself (first combination wins).
     */
    static Map<String, Metabolite> withAliases(List<Metabolite> rows) {
        Map<String, Metabolite> m = new LinkedHashMap<>();
        for (Metabolite r : rows) m.putIfAbsent(r.name(), r);
        for (Metabolite r : rows) {
            String alias = normalised(r.name());
            if (alias != null) m.putIfAbsent(alias, r);
        }
        return m;
    }

    /** Refuses results without glutamate (by name Glu, any case): ketaprint's MRS measures need it. */
    static void requireGlu(Path file, Map<String, Metabolite> metabolites, String where) {
        for (String k : metabolites.keySet()) {
            if (k.equalsIgnoreCase("Glu")) return;
        }
        throw error(file, "no Glu in " + where + " (found: " + String.join(", ", ownNames(metabolites)) + ")");
    }

    private static List<String> ownNames(Map<String, Metabolite> metabolites) {
        List<String> names = new ArrayList<>();
        for (Map.Entry<String, Metabolite> e : metabolites.entrySet()) {
            if (e.getKey().equals(e.getValue().name())) names.add(e.getKey());
        }
        return names.isEmpty() ? List.of("nothing") : names.size() > 30 ? names.subList(0, 30) : names;
    }

    /** "file: problem" on one line. */
    static KetaprintException error(Path file, String problem) {
        return new KetaprintException(KetaprintException.oneLine(file + ": " + problem));
    }

    /** Plain decimal or E notation, nothing else (Java's parser would also take "1d", "0x1p3", "Infinity"). */
    private static final Pattern NUMBER = Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");

    /** Whether {@code s} is a number {@link #number} reads. */
    static boolean isNumber(String s) {
        return NUMBER.matcher(s).matches();
    }

    /** {@code s} as a finite number, or an error naming the file, line and what the number is. */
    static double number(Path file, int line, String what, String s) {
        String t = s.trim();
        if (NUMBER.matcher(t).matches()) {
            double v = Double.parseDouble(t);
            if (Double.isFinite(v)) return v;
        }
        throw error(file, "line " + line + ": " + what + " '" + shorten(t) + "' is not a number");
    }

    static String shorten(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    /** Files bigger than this are refused: results tables are kilobytes. */
    static final long MAX_BYTES = 64L << 20;

    /** The lines of a text file (UTF-8, malformed bytes replaced, a byte-order mark dropped, CR LF or LF). */
    static List<String> lines(Path file, String what) {
        InputFiles.requireRegular(file);
        if (!Files.exists(file)) throw error(file, "no such file (" + what + ")");
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_BYTES) throw error(file, "over " + (MAX_BYTES >> 20) + " MiB, not " + what);
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw error(file, "cannot read " + what + ": " + e.getMessage());
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (text.startsWith("\uFEFF")) text = text.substring(1);
        List<String> out = new ArrayList<>(List.of(text.split("\r?\n|\r", -1)));
        if (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) out.remove(out.size() - 1);
        return out;
    }
}
