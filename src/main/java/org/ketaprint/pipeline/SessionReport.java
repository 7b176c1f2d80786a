package org.ketaprint.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ketaprint.report.Html;
import org.ketaprint.report.Section;
import org.ketaprint.report.SessionPage;
import org.ketaprint.table.AtomicFile;

/** The participant level's HTML report of one subject-session: its provenance, features and the stages' figures. */
final class SessionReport {
    /** How slices are shown; printed on every page. */
    static final String CONVENTION = "Slices are in neurological convention: the subject's left on the image's left (L/R marked "
        + "on each slice), anterior at the top of axial slices, superior at the top of coronal and sagittal ones, anterior on "
        + "the right of sagittal ones. Volumes are only reoriented to the closest RAS axes (no resampling).";

    private SessionReport() {
    }

    /** A stage's section from its provenance entry, its columns and their values and notes, and its result (null if none). */
    static Section section(ObjectNode sp, List<ColumnInfo> cols, Map<String, Double> values, Map<String, String> notes,
                           StageResult r, Path outRoot) {
        Section s = new Section(sp.path("id").asText(), sp.path("type").asText(), sp.path("status").asText(),
            sp.hasNonNull("reason") ? sp.get("reason").asText() : null);
        s.seconds = sp.path("wall_s").asDouble(Double.NaN);
        if (r != null) {
            s.figureSeconds = r.figureSeconds;
            s.figures.addAll(r.figures);
        }
        sp.path("inputs").fields().forEachRemaining(e -> s.inputs.put(e.getKey(), e.getValue().asText()));
        sp.path("parameters").fields().forEachRemaining(e -> s.parameters.put(e.getKey(), text(e.getValue())));
        sp.path("details").fields().forEachRemaining(e -> s.details.put(e.getKey(), text(e.getValue())));
        for (ColumnInfo c : cols) {
            Double v = values.get(c.column());
            s.features.add(new Section.Row(c.column(), Html.num(v == null ? Double.NaN : v), c.units() == null ? "" : c.units(),
                notes.get(c.column())));
        }
        return s;
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() ? "none" : n.isValueNode() ? n.asText() : n.toString();
    }

    /** Writes the page (through a temporary file). */
    static void write(Path file, ObjectNode prov, List<String[]> problems, Map<String, String> notes, List<Section> sections) {
        String ses = prov.path("session_id").isNull() ? "" : " " + prov.path("session_id").asText();
        String title = prov.path("participant_id").asText() + ses + ": ketaprint report";
        List<String[]> na = new ArrayList<>();
        notes.forEach((c, why) -> na.add(new String[] {c, why}));
        AtomicFile.write(file, SessionPage.html(title, meta(prov.path("pipeline").asText(), prov.path("finished").asText()),
            problems, na, sections, CONVENTION));
    }

    /** The page of a subject-session that failed before any stage ran. */
    static void writeFailed(Path file, String pid, String ses, String pipeline, String why) {
        try {
            String title = pid + (ses == null ? "" : " ses-" + ses) + ": ketaprint report";
            List<String[]> problems = new ArrayList<>();
            problems.add(new String[] {"(subject)", "failed", why});
            AtomicFile.write(file, SessionPage.html(title, meta(pipeline, java.time.Instant.now().toString()), problems, List.of(),
                List.of(), CONVENTION));
        } catch (RuntimeException ignored) {
            // the folder itself may be unwritable; the failure is still in the log and the summary
        }
    }

    private static Map<String, String> meta(String pipeline, String finished) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("software", "ketaprint " + org.ketaprint.Version.get());
        m.put("pipeline", pipeline);
        m.put("finished", finished);
        return m;
    }
}
