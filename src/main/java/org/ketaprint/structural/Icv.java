package org.ketaprint.structural;

import org.ketaprint.measure.BaseMeasure;
import org.ketaprint.measure.Value;

/**
 * Measure {@code icv}: the intracranial volume, FreeSurfer eTIV from aseg.stats when present, else the
 * brain mask volume, else the volume of all non-zero labels (the source used is in the provenance).
 */
public final class Icv extends BaseMeasure<Icv.Params, Segmentation> {
    public static final String NAME = "icv";

    public Icv() {
        super(NAME, StructuralStage.TYPE, Params.class, Segmentation.class);
    }

    /** {@code icv} has no parameters: the source is the first available (see the class comment). */
    public record Params() {
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
