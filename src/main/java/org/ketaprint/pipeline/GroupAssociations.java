package org.ketaprint.pipeline;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.ketaprint.stats.Associations;
import org.ketaprint.stats.Covariate;
import org.ketaprint.stats.Dictionary;
import org.ketaprint.table.AtomicFile;
import org.ketaprint.table.Json;
import org.ketaprint.table.Table;

/**
 * group/associations.tsv and its dictionary associations.json ({@link Associations}): every feature at the baseline
 * session (the pipeline's clinical pre_session; a dataset without sessions: its only one) and its post - pre change,
 * against madrs_pct_change and responder, adjusted for the pipeline's clinical covariates when it names some.
 */
final class GroupAssociations {
    private GroupAssociations() {
    }

    /** {@code rows}: the sessions' feature rows; {@code change}: group/features_change.tsv's table. */
    static void write(Path groupDir, List<String> featureCols, List<Map<String, String>> rows, Table change,
                      Participants participants, PipelineSpec pipeline, Consumer<String> warnings) {
        Path tsv = groupDir.resolve("associations.tsv");
        List<String> pids = new ArrayList<>(new TreeSet<>(rows.stream().map(r -> r.get("participant_id")).toList()));
        Map<String, Map<String, String>> base = new LinkedHashMap<>();
        String pre = "ses-" + pipeline.clinical.get("pre_session");
        for (Map<String, String> r : rows) {
            String ses = r.getOrDefault("session_id", Table.NA);
            if (ses.equals(pre) || Table.isNa(ses)) base.putIfAbsent(r.get("participant_id"), r);
        }
        Map<String, Map<String, String>> diff = new LinkedHashMap<>();
        for (Map<String, String> r : change.rows()) diff.put(r.get("participant_id"), r);
        int n = pids.size();
        double[] y = new double[n];
        double[] responder = new double[n];
        for (int i = 0; i < n; i++) {
            Map<String, String> d = participants.derived(pids.get(i));
            y[i] = Table.number(d.get("madrs_pct_change"));
            responder[i] = Table.number(d.get("responder"));
        }
        warn(tsv, y, responder, warnings);
        List<Covariate> covs = covariates(pids, participants, pipeline.covariates, tsv, warnings);
        List<Associations.Row> out = new ArrayList<>();
        for (String[] fam : new String[][] {{Associations.BASELINE, ""}, {Associations.CHANGE, "_change"}}) {
            Map<String, Map<String, String>> src = fam[1].isEmpty() ? base : diff;
            for (String c : featureCols) {
                double[] x = new double[n];
                for (int i = 0; i < n; i++) {
                    Map<String, String> r = src.get(pids.get(i));
                    x[i] = r == null ? Double.NaN : Table.number(r.get(c + fam[1]));
                }
                out.add(Associations.test(c, fam[0], x, y, responder, covs));
            }
        }
        boolean adj = !covs.isEmpty();
        Table t = new Table(Associations.columns(adj));
        for (Map<String, Object> m : Associations.cells(out, adj)) {
            Map<String, String> row = new LinkedHashMap<>();
            m.forEach((k, v) -> row.put(k, v == null ? Table.NA : v instanceof Double d ? Table.format(d) : v.toString()));
            t.add(row);
        }
        t.write(tsv);
        AtomicFile.write(groupDir.resolve("associations.json"), Json.pretty(Json.MAPPER.valueToTree(Dictionary.of(pipeline.covariates))) + "\n");
    }

    /** A warning when no subject has the outcome, or no responder or no non-responder. */
    private static void warn(Path tsv, double[] y, double[] responder, Consumer<String> warnings) {
        long withY = java.util.Arrays.stream(y).filter(Double::isFinite).count();
        long yes = java.util.Arrays.stream(responder).filter(v -> v == 1).count();
        long no = java.util.Arrays.stream(responder).filter(v -> v == 0).count();
        if (withY == 0) {
            warnings.accept(tsv + ": no subject has madrs_pct_change: every test is n/a");
        } else if (yes == 0 || no == 0) {
            warnings.accept(tsv + ": " + yes + " responder(s) and " + no + " non-responder(s): the group comparisons are n/a");
        }
    }

    /**
     * The covariates from participants.tsv: numeric when every value is a plain decimal, else categories (a column
     * mixing both, or absent, is a warning).
     */
    private static List<Covariate> covariates(List<String> pids, Participants participants, List<String> names, Path tsv,
                                              Consumer<String> warnings) {
        List<Covariate> out = new ArrayList<>();
        for (String c : names) {
            String[] cells = new String[pids.size()];
            for (int i = 0; i < cells.length; i++) {
                String v = participants.rows.getOrDefault(pids.get(i), Map.of()).get(c);
                cells[i] = Table.isNa(v) ? null : v;
            }
            if (!participants.columns.contains(c)) {
                warnings.accept(tsv + ": no column '" + c + "' in participants.tsv (the pipeline's clinical: covariates):"
                    + " the adjusted tests are n/a");
            }
            List<String> text = java.util.Arrays.stream(cells).filter(v -> v != null && Double.isNaN(Table.decimal(v))).toList();
            long numbers = java.util.Arrays.stream(cells).filter(v -> v != null && !Double.isNaN(Table.decimal(v))).count();
            if (text.isEmpty()) {
                out.add(Covariate.numeric(c, java.util.Arrays.stream(cells).mapToDouble(Table::decimal).toArray()));
            } else {
                if (numbers > 0) {
                    warnings.accept(tsv + ": covariate '" + c + "' mixes numbers and text ('" + text.get(0) + "'): read as"
                        + " categories (dummy-coded)");
                }
                out.add(Covariate.categorical(c, cells));
            }
        }
        return out;
    }
}
