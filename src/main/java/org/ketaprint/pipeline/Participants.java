package org.ketaprint.pipeline;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.ketaprint.KetaprintException;
import org.ketaprint.table.Table;

/**
 * {@code BIDS_DIR/participants.tsv} as the group level joins it, with the clinical columns derived from the
 * pipeline's {@code clinical:} block. BIDS: {@code participant_id} holds {@code sub-<label>}; a bare label
 * ({@code 01}) or another case of the prefix ({@code SUB-01}) is read as {@code sub-<label>} with a warning. A
 * participant on two rows, or a column named twice, is an error. A row that joins no subject, and a subject
 * without a row, are warnings. Outcome scores are plain decimals in MADRS's range 0-60; anything else makes the
 * derived columns {@code n/a}, with the reason in {@link #notes}. Without an outcome column (or without the file)
 * the derived columns are all {@code n/a}, with a warning.
 */
final class Participants {
    /** The columns derived from the outcome scores, after participants.tsv's own. */
    static final List<String> DERIVED = List.of("madrs_pct_change", "responder", "remitter");
    /** The highest MADRS total (ten items scored 0-6). */
    static final double SCORE_MAX = 60;

    /** participants.tsv's columns other than participant_id, in its order. */
    final List<String> columns = new ArrayList<>();
    /** Rows by {@code sub-<label>}. */
    final Map<String, Map<String, String>> rows = new LinkedHashMap<>();
    /** Why a participant's derived columns are n/a: {participant_id, reason}. */
    final List<String[]> notes = new ArrayList<>();

    private final Path file;
    private final Map<String, String> settings;
    private final Map<String, Integer> lines = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> derived = new LinkedHashMap<>();
    private boolean outcomes;

    private Participants(Path file, Map<String, String> settings) {
        this.file = file;
        this.settings = settings;
    }

    /**
     * Reads {@code bidsRoot/participants.tsv} (absent: no rows); {@code subjects} are the dataset's subject labels,
     * {@code settings} the pipeline's clinical settings. Warnings go to {@code warn}.
     */
    static Participants read(Path bidsRoot, Set<String> subjects, Map<String, String> settings, Consumer<String> warn) {
        Participants p = new Participants(bidsRoot.resolve("participants.tsv"), settings);
        if (!Files.isRegularFile(p.file)) {
            warn.accept("no " + p.file + ": " + join(DERIVED, " and ") + " are n/a");
            return p;
        }
        Table t = Table.read(p.file);
        p.checkColumns(t.columns());
        List<Integer> lineNos = dataLines(p.file);
        Map<String, List<Integer>> seen = new LinkedHashMap<>();
        List<String> renamed = new ArrayList<>();
        List<String> noId = new ArrayList<>();
        for (int i = 0; i < t.rows().size(); i++) {
            Map<String, String> r = t.rows().get(i);
            int line = i < lineNos.size() ? lineNos.get(i) : i + 2;
            String raw = r.get("participant_id");
            if (Table.isNa(raw)) {
                noId.add("line " + line);
                continue;
            }
            String id = normalise(raw);
            if (!id.equals(raw)) renamed.add("'" + raw + "' (line " + line + ")");
            seen.computeIfAbsent(id, k -> new ArrayList<>()).add(line);
            r.put("participant_id", id);
            p.rows.put(id, r);
            p.lines.putIfAbsent(id, line);
        }
        List<String> dups = new ArrayList<>();
        seen.forEach((id, ls) -> {
            if (ls.size() > 1) dups.add(id + " on lines " + join(ls.stream().map(String::valueOf).toList(), " and "));
        });
        if (!dups.isEmpty()) {
            throw new KetaprintException(p.file + ": participant " + String.join("; ", dups)
                + ": one row per participant (BIDS), merge or remove the others");
        }
        if (!noId.isEmpty()) warn.accept(p.file + ": rows without participant_id ignored: " + list(noId));
        if (!renamed.isEmpty()) {
            warn.accept(p.file + ": participant_id holds sub-<label> (BIDS); read as sub-<label>: " + list(renamed));
        }
        List<String> stray = new ArrayList<>();
        for (String id : p.rows.keySet()) {
            if (subjects.contains(id.substring(4))) continue;
            String near = subjects.stream().filter(s -> s.equalsIgnoreCase(id.substring(4))).findFirst().orElse(null);
            stray.add(id + " (line " + p.lines.get(id) + (near == null ? "" : "; labels are case-sensitive: sub-" + near + "?") + ")");
        }
        if (!stray.isEmpty()) warn.accept(p.file + ": rows that join no subject of the dataset: " + list(stray));
        List<String> missing = subjects.stream().map(s -> "sub-" + s).filter(s -> !p.rows.containsKey(s)).toList();
        if (!missing.isEmpty()) warn.accept(p.file + ": subjects without a row (n/a in its columns): " + list(missing));
        List<String> absent = new ArrayList<>();
        for (String key : List.of("baseline_column", "followup_column")) {
            if (!p.columns.contains(settings.get(key))) absent.add("'" + settings.get(key) + "' (the pipeline's clinical: " + key + ")");
        }
        p.outcomes = absent.isEmpty();
        if (!p.outcomes) {
            warn.accept(p.file + ": no column " + String.join(" nor ", absent) + ": " + join(DERIVED, " and ") + " are n/a");
        }
        return p;
    }

    /** participant_id as BIDS writes it: {@code sub-<label>}, the prefix added or its case mended. */
    static String normalise(String id) {
        if (id.startsWith("sub-")) return id;
        if (id.toLowerCase(Locale.ROOT).startsWith("sub-")) return "sub-" + id.substring(4);
        return "sub-" + id;
    }

    private void checkColumns(List<String> header) {
        Map<String, List<Integer>> at = new LinkedHashMap<>();
        for (int i = 0; i < header.size(); i++) at.computeIfAbsent(header.get(i), k -> new ArrayList<>()).add(i + 1);
        List<String> dups = new ArrayList<>();
        at.forEach((c, is) -> {
            if (is.size() > 1) dups.add("'" + c + "' (columns " + join(is.stream().map(String::valueOf).toList(), " and ") + ")");
        });
        if (!dups.isEmpty()) throw new KetaprintException(file + ": column named more than once: " + String.join(", ", dups));
        if (!at.containsKey("participant_id")) throw new KetaprintException(file + ": no participant_id column");
        for (String c : header) if (!c.equals("participant_id")) columns.add(c);
    }

    /** The line numbers of the rows Table.read returns (blank lines skipped; the header is line 1). */
    private static List<Integer> dataLines(Path p) {
        List<Integer> out = new ArrayList<>();
        try {
            List<String> all = Files.readAllLines(p, StandardCharsets.UTF_8);
            for (int i = 1; i < all.size(); i++) if (!all.get(i).isBlank()) out.add(i + 1);
        } catch (IOException e) {
            throw new KetaprintException(p + ": cannot read: " + e.getMessage());
        }
        return out;
    }

    /**
     * The derived columns of participant {@code id}: percent change of the outcome score, responder (reduction >=
     * responder_reduction of the baseline), remitter (follow-up <= remitter_max); n/a where a score is missing or
     * unusable (the reason then in {@link #notes}).
     */
    Map<String, String> derived(String id) {
        return derived.computeIfAbsent(id, this::derive);
    }

    private Map<String, String> derive(String id) {
        Map<String, String> c = new LinkedHashMap<>();
        for (String d : DERIVED) c.put(d, Table.NA);
        Map<String, String> p = rows.get(id);
        if (p == null || !outcomes) return c;
        List<String> why = new ArrayList<>();
        double b = score(p, settings.get("baseline_column"), why);
        double f = score(p, settings.get("followup_column"), why);
        double red = Double.parseDouble(settings.get("responder_reduction"));
        double rem = Double.parseDouble(settings.get("remitter_max"));
        if (b == 0 && Double.isFinite(f)) why.add(settings.get("baseline_column") + " is 0: no percent change");
        boolean ok = Double.isFinite(b) && Double.isFinite(f) && b > 0;
        c.put("madrs_pct_change", ok ? Table.format(100.0 * (f - b) / b) : Table.NA);
        c.put("responder", ok ? ((b - f) / b >= red - 1e-12 ? "1" : "0") : Table.NA);
        c.put("remitter", Double.isFinite(f) ? (f <= rem ? "1" : "0") : Table.NA);
        if (!why.isEmpty()) {
            List<String> na = c.entrySet().stream().filter(e -> e.getValue().equals(Table.NA)).map(Map.Entry::getKey).toList();
            notes.add(new String[] {id, file + " line " + lines.get(id) + ": " + String.join("; ", why) + ": "
                + join(na, " and ") + (na.size() == 1 ? " is" : " are") + " n/a"});
        }
        return c;
    }

    /** A score cell: NaN when n/a (quietly), not a plain decimal, or outside 0-60 (with the reason in {@code why}). */
    private static double score(Map<String, String> row, String column, List<String> why) {
        String s = row.get(column);
        if (Table.isNa(s)) return Double.NaN;
        double v = Table.decimal(s);
        if (Double.isNaN(v)) {
            why.add(column + " '" + s + "' is not a number");
        } else if (v < 0 || v > SCORE_MAX) {
            why.add(column + " '" + s + "' is outside MADRS's range 0-" + (int) SCORE_MAX);
            return Double.NaN;
        }
        return v;
    }

    private static String join(List<String> items, String last) {
        if (items.size() <= 1) return String.join("", items);
        return String.join(", ", items.subList(0, items.size() - 1)) + last + items.get(items.size() - 1);
    }

    /** At most ten items, then how many more. */
    private static String list(List<String> items) {
        return items.size() <= 10 ? String.join(", ", items)
            : String.join(", ", items.subList(0, 10)) + " ... (" + (items.size() - 10) + " more)";
    }
}
