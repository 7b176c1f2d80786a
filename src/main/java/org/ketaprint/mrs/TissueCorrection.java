package org.ketaprint.mrs;

import java.util.Map;
import org.ketaprint.KetaprintException;

/**
 * The water-referenced tissue correction of Gasparovic et al. (2006, Magn Reson Med 55:1219), CSF-corrected:
 * {@code C = C_ws x sum_t w_t R_t / ((1 - w_CSF) R_M)} with water mole fractions {@code w_t = f_t d_t / sum f d}
 * (water densities GM 0.78, WM 0.65, CSF 0.97, Ernst et al. 1993) and relaxation factors
 * {@code R = exp(-TE / T2) (1 - exp(-TR / T1))}. 3 T constants (s): water T1 GM 1.331, WM 0.832 (Wansapura 1999),
 * CSF 3.817 (Lu 2005); water T2 GM 0.110, WM 0.0792 (Wansapura 1999), CSF 0.503 (Piechnik 2009); metabolites
 * (T1/T2, the GM/WM mean of Osprey's table): Glu 1.220/0.12625, Gln 1.265/0.13925; Glx takes Glu's.
 */
public final class TissueCorrection {
    public static final double[] DENSITY = {0.78, 0.65, 0.97};          // GM, WM, CSF
    public static final double[] WATER_T1 = {1.331, 0.832, 3.817};
    public static final double[] WATER_T2 = {0.110, 0.0792, 0.503};
    public static final Map<String, double[]> METABOLITE = Map.of(
        "Glu", new double[] {1.220, 0.12625},
        "Gln", new double[] {1.265, 0.13925},
        "Glx", new double[] {1.220, 0.12625});

    private TissueCorrection() {
    }

    /** The water mole fractions of volume fractions {GM, WM, CSF}. */
    public static double[] moleFractions(double[] f) {
        double s = 0;
        for (int t = 0; t < 3; t++) s += f[t] * DENSITY[t];
        if (!(s > 0)) throw new KetaprintException("the voxel holds no tissue (GM + WM + CSF fractions are 0)");
        double[] w = new double[3];
        for (int t = 0; t < 3; t++) w[t] = f[t] * DENSITY[t] / s;
        return w;
    }

    static double relaxation(double te, double tr, double t1, double t2) {
        return Math.exp(-te / t2) * (1 - Math.exp(-tr / t1));
    }

    /** The corrected concentration of {@code metabolite} (Glu, Gln, Glx) from its water-scaled value. */
    public static double correct(String metabolite, double cws, double[] fractions, double te, double tr) {
        double[] m = METABOLITE.get(metabolite);
        if (m == null) throw new KetaprintException("no relaxation times for " + metabolite + " (known: Glu, Gln, Glx)");
        double[] w = moleFractions(fractions);
        if (!(w[2] < 1)) throw new KetaprintException("the voxel is all CSF: no tissue to correct to");
        double water = 0;
        for (int t = 0; t < 3; t++) water += w[t] * relaxation(te, tr, WATER_T1[t], WATER_T2[t]);
        return cws * water / ((1 - w[2]) * relaxation(te, tr, m[0], m[1]));
    }
}
