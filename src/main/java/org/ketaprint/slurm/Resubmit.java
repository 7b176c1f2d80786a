package org.ketaprint.slurm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ketaprint.bids.BidsLayout;
import org.ketaprint.table.Table;

/**
 * Which participants to resubmit: those with a session that has no complete outputs (features TSV and
 * provenance JSON, the provenance written last) or a stage that failed, plus those listed as failed or
 * missing_outputs in group/failures.tsv unless their provenance is newer than that table. Stages with
 * missing_input are not rerun: the same inputs would give the same result.
 */
public final class Resubmit {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Resubmit() {
    }

    /** A participant to rerun and why. */
    public record Pick(String participant, String reason) {
    }

    /** The participants among {@code candidates} (labels without "sub-") that need rerunning, in order. */
    public static List<Pick> select(BidsLayout layout, Path outputDir, List<String> candidates, List<String> sessions) {
        Map<String, String> listed = listedInFailures(outputDir.resolve("group").resolve("failures.tsv"));
        List<Pick> out = new ArrayList<>();
        for (String sub : candidates) {
            String why = null;
            for (String ses : layout.sessions(sub)) {
                if (ses != null && !sessions.isEmpty() && !sessions.contains(ses) && !sessions.contains("ses-" + ses)) continue;
                String prefix = "sub-" + sub + (ses == null ? "" : "_ses-" + ses);
                Path dir = outputDir.resolve("sub-" + sub);
                if (ses != null) dir = dir.resolve("ses-" + ses);
                why = incomplete(dir, prefix);
                if (why == null && listed.containsKey(prefix) && !newer(dir.resolve(prefix + "_provenance.json"),
                    outputDir.resolve("group").resolve("failures.tsv"))) {
                    why = prefix + ": " + listed.get(prefix) + " in group/failures.tsv";
                }
                if (why != null) break;
            }
            if (why != null) out.add(new Pick(sub, why));
        }
        return out;
    }

    /** Why a subject-session's outputs are incomplete, or null when complete. */
    static String incomplete(Path dir, String prefix) {
        Path prov = dir.resolve(prefix + "_provenance.json");
        if (!Files.isRegularFile(dir.resolve(prefix + "_features.tsv"))) return prefix + ": no features table";
        if (!Files.isRegularFile(prov)) return prefix + ": no provenance (run did not finish)";
        try {
            JsonNode n = JSON.readTree(prov.toFile());
            for (JsonNode s : n.path("stages")) {
                if (s.path("status").asText().equals("failed")) return prefix + ": stage " + s.path("id").asText() + " failed";
            }
            return null;
        } catch (IOException e) {
            return prefix + ": unreadable provenance";
        }
    }

    /** "sub-X[_ses-Y]" to status, for rows with status failed or missing_outputs. */
    private static Map<String, String> listedInFailures(Path failures) {
        Map<String, String> m = new LinkedHashMap<>();
        if (!Files.isRegularFile(failures)) return m;
        Table t = Table.read(failures);
        for (Map<String, String> r : t.rows()) {
            String st = r.getOrDefault("status", "");
            if (!st.equals("failed") && !st.equals("missing_outputs")) continue;
            String ses = r.getOrDefault("session_id", Table.NA);
            m.putIfAbsent(r.get("participant_id") + (ses == null || ses.equals(Table.NA) ? "" : "_" + ses), st);
        }
        return m;
    }

    private static boolean newer(Path a, Path b) {
        try {
            return Files.isRegularFile(a) && Files.getLastModifiedTime(a).compareTo(Files.getLastModifiedTime(b)) > 0;
        } catch (IOException e) {
            return false;
        }
    }
}
