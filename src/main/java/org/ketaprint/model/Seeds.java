package org.ketaprint.model;

/**
 * The seed of every random step, derived from the run's seed and the step's path (kind, repeat, fold) by SplitMix64
 * mixing, so that each step's seed can be recorded and any one step redone alone.
 */
public final class Seeds {
    /** Kinds of step. */
    public static final int OUTER = 1;
    public static final int INNER = 2;
    public static final int FINAL = 3;
    public static final int PERMUTATION = 4;

    private Seeds() {
    }

    public static long derive(long seed, int... path) {
        long s = mix(seed);
        for (int p : path) s = mix(s ^ (p + 0x632BE59BD9B4E019L));
        return s;
    }

    static long mix(long z) {
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
