package org.ketaprint.structural;

import org.ketaprint.measure.Measure;
import org.ketaprint.measure.Value;

/**
 * Measure {@code icv}: the intracranial volume, FreeSurfer eTIV from aseg.stats when present, else the
 * brain mask volume, else the volume of all non-zero labels (the source used is in the provenance).
 */
public final class Icv implements Measure<Icv.Params, Segmentation> {
    public static final String NAME = "icv";

    /** {@code icv} has no parameters: the source is the first available (see the class comment). */
    public record Params() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String stage() {
        return StructuralStage.TYPE;
    }

    @Override
    public Class<Params> params() {
        return Params.class;
    }

    @Override
    public Class<Segmentation> dataType() {
        return Segmentation.class;
    }

    @Override
    public String units(Params p) {
        return "mm^3";
    }

    @Override
    public String describe(Params p) {
        return "Intracranial volume: FreeSurfer eTIV from aseg.stats when present, else the brain mask "
            + "volume, else the volume of all non-zero labels (the source used is in the provenance)";
    }

    @Override
    public Value compute(Segmentation s, Params p) {
        return Value.of(s.icv.mm3());
    }
}
