package org.ketaprint.restingstate;

/**
 * Which volumes enter the fits: those with framewise displacement at or below the threshold (a threshold
 * of 0 keeps every volume). Also the quality figures the feature table records.
 */
public final class Censoring {
    private final boolean[] keep;
    private final double threshold;
    private final double fdMean;

    private Censoring(boolean[] keep, double threshold, double fdMean) {
        this.keep = keep;
        this.threshold = threshold;
        this.fdMean = fdMean;
    }

    /** Censors volumes with fd &gt; threshold mm; fd may be null (no censoring, fd_mean NaN). */
    public static Censoring byFd(double[] fd, int volumes, double thresholdMm) {
        boolean[] keep = new boolean[volumes];
        java.util.Arrays.fill(keep, true);
        double mean = Double.NaN;
        if (fd != null) {
            double s = 0;
            for (int t = 0; t < volumes; t++) {
                s += fd[t];
                if (thresholdMm > 0 && fd[t] > thresholdMm) keep[t] = false;
            }
            mean = s / volumes;
        }
        return new Censoring(keep, thresholdMm, mean);
    }

    /** Keeps every volume. */
    public static Censoring none(int volumes) {
        return byFd(null, volumes, 0);
    }

    /** A copy of the keep mask (true = used). */
    public boolean[] keep() {
        return keep.clone();
    }

    public int volumes() {
        return keep.length;
    }

    public int used() {
        int n = 0;
        for (boolean k : keep) if (k) n++;
        return n;
    }

    public int censored() {
        return keep.length - used();
    }

    public double threshold() {
        return threshold;
    }

    /** Mean framewise displacement over all volumes (first volume's 0 included), NaN without FD. */
    public double fdMean() {
        return fdMean;
    }
}
