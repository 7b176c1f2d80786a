package org.ketaprint.measure;

/** A measure's value, or NaN with the reason it is n/a. */
public record Value(double value, String na) {
    public static Value of(double v) {
        return new Value(v, null);
    }

    public static Value na(String why) {
        return new Value(Double.NaN, why);
    }

    /** n/a with {@code why} when it is not null, else {@code v}. */
    public static Value of(double v, String why) {
        return why == null ? of(v) : na(why);
    }
}
