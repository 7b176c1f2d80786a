package org.ketaprint.pipeline;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.ketaprint.KetaprintException;
import org.ketaprint.model.NestedCv;
import org.ketaprint.model.NestedCv.Kind;
import org.ketaprint.model.Seeds;
import org.ketaprint.report.GroupPage;
import org.ketaprint.table.AtomicFile;
import org.ketaprint.table.Json;

/**
 * {@code ketaprint model OUTPUT_DIR}: nested cross-validation of a penalised model of an outcome on the group table
 * ({@link ModelData}, {@link NestedCv}), written to {@code group/model/<name>/}: predictions.tsv, folds.tsv,
 * penalties.tsv, coefficients.tsv, metrics.tsv, permutations.tsv, model.json, provenance.json and report.html; the
 * group page, when there is one, then lists the model (its Models section).
 */
public final class ModelRunner {
    /** The command's options (defaults as the command's). */
    public static final class Options {
        public String target = "responder";
        public List<String> features;
        public List<String> covariates;
        public String session;
        public String cv = "kfold:5:10";
        public long seed;
        public int permutations;
        public boolean allowPost;
        public String name;
        public int threads = 1;
        /** Inner folds wanted (fewer where a class is smaller); not a command option. */
        public int innerFolds = 5;
    }

    /** Where the outputs went and model.json's content. */
    public record Outcome(Path dir, ObjectNode model) {
    }

    private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    private ModelRunner() {
    }

    public static Outcome run(Path outRoot, Options o, Consumer<String> warn, Consumer<String> progress) {
        String name = o.name == null ? o.target : o.name;
        if (!NAME.matcher(name).matches()) {
            throw new KetaprintException("--name " + name + ": use letters, digits, '.', '_' and '-' (it names the folder group/model/"
                + "NAME)" + (o.name == null ? "; the target's name does not fit, give --name" : ""));
        }
        NestedCv.Scheme scheme;
        try {
            scheme = NestedCv.Scheme.parse(o.cv);
        } catch (IllegalArgumentException e) {
            throw new KetaprintException("--cv " + e.getMessage());
        }
        if (o.permutations < 0) throw new KetaprintException("--permutations " + o.permutations + ": must be 0 or more");
        PipelineSpec spec = RecordedPipeline.stored(outRoot);
        if (spec == null) {
            throw new KetaprintException(outRoot.resolve(RecordedPipeline.FILE) + ": missing: OUTPUT_DIR must hold the participant and "
                + "group levels' outputs");
        }
        ModelData d = ModelData.read(outRoot, spec, o, warn);
        Kind kind = d.classification ? Kind.CLASSIFICATION : Kind.REGRESSION;
        int n = d.y.length;
        if (!scheme.loo() && scheme.k() > n) throw new KetaprintException("--cv " + o.cv + ": " + scheme.k() + " folds for " + n + " subjects");
        int minority = NestedCv.minority(d.y);
        if (d.classification && !scheme.loo() && scheme.k() > minority) {
            warn.accept("--cv " + o.cv + ": " + scheme.k() + " folds but only " + minority + " subjects in the smaller class: some test folds "
                + "hold none of it");
        }
        NestedCv.Settings s = new NestedCv.Settings(kind, scheme, o.innerFolds, NestedCv.GRID, o.seed);
        NestedCv.Result res = NestedCv.run(d.x, d.y, s);
        NestedCv.Tuned fin = NestedCv.fitAll(d.x, d.y, s);
        double[] perm = new double[0];
        if (o.permutations > 0) {
            long t0 = System.nanoTime();
            int step = Math.max(1, o.permutations / 10);
            perm = NestedCv.permutationScores(d.x, d.y, s, o.permutations, o.threads, k -> {
                if (k % step == 0 || k == o.permutations) {
                    progress.accept(String.format(Locale.ROOT, "permutations %d/%d (%.0f s)", k, o.permutations, (System.nanoTime() - t0) / 1e9));
                }
            });
        }
        Path dir = outRoot.resolve("group").resolve("model").resolve(name);
        ObjectNode model = ModelOutputs.write(dir, name, d, s, res, fin, perm, o);
        provenance(dir, outRoot, d, s, res, perm, o, name);
        Path page = outRoot.resolve("group").resolve("report.html");
        if (Files.isRegularFile(page)) {
            try {
                AtomicFile.write(page, GroupPage.withModels(Files.readString(page), links(outRoot.resolve("group"))));
            } catch (IOException | RuntimeException e) {
                warn.accept(page + ": not updated with the model's link: " + KetaprintException.oneLine(String.valueOf(e.getMessage())));
            }
        }
        return new Outcome(dir, model);
    }

    /** The models under group/model/ that have a report.html, by name: {name, href from the group folder, summary}. */
    public static List<String[]> links(Path groupDir) {
        Path m = groupDir.resolve("model");
        List<String[]> out = new ArrayList<>();
        if (!Files.isDirectory(m)) return out;
        try (Stream<Path> dirs = Files.list(m)) {
            for (Path p : dirs.sorted().toList()) {
                if (!Files.isRegularFile(p.resolve("report.html"))) continue;
                String summary = "";
                try {
                    summary = ParticipantRunner.JSON.readTree(p.resolve("model.json").toFile()).path("summary").asText("");
                } catch (IOException e) {
                    summary = "(model.json unreadable)";
                }
                String nm = p.getFileName().toString();
                out.add(new String[] {nm, "model/" + nm + "/report.html", summary});
            }
        } catch (IOException e) {
            return out;
        }
        return out;
    }

    private static void provenance(Path dir, Path outRoot, ModelData d, NestedCv.Settings s, NestedCv.Result res, double[] perm,
                                   Options o, String name) {
        ObjectNode p = Json.MAPPER.createObjectNode();
        p.put("software", "ketaprint " + org.ketaprint.Version.get());
        p.put("command", "model");
        p.put("written", java.time.Instant.now().toString());
        p.put("java", System.getProperty("java.version"));
        ObjectNode opt = p.putObject("options");
        opt.put("output_dir", outRoot.toString());
        opt.put("target", o.target);
        ArrayNode fs = opt.putArray("features");
        if (o.features != null) o.features.forEach(fs::add);
        ArrayNode cs = opt.putArray("covariates");
        if (o.covariates != null) o.covariates.forEach(cs::add);
        opt.put("session", d.session);
        opt.put("cv", o.cv);
        opt.put("seed", o.seed);
        opt.put("permutations", o.permutations);
        opt.put("allow_post", o.allowPost);
        opt.put("name", name);
        opt.put("nthreads", o.threads);
        p.put("seed", o.seed);
        p.put("seed_derivation", "each step's seed = SplitMix64 chain of (seed, step kind, repeat, fold) (org.ketaprint.model.Seeds); "
            + "each shuffle is a Fisher-Yates shuffle driven by java.util.Random(step seed)");
        ObjectNode seeds = p.putObject("seeds");
        ArrayNode outer = seeds.putArray("outer_folds");
        for (int r = 0; r < res.outerSeeds().length; r++) outer.addObject().put("repeat", r + 1).put("seed", res.outerSeeds()[r]);
        ArrayNode inner = seeds.putArray("inner_folds");
        for (NestedCv.OuterFold f : res.folds()) {
            inner.addObject().put("repeat", f.repeat() + 1).put("outer_fold", f.fold() + 1).put("seed", f.tuned().innerSeed());
        }
        seeds.put("final_model_inner_folds", Seeds.derive(s.seed(), Seeds.FINAL));
        ArrayNode ps = seeds.putArray("permutations");
        for (int i = 0; i < perm.length; i++) ps.add(NestedCv.permutationSeed(s.seed(), i));
        ArrayNode in = p.putArray("inputs");
        List<Path> files = new ArrayList<>(d.inputs);
        files.add(outRoot.resolve(RecordedPipeline.FILE));
        for (Path f : files) in.addObject().put("path", f.toString()).put("sha256", Provenance.Hash.sha256(f));
        AtomicFile.write(dir.resolve("provenance.json"), Json.pretty(p) + "\n");
    }
}
