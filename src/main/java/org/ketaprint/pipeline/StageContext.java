package org.ketaprint.pipeline;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.ketaprint.atlas.Atlas;
import org.ketaprint.atlas.Atlases;
import org.ketaprint.bids.BidsFile;
import org.ketaprint.bids.BidsLayout;
import org.ketaprint.nifti.Compression;

/** What a stage sees while it runs for one subject/session. */
public final class StageContext {
    public final String subject;
    /** null when the dataset has no sessions. */
    public final String session;
    public final StageSpec spec;
    public final BidsLayout layout;
    public final Atlases atlases;
    /** The subject/session output folder. */
    public final Path outDir;
    public final int threads;
    /** Per input: its file, or for a multi-run input its runs sorted by run number. */
    private final Map<String, List<BidsFile>> resolved;
    private final Map<String, String> usedInputs;
    private final Consumer<String> log;
    private String filePrefix;
    /** The space declared for the run (--space), or null. */
    String declaredSpace;
    /** True while {@link Stage#check} runs: files are not checksummed, only noted in {@link #resolvedFiles}. */
    boolean checking;
    /** The files recorded while checking (paths as given), for the run's hash; null: not kept. */
    Set<String> resolvedFiles;
    /** How derived images are stored (the run's --compression, else the pipeline's, else the default). */
    Compression compression = Compression.DEFAULT;
    /** Whether stages draw figures for the session report (off for files given directly). */
    boolean report;

    StageContext(String subject, String session, StageSpec spec, BidsLayout layout, Atlases atlases, Path outDir,
                 int threads, Map<String, List<BidsFile>> resolved, Map<String, String> usedInputs, Consumer<String> log) {
        this.subject = subject;
        this.session = session;
        this.spec = spec;
        this.layout = layout;
        this.atlases = atlases;
        this.outDir = outDir;
        this.threads = threads;
        this.resolved = resolved;
        this.usedInputs = usedInputs;
        this.log = log;
    }

    /**
     * A context for files given directly (the command line and ImageJ doors): no BIDS layout, so
     * transforms are only those the stage is given; derived files are {@code outDir/prefix_...}.
     */
    public static StageContext forFiles(StageSpec spec, Map<String, Path> files, Atlases atlases, Path outDir,
                                        String prefix, Consumer<String> log) {
        Map<String, List<BidsFile>> resolved = new LinkedHashMap<>();
        files.forEach((k, v) -> {
            if (v != null) {
                resolved.put(k, List.of(new BidsFile(v, org.ketaprint.bids.BidsName.parse(v.getFileName().toString()), false)));
            }
        });
        StageContext c = new StageContext(null, null, spec, null, atlases, outDir, 1, resolved,
            new LinkedHashMap<>(), log);
        c.filePrefix = prefix;
        return c;
    }

    /** "sub-01_ses-pre" or "sub-01" (for files given directly: the prefix given). */
    public String prefix() {
        if (filePrefix != null) return filePrefix;
        return "sub-" + subject + (session == null ? "" : "_ses-" + session);
    }

    /** The files this stage read, with their SHA-256. */
    public Map<String, String> usedInputs() {
        return usedInputs;
    }

    /** A resolved input file, or MissingInputException naming the query. */
    public Path input(String name) {
        List<BidsFile> f = resolved.get(name);
        if (f == null || f.isEmpty()) {
            if (layout == null) throw new MissingInputException("no input '" + name + "' given");
            throw new MissingInputException("no input '" + name + "' for " + prefix() + " (query " + spec.inputs.get(name) + ")");
        }
        return one(name, f);
    }

    /** A resolved input file, or null. */
    public Path optionalInput(String name) {
        List<BidsFile> f = resolved.get(name);
        return f == null || f.isEmpty() ? null : one(name, f);
    }

    private Path one(String name, List<BidsFile> f) {
        if (f.size() > 1) {
            throw new org.ketaprint.KetaprintException("input '" + name + "' has " + f.size() + " runs (" + runLabels(f)
                + ") but the stage takes one; set run in the stage's inputs:");
        }
        record(f.get(0).path());
        return f.get(0).path();
    }

    /**
     * Every run of a multi-run input ({@link InputSpec#multiRun}), sorted by run number (a file without
     * {@code run-} first); one file for other inputs; empty when none matched. Each is recorded as read.
     */
    public List<Path> inputs(String name) {
        List<Path> out = candidates(name);
        out.forEach(this::record);
        return out;
    }

    /** The files of {@link #inputs} without recording them as read (a stage records the ones it uses). */
    public List<Path> candidates(String name) {
        List<BidsFile> f = resolved.get(name);
        return f == null ? List.of() : f.stream().map(BidsFile::path).toList();
    }

    /**
     * Notes a file the stage reads (for the provenance checksums and {@code --skip-existing}'s run hash): every file
     * a number can depend on, inputs and the files beside them alike (.bval/.bvec, JSON sidecars, atlases and their
     * label tables, transforms, confounds). While the stage is checked the file is only noted as resolved (no checksum).
     * Nothing for null or a file that is not there.
     */
    public void record(Path p) {
        if (p == null || !Files.isRegularFile(p)) return;
        if (checking) {
            if (resolvedFiles != null) resolvedFiles.add(p.toString());
        } else {
            usedInputs.put(p.toString(), Provenance.Hash.sha256(p));
        }
    }

    /** Notes an atlas's files as read: its image and its label table ({@link Atlas#files}). */
    public void record(Atlas atlas) {
        atlas.files().forEach(this::record);
    }

    /**
     * The space of a data file: its {@code space-} entity; else its sidecar's {@code SpatialReference} (a template
     * name, a TemplateFlow {@code tpl-X} path, or a subject T1w file); else the stage's {@code space:} parameter;
     * else the run's {@code --space}; else null (native). {@link #spaceSource} says which.
     */
    public String spaceOf(Path file, String stageSpace) {
        return space(file, stageSpace)[0];
    }

    /** Where {@link #spaceOf} found the space: "entity", "SpatialReference", "stage space:", "--space" or "none". */
    public String spaceSource(Path file, String stageSpace) {
        return space(file, stageSpace)[1];
    }

    private String[] space(Path file, String stageSpace) {
        org.ketaprint.bids.BidsName n = org.ketaprint.bids.BidsName.parse(file.getFileName().toString());
        if (n != null && n.get("space") != null) return new String[] {n.get("space"), "entity"};
        String ref = spatialReference(file);
        if (ref != null) return new String[] {ref, "SpatialReference"};
        if (stageSpace != null && !stageSpace.isBlank()) return new String[] {stageSpace, "stage space:"};
        if (declaredSpace != null) return new String[] {declaredSpace, "--space"};
        return new String[] {null, "none"};
    }

    /** A space named by the sidecar's SpatialReference, or null. */
    private String spatialReference(Path file) {
        com.fasterxml.jackson.databind.JsonNode md = layout == null ? null : metadata(file);
        if (md == null) {
            record(org.ketaprint.bids.BidsLayout.sidecarFileOf(file));
            md = org.ketaprint.bids.BidsLayout.sidecarOf(file);
        }
        com.fasterxml.jackson.databind.JsonNode r = md == null ? null : md.get("SpatialReference");
        if (r == null || !r.isTextual()) return null;
        return spaceOfReference(r.asText());
    }

    /** "MNI152NLin2009cAsym", ".../tpl-MNI152NLin6Asym_res-02_T1w.nii.gz" or "sub-01/anat/sub-01_desc-preproc_T1w.nii.gz". */
    static String spaceOfReference(String ref) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("tpl-([A-Za-z0-9]+)").matcher(ref);
        if (m.find()) return m.group(1);
        if (ref.matches("[A-Za-z0-9]+") && !ref.isEmpty()) return ref;
        org.ketaprint.bids.BidsName n = org.ketaprint.bids.BidsName.parse(Path.of(ref).getFileName().toString());
        if (n != null && n.get("space") != null) return n.get("space");
        if (n != null && "T1w".equals(n.suffix)) return "T1w";
        return null;
    }

    /** False when derived files have nowhere to go (a measure run on files without an output folder). */
    public boolean writesFiles() {
        return outDir != null;
    }

    /**
     * A derived file name: sub-X[_ses-Y]_{entities}_{suffix}{ext} in the output folder; an image's ".nii.gz" is
     * {@link #compression}'s extension (".nii" for none).
     */
    public Path derived(String entities, String suffix, String ext) {
        if (ext.equals(".nii.gz")) ext = compression.extension();
        String mid = entities == null || entities.isEmpty() ? "" : "_" + entities;
        return outDir.resolve(prefix() + mid + "_" + suffix + ext);
    }

    /** What a stage had made when it then failed: its figures still go to the report (null: nothing). */
    StageResult partial;

    /** Keeps {@code r} so that its figures reach the report even if the stage then fails (its values do not). */
    public void keepForReport(StageResult r) {
        partial = r;
    }

    /** True when the run writes an HTML report: the stage then adds its figures to its result. */
    public boolean report() {
        return report;
    }

    /** How derived images are stored: give it to the writer ({@code NiftiWriter.Spec.compression}). */
    public Compression compression() {
        return compression;
    }

    public void log(String line) {
        log.accept("[" + spec.id + "] " + line);
    }

    /** Metadata of an input by BIDS inheritance (e.g. RepetitionTime); the JSON files it merges are recorded as read. */
    public com.fasterxml.jackson.databind.node.ObjectNode metadata(Path file) {
        if (layout == null) return null;
        layout.metadataFiles(file).forEach(this::record);
        return layout.metadata(file);
    }

    /**
     * The query key that breaks ties: {@code prefer: "ENTITY=A|B|..."} (several rules joined by ';'). When
     * more than one file matches, only those with the first listed value that any of them has are kept
     * ('!' = the entity absent); a rule no file satisfies keeps them all. Still several: ambiguous.
     */
    public static final String PREFER = "prefer";

    /** The files {@code prefer} keeps (see {@link #PREFER}). */
    public static List<BidsFile> preferred(List<BidsFile> files, String prefer) {
        List<BidsFile> out = files;
        for (String rule : prefer.split(";")) {
            int eq = rule.indexOf('=');
            if (eq <= 0) continue;
            String entity = rule.substring(0, eq).strip();
            for (String alt : rule.substring(eq + 1).split("\\|")) {
                String want = alt.strip();
                List<BidsFile> keep = out.stream().filter(f -> want.equals("!") ? f.get(entity) == null
                    : want.equals(f.get(entity))).toList();
                if (!keep.isEmpty()) {
                    out = keep;
                    break;
                }
            }
            if (out.size() == 1) break;
        }
        return out;
    }

    /**
     * Entities whose values must not differ among an input's matching files: each value is another
     * acquisition, reconstruction, resolution, cohort or echo of the same data, to be picked by a query.
     */
    public static final List<String> PICK_ONE = List.of("acq", "rec", "res", "cohort", "echo");

    /**
     * Every input's files for one subject/session. Several matches: {@code prefer} first; then matches that
     * differ in an entity of {@link #PICK_ONE} are an error naming it and its values; matches that differ only
     * in {@code run-} are the runs of a multi-run input (sorted by run number), and an error for other inputs;
     * anything else is ambiguous. Errors go to {@code problems}, one line each.
     */
    static Map<String, List<BidsFile>> resolveInputs(StageSpec spec, BidsLayout layout, String sub, String ses,
                                                     List<String> problems) {
        Map<String, List<BidsFile>> out = new LinkedHashMap<>();
        for (Map.Entry<String, Map<String, String>> e : spec.inputs.entrySet()) {
            if (e.getValue().isEmpty()) continue;   // given directly only (no BIDS query)
            String name = e.getKey();
            Map<String, String> q = new LinkedHashMap<>(e.getValue());
            String prefer = q.remove(PREFER);
            List<BidsFile> found = layout.find(sub, ses, q);
            if (found.size() > 1 && prefer != null) found = preferred(found, prefer);
            if (found.size() == 1) {
                out.put(name, List.of(found.get(0)));
                continue;
            }
            if (found.isEmpty()) continue;
            String pick = pickOne(name, found);
            if (pick != null) {
                problems.add(pick);
            } else if (onlyRunDiffers(found)) {
                if (spec.multiRun.contains(name)) {
                    out.put(name, byRun(found));
                } else {
                    List<BidsFile> runs = byRun(found);
                    problems.add("input '" + name + "' matches " + found.size() + " runs (" + runLabels(runs)
                        + ") but the stage takes one: set run in the stage's inputs:, e.g. inputs: {" + name
                        + ": {..., run: \"" + runs.get(runs.size() - 1).get("run") + "\"}}");
                }
            } else {
                problems.add("input '" + name + "' is ambiguous: " + found.size() + " files match " + e.getValue()
                    + " (" + found.get(0).path().getFileName() + ", " + found.get(1).path().getFileName() + ", ...); "
                    + "narrow the query in the pipeline");
            }
        }
        return out;
    }

    /** The error for matches that differ in an entity of {@link #PICK_ONE}, or null. */
    static String pickOne(String input, List<BidsFile> found) {
        List<String> parts = new ArrayList<>();
        List<String> entities = new ArrayList<>();
        String example = null;
        for (String entity : PICK_ONE) {
            TreeSet<String> values = new TreeSet<>(Comparator.nullsFirst(Comparator.naturalOrder()));
            for (BidsFile f : found) values.add(f.get(entity));
            if (values.size() < 2) continue;
            List<String> shown = values.stream().map(v -> v == null ? "(none)" : v).toList();
            parts.add(entity + "- (" + String.join(", ", shown) + ")");
            entities.add(entity);
            if (example == null) {
                String v = values.last();
                example = entity + ": \"" + (v == null ? "!" : v) + "\"";
            }
        }
        if (parts.isEmpty()) return null;
        return "input '" + input + "': the " + found.size() + " matching files (" + found.get(0).path().getFileName()
            + ", ...) differ in " + String.join(" and ", parts) + ": set " + String.join(" and ", entities)
            + " in the stage's inputs:, e.g. inputs: {"
            + input + ": {..., " + example + "}}";
    }

    /** True when the files share folder, entities, suffix and extension but for {@code run-}. */
    static boolean onlyRunDiffers(List<BidsFile> found) {
        String first = null;
        for (BidsFile f : found) {
            Map<String, String> ent = new TreeMap<>(f.name().entities);
            ent.remove("run");
            String key = f.path().getParent() + "|" + ent + "|" + f.suffix() + "|" + f.extension();
            if (first == null) first = key;
            else if (!first.equals(key)) return false;
        }
        return true;
    }

    /** Sorted by run number (numeric when it is one; a file without run- first). */
    static List<BidsFile> byRun(List<BidsFile> files) {
        List<BidsFile> out = new ArrayList<>(files);
        out.sort(Comparator.comparing((BidsFile f) -> f.get("run") != null)
            .thenComparing(f -> runNumber(f.get("run")))
            .thenComparing(f -> Objects.toString(f.get("run"), "")));
        return out;
    }

    private static long runNumber(String run) {
        if (run == null) return -1;
        try {
            return Long.parseLong(run);
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    private static String runLabels(List<BidsFile> runs) {
        List<String> l = new ArrayList<>();
        for (BidsFile f : runs) l.add(f.get("run") == null ? "no run-" : "run-" + f.get("run"));
        return String.join(", ", l);
    }
}
