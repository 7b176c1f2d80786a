package org.ketaprint.imagej;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.ketaprint.KetaprintException;
import org.ketaprint.atlas.Atlases;
import org.ketaprint.atlas.LabelTable;
import org.ketaprint.atlas.RoiStats;
import org.ketaprint.bids.BidsLayout;
import org.ketaprint.diffusion.BrainMask;
import org.ketaprint.diffusion.DiffusionStage;
import org.ketaprint.diffusion.DtiMaps;
import org.ketaprint.diffusion.Gradients;
import org.ketaprint.diffusion.TensorFit;
import org.ketaprint.measure.ParamSet;
import org.ketaprint.nifti.Image;
import org.ketaprint.pipeline.GroupRunner;
import org.ketaprint.pipeline.ParticipantRunner;
import org.ketaprint.pipeline.PipelineSpec;
import org.ketaprint.pipeline.Progress;
import org.ketaprint.structural.RegionVolume;
import org.ketaprint.structural.RegionVolumes;
import org.ketaprint.table.ImageInfo;
import org.ketaprint.table.Table;

/**
 * What the ImageJ menu entries and SciJava commands do, in one place, calling the same code as the CLI
 * ({@code info}, {@code volumes}, {@code dti}, {@code roistats}, {@code run}). No ImageJ classes here: results are ketaprint Tables.
 */
public final class Actions {
    private Actions() {
    }

    /** {@code ketaprint info --json [--stats]} as one table row; arrays become space-separated numbers. */
    public static Table info(Path file, boolean stats) {
        ObjectNode o = ImageInfo.describe(file, stats);
        Map<String, String> row = new LinkedHashMap<>();
        o.fields().forEachRemaining(e -> row.put(e.getKey(), cell(e.getValue())));
        Table t = new Table(new ArrayList<>(row.keySet()));
        t.add(row);
        return t;
    }

    private static String cell(JsonNode v) {
        if (v.isNull()) return Table.NA;
        if (v.isArray()) {
            List<String> parts = new ArrayList<>();
            for (JsonNode x : v) parts.add(x.isArray() ? cell(x) : x.asText());
            return String.join(" ", parts);
        }
        return v.isNumber() ? Table.format(v.asDouble()) : v.asText();
    }

    /**
     * {@code ketaprint volumes}: label, name, voxels, volume_mm3 per label, as {@link RegionVolumes#count}.
     *
     * @param labels comma-separated label numbers or names; blank for every non-zero label
     * @param lut lookup table file, or null for FreeSurfer's names
     * @param mask mask image on the same grid, or null
     * @param warn receives one line per empty label
     */
    public static Table regionVolumes(Image seg, String labels, Path lut, Image mask, Consumer<String> warn) {
        LabelTable table = lut == null ? null : LabelTable.read(lut);
        int[] wanted = parseLabels(labels, table);
        List<RegionVolume> vols = RegionVolumes.count(seg, wanted, table, mask);
        RegionVolumes.warnings(seg, vols).forEach(warn);
        Table t = new Table(List.of("label", "name", "voxels", "volume_mm3"));
        for (RegionVolume r : vols) {
            Map<String, String> row = new LinkedHashMap<>();
            row.put("label", Integer.toString(r.label()));
            row.put("name", r.name() == null ? Table.NA : r.name());
            row.put("voxels", Long.toString(r.voxels()));
            row.put("volume_mm3", Table.format(r.volumeMm3()));
            t.add(row);
        }
        return t;
    }

    /** Label numbers ("17,53"), or names looked up in the table ("Left-Hippocampus, Right-Hippocampus"). */
    static int[] parseLabels(String labels, LabelTable table) {
        if (labels == null || labels.isBlank()) return null;
        List<String> items = Arrays.stream(labels.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        if (items.stream().allMatch(s -> s.matches("-?\\d+"))) return items.stream().mapToInt(Integer::parseInt).toArray();
        return RegionVolumes.labelsForNames(items, table);
    }

    /** Options of a tensor fit from ImageJ ({@code ketaprint dti}). */
    public static final class DtiRun {
        public Path bval;
        public Path bvec;
        public String method = "wls";
        /** Brain mask on the DWI grid; null: median_otsu of the mean b0 (the CLI's default) unless {@link #everyVoxel}. */
        public Image mask;
        public boolean everyVoxel;
        /** When not blank: writes the {@link #maps} as PREFIX_FA, _MD, ... (and _mask when median_otsu made it) .nii.gz. */
        public String prefix;
        /** The maps written with a prefix ({@code write_maps}: the diffusion stage's declaration and default). */
        public List<String> maps = ParamSet.of(DiffusionStage.Params.class).defaults().writeMaps();
    }

    /**
     * {@code ketaprint dti}: {@link Gradients#read}, the mask, {@link TensorFit#fit}, as {@code DtiCommand}.
     * Warnings and the timing line go to {@code log}.
     */
    public static DtiMaps dti(Image dwi, DtiRun r, Consumer<String> log) {
        TensorFit.Method m = switch (r.method == null ? "" : r.method.trim().toLowerCase(Locale.ROOT)) {
            case "wls" -> TensorFit.Method.WLS;
            case "ols", "ls" -> TensorFit.Method.OLS;
            default -> throw new KetaprintException("method must be wls or ols, not '" + r.method + "'");
        };
        if (dwi.shape().length < 4 || dwi.volumes() < 2) {
            throw new KetaprintException(dwi.path() + ": not a 4D DWI series (" + dwi.volumes() + " volume)");
        }
        if (r.bval == null || r.bvec == null) throw new KetaprintException(dwi.path() + ": give the .bval and .bvec files");
        Gradients g = Gradients.read(r.bval, r.bvec, dwi);
        g.warnings().forEach(w -> log.accept("warning: " + w));
        boolean write = r.prefix != null && !r.prefix.isBlank();
        boolean[] brain = null;
        if (r.mask != null) {
            brain = BrainMask.read(r.mask, dwi);
        } else if (!r.everyVoxel) {
            brain = BrainMask.medianOtsu(dwi, g);
            if (write) BrainMask.write(Path.of(r.prefix + "_mask.nii.gz"), brain, dwi, org.ketaprint.nifti.Compression.DEFAULT);
            log.accept("mask: median_otsu of " + g.b0Indices().length + " b0 volume(s)");
        }
        long t0 = System.nanoTime();
        DtiMaps maps = TensorFit.fit(dwi, g, brain, m, write ? r.maps : List.of());
        double s = (System.nanoTime() - t0) / 1e9;
        if (maps.nonfinite() > 0) {
            log.accept("warning: " + dwi.path() + ": " + maps.nonfinite() + " mask voxel(s) have NaN/Inf signals; their maps are NaN");
        }
        if (maps.wlsFallback() > 0) log.accept("warning: " + maps.wlsFallback() + " voxel(s) had vanishing WLS weights; they keep the OLS fit");
        log.accept(String.format(Locale.ROOT, "dti: %s fit of %d voxels in %.2f s", m, maps.fitted(), s));
        if (write) {
            for (Path f : maps.write(r.prefix, r.maps, org.ketaprint.nifti.Compression.DEFAULT)) log.accept("wrote " + f);
        }
        return maps;
    }

    /** Options of ROI statistics from ImageJ ({@code ketaprint roistats}). */
    public static final class RoiRun {
        /** Integer label image (any grid: resampled onto the map's by nearest neighbour). */
        public Image atlas;
        /** Label names; null: X.nii.txt, X.txt, X.xml or X.tsv beside the atlas, if any. */
        public Path lut;
        /** Comma-separated label numbers or names; blank: every label. */
        public String labels;
        /** Only voxels where this image (on the map's grid) is non-zero; null: all. */
        public Image mask;
        /** Only voxels where the map (or {@link #thresholdImage}) is above this; null: no threshold. */
        public Double above;
        public Image thresholdImage;
    }

    /** The table and the atlas labels on the map's grid (x fastest), for outlines. */
    public record RoiResult(Table table, int[] labelsOnMapGrid) {
    }

    /**
     * {@code ketaprint roistats}: label, name, voxels, mean, median, std (n-1), nonfinite per label, by
     * {@link RoiStats#compute} after {@link RoiStats#labelsOnGrid}, as {@code RoiStatsCommand}.
     */
    public static RoiResult roiStats(Image map, RoiRun r) {
        if (map.volumes() != 1) throw new KetaprintException(map.path() + ": roistats takes a 3D map, this has " + map.volumes() + " volumes");
        if (r.atlas == null) throw new KetaprintException(map.path() + ": no atlas label image given");
        float[] v = map.readVolume(0);
        LabelTable table = r.lut != null ? LabelTable.read(r.lut) : LabelTable.beside(r.atlas.path());
        int[] want = roiLabels(r.labels, table, r.atlas.path());
        boolean[] include = r.mask == null ? null : BrainMask.read(r.mask, map);
        if (r.above != null) {
            float[] t = v;
            if (r.thresholdImage != null) {
                if (!r.thresholdImage.grid().sameAs(map.grid())) {
                    throw new KetaprintException(r.thresholdImage.path() + ": not on the grid of " + map.path());
                }
                t = r.thresholdImage.readVolume(0);
            }
            boolean[] a = RoiStats.above(t, r.above);
            if (include != null) for (int i = 0; i < a.length; i++) a[i] &= include[i];
            include = a;
        } else if (r.thresholdImage != null) {
            throw new KetaprintException("a threshold image needs a threshold value");
        }
        int[] lab = RoiStats.labelsOnGrid(r.atlas, map.grid());
        Table t = new Table(List.of("label", "name", "voxels", "mean", "median", "std", "nonfinite"));
        for (RoiStats.Row row : RoiStats.compute(v, lab, table, want, include)) {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("label", Integer.toString(row.label()));
            m.put("name", row.name() == null ? Table.NA : row.name());
            m.put("voxels", Long.toString(row.voxels()));
            m.put("mean", Table.format(row.mean()));
            m.put("median", Table.format(row.median()));
            m.put("std", Table.format(row.std()));
            m.put("nonfinite", Long.toString(row.nonfinite()));
            t.add(m);
        }
        return new RoiResult(t, lab);
    }

    /** Label numbers, or names looked up in the atlas's table (as {@code roistats --labels}); null when blank. */
    static int[] roiLabels(String labels, LabelTable table, Path atlas) {
        if (labels == null || labels.isBlank()) return null;
        List<Integer> out = new ArrayList<>();
        for (String s : labels.split(",")) {
            String t = s.trim();
            if (t.isEmpty()) continue;
            if (t.matches("-?\\d+")) {
                out.add(Integer.parseInt(t));
            } else if (table == null) {
                throw new KetaprintException(atlas + ": no label table found to look up '" + t + "' (give a lookup table)");
            } else {
                out.add(table.label(t));
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Options of a pipeline run from ImageJ: those of {@code ketaprint BIDS OUT participant} of the same names. */
    public static final class PipelineRun {
        public Path bids;
        public Path out;
        public String pipeline = "ketamine-response";
        public List<String> participants = List.of();
        /** {@code --session-label}: sessions to run (empty: all). */
        public List<String> sessions = List.of();
        /** {@code --derivatives}: extra derivatives folders (BIDS/derivatives/* are always searched). */
        public List<Path> derivatives = List.of();
        /** {@code --atlas-dir}: folders searched first for atlases (then $FSLDIR/data/atlases, mricron's). */
        public List<Path> atlasDirs = List.of();
        /** {@code --space}: the space of inputs without a space- entity nor SpatialReference; null: none. */
        public String space;
        public int threads = 1;
        public boolean skipExisting;
    }

    /**
     * Folders as typed in one dialog field: separated by ';' (or the platform's path separator, ':' on Linux and
     * macOS), blanks dropped.
     */
    public static List<Path> folders(String text) {
        if (text == null || text.isBlank()) return List.of();
        String sep = "[;" + java.util.regex.Pattern.quote(java.io.File.pathSeparator) + "]";
        return Arrays.stream(text.split(sep)).map(String::trim).filter(s -> !s.isEmpty()).map(Path::of).toList();
    }

    /** Labels typed in one field ("01 02", "01,02", "sub-01"), without their {@code prefix} ("sub-", "ses-"). */
    public static List<String> labels(String text, String prefix) {
        if (text == null || text.isBlank()) return List.of();
        return Arrays.stream(text.trim().split("[,\\s]+")).map(s -> s.startsWith(prefix) ? s.substring(prefix.length()) : s)
            .filter(s -> !s.isEmpty()).toList();
    }

    /**
     * {@code ketaprint BIDS OUT participant} then {@code group}: returns the group features table
     * (OUT/group/features.tsv). Problems go to {@code log}, one line each.
     */
    public static Table runPipeline(PipelineRun r, Consumer<String> log) throws InterruptedException {
        // Stages are found with ServiceLoader through the context class loader, which in ImageJ/Fiji is
        // not the plugin class loader that holds ketaprint: use ours while the pipeline runs.
        Thread t = Thread.currentThread();
        ClassLoader before = t.getContextClassLoader();
        t.setContextClassLoader(Actions.class.getClassLoader());
        try {
            return runPipelineHere(r, log);
        } finally {
            t.setContextClassLoader(before);
        }
    }

    private static Table runPipelineHere(PipelineRun r, Consumer<String> log) throws InterruptedException {
        if (r.bids == null || !Files.isDirectory(r.bids)) throw new KetaprintException(r.bids + ": not a folder (need a BIDS dataset)");
        if (r.out == null) throw new KetaprintException("no output folder given");
        for (Path d : r.derivatives) {
            if (!Files.isDirectory(d)) throw new KetaprintException(d + ": not a folder (derivatives folder)");
        }
        for (Path d : r.atlasDirs) {
            if (!Files.isDirectory(d)) throw new KetaprintException(d + ": not a folder (atlas folder)");
        }
        PipelineSpec spec = PipelineSpec.resolve(r.pipeline, pipelineDirs());
        // as RunCommand: absolute folders, so that derived-file paths compare
        Path bids = r.bids.toAbsolutePath().normalize();
        Path out = r.out.toAbsolutePath().normalize();
        List<Path> derivatives = r.derivatives.stream().map(d -> d.toAbsolutePath().normalize()).toList();
        BidsLayout layout = BidsLayout.index(bids, derivatives);
        layout.warnings().forEach(w -> log.accept("warning: " + w));
        ParticipantRunner.Options o = new ParticipantRunner.Options();
        o.participants = r.participants;
        o.sessions = r.sessions;
        o.space = r.space == null || r.space.isBlank() ? null : r.space.trim();
        o.threads = r.threads;
        o.skipExisting = r.skipExisting;
        List<ParticipantRunner.Outcome> res =
            new ParticipantRunner(spec, layout, Atlases.standard(r.atlasDirs), out, o, Progress.silent()).run();
        log.accept(ParticipantRunner.summary(res));
        for (ParticipantRunner.Outcome x : res) {
            for (String[] p : x.problems()) {
                log.accept("sub-" + x.subject() + (x.session() == null ? "" : "_ses-" + x.session()) + " [" + p[0] + "] "
                    + p[1] + ": " + p[2]);
            }
        }
        int bad = new GroupRunner(spec, layout, out).warnings(w -> log.accept("warning: " + w)).run();
        Path features = out.resolve("group").resolve("features.tsv");
        if (bad > 0) log.accept(bad + " subject-session stage(s) failed or have no outputs: see " + features.resolveSibling("failures.tsv"));
        return Table.read(features);
    }

    /**
     * Where pipelines are found by name: $KETAPRINT_PIPELINES, ./pipelines, then beside the plugin jar
     * (plugins/ketaprint/pipelines, then pipelines/ in the ImageJ folder).
     */
    static List<Path> pipelineDirs() {
        List<Path> d = new ArrayList<>();
        String env = System.getenv("KETAPRINT_PIPELINES");
        if (env != null) d.add(Path.of(env));
        d.add(Path.of("pipelines"));
        try {
            Path jar = Path.of(Actions.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path dir = jar.getParent();
            if (dir != null) {
                d.add(dir.resolve("ketaprint").resolve("pipelines"));
                if (dir.getParent() != null) d.add(dir.getParent().resolve("pipelines"));
            }
        } catch (Exception ignored) {
            // unusual class path: the other folders still apply
        }
        return d;
    }
}
