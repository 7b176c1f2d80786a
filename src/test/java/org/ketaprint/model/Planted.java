package org.ketaprint.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * A ketaprint OUTPUT_DIR for the model tests: pipeline.yaml (the default pipeline), group/features.tsv with pre and
 * post rows and group/features_change.tsv. hippocampus_l_vol_mm3 at baseline correlates with responder at exactly
 * {@code r} (r = 0: plain noise, a null table); five other features are noise. MADRS scores agree with responder.
 */
final class Planted {
    static final String[] FEATURES = {"hippocampus_l_vol_mm3", "accumbens_l_vol_mm3", "cingulum_cg_l_fa", "sgacc_rdlpfc_fc_z",
        "sgacc_alff", "pfc_gbc_z"};

    private Planted() {
    }

    /** Baseline values [subject][feature] and responder labels. */
    record Data(double[][] x, double[] y) {
    }

    static Data data(int n, double r, long seed) {
        Random rnd = new Random(seed);
        double[] y = new double[n];
        for (int i = 0; i < n; i++) y[i] = i < n / 2 ? 1 : 0;
        double[] ys = Folds.permuted(y, seed);
        double[] e = new double[n];
        for (int i = 0; i < n; i++) e[i] = rnd.nextGaussian();
        double[] yc = centred(ys);
        double[] ec = centred(e);
        double proj = r == 0 ? 0 : dot(ec, yc) / dot(yc, yc);   // a null table keeps plain noise (exactly 0 biases CV low)
        for (int i = 0; i < n; i++) ec[i] -= proj * yc[i];
        double ny = Math.sqrt(dot(yc, yc));
        double ne = Math.sqrt(dot(ec, ec));
        double[][] x = new double[n][FEATURES.length];
        for (int i = 0; i < n; i++) {
            x[i][0] = 4000 + 400 * Math.sqrt(n) * (r * yc[i] / ny + Math.sqrt(1 - r * r) * ec[i] / ne);
            x[i][1] = 500 + 60 * rnd.nextGaussian();
            x[i][2] = 0.5 + 0.05 * rnd.nextGaussian();
            x[i][3] = 0.2 + 0.15 * rnd.nextGaussian();
            x[i][4] = 8 + rnd.nextGaussian();
            x[i][5] = 0.01 + 0.005 * rnd.nextGaussian();
        }
        return new Data(x, ys);
    }

    /** Writes the OUTPUT_DIR; returns it. */
    static Path write(Path out, int n, double r, long seed) throws IOException {
        Data d = data(n, r, seed);
        Random rnd = new Random(seed + 1);
        Files.createDirectories(out.resolve("group"));
        Files.copy(Path.of("pipelines/ketamine-response.yaml"), out.resolve("pipeline.yaml"));
        StringBuilder wide = new StringBuilder("participant_id\tsession_id\t" + String.join("\t", FEATURES)
            + "\tage\tsex\tmadrs_baseline\tmadrs_24h\tmadrs_pct_change\tresponder\tremitter\n");
        List<String> changeCols = new ArrayList<>();
        for (String f : FEATURES) {
            changeCols.add(f + "_change");
            changeCols.add(f + "_pct_change");
        }
        StringBuilder change = new StringBuilder("participant_id\t" + String.join("\t", changeCols) + "\n");
        for (int i = 0; i < n; i++) {
            String id = String.format(Locale.ROOT, "sub-%02d", i + 1);
            int base = 25 + rnd.nextInt(11);
            int follow = (int) Math.round(base * (d.y()[i] == 1 ? 0.1 + 0.35 * rnd.nextDouble() : 0.6 + 0.4 * rnd.nextDouble()));
            String clin = "\t" + (25 + rnd.nextInt(40)) + "\t" + (rnd.nextBoolean() ? "F" : "M") + "\t" + base + "\t" + follow + "\t"
                + org.ketaprint.table.Table.format(100.0 * (follow - base) / base) + "\t" + (int) d.y()[i] + "\t" + (follow <= 10 ? 1 : 0);
            double[] post = new double[FEATURES.length];
            StringBuilder pre = new StringBuilder(id + "\tses-pre");
            StringBuilder pst = new StringBuilder(id + "\tses-post");
            StringBuilder ch = new StringBuilder(id);
            for (int j = 0; j < FEATURES.length; j++) {
                double v = d.x()[i][j];
                post[j] = v * (1 + 0.02 * rnd.nextGaussian());
                pre.append('\t').append(v);
                pst.append('\t').append(post[j]);
                ch.append('\t').append(post[j] - v).append('\t').append(100 * (post[j] - v) / Math.abs(v));
            }
            wide.append(pre).append(clin).append('\n').append(pst).append(clin).append('\n');
            change.append(ch).append('\n');
        }
        Files.writeString(out.resolve("group/features.tsv"), wide);
        Files.writeString(out.resolve("group/features_change.tsv"), change);
        return out;
    }

    static double[] centred(double[] v) {
        double m = java.util.Arrays.stream(v).average().orElse(0);
        return java.util.Arrays.stream(v).map(a -> a - m).toArray();
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }
}
