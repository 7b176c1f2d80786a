package org.ketaprint.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.ketaprint.KetaprintException;
import org.ketaprint.bids.BidsLayout;
import org.ketaprint.report.GroupPage;
import org.ketaprint.table.AtomicFile;
import org.ketaprint.table.Table;

/**
 * The group level: every subject/session's features in one wide table and one long table, both joined
 * with participants.tsv (plus MADRS change, responder and remitter), the pre/post change table, and
 * the failures; the associations with the outcome ({@link GroupAssociations}); and, unless reports are off,
 * group/report.html ({@link GroupPage}).
 */
public final class GroupRunner {
    /** The failures.tsv status of a participant whose outcome scores are unusable (not counted as a failure). */
    static final String CLINICAL_NA = "unusable_score";
    private final PipelineSpec pipeline;
    private final BidsLayout layout;
    private final Path outRoot;
    private boolean force;
    private Boolean report;
    private Consumer<String> warnings = w -> { };

    public GroupRunner(PipelineSpec pipeline, BidsLayout layout, Path outRoot) {
        this.pipeline = pipeline;
        this.layout = layout;
        this.outRoot = outRoot;
    }

    /** Tables also from sessions run with different pipelines, or another pipeline than theirs (a warning). */
    public GroupRunner force(boolean f) {
        this.force = f;
        return this;
    }

    /** Whether group/report.html is written: --no-report gives false; null (default): the pipeline's {@code report:}. */
    public GroupRunner report(Boolean r) {
        this.report = r;
        return this;
    }

    /** Where warnings go (default: nowhere). */
    public GroupRunner warnings(Consumer<String> w) {
        this.warnings = w;
        return this;
    }

    /** Writes the group tables; returns the number of subject-sessions missing or failed. */
    public int run() {
        List<String> featureCols = pipeline.columns().stream().map(ColumnInfo::column).toList();
        Table failures = new Table(List.of("participant_id", "session_id", "stage", "status", "reason"));
        List<Map<String, String>> rows = new ArrayList<>();
        List<GroupPage.Page> pages = new ArrayList<>();
        Map<String, List<String>> bySha = new TreeMap<>();   // the sessions' pipelines: SHA-256 -> name, sessions
        for (String sub : layout.subjects()) {
            List<String> sessions = new ArrayList<>(layout.sessions(sub));
            sessions.sort(java.util.Comparator.comparing(this::sessionRank).thenComparing(x -> x == null ? "" : x));
            for (String ses : sessions) {
                String prefix = "sub-" + sub + (ses == null ? "" : "_ses-" + ses);
                Path dir = outRoot.resolve("sub-" + sub);
                if (ses != null) dir = dir.resolve("ses-" + ses);
                Path tsv = dir.resolve(prefix + "_features.tsv");
                String sesId = ses == null ? Table.NA : "ses-" + ses;
                String page = prefix + "_report.html";
                pages.add(new GroupPage.Page("sub-" + sub, sesId, "../sub-" + sub + "/" + (ses == null ? "" : "ses-" + ses + "/") + page,
                    Files.isRegularFile(dir.resolve(page))));
                if (!Files.isRegularFile(tsv) || !Files.isRegularFile(dir.resolve(prefix + "_provenance.json"))) {
                    failures.add(row("sub-" + sub, sesId, "(all)", "missing_outputs", "no complete outputs in " + dir));
                    continue;
                }
                Table t = Table.read(tsv);
                if (t.rows().size() != 1) throw new KetaprintException(tsv + ": expected one row, found " + t.rows().size());
                rows.add(t.rows().get(0));
                JsonNode prov = readFailures(dir.resolve(prefix + "_provenance.json"), "sub-" + sub, sesId, failures);
                if (prov != null && prov.hasNonNull("pipeline_sha256")) {
                    bySha.computeIfAbsent(prov.get("pipeline_sha256").asText(), k -> new ArrayList<>(List.of(prov.path("pipeline").asText())))
                        .add(prefix);
                }
            }
        }
        RecordedPipeline.checkSessions(outRoot, bySha, pipeline, force, warnings);
        Participants participants = Participants.read(layout.root(), new java.util.TreeSet<>(layout.subjects()), pipeline.clinical, warnings);
        List<String> wideCols = new ArrayList<>(List.of("participant_id", "session_id"));
        wideCols.addAll(featureCols);
        List<String> extra = participants.columns;
        List<String> clinCols = Participants.DERIVED;
        wideCols.addAll(extra);
        wideCols.addAll(clinCols);
        Table wide = new Table(wideCols);
        Table lng = new Table(concat(List.of("participant_id", "session_id", "feature", "value"), extra, clinCols));
        for (Map<String, String> r : rows) {
            Map<String, String> w = new LinkedHashMap<>();
            String pid = r.get("participant_id");
            w.put("participant_id", pid);
            w.put("session_id", r.get("session_id"));
            for (String c : featureCols) w.put(c, r.getOrDefault(c, Table.NA));
            Map<String, String> p = participants.rows.getOrDefault(pid, Map.of());
            for (String c : extra) w.put(c, p.getOrDefault(c, Table.NA));
            Map<String, String> cl = participants.derived(pid);
            for (String c : clinCols) w.put(c, cl.getOrDefault(c, Table.NA));
            wide.add(w);
            for (String c : featureCols) {
                Map<String, String> l = new LinkedHashMap<>();
                l.put("participant_id", pid);
                l.put("session_id", r.get("session_id"));
                l.put("feature", c);
                l.put("value", r.getOrDefault(c, Table.NA));
                for (String e : extra) l.put(e, p.getOrDefault(e, Table.NA));
                for (String e : clinCols) l.put(e, cl.getOrDefault(e, Table.NA));
                lng.add(l);
            }
        }
        for (String[] n : participants.notes) failures.add(row(n[0], Table.NA, "clinical", CLINICAL_NA, n[1]));
        if (!participants.notes.isEmpty()) {
            warnings.accept(participants.notes.size() + " participant(s) with unusable outcome scores (their clinical columns are n/a;"
                + " reasons in group/failures.tsv, status " + CLINICAL_NA + "): " + participants.notes.get(0)[1]
                + (participants.notes.size() > 1 ? " ..." : ""));
        }
        Path g = outRoot.resolve("group");
        wide.write(g.resolve("features.tsv"));
        lng.write(g.resolve("features_long.tsv"));
        Table change = change(rows, featureCols);
        change.write(g.resolve("features_change.tsv"));
        failures.write(g.resolve("failures.tsv"));
        GroupAssociations.write(g, featureCols, rows, change, participants, pipeline, warnings);
        if (report != null ? report : pipeline.report) {
            try {
                AtomicFile.write(g.resolve("report.html"),
                    GroupPage.withModels(page(featureCols, rows, participants, failures, pages), ModelRunner.links(g)));
            } catch (RuntimeException e) {   // the tables are written: the page alone is lost
                warnings.accept(g.resolve("report.html") + " not written: " + KetaprintException.oneLine(String.valueOf(e.getMessage())));
            }
        }
        return (int) failures.rows().stream().filter(f -> !f.get("status").equals("missing_input") && !f.get("status").equals(CLINICAL_NA))
            .count();
    }

    /** The group page from the tables' contents. */
    private String page(List<String> featureCols, List<Map<String, String>> rows, Participants participants, Table failures,
                        List<GroupPage.Page> pages) {
        List<GroupPage.Row> data = new ArrayList<>();
        for (Map<String, String> r : rows) {
            data.add(new GroupPage.Row(r.getOrDefault("participant_id", Table.NA), r.getOrDefault("session_id", Table.NA),
                featureCols.stream().mapToDouble(c -> Table.number(r.get(c))).toArray()));
        }
        Map<String, GroupPage.Outcome> outcomes = new LinkedHashMap<>();
        for (GroupPage.Row r : data) {
            Map<String, String> d = participants.derived(r.participant());
            outcomes.putIfAbsent(r.participant(), new GroupPage.Outcome(Table.number(d.get("madrs_pct_change")), d.get("responder")));
        }
        List<String[]> fails = new ArrayList<>();
        for (Map<String, String> f : failures.rows()) fails.add(failures.columns().stream().map(f::get).toArray(String[]::new));
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("software", "ketaprint " + org.ketaprint.Version.get());
        meta.put("pipeline", pipeline.name);
        meta.put("written", java.time.Instant.now().toString());
        String pre = "ses-" + pipeline.clinical.get("pre_session");
        String post = "ses-" + pipeline.clinical.get("post_session");
        return GroupPage.html(new GroupPage.Data("Group report: ketaprint", meta, featureCols, pre, post, data, outcomes, fails, pages));
    }

    /** pre first, post second, other sessions after them. */
    private int sessionRank(String ses) {
        if (ses == null || ses.equals(pipeline.clinical.get("pre_session"))) return 0;
        return ses.equals(pipeline.clinical.get("post_session")) ? 1 : 2;
    }

    private Table change(List<Map<String, String>> rows, List<String> featureCols) {
        String pre = "ses-" + pipeline.clinical.get("pre_session");
        String post = "ses-" + pipeline.clinical.get("post_session");
        List<String> cols = new ArrayList<>(List.of("participant_id"));
        for (String c : featureCols) {
            cols.add(c + "_change");
            cols.add(c + "_pct_change");
        }
        Table t = new Table(cols);
        Map<String, Map<String, Map<String, String>>> bySub = new TreeMap<>();
        for (Map<String, String> r : rows) {
            bySub.computeIfAbsent(r.get("participant_id"), k -> new LinkedHashMap<>()).put(r.get("session_id"), r);
        }
        for (Map.Entry<String, Map<String, Map<String, String>>> e : bySub.entrySet()) {
            Map<String, String> a = e.getValue().get(pre);
            Map<String, String> b = e.getValue().get(post);
            if (a == null || b == null) continue;
            Map<String, String> row = new LinkedHashMap<>();
            row.put("participant_id", e.getKey());
            for (String c : featureCols) {
                double x = Table.number(a.get(c));
                double y = Table.number(b.get(c));
                row.put(c + "_change", Table.format(y - x));
                row.put(c + "_pct_change", Table.format(x == 0 ? Double.NaN : 100.0 * (y - x) / Math.abs(x)));
            }
            t.add(row);
        }
        return t;
    }

    /** Adds the session's failed stages to {@code failures}; returns its provenance, or null when unreadable. */
    private static JsonNode readFailures(Path prov, String pid, String ses, Table failures) {
        try {
            JsonNode n = ParticipantRunner.JSON.readTree(prov.toFile());
            for (JsonNode s : n.path("stages")) {
                String st = s.path("status").asText();
                if (!st.equals("ok")) failures.add(row(pid, ses, s.path("id").asText(), st, s.path("reason").asText()));
            }
            return n;
        } catch (IOException e) {
            failures.add(row(pid, ses, "(all)", "failed", prov + ": unreadable provenance: " + e.getMessage()));
            return null;
        }
    }

    private static Map<String, String> row(String pid, String ses, String stage, String status, String reason) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("participant_id", pid);
        m.put("session_id", ses);
        m.put("stage", stage);
        m.put("status", status);
        m.put("reason", reason == null ? Table.NA : reason.replace('\t', ' ').replace('\n', ' '));
        return m;
    }

    @SafeVarargs
    private static List<String> concat(List<String>... ls) {
        List<String> out = new ArrayList<>();
        for (List<String> l : ls) out.addAll(l);
        return out;
    }
}
