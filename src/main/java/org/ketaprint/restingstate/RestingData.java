package org.ketaprint.restingstate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What the resting-state measures read: the masked BOLD run (or the session's runs, each with its own
 * confounds and mask), the denoising settings, the ROIs placed on each run's grid (by name, or written as
 * {@code sphere:...}/{@code atlas:...}), the gray matter (read when first asked) and where maps go. Denoised
 * results shared by several features are computed once ({@link #cached}).
 */
public final class RestingData {
    /** Receives a per-mask-voxel map with its BIDS entities (e.g. {@code seed-sgacc_stat-z}). */
    public interface MapSink {
        void write(String entities, double[] perMaskVoxel);
    }

    /**
     * One run of the session: its masked BOLD, its confounds (null: none), its ROIs (placed on its grid) and
     * a label for messages and the provenance (e.g. {@code run-2}).
     */
    public record Run(BoldRun bold, Confounds confounds, Function<String, Roi> rois, String label) {
        /** An ROI by its pipeline name, else parsed from its text form. */
        public Roi roi(String name) {
            return rois.apply(name);
        }
    }

    /** The first (with one run: the only) run. */
    public final BoldRun run;
    /** The first run's confounds; null without a confounds file. */
    public final Confounds confounds;
    public final Settings settings;
    private final List<Run> runs;
    private final Supplier<boolean[]> grayMatter;
    /** null: no maps are written. */
    final MapSink maps;
    private final Map<String, Object> cache = new LinkedHashMap<>();
    private boolean[] gm;

    /** One run. */
    public RestingData(BoldRun run, Confounds confounds, Settings settings, Function<String, Roi> rois,
                       Supplier<boolean[]> grayMatter, MapSink maps) {
        this(List.of(new Run(run, confounds, rois, "run")), settings, grayMatter, maps);
    }

    /**
     * Several runs of one session (sorted by run number), denoised each alone and concatenated
     * ({@link Concatenation}); the gray matter and the maps are on the first run's grid and mask voxels.
     */
    public RestingData(List<Run> runs, Settings settings, Supplier<boolean[]> grayMatter, MapSink maps) {
        if (runs.isEmpty()) throw new IllegalArgumentException("no runs");
        this.runs = List.copyOf(runs);
        this.run = runs.get(0).bold();
        this.confounds = runs.get(0).confounds();
        this.settings = settings;
        this.grayMatter = grayMatter;
        this.maps = maps;
    }

    /** The runs, sorted by run number. */
    public List<Run> runs() {
        return runs;
    }

    /** More than one run: the measures concatenate them. */
    public boolean multiRun() {
        return runs.size() > 1;
    }

    /** An ROI by its pipeline name, else parsed from its text form (on the first run's grid). */
    public Roi roi(String name) {
        return runs.get(0).roi(name);
    }

    /** The settings, with the global signal added when {@code gsr}. */
    public Settings settings(boolean gsr) {
        return gsr ? settings.withStrategy(settings.strategy().withGsr()) : settings;
    }

    /** Gray matter per mask voxel of the first run (read once). */
    public boolean[] grayMatter() {
        if (gm == null) gm = grayMatter.get();
        return gm;
    }

    /**
     * The first run's cleaning (with GSR when {@code gsr}; with the band-pass regressors when {@code banded}), made
     * once: features with the same design share its censoring and projection.
     */
    Cleaning cleaning(boolean gsr, boolean banded) {
        return cached("cleaning:" + gsr + ":" + banded,
            () -> Cleaning.of(run, confounds, settings(gsr), banded ? settings.band() : null));
    }

    /** Each run's cleaning for the settings (with GSR when {@code gsr}), computed once (several runs only). */
    Concatenation concatenation(boolean gsr) {
        return cached("concatenation:" + gsr, () -> Concatenation.of(runs, settings(gsr)));
    }

    @SuppressWarnings("unchecked")
    <T> T cached(String key, Supplier<T> make) {
        Object v = cache.get(key);
        if (v == null) {
            v = make.get();
            cache.put(key, v);
        }
        return (T) v;
    }

    void map(String entities, double[] values) {
        if (maps != null && values != null) maps.write(entities, values);
    }

    /** A name usable in a BIDS entity value. */
    static String entity(String s) {
        String a = s.replaceAll("[^A-Za-z0-9]", "");
        return a.isEmpty() ? "roi" : a;
    }
}
