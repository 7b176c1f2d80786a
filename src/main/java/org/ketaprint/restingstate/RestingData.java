package org.ketaprint.restingstate;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What the resting-state measures read: the masked BOLD run, its confounds, the denoising settings, the
 * ROIs placed on the run's grid (by name, or written as {@code sphere:...}/{@code atlas:...}), the
 * gray matter (read when first asked) and where maps go. Denoised results shared by several features
 * are computed once ({@link #cached}).
 */
public final class RestingData {
    /** Receives a per-mask-voxel map with its BIDS entities (e.g. {@code seed-sgacc_stat-z}). */
    public interface MapSink {
        void write(String entities, double[] perMaskVoxel);
    }

    public final BoldRun run;
    /** null without a confounds file. */
    public final Confounds confounds;
    public final Settings settings;
    private final Function<String, Roi> rois;
    private final Supplier<boolean[]> grayMatter;
    /** null: no maps are written. */
    final MapSink maps;
    private final Map<String, Object> cache = new LinkedHashMap<>();
    private boolean[] gm;

    public RestingData(BoldRun run, Confounds confounds, Settings settings, Function<String, Roi> rois,
                       Supplier<boolean[]> grayMatter, MapSink maps) {
        this.run = run;
        this.confounds = confounds;
        this.settings = settings;
        this.rois = rois;
        this.grayMatter = grayMatter;
        this.maps = maps;
    }

    /** An ROI by its pipeline name, else parsed from its text form. */
    public Roi roi(String name) {
        return rois.apply(name);
    }

    /** The settings, with the global signal added when {@code gsr}. */
    public Settings settings(boolean gsr) {
        return gsr ? settings.withStrategy(settings.strategy().withGsr()) : settings;
    }

    /** Gray matter per mask voxel (read once). */
    public boolean[] grayMatter() {
        if (gm == null) gm = grayMatter.get();
        return gm;
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
