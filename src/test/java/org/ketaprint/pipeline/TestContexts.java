package org.ketaprint.pipeline;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.ketaprint.bids.BidsFile;
import org.ketaprint.bids.BidsLayout;
import org.ketaprint.bids.BidsName;

/** Test fixture: a stage context for one subject/session of a layout, with inputs given as files. */
public final class TestContexts {
    private TestContexts() {
    }

    /**
     * A context as the participant runner builds it. {@code checked} non-null: the context is checking
     * (recorded files go there); else recorded files are hashed into {@code used}.
     */
    public static StageContext of(StageSpec spec, BidsLayout layout, String sub, String ses, Map<String, Path> inputs,
                                  Map<String, String> used, Set<String> checked, Consumer<String> log) {
        Map<String, List<BidsFile>> resolved = new LinkedHashMap<>();
        inputs.forEach((k, v) -> resolved.put(k, List.of(new BidsFile(v, BidsName.parse(v.getFileName().toString()), false))));
        StageContext c = new StageContext(sub, ses, spec, layout, null, null, 1, resolved, used, log);
        if (checked != null) {
            c.checking = true;
            c.resolvedFiles = checked;
        }
        return c;
    }

    /** Turns the context's report figures on or off (as the participant level sets them). */
    public static StageContext reporting(StageContext c, boolean on) {
        c.report = on;
        return c;
    }

    /** Sets whether the context's stage draws report figures (as the participant level does), and returns it. */
    public static StageContext report(StageContext c, boolean on) {
        c.report = on;
        return c;
    }

    /** What the stage kept for the report before it failed ({@link StageContext#keepForReport}), or null. */
    public static StageResult kept(StageContext c) {
        return c.partial;
    }
}
