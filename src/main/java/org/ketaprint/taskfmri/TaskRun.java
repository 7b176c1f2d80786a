package org.ketaprint.taskfmri;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.ketaprint.KetaprintException;
import org.ketaprint.restingstate.BoldRun;
import org.ketaprint.restingstate.Censoring;
import org.ketaprint.restingstate.Confounds;
import org.ketaprint.restingstate.Strategy;

/**
 * One task run modelled: the BOLD inside its mask, the design built from its events and confounds, and the fitted
 * GLM. What the stage, the {@code glm} command and the ImageJ entry all compute, through {@link #fit}.
 */
public final class TaskRun {
    private final BoldRun bold;
    private final Design design;
    private final Glm glm;
    private final double sliceTimeRef;
    private final String sliceTimeSource;
    private final double fdMean;
    private final double[] fd;
    private final String eventsSource;
    private final List<String> warnings;

    private TaskRun(BoldRun bold, Design design, Glm glm, double sliceTimeRef, String sliceTimeSource, double fdMean,
                    double[] fd, String eventsSource, List<String> warnings) {
        this.bold = bold;
        this.design = design;
        this.glm = glm;
        this.sliceTimeRef = sliceTimeRef;
        this.sliceTimeSource = sliceTimeSource;
        this.fdMean = fdMean;
        this.fd = fd;
        this.eventsSource = eventsSource;
        this.warnings = warnings;
    }

    /**
     * Builds the design and fits the run. {@code sidecar} (may be null) gives the slice-timing reference when the
     * parameters do not: {@code StartTime / TR} when {@code SliceTimingCorrected} is true (fMRIPrep), else 0.
     */
    public static TaskRun fit(BoldRun bold, Events events, Confounds confounds, TaskStage.Params p, JsonNode sidecar) {
        List<String> warnings = new ArrayList<>(bold.warnings());
        int n = bold.volumes();
        double tr = bold.tr();
        double ref;
        String refSource;
        if (p.sliceTimeRef() != null) {
            ref = p.sliceTimeRef();
            refSource = "parameter";
        } else if (sidecar != null && sidecar.path("SliceTimingCorrected").asBoolean(false) && sidecar.has("StartTime")) {
            JsonNode st = sidecar.get("StartTime");
            if (!st.isNumber() || st.asDouble() < 0 || st.asDouble() > tr) {
                throw new KetaprintException(bold.path() + ": sidecar StartTime " + st + " is not a time within the TR ("
                    + tr + " s)");
            }
            ref = st.asDouble() / tr;
            refSource = "sidecar StartTime / RepetitionTime";
        } else {
            ref = 0;
            refSource = "default (no slice-timing correction recorded)";
        }
        Strategy strategy = Strategy.of(p.strategy());
        List<String> names = strategy.regressorNames();
        double[][] conf = null;
        double[] fd = null;
        if (!names.isEmpty()) {
            if (confounds == null) {
                throw new KetaprintException("confound strategy " + strategy.name() + " needs a confounds file (or use strategy none)");
            }
            conf = confounds.matrix(names);
        }
        if (confounds != null && confounds.rows() != n) {
            throw new KetaprintException(confounds.source() + ": " + confounds.rows() + " rows, but the BOLD "
                + bold.path().getFileName() + " has " + n + " volumes");
        }
        if (confounds != null && confounds.has("framewise_displacement")) {
            fd = confounds.framewiseDisplacement();
        } else if (p.fdThreshold() > 0) {
            warnings.add("no framewise_displacement column" + (confounds == null ? " (no confounds file)" : " in "
                + confounds.source()) + ": no spike regressors");
        }
        double fdMean = Censoring.byFd(fd, n, 0).fdMean();
        Design design = Design.build(Design.frameTimes(n, tr, ref), events, Hrf.parse(p.hrf()), p.highPass(), names, conf,
            fd, p.fdThreshold());
        warnings.addAll(design.warnings());
        Glm glm = Glm.fit(bold.data(), bold.size(), design, Glm.Noise.parse(p.noise()));
        return new TaskRun(bold, design, glm, ref, refSource, fdMean, fd, events.source(), List.copyOf(warnings));
    }

    /** The contrast's weights on this run's design (errors name an absent trial type or a non-estimable contrast). */
    public double[] weights(Contrast c) {
        return c.weights(design, eventsSource);
    }

    public Glm.Maps maps(Contrast c) {
        return glm.contrast(weights(c));
    }

    public BoldRun bold() {
        return bold;
    }

    public Design design() {
        return design;
    }

    public Glm glm() {
        return glm;
    }

    public double sliceTimeRef() {
        return sliceTimeRef;
    }

    public String sliceTimeSource() {
        return sliceTimeSource;
    }

    /** Mean framewise displacement over every volume (the first, n/a in fMRIPrep, as 0); NaN without FD. */
    public double fdMean() {
        return fdMean;
    }

    /** The framewise displacement per volume (the first as 0), or null without it. */
    public double[] fd() {
        return fd == null ? null : fd.clone();
    }

    public int spikes() {
        return design.spikes();
    }

    public List<String> warnings() {
        return warnings;
    }

    /** The ROI mean of a map over the given rows (mask voxels), NaN values left out. */
    public static double mean(double[] map, int[] rows) {
        double s = 0;
        int k = 0;
        for (int r : rows) {
            if (Double.isNaN(map[r])) continue;
            s += map[r];
            k++;
        }
        return k == 0 ? Double.NaN : s / k;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%d voxels x %d volumes, %d design columns, %s, dof %d", bold.size(), bold.volumes(),
            design.columns(), glm.noise().label(), glm.dof());
    }
}
