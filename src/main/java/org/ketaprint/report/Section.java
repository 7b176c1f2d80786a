package org.ketaprint.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One stage's part of a session report: what it read, how it was set, what it produced and its figures. */
public final class Section {
    /** A feature row: column, value as printed, units, and why it is n/a (or a remark; may be null). */
    public record Row(String column, String value, String units, String note) {
    }

    public final String id;
    public final String type;
    public final String status;
    /** Why the stage did not complete; null when it did. */
    public final String reason;
    public final Map<String, String> inputs = new LinkedHashMap<>();
    public final Map<String, String> parameters = new LinkedHashMap<>();
    public final Map<String, String> details = new LinkedHashMap<>();
    public final List<Row> features = new ArrayList<>();
    public final List<Figure> figures = new ArrayList<>();
    /** Seconds the stage took, and of them making its figures. */
    public double seconds = Double.NaN;
    public double figureSeconds;

    public Section(String id, String type, String status, String reason) {
        this.id = id;
        this.type = type;
        this.status = status;
        this.reason = reason;
    }
}
