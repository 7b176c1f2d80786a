package org.ketaprint.measure;

/**
 * One kind of feature (a region volume, a seed correlation, ...): its name (the pipeline's
 * {@code measure:}), its parameter record {@code P} (declared once with {@link Param}) and the one
 * computation every door calls, on the data {@code D} its stage prepares (a segmentation, tensor maps
 * with atlas labels on their grid, a denoised BOLD run, ...). Implementations are discovered with
 * ServiceLoader ({@code META-INF/services/org.ketaprint.measure.Measure}).
 */
public interface Measure<P extends Record, D> {
    /** The pipeline's {@code measure:} value. */
    String name();

    /** The stage type whose data this measure reads. */
    String stage();

    Class<P> params();

    /** The data type {@link #compute} takes. */
    Class<D> dataType();

    /** Units of the value, for the data dictionary. */
    String units(P p);

    /** What the value is, for the data dictionary. */
    String describe(P p);

    /** The region the value is about, as text (null: none). */
    default String roi(P p) {
        return null;
    }

    /** The value (NaN with a reason when it cannot be computed for this data). */
    Value compute(D data, P p);

    /** The data dictionary's Method: the measure name and the class that computes it. */
    default String method() {
        return name() + " (" + getClass().getName() + ")";
    }
}
