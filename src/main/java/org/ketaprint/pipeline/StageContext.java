package org.ketaprint.pipeline;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.ketaprint.atlas.Atlases;
import org.ketaprint.bids.BidsFile;
import org.ketaprint.bids.BidsLayout;

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
    private final Map<String, BidsFile> resolved;
    private final Map<String, String> usedInputs;
    private final Consumer<String> log;
    private String filePrefix;
    /** The space declared for the run (--space), or null. */
    String declaredSpace;

    StageContext(String subject, String session, StageSpec spec, BidsLayout layout, Atlases atlases, Path outDir,
                 int threads, Map<String, BidsFile> resolved, Map<String, String> usedInputs, Consumer<String> log) {
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
        Map<String, BidsFile> resolved = new LinkedHashMap<>();
        files.forEach((k, v) -> {
            if (v != null) resolved.put(k, new BidsFile(v, org.ketaprint.bids.BidsName.parse(v.getFileName().toString()), false));
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
        BidsFile f = resolved.get(name);
        if (f == null) {
            if (layout == null) throw new MissingInputException("no input '" + name + "' given");
            throw new MissingInputException("no input '" + name + "' for " + prefix() + " (query " + spec.inputs.get(name) + ")");
        }
        record(f.path());
        return f.path();
    }

    /** A resolved input file, or null. */
    public Path optionalInput(String name) {
        BidsFile f = resolved.get(name);
        if (f == null) return null;
        record(f.path());
        return f.path();
    }

    /** Notes a file the stage read (for the provenance checksums). */
    public void record(Path p) {
        if (Files.isRegularFile(p)) usedInputs.put(p.toString(), Provenance.Hash.sha256(p));
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
        com.fasterxml.jackson.databind.JsonNode md = layout == null ? null : layout.metadata(file);
        if (md == null) md = org.ketaprint.bids.BidsLayout.sidecarOf(file);
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

    /** A derived file name: sub-X[_ses-Y]_{entities}_{suffix}{ext} in the output folder. */
    public Path derived(String entities, String suffix, String ext) {
        String mid = entities == null || entities.isEmpty() ? "" : "_" + entities;
        return outDir.resolve(prefix() + mid + "_" + suffix + ext);
    }

    public void log(String line) {
        log.accept("[" + spec.id + "] " + line);
    }

    /** Metadata of an input by BIDS inheritance (e.g. RepetitionTime). */
    public com.fasterxml.jackson.databind.node.ObjectNode metadata(Path file) {
        return layout == null ? null : layout.metadata(file);
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

    static Map<String, BidsFile> resolveInputs(StageSpec spec, BidsLayout layout, String sub, String ses,
                                               List<String> problems) {
        Map<String, BidsFile> out = new LinkedHashMap<>();
        for (Map.Entry<String, Map<String, String>> e : spec.inputs.entrySet()) {
            if (e.getValue().isEmpty()) continue;   // given directly only (no BIDS query)
            Map<String, String> q = new LinkedHashMap<>(e.getValue());
            String prefer = q.remove(PREFER);
            List<BidsFile> found = layout.find(sub, ses, q);
            if (found.size() > 1 && prefer != null) found = preferred(found, prefer);
            if (found.size() == 1) {
                out.put(e.getKey(), found.get(0));
            } else if (found.size() > 1) {
                problems.add("input '" + e.getKey() + "' is ambiguous: " + found.size() + " files match " + e.getValue()
                    + " (" + found.get(0).path().getFileName() + ", " + found.get(1).path().getFileName() + ", ...); "
                    + "narrow the query in the pipeline");
            }
        }
        return out;
    }
}
