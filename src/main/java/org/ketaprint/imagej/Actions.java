package org.ketaprint.imagej;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.ketaprint.KetaprintException;
import org.ketaprint.atlas.Atlases;
import org.ketaprint.atlas.LabelTable;
import org.ketaprint.bids.BidsLayout;
import org.ketaprint.cli.InfoCommand;
import org.ketaprint.nifti.Image;
import org.ketaprint.pipeline.GroupRunner;
import org.ketaprint.pipeline.ParticipantRunner;
import org.ketaprint.pipeline.PipelineSpec;
import org.ketaprint.pipeline.Progress;
import org.ketaprint.structural.RegionVolume;
import org.ketaprint.structural.RegionVolumes;
import org.ketaprint.table.Table;

/**
 * What the ImageJ menu entries and SciJava commands do, in one place, calling the same code as the CLI
 * ({@code info}, {@code volumes}, {@code run}). No ImageJ classes here: results are ketaprint Tables.
 */
public final class Actions {
    private Actions() {
    }

    /** {@code ketaprint info --json [--stats]} as one table row; arrays become space-separated numbers. */
    public static Table info(Path file, boolean stats) {
        ObjectNode o = InfoCommand.describe(file, stats);
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

    /** Options of a pipeline run from ImageJ. */
    public static final class PipelineRun {
        public Path bids;
        public Path out;
        public String pipeline = "ketamine-response";
        public List<String> participants = List.of();
        public int threads = 1;
        public boolean skipExisting;
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
        PipelineSpec spec = PipelineSpec.resolve(r.pipeline, pipelineDirs());
        BidsLayout layout = BidsLayout.index(r.bids, List.of());
        layout.warnings().forEach(w -> log.accept("warning: " + w));
        ParticipantRunner.Options o = new ParticipantRunner.Options();
        o.participants = r.participants;
        o.threads = r.threads;
        o.skipExisting = r.skipExisting;
        List<ParticipantRunner.Outcome> res =
            new ParticipantRunner(spec, layout, Atlases.standard(List.of()), r.out, o, Progress.silent()).run();
        log.accept(ParticipantRunner.summary(res));
        for (ParticipantRunner.Outcome x : res) {
            for (String[] p : x.problems()) {
                log.accept("sub-" + x.subject() + (x.session() == null ? "" : "_ses-" + x.session()) + " [" + p[0] + "] "
                    + p[1] + ": " + p[2]);
            }
        }
        int bad = new GroupRunner(spec, layout, r.out).run();
        Path features = r.out.toAbsolutePath().resolve("group").resolve("features.tsv");
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
