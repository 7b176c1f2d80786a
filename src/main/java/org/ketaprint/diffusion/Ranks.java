package org.ketaprint.diffusion;

import java.util.Arrays;

/** Values to dense ranks (equal values share one; -0.0 is 0.0; no NaN): one primitive sort of (key, index) longs. */
final class Ranks {
    private Ranks() {
    }

    /** An order-preserving long for a double that is not NaN (-0.0 maps as 0.0). */
    static long key(double x) {
        long b = Double.doubleToRawLongBits(x == 0 ? 0.0 : x);
        return b ^ (b >> 63 & Long.MAX_VALUE);
    }

    /**
     * Fills {@code rank} and returns the distinct values, ascending. Each long holds a key's top bits and the voxel
     * index; voxels whose keys differ only in the dropped bits are ordered by a second sort on those bits.
     */
    static double[] of(double[] in, int[] rank) {
        int n = in.length;
        int ib = Math.max(1, 32 - Integer.numberOfLeadingZeros(n - 1));
        long low = (1L << ib) - 1;
        long[] s = new long[n];
        for (int p = 0; p < n; p++) s[p] = key(in[p]) & ~low | p;
        Arrays.parallelSort(s);
        double[] values = new double[n];
        int u = 0;
        long last = 0;
        for (int a = 0; a < n;) {
            long top = s[a] & ~low;
            int b = a + 1;
            while (b < n && (s[b] & ~low) == top) b++;
            if (b - a > 1) {
                for (int q = a; q < b; q++) {
                    int p = (int) (s[q] & low);
                    s[q] = (key(in[p]) & low) << ib | p;
                }
                Arrays.sort(s, a, b);
            }
            for (int q = a; q < b; q++) {
                int p = (int) (s[q] & low);
                long kp = key(in[p]);
                if (u == 0 || kp != last) values[u++] = in[p] == 0 ? 0.0 : in[p];
                last = kp;
                rank[p] = u - 1;
            }
            a = b;
        }
        return Arrays.copyOf(values, u);
    }
}
