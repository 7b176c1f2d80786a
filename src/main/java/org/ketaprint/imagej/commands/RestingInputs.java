package org.ketaprint.imagej.commands;

import java.io.File;
import org.ketaprint.imagej.RestingActions;

/** The denoising options shared by the Seed correlation and ALFF commands, as the CLI's. */
final class RestingInputs {
    private RestingInputs() {
    }

    static RestingActions.Options options(File mask, File confounds, String strategy, boolean gsr, double fd, double minSeconds,
                                          String band, double tr) {
        RestingActions.Options o = new RestingActions.Options();
        o.mask = mask == null ? null : mask.toPath();
        o.confounds = confounds == null ? null : confounds.toPath();
        o.strategy = strategy;
        o.gsr = gsr;
        o.fdThreshold = fd;
        o.minSeconds = minSeconds;
        if (band != null && !band.isBlank()) o.band = band;
        o.tr = tr > 0 ? tr : Double.NaN;
        return o;
    }
}
