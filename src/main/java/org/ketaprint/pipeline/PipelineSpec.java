package org.ketaprint.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ketaprint.KetaprintException;
import org.ketaprint.measure.Measure;
import org.ketaprint.measure.Measures;
import org.ketaprint.measure.ParamException;
import org.ketaprint.measure.ParamSet;
import org.ketaprint.nifti.Compression;
import org.ketaprint.pipeline.Provenance.Hash;
import org.ketaprint.table.Table;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/** A pipeline file: stages in dependency order, group (clinical) settings, and its hash. */
public final class PipelineSpec {
    private static final Set<String> TOP_KEYS = Set.of("name", "description", "version", "clinical", "compression", "report", "stages");
    private static final Set<String> STAGE_KEYS = Set.of("id", "type", "after", "inputs", "params", "rois", "features");
    static final Map<String, String> CLINICAL_DEFAULTS = new LinkedHashMap<>();

    static {
        CLINICAL_DEFAULTS.put("baseline_column", "madrs_baseline");
        CLINICAL_DEFAULTS.put("followup_column", "madrs_24h");
        CLINICAL_DEFAULTS.put("responder_reduction", "0.5");
        CLINICAL_DEFAULTS.put("remitter_max", "10");
        CLINICAL_DEFAULTS.put("pre_session", "pre");
        CLINICAL_DEFAULTS.put("post_session", "post");
    }

    public final Path file;
    public final String name;
    public final String description;
    public final String sha256;
    /** The file's text, as read (its SHA-256 is {@link #sha256}); the participant level stores it in OUTPUT_DIR. */
    public final String text;
    public final List<StageSpec> stages;
    public final Map<String, String> clinical;
    /** {@code clinical: covariates:}, participants.tsv columns for the adjusted associations (empty when none). */
    public final List<String> covariates;
    /** The derived images' {@code compression:} (a gzip level or none), or null when the file sets none. */
    public final Compression compression;
    /** {@code report:} false turns the HTML QC reports off (default true). */
    public final boolean report;

    private PipelineSpec(Path file, String name, String description, String text, List<StageSpec> stages,
                         Map<String, String> clinical, List<String> covariates, Compression compression, boolean report) {
        this.file = file;
        this.name = name;
        this.description = description;
        this.sha256 = Hash.sha256(text.getBytes(StandardCharsets.UTF_8));
        this.text = text;
        this.stages = stages;
        this.clinical = clinical;
        this.covariates = covariates;
        this.compression = compression;
        this.report = report;
    }

    /** A pipeline by file path, or by name from the pipelines folder(s). */
    public static PipelineSpec resolve(String nameOrFile, List<Path> pipelineDirs) {
        Path p = Path.of(nameOrFile);
        if (Files.isRegularFile(p)) return load(p);
        for (Path d : pipelineDirs) {
            for (String ext : new String[] {"", ".yaml", ".yml"}) {
                Path c = d.resolve(nameOrFile + ext);
                if (Files.isRegularFile(c)) return load(c);
            }
        }
        throw new KetaprintException("pipeline '" + nameOrFile + "': no such file and no such name in " + pipelineDirs);
    }

    /** Loads and validates; any problem is an error naming the file and listing every line at fault. */
    public static PipelineSpec load(Path file) {
        Problems pr = new Problems();
        PipelineSpec s = parse(file, pr);
        if (!pr.ok()) throw new KetaprintException(file + ": " + String.join("; ", pr.errors()));
        return s;
    }

    /**
     * The text of a pipeline file: UTF-8, at most {@link YNode#MAX_BYTES} bytes (a larger file is refused unread
     * past that).
     */
    static String read(Path file) {
        org.ketaprint.InputFiles.requireRegular(file);
        byte[] b;
        try (InputStream in = Files.newInputStream(file)) {
            b = in.readNBytes(YNode.MAX_BYTES + 1);
        } catch (IOException e) {
            throw new KetaprintException(file + ": cannot read: " + e.getMessage());
        }
        if (b.length > YNode.MAX_BYTES) {
            throw new KetaprintException(file + ": larger than " + YNode.MAX_BYTES / (1 << 20) + " MB: not a pipeline file (at most "
                + YNode.MAX_BYTES + " bytes)");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            throw new KetaprintException(file + ": not UTF-8 text: not a pipeline file");
        }
    }

    /**
     * Parses and validates, collecting problems ({@code line N: ...}; the caller names the file) instead of stopping
     * at the first. Null when the file is no pipeline at all (then {@code pr} holds why).
     */
    public static PipelineSpec parse(Path file, Problems pr) {
        String text = read(file);
        YNode root;
        try {
            root = YNode.parse(text, file);
        } catch (PipelineException e) {
            pr.error(e.line, e.detail);
            return null;
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            pr.error(m == null ? 1 : m.getLine() + 1, "YAML syntax: " + firstLine(e.getProblem() != null ? e.getProblem() : e.getMessage()));
            return null;
        } catch (YAMLException e) {
            String m = firstLine(e.getMessage());
            pr.error(lineOf(m), "YAML: " + m);
            return null;
        }
        try {
            return parse(file, text, root, pr);
        } catch (PipelineException e) {   // a value of the wrong kind where no check expected it
            pr.error(e.line, e.detail);
            return null;
        }
    }

    private static PipelineSpec parse(Path file, String text, YNode root, Problems pr) {
        if (!root.isMap()) {
            pr.error(root, "a pipeline is a mapping with 'name' and 'stages'");
            return null;
        }
        for (Map.Entry<String, YNode> e : root.map().entrySet()) {
            if (!TOP_KEYS.contains(e.getKey())) pr.error(e.getValue(), "unknown key '" + e.getKey() + "' (allowed: " + TOP_KEYS + ")");
        }
        String name = text(root.get("name"), "name", stem(file), pr);
        String desc = text(root.get("description"), "description", "", pr);
        List<String> covariates = new ArrayList<>();
        Map<String, String> clinical = clinical(root.get("clinical"), covariates, pr);
        Compression compression = compression(root.get("compression"), pr);
        boolean report = report(root.get("report"), pr);
        List<StageSpec> stages = new ArrayList<>();
        YNode st = root.get("stages");
        if (st == null || !st.isList() || st.list().isEmpty()) {
            pr.error(st == null ? root : st, "'stages' must be a non-empty list");
        } else {
            for (YNode n : st.list()) {
                StageSpec s = stage(n, pr);
                if (s != null) stages.add(s);
            }
        }
        checkColumns(stages, pr);
        List<StageSpec> ordered = order(stages, pr);
        return new PipelineSpec(file, name, desc, text, ordered, clinical, List.copyOf(covariates), compression, report);
    }

    /** {@code report:} true or false (absent: true); anything else is a problem at its line. */
    private static boolean report(YNode n, Problems pr) {
        if (n == null) return true;
        if (n.isScalar() && (n.text().equals("true") || n.text().equals("false"))) return n.text().equals("true");
        pr.error(n, "report: true or false (the HTML QC reports), got " + (n.isScalar() ? "'" + n.text() + "'" : "a " + (n.isList() ? "list" : "mapping")));
        return true;
    }

    /** {@code compression:} by {@link Compression#parse}, or null when absent; a bad value is a problem at its line. */
    private static Compression compression(YNode n, Problems pr) {
        if (n == null) return null;
        try {
            if (n.isScalar()) return Compression.parse(n.text());
        } catch (KetaprintException e) {
            pr.error(n, "compression: " + e.getMessage());
            return null;
        }
        pr.error(n, "compression: a single value, a gzip level 1 to 9 or none");
        return null;
    }

    /**
     * The {@code clinical:} settings over their defaults, each checked: the columns non-empty and different,
     * {@code responder_reduction} a decimal in (0, 1], {@code remitter_max} a decimal >= 0, the sessions BIDS labels
     * (letters and digits, without {@code ses-}) that differ; {@code covariates} (into {@code covs}) by
     * {@link #covariates}.
     */
    private static Map<String, String> clinical(YNode cl, List<String> covs, Problems pr) {
        Map<String, String> clinical = new LinkedHashMap<>(CLINICAL_DEFAULTS);
        if (cl == null) return clinical;
        if (!cl.isMap()) {
            pr.error(cl, "'clinical' must be a mapping (setting: value)");
            return clinical;
        }
        for (Map.Entry<String, YNode> e : cl.map().entrySet()) {
            String key = e.getKey();
            YNode v = e.getValue();
            if (key.equals(COVARIATES)) continue;
            if (!CLINICAL_DEFAULTS.containsKey(key)) {
                List<String> allowed = new ArrayList<>(CLINICAL_DEFAULTS.keySet());
                allowed.add(COVARIATES);
                pr.error(v, "unknown clinical setting '" + key + "' (allowed: " + allowed + ")");
                continue;
            }
            String t = text(v, "clinical: " + key, null, pr);
            String why = t == null ? "" : clinicalProblem(key, t);
            if (why == null) {
                clinical.put(key, t);
            } else if (!why.isEmpty()) {
                pr.error(v, "clinical: " + key + ": '" + t + "' " + why);
            }
        }
        for (String[] pair : new String[][] {{"pre_session", "post_session"}, {"baseline_column", "followup_column"}}) {
            if (clinical.get(pair[0]).equals(clinical.get(pair[1]))) {
                YNode at = cl.get(pair[1]) != null ? cl.get(pair[1]) : cl.get(pair[0]) != null ? cl.get(pair[0]) : cl;
                pr.error(at, "clinical: " + pair[0] + " and " + pair[1] + " are both '" + clinical.get(pair[0]) + "': they must differ");
            }
        }
        if (cl.get(COVARIATES) != null) covariates(cl.get(COVARIATES), clinical, covs, pr);
        return clinical;
    }

    private static final String COVARIATES = "covariates";

    /**
     * {@code covariates: [age, sex]}: a list of participants.tsv columns, each once, none an outcome column or a
     * derived one; each problem at its line.
     */
    private static void covariates(YNode n, Map<String, String> clinical, List<String> out, Problems pr) {
        if (!n.isList()) {
            pr.error(n, "clinical: covariates: a list of participants.tsv columns, such as [age, sex]");
            return;
        }
        for (YNode c : n.list()) {
            if (!c.isScalar()) {
                pr.error(c, "clinical: covariates: each item is one participants.tsv column name");
                continue;
            }
            String t = c.text();
            String why = t.isBlank() || t.contains("\t") ? "is not a participants.tsv column name"
                : t.equals("participant_id") ? "is the subject's id, not a covariate"
                : t.equals(clinical.get("baseline_column")) || t.equals(clinical.get("followup_column"))
                    ? "is an outcome score column (the outcome cannot be its own covariate)"
                : Participants.DERIVED.contains(t) ? "is derived from the outcome (the outcome cannot be its own covariate)"
                : out.contains(t) ? "is listed twice" : null;
            if (why != null) {
                pr.error(c, "clinical: covariates: '" + t + "' " + why);
            } else {
                out.add(t);
            }
        }
    }

    /** Why a clinical setting's value is wrong, or null when it is right. */
    private static String clinicalProblem(String key, String v) {
        switch (key) {
            case "responder_reduction", "remitter_max" -> {
                double d = Table.decimal(v);
                if (Double.isNaN(d)) return "is not a number (a decimal such as 0.5; no NaN or Infinity)";
                if (key.equals("responder_reduction") && !(d > 0 && d <= 1)) {
                    return "is outside (0, 1]: the fraction of the baseline score the reduction must reach (0.5: 50 %)";
                }
                return key.equals("remitter_max") && d < 0 ? "is negative: the highest follow-up score of a remitter" : null;
            }
            case "pre_session", "post_session" -> {
                if (v.matches("[A-Za-z0-9]+")) return null;
                return v.startsWith("ses-") ? "must be the label without 'ses-' ('" + v.substring(4) + "')"
                    : "is not a BIDS session label (letters and digits only)";
            }
            default -> {
                return v.isBlank() || v.contains("\t") ? "is not a participants.tsv column name" : null;
            }
        }
    }

    private static StageSpec stage(YNode n, Problems pr) {
        if (!n.isMap()) {
            pr.error(n, "a stage is a mapping with 'type'");
            return null;
        }
        for (Map.Entry<String, YNode> e : n.map().entrySet()) {
            if (!STAGE_KEYS.contains(e.getKey())) pr.error(e.getValue(), "unknown stage key '" + e.getKey() + "' (allowed: " + STAGE_KEYS + ")");
        }
        YNode t = n.get("type");
        if (t == null) {
            pr.error(n, "stage without 'type'");
            return null;
        }
        Stage impl = Stages.get(t.text());
        if (impl == null) {
            pr.error(t, "unknown stage '" + t.text() + "' (known: " + Stages.all().keySet() + ")");
            return null;
        }
        String id = n.get("id") == null ? t.text() : n.get("id").text();
        StageSpec s = new StageSpec(id, t.text(), n);
        try {
            if (n.get("after") != null) s.after.addAll(n.get("after").texts());
            Set<String> inputNames = new HashSet<>();
            for (InputSpec in : impl.inputs()) {
                inputNames.add(in.name());
                if (in.multiRun()) s.multiRun.add(in.name());
                s.inputs.put(in.name(), new LinkedHashMap<>(new java.util.TreeMap<>(in.query())));   // stable order in messages
            }
            if (n.get("inputs") != null) {
                for (Map.Entry<String, YNode> e : n.get("inputs").map().entrySet()) {
                    if (!inputNames.contains(e.getKey())) {
                        pr.error(e.getValue(), "stage '" + id + "': unknown input '" + e.getKey() + "' (allowed: " + inputNames + ")");
                        continue;
                    }
                    Map<String, String> q = new LinkedHashMap<>();
                    for (Map.Entry<String, YNode> qe : e.getValue().map().entrySet()) q.put(qe.getKey(), qe.getValue().text());
                    s.inputs.put(e.getKey(), q);
                }
            }
            bindParams(impl, s, n.get("params"), pr);
            if (n.get("rois") != null) s.rois.putAll(n.get("rois").map());
            if (n.get("features") != null) {
                for (YNode f : n.get("features").list()) {
                    Feature feat = feature(impl, s, f, pr);
                    if (feat != null) s.features.add(feat);
                }
            }
            impl.validate(s, pr);
        } catch (PipelineException e) {
            pr.error(e.line, e.detail);
        }
        return s;
    }


    private static final Set<String> FEATURE_KEYS = Set.of("column", "measure", "description");

    /** Binds the stage's {@code params:} to its record; errors point at the offending key. */
    private static void bindParams(Stage impl, StageSpec s, YNode params, Problems pr) {
        Map<String, Object> raw = new LinkedHashMap<>();
        if (params != null) {
            for (Map.Entry<String, YNode> e : params.map().entrySet()) {
                s.paramNodes.put(e.getKey(), e.getValue());
                raw.put(e.getKey(), e.getValue().plain());
            }
        }
        try {
            s.params = ParamSet.of(impl.parameters()).bind(raw);
        } catch (ParamException e) {
            YNode at = s.paramNodes.getOrDefault(e.key, params == null ? s.node : params);
            pr.error(at, "stage '" + s.id + "': " + e.getMessage());
            raw.remove(e.key);
            try {
                s.params = ParamSet.of(impl.parameters()).bind(raw);   // the rest, so later checks still run
            } catch (KetaprintException again) {
                s.params = null;
            }
        } catch (KetaprintException e) {
            pr.error(params == null ? s.node : params, "stage '" + s.id + "': " + e.getMessage());
        }
    }

    /** One feature: its measure (one of the stage's) and the measure's parameters bound from the other keys. */
    private static Feature feature(Stage impl, StageSpec s, YNode f, Problems pr) {
        if (!f.isMap() || f.get("column") == null) {
            pr.error(f, "a feature needs a 'column'");
            return null;
        }
        List<String> known = Measures.forStage(impl.type()).stream().map(Measure::name).toList();
        YNode mn = f.get("measure");
        if (mn == null) {
            pr.error(f, "feature '" + f.get("column").text() + "' needs a 'measure' (one of " + known + ")");
            return null;
        }
        Measure<?, ?> m = Measures.get(mn.text());
        if (m == null || !m.stage().equals(impl.type())) {
            pr.error(mn, "unknown measure '" + mn.text() + "' for stage " + impl.type() + " (allowed: " + known + ")");
            return null;
        }
        Map<String, Object> raw = new LinkedHashMap<>();
        for (Map.Entry<String, YNode> e : f.map().entrySet()) {
            if (!FEATURE_KEYS.contains(e.getKey())) raw.put(e.getKey(), e.getValue().plain());
        }
        try {
            Record p = ParamSet.of(m.params()).bind(raw);
            String desc = f.get("description") == null ? null : f.get("description").text();
            return new Feature(f.get("column").text(), desc, m, p, f);
        } catch (ParamException e) {
            YNode at = f.map().containsKey(e.key) ? f.get(e.key) : f;
            String msg = e.getMessage().startsWith("unknown parameter")
                ? "unknown feature key '" + e.key + "' for measure " + m.name() + " (allowed: "
                    + new java.util.TreeSet<>(union(FEATURE_KEYS, ParamSet.of(m.params()).keys())) + ")"
                : e.getMessage();
            pr.error(at, msg);
        } catch (KetaprintException e) {
            pr.error(f, e.getMessage());
        }
        return null;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> s = new HashSet<>(a);
        s.addAll(b);
        return s;
    }

    private static void checkColumns(List<StageSpec> stages, Problems pr) {
        Map<String, String> seen = new HashMap<>();
        Set<String> ids = new HashSet<>();
        for (StageSpec s : stages) {
            if (!ids.add(s.id)) pr.error(s.node, "duplicate stage id '" + s.id + "'");
            for (Feature f : s.features) {
                String c = f.column();
                YNode at = f.node().get("column");
                if (!c.matches("[a-z][a-z0-9_]*")) pr.error(at, "column '" + c + "': use lower case letters, digits and _");
                String prev = seen.put(c, s.id);
                if (prev != null || c.equals("participant_id") || c.equals("session_id")) {
                    pr.error(at, "duplicate column '" + c + "'");
                }
            }
        }
    }

    /** Stages in dependency order ('after'); unknown or cyclic dependencies are problems. */
    private static List<StageSpec> order(List<StageSpec> stages, Problems pr) {
        Map<String, StageSpec> byId = new LinkedHashMap<>();
        for (StageSpec s : stages) byId.put(s.id, s);
        List<StageSpec> out = new ArrayList<>();
        Set<String> done = new HashSet<>();
        Set<String> active = new HashSet<>();
        for (StageSpec s : stages) visit(s, byId, done, active, out, pr);
        return out;
    }

    private static void visit(StageSpec s, Map<String, StageSpec> byId, Set<String> done, Set<String> active,
                              List<StageSpec> out, Problems pr) {
        if (done.contains(s.id)) return;
        if (!active.add(s.id)) {
            pr.error(s.node, "stage '" + s.id + "' depends on itself through 'after'");
            return;
        }
        for (String a : s.after) {
            StageSpec d = byId.get(a);
            if (d == null) {
                pr.error(s.node.get("after"), "stage '" + s.id + "': 'after' names unknown stage '" + a + "'");
            } else {
                visit(d, byId, done, active, out, pr);
            }
        }
        active.remove(s.id);
        done.add(s.id);
        out.add(s);
    }

    /** Every column of the pipeline, in order, with its dictionary entry. */
    public List<ColumnInfo> columns() {
        List<ColumnInfo> out = new ArrayList<>();
        for (StageSpec s : stages) out.addAll(columns(s));
        return out;
    }

    /** The columns of one stage, with their data dictionary entries (stage and measure parameters). */
    public static List<ColumnInfo> columns(StageSpec s) {
        List<ColumnInfo> out = new ArrayList<>();
        for (Feature f : s.features) {
            Map<String, Object> p = new LinkedHashMap<>(s.effectiveParams());
            p.putAll(f.paramValues());
            out.add(new ColumnInfo(f.column(), f.describe(), f.units(), s.id, f.roi(), f.measure().method(), p));
        }
        return out;
    }

    /** A top-level text setting, {@code dflt} when absent; a mapping or list there is a problem. */
    private static String text(YNode n, String key, String dflt, Problems pr) {
        if (n == null) return dflt;
        if (!n.isScalar()) {
            pr.error(n, "'" + key + "' must be a single value");
            return dflt;
        }
        return n.text();
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.strip().lines().findFirst().orElse("");
    }

    private static int lineOf(String msg) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("line (\\d+)").matcher(msg);
        return m.find() ? Integer.parseInt(m.group(1)) : 1;
    }

    private static String stem(Path p) {
        String n = p.getFileName().toString();
        int d = n.lastIndexOf('.');
        return d > 0 ? n.substring(0, d) : n;
    }
}
