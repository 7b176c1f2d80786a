package org.ketaprint.bids;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** A BIDS file name split into entities ({@code sub-01_ses-pre_...}), suffix and extension. */
public final class BidsName {
    public final Map<String, String> entities;
    public final String suffix;
    public final String extension;

    private BidsName(Map<String, String> entities, String suffix, String extension) {
        this.entities = Collections.unmodifiableMap(entities);
        this.suffix = suffix;
        this.extension = extension;
    }

    /** Parses a file name; returns null when it has no {@code key-value} entities. */
    public static BidsName parse(String fileName) {
        int dot = fileName.indexOf('.');
        String stem = dot < 0 ? fileName : fileName.substring(0, dot);
        String ext = dot < 0 ? "" : fileName.substring(dot);
        String[] parts = stem.split("_");
        Map<String, String> ent = new LinkedHashMap<>();
        String suffix = "";
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            int dash = p.indexOf('-');
            if (dash > 0 && dash < p.length() - 1) {
                ent.put(p.substring(0, dash), p.substring(dash + 1));
            } else if (i == parts.length - 1) {
                suffix = p;
            } else {
                return null;
            }
        }
        if (ent.isEmpty()) return null;
        return new BidsName(ent, suffix, ext);
    }

    public String get(String entity) {
        return entities.get(entity);
    }
}
