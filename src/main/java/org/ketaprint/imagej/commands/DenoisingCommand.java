package org.ketaprint.imagej.commands;

import java.io.File;
import java.util.Set;
import org.ketaprint.imagej.RestingActions;
import org.ketaprint.restingstate.RestingStateStage;

/**
 * A resting-state SciJava command whose denoising items (strategy, fd_threshold, min_seconds, band, tr) are
 * generated from the resting-state stage's parameter record; without a strategy: 24P with confounds, none
 * without, as on the command line.
 */
public abstract class DenoisingCommand extends GeneratedCommand {
    static final Set<String> SKIP = Set.of("gm_threshold", "write_maps");
    @Override
    protected void declare() {
        ParamItems.add(this, RestingStateStage.Params.class, SKIP);
        // no default strategy here: blank means 24P with confounds, none without
        ((org.scijava.module.DefaultMutableModuleItem<?>) getInfo().getInput("strategy")).setDefaultValue(null);
    }

    /** The denoising options as the given items say. */
    RestingActions.Options options(File mask, File confounds, boolean gsr) {
        RestingActions.Options o = new RestingActions.Options();
        o.mask = mask == null ? null : mask.toPath();
        o.confounds = confounds == null ? null : confounds.toPath();
        o.gsr = gsr;
        o.params.putAll(ParamItems.given(this, RestingStateStage.Params.class, SKIP));
        return o;
    }
}
