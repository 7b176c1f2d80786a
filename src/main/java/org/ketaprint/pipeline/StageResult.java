package org.ketaprint.pipeline;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a stage produced for one subject/session: feature values (NaN = n/a), notes, derived files. */
public final class StageResult {
    public final Map<String, Double> values = new LinkedHashMap<>();
    /** Why a column is n/a, or other remarks per column. */
    public final Map<String, String> notes = new LinkedHashMap<>();
    public final List<Path> derived = new ArrayList<>();
    /** Extra provenance: what the stage chose (e.g. the ICV source, the TR used). */
    public final Map<String, Object> details = new LinkedHashMap<>();
    /** QC figures for the session report (none when reports are off). */
    public final List<org.ketaprint.report.Figure> figures = new ArrayList<>();
    /** Seconds spent drawing {@link #figures}. */
    public double figureSeconds;

    /**
     * Adds a figure drawn by {@code make}, timed; a figure that cannot be drawn is shown with its reason instead (it never
     * fails the stage).
     */
    public StageResult figure(String title, java.util.function.Supplier<org.ketaprint.report.Figure> make) {
        long t0 = System.nanoTime();
        try {
            figures.add(make.get());
        } catch (RuntimeException e) {
            figures.add(org.ketaprint.report.Figure.failed(title, e.getMessage() == null ? e.toString() : e.getMessage()));
        }
        figureSeconds += (System.nanoTime() - t0) / 1e9;
        return this;
    }

    public StageResult put(String column, double v) {
        values.put(column, v);
        return this;
    }

    /** A measure's value, or n/a with its reason. */
    public StageResult put(String column, org.ketaprint.measure.Value v) {
        return v.na() == null ? put(column, v.value()) : na(column, v.na());
    }

    public StageResult na(String column, String why) {
        values.put(column, Double.NaN);
        notes.put(column, why);
        return this;
    }
}
