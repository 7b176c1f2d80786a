package org.ketaprint.diffusion;

import java.util.Arrays;

/**
 * The values of a median window as ranks in [0, n): a count per rank and per group of 32 ranks. The median's group
 * {@code mg} and {@code below}, the number of values in the groups under it, move group by group after each window
 * step until below <= k < below + groups[mg]; the median is then found by counting through that group's ranks.
 */
final class RankWindow {
    private static final int SHIFT = 5;
    private final char[] count;
    private final char[] groups;
    private final int k;
    private int mg;
    private int below;

    /** A window of {@code size} values (at most 65535), ranks below {@code n}. */
    RankWindow(int n, int size) {
        count = new char[n];
        groups = new char[(n >> SHIFT) + 1];
        k = size / 2;
    }

    /** Empties the window, which held ranks below {@code n} only. */
    void clear(int n) {
        Arrays.fill(count, 0, n, (char) 0);
        Arrays.fill(groups, 0, (n >> SHIFT) + 1, (char) 0);
        mg = 0;
        below = 0;
    }

    void add(int v) {
        int g = v >>> SHIFT;
        count[v]++;
        groups[g]++;
        below += (g - mg) >>> 31;
    }

    void remove(int v) {
        int g = v >>> SHIFT;
        count[v]--;
        groups[g]--;
        below -= (g - mg) >>> 31;
    }

    /** The median rank: the k-th smallest (from 0), k = size / 2. */
    int median() {
        while (below > k) below -= groups[--mg];
        while (below + groups[mg] <= k) below += groups[mg++];
        int need = k - below;
        int v = mg << SHIFT;
        for (int c = count[v]; need >= c; c = count[++v]) need -= c;
        return v;
    }
}
