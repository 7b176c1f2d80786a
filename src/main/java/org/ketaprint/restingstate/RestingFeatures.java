package org.ketaprint.restingstate;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ketaprint.KetaprintException;

/**
 * The resting-state stage's feature columns for one run, for the pipeline: sgACC-rdlPFC connectivity with
 * and without GSR, sgACC ALFF/fALFF, PFC GBC with and without GSR, and the quality columns. Every value is
 * NaN with a note when n/a. Which strategy variant each column used is in {@link Output#details}.
 */
public final class RestingFeatures {
    public static final String FC_Z = "sgacc_rdlpfc_fc_z";
    public static final String FC_GSR_Z = "sgacc_rdlpfc_fc_gsr_z";
    public static final String ALFF = "sgacc_alff";
    public static final String FALFF = "sgacc_falff";
    public static final String GBCR_Z = "pfc_gbcr_z";
    public static final String GBC_Z = "pfc_gbc_z";
    public static final String FD_MEAN = "fd_mean_mm";
    public static final String CENSORED = "n_volumes_censored";
    public static final String USED = "n_volumes_used";
    public static final List<String> COLUMNS = List.of(FC_Z, FC_GSR_Z, ALFF, FALFF, GBCR_Z, GBC_Z, FD_MEAN, CENSORED, USED);

    /** sgACC: 10 mm sphere at MNI (6, 16, -10) (Fox et al. 2012). */
    public static final Roi SGACC = Roi.sphere(6, 16, -10, 10);
    /** Right dlPFC: 10 mm sphere at MNI (38, 44, 26), the mirror of Fox et al.'s left dlPFC target. */
    public static final Roi RDLPFC = Roi.sphere(38, 44, 26, 10);
    /** Prefrontal labels of AAL (mricron-data's aal.nii.gz), for the PFC ROI of GBCr. */
    public static final List<String> AAL_PFC_LABELS = List.of(
        "Frontal_Sup_L", "Frontal_Sup_R", "Frontal_Sup_Orb_L", "Frontal_Sup_Orb_R", "Frontal_Mid_L", "Frontal_Mid_R",
        "Frontal_Mid_Orb_L", "Frontal_Mid_Orb_R", "Frontal_Inf_Oper_L", "Frontal_Inf_Oper_R", "Frontal_Inf_Tri_L",
        "Frontal_Inf_Tri_R", "Frontal_Inf_Orb_L", "Frontal_Inf_Orb_R", "Frontal_Sup_Medial_L", "Frontal_Sup_Medial_R",
        "Frontal_Med_Orb_L", "Frontal_Med_Orb_R", "Rectus_L", "Rectus_R");

    private RestingFeatures() {
    }

    /** What to compute; the defaults are the pipeline's. */
    public static final class Config {
        /** Strategy (its GSR and non-GSR variants are both used), FD threshold, minimum time, band. */
        public Settings settings = Settings.defaults();
        public Roi seed = SGACC;
        public Roi target = RDLPFC;
        /** PFC ROI for GBC; null: the GBC columns are n/a. */
        public Roi pfc;
        /** Write maps here (null: none): seed r/z maps, ALFF/fALFF, GBC and GBCr. */
        public Path mapDir;
        public String mapPrefix = "rest";
    }

    /** Values (NaN = n/a), notes (why n/a), details (choices made), derived files. */
    public static final class Output {
        public final Map<String, Double> values = new LinkedHashMap<>();
        public final Map<String, String> notes = new LinkedHashMap<>();
        public final Map<String, Object> details = new LinkedHashMap<>();
        public final List<Path> maps = new ArrayList<>();

        void na(String column, String why) {
            values.put(column, Double.NaN);
            notes.put(column, why);
        }
    }

    /**
     * Computes every column. {@code confounds} may be null (no censoring, GSR by the mask mean, the strategy
     * must then be "none"); {@code grayMatter} (per mask voxel, see {@link Gbc#grayMatter}) may be null when
     * no PFC ROI is configured.
     */
    public static Output compute(BoldRun run, Confounds confounds, boolean[] grayMatter, Config cfg) {
        Output out = new Output();
        Settings noGsr = cfg.settings.withStrategy(cfg.settings.strategy().withoutGsr());
        Settings gsr = cfg.settings.withStrategy(cfg.settings.strategy().withGsr());
        out.details.put("tr", run.tr());
        out.details.put("tr_source", run.trSource());
        out.details.put("strategy", noGsr.strategy().name());
        out.details.put("strategy_gsr", gsr.strategy().name());
        out.details.put("fd_threshold_mm", cfg.settings.fdThreshold());
        out.details.put("band_hz", cfg.settings.band() == null ? null : List.of(cfg.settings.band().low(), cfg.settings.band().high()));
        if (!run.warnings().isEmpty()) out.details.put("warnings", run.warnings());

        SeedCorrelation.Result fc = SeedCorrelation.compute(run, confounds, noGsr, cfg.seed, cfg.target, cfg.mapDir != null);
        out.values.put(FD_MEAN, fc.fdMean);
        if (Double.isNaN(fc.fdMean)) out.notes.put(FD_MEAN, "no framewise_displacement column");
        out.values.put(CENSORED, (double) fc.censored);
        out.values.put(USED, (double) fc.used);
        out.details.put("design_columns", fc.cleaning.denoiser().regressors().size());
        out.details.put("design_rank", fc.cleaning.denoiser().rank());
        String na = fc.naReason;
        if (na != null) {
            for (String c : List.of(FC_Z, FC_GSR_Z, ALFF, FALFF, GBCR_Z, GBC_Z)) out.na(c, na);
            return out;
        }
        out.values.put(FC_Z, fc.z);
        SeedCorrelation.Result fcg = SeedCorrelation.compute(run, confounds, gsr, cfg.seed, cfg.target, cfg.mapDir != null);
        out.values.put(FC_GSR_Z, fcg.z);
        out.details.put("global_signal_source", fcg.cleaning.globalSource());
        if (cfg.mapDir != null) {
            map(out, run, cfg, "_seed_r", fc.rMap);
            map(out, run, cfg, "_seed_z", fc.zMap());
            map(out, run, cfg, "_seed_gsr_r", fcg.rMap);
            map(out, run, cfg, "_seed_gsr_z", fcg.zMap());
        }
        if (cfg.settings.band() == null) {
            out.na(ALFF, "no pass band");
            out.na(FALFF, "no pass band");
        } else {
            Alff.Result a = Alff.compute(run, confounds, noGsr, cfg.seed);
            out.values.put(ALFF, a.roiAlff);
            out.values.put(FALFF, a.roiFalff);
            if (cfg.mapDir != null) {
                map(out, run, cfg, "_alff", a.alff);
                map(out, run, cfg, "_falff", a.falff);
            }
        }
        if (cfg.pfc == null || grayMatter == null) {
            String why = cfg.pfc == null ? "no PFC ROI configured" : "no gray-matter mask";
            out.na(GBCR_Z, why);
            out.na(GBC_Z, why);
        } else {
            Gbc.Result gr = Gbc.compute(run, confounds, gsr, grayMatter, cfg.pfc);
            out.values.put(GBCR_Z, gr.roiMean);
            Gbc.Result g = Gbc.compute(run, confounds, noGsr, grayMatter, cfg.pfc);
            out.values.put(GBC_Z, g.roiMean);
            out.details.put("gm_voxels", g.grayVoxels);
            out.details.put("pfc_gm_voxels", g.roiVoxels);
            if (cfg.mapDir != null) {
                map(out, run, cfg, "_gbcr", gr.gbc);
                map(out, run, cfg, "_gbc", g.gbc);
            }
        }
        return out;
    }

    private static void map(Output out, BoldRun run, Config cfg, String suffix, double[] values) {
        if (values == null) return;
        String prefix = cfg.mapDir.resolve(cfg.mapPrefix).toString();
        out.maps.add(run.writeMap(prefix, suffix, values));
    }

    /** Data dictionary text per column: what it is and how it was computed. */
    public static Map<String, String> dictionary() {
        String design = "denoised by one OLS projection (3dTproject-style): constant + linear trend + confounds + "
            + "sine/cosine at every DFT frequency k/(N*TR) outside the pass band (default 0.01-0.1 Hz, edges "
            + "inclusive; cosine only at Nyquist); volumes with FD above the threshold (default 0.5 mm) dropped";
        Map<String, String> d = new LinkedHashMap<>();
        d.put(FC_Z, "Fisher z (atanh) of the Pearson r between the mean clean series of the sgACC (10 mm sphere, MNI "
            + "6,16,-10) and right dlPFC (10 mm sphere, MNI 38,44,26), without GSR; " + design);
        d.put(FC_GSR_Z, "as " + FC_Z + " with the global signal regressed (GSR)");
        d.put(ALFF, "mean over sgACC voxels of ALFF = sample SD (n-1) of the band-passed clean series (C-PAC), "
            + "without GSR; " + design);
        d.put(FALFF, "mean over sgACC voxels of fALFF = ALFF / SD of the series cleaned without band-pass regressors");
        d.put(GBCR_Z, "mean over PFC gray-matter voxels of GBC = mean Fisher z (|r| clipped to 1-1e-7) of the "
            + "correlation with every other gray-matter voxel, with GSR; " + design);
        d.put(GBC_Z, "as " + GBCR_Z + " without GSR");
        d.put(FD_MEAN, "mean framewise displacement over all volumes (first volume 0), mm");
        d.put(CENSORED, "volumes with framewise displacement above the threshold, left out of every fit");
        d.put(USED, "volumes used in every fit and correlation");
        return d;
    }

    /** Checks the configuration before a run (for pipeline validation). */
    public static void check(Config cfg) {
        if (cfg.seed == null || cfg.target == null) throw new KetaprintException("resting-state: seed and target ROIs are required");
    }
}
