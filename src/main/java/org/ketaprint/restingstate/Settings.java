package org.ketaprint.restingstate;

import org.ketaprint.KetaprintException;

/**
 * The denoising choices every resting-state feature records: confound strategy, FD censoring threshold
 * (mm, 0 disables), minimum remaining time (s) below which features are n/a, and the pass band (null: no
 * band-pass regressors).
 */
public record Settings(Strategy strategy, double fdThreshold, double minSeconds, Band band) {

    public Settings {
        if (strategy == null) throw new KetaprintException("no confound strategy");
        if (!(fdThreshold >= 0)) throw new KetaprintException("--fd-threshold must be >= 0 mm, got " + fdThreshold);
        if (!(minSeconds >= 0)) throw new KetaprintException("--min-seconds must be >= 0, got " + minSeconds);
    }

    /** The resting-state stage's defaults (declared once, in {@link RestingStateStage.Params}). */
    public static Settings defaults() {
        return RestingStateStage.defaults().settings();
    }

    public Settings withStrategy(Strategy s) {
        return new Settings(s, fdThreshold, minSeconds, band);
    }

    public Settings withBand(Band b) {
        return new Settings(strategy, fdThreshold, minSeconds, b);
    }
}
