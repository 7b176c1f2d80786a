package org.ketaprint.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.ketaprint.KetaprintException;
import org.ketaprint.pipeline.ModelRunner;
import org.ketaprint.table.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ketaprint model OUTPUT_DIR}: cross-validated prediction of an outcome from the group table. */
@Command(name = "model", mixinStandardHelpOptions = true, showDefaultValues = true,
    description = {"Predict an outcome from the group table (OUTPUT_DIR/group/features.tsv) with nested cross-validation: "
        + "L2-penalised logistic regression for a 0/1 target, ridge regression for a continuous one; features standardised "
        + "within each training set; the penalty chosen by inner CV on log-loss or squared error (never AUC).",
        "Writes OUTPUT_DIR/group/model/NAME/ (predictions, folds, penalties, coefficients, metrics, model.json, "
            + "provenance.json, report.html) and links the model from group/report.html when it exists."})
public final class ModelCommand implements Callable<Integer>, Subcommand {
    @Parameters(index = "0", paramLabel = "OUTPUT_DIR", description = "A ketaprint output folder after the group level.")
    Path out;

    @Option(names = "--target", paramLabel = "COLUMN", defaultValue = "responder",
        description = "responder, remitter, madrs_pct_change, or another participants.tsv column (0/1: classification; else regression).")
    String target;

    @Option(names = "--features", split = ",", paramLabel = "NAME|GLOB",
        description = "Feature columns or globs (e.g. 'hippocampus_*'); the _change and _pct_change columns of "
            + "group/features_change.tsv by name or by a glob ending in change (default: every column of the pipeline).")
    List<String> features;

    @Option(names = "--covariates", split = ",", paramLabel = "COLUMN",
        description = "participants.tsv columns added to the model (text columns dummy-coded, first level sorted as reference).")
    List<String> covariates;

    @Option(names = "--session", paramLabel = "ID", description = "The session whose features are used (default: the pipeline's "
        + "clinical pre_session).")
    String session;

    @Option(names = "--cv", paramLabel = "kfold:K[:REPEATS]|loo", defaultValue = "kfold:5:10",
        description = "Outer CV: repeated k-fold (stratified for classification) or leave-one-out.")
    String cv;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of every random step (each step's seed is in provenance.json).")
    long seed;

    @Option(names = "--permutations", paramLabel = "N", defaultValue = "0",
        description = "Permutation test: labels shuffled N times, the whole nested CV each time (about N times the run's time).")
    int permutations;

    @Option(names = "--allow-post", description = "Allow post-treatment features (a session other than the baseline, or a change "
        + "column): the model then no longer predicts from baseline.")
    boolean allowPost;

    @Option(names = "--name", paramLabel = "NAME", description = "The output folder's name (default: the target).")
    String name;

    @Option(names = "--nthreads", defaultValue = "1", description = "Threads for the permutations.")
    int nthreads;

    @Option(names = "--json", description = "Print model.json instead of the summary.")
    boolean json;

    @Override
    public Integer call() {
        if (!Files.isDirectory(out)) throw new KetaprintException(out + ": no such folder (OUTPUT_DIR)");
        if (nthreads < 1) throw new KetaprintException("--nthreads " + nthreads + ": must be 1 or more");
        ModelRunner.Options o = new ModelRunner.Options();
        o.target = target;
        o.features = features;
        o.covariates = covariates;
        o.session = session;
        o.cv = cv;
        o.seed = seed;
        o.permutations = permutations;
        o.allowPost = allowPost;
        o.name = name;
        o.threads = nthreads;
        ModelRunner.Outcome r = ModelRunner.run(out.toAbsolutePath().normalize(), o,
            w -> System.err.println("ketaprint: warning: " + w), p -> System.err.println("ketaprint: " + p));
        if (json) {
            System.out.println(Json.pretty(r.model()));
        } else {
            System.out.println(r.model().path("summary").asText());
            System.out.println("Model: " + r.dir().resolve("report.html") + " (tables and model.json beside it)");
        }
        return 0;
    }
}
