package org.ketaprint.bids;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.ketaprint.KetaprintException;

/**
 * An index of a BIDS dataset and its derivatives, built once by walking the folders: subjects,
 * sessions, files by entities, and JSON sidecar metadata with BIDS inheritance.
 */
public final class BidsLayout {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path root;
    private final List<Path> derivativeRoots;
    private final List<BidsFile> files = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();

    private BidsLayout(Path root, List<Path> derivativeRoots) {
        this.root = root;
        this.derivativeRoots = derivativeRoots;
    }

    /** Indexes {@code root}, every folder under {@code root/derivatives}, and the extra derivative folders. */
    public static BidsLayout index(Path root, List<Path> extraDerivatives) {
        return index(root, extraDerivatives, List.of());
    }

    /**
     * As {@link #index(Path, List)}, never looking into the folders {@code exclude} (the run's own OUTPUT_DIR, when it
     * is a derivatives folder of the dataset). Symbolic links are followed (a derivatives folder may be a link to
     * where a pipeline wrote it); a link back to a folder above it is skipped with a warning.
     */
    public static BidsLayout index(Path root, List<Path> extraDerivatives, List<Path> exclude) {
        if (!Files.isDirectory(root)) throw new KetaprintException(root + ": not a directory (BIDS_DIR)");
        List<Path> skip = new ArrayList<>();
        for (Path e : exclude) skip.add(realPath(e));
        List<Path> deriv = new ArrayList<>();
        Path d = root.resolve("derivatives");
        if (Files.isDirectory(d)) {
            try (Stream<Path> s = Files.list(d)) {
                s.filter(Files::isDirectory).sorted().forEach(deriv::add);
            } catch (IOException e) {
                throw new KetaprintException(d + ": cannot list: " + e.getMessage());
            }
        }
        for (Path p : extraDerivatives) {
            if (!Files.isDirectory(p)) throw new KetaprintException(p + ": derivatives folder does not exist");
            deriv.add(p);
        }
        // one folder given twice (BIDS_DIR/derivatives/x and --derivatives x, or two links to it) is indexed once
        List<Path> seen = new ArrayList<>();
        List<Path> unique = new ArrayList<>();
        for (Path p : deriv) {
            Path real = realPath(p);
            if (seen.contains(real) || skip.stream().anyMatch(real::startsWith)) continue;
            seen.add(real);
            unique.add(p);
        }
        BidsLayout l = new BidsLayout(root, unique);
        if (!Files.isRegularFile(root.resolve("dataset_description.json"))) {
            l.warnings.add(root + ": no dataset_description.json (not a valid BIDS dataset, continuing)");
        }
        l.walk(root, false, skip);
        for (Path p : unique) l.walk(p, true, skip);
        l.subjects();   // warns about folders whose labels are not BIDS labels, before anything runs
        return l;
    }

    /** The path with links resolved, for the part that exists (an OUTPUT_DIR may not exist yet). */
    public static Path realPath(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        Path rest = null;
        for (Path q = abs; q != null; q = q.getParent()) {
            try {
                Path real = q.toRealPath();
                return rest == null ? real : real.resolve(rest);
            } catch (IOException e) {
                if (q.getFileName() == null) break;
                rest = rest == null ? q.getFileName() : q.getFileName().resolve(rest);
            }
        }
        return abs;
    }

    private void walk(Path top, boolean derivative, List<Path> skip) {
        List<Path> found = new ArrayList<>();
        Path deriv = root.resolve("derivatives");
        try {
            Files.walkFileTree(top, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes a) throws IOException {
                    if (!dir.equals(top)) {
                        String n = dir.getFileName().toString();
                        if (n.startsWith(".")) return FileVisitResult.SKIP_SUBTREE;   // .git, .datalad: not BIDS
                        if (!derivative && (dir.equals(deriv) || dir.equals(root.resolve("sourcedata"))
                            || dir.equals(root.resolve("code")))) return FileVisitResult.SKIP_SUBTREE;
                    }
                    if (!skip.isEmpty()) {
                        Path real = dir.toRealPath();
                        if (skip.stream().anyMatch(real::startsWith)) return FileVisitResult.SKIP_SUBTREE;
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path p, BasicFileAttributes a) {
                    if (a.isRegularFile()) found.add(p);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path p, IOException e) throws IOException {
                    if (p.equals(top)) throw e;
                    warnings.add(p + (e instanceof FileSystemLoopException ? ": a link to a folder above it (a loop), not followed"
                        : ": cannot read (" + e.getMessage() + "), skipped"));
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new KetaprintException(top + ": cannot walk: " + e.getMessage());
        }
        found.sort(null);
        for (Path p : found) {
            BidsName n = BidsName.parse(p.getFileName().toString());
            if (n != null) files.add(new BidsFile(p, n, derivative));
        }
    }

    public Path root() {
        return root;
    }

    public List<Path> derivativeRoots() {
        return derivativeRoots;
    }

    public List<String> warnings() {
        return warnings;
    }

    /** Subject labels (without "sub-") that have a folder in the raw dataset or derivatives. */
    public List<String> subjects() {
        TreeSet<String> s = new TreeSet<>();
        try (Stream<Path> st = Files.list(root)) {
            st.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                .filter(n -> n.startsWith("sub-")).forEach(n -> s.add(n.substring(4)));
        } catch (IOException e) {
            throw new KetaprintException(root + ": cannot list: " + e.getMessage());
        }
        for (BidsFile f : files) {
            if (f.get("sub") != null && !f.derivative()) s.add(f.get("sub"));
        }
        if (s.isEmpty()) {
            for (BidsFile f : files) if (f.get("sub") != null) s.add(f.get("sub"));
        }
        // BIDS labels are alphanumeric: other names (control characters, spaces) never reach output names
        List<String> out = new ArrayList<>();
        for (String l : s) {
            if (l.matches("[A-Za-z0-9]+")) {
                out.add(l);
            } else if (!badLabels.contains(l)) {
                badLabels.add(l);
                warnings.add(root + ": sub-" + KetaprintException.oneLine(l) + " skipped: a BIDS label is letters and digits only");
            }
        }
        return out;
    }

    private final java.util.Set<String> badLabels = new java.util.HashSet<>();

    /** Session labels of a subject; a list holding only null when it has no sessions. */
    public List<String> sessions(String sub) {
        TreeSet<String> s = new TreeSet<>();
        for (BidsFile f : files) {
            if (sub.equals(f.get("sub")) && f.get("ses") != null) s.add(f.get("ses"));
        }
        List<String> out = new ArrayList<>(s);
        if (out.isEmpty()) out.add(null);
        return out;
    }

    /**
     * Files of a subject/session matching every entity in {@code query}. Keys are BIDS entities plus
     * "suffix", "extension" (alternatives separated by '|'), and "scope" ("raw", "derivatives", or a
     * derivatives folder name such as "fmriprep"). A value "*" requires the entity to be present, "!" absent.
     */
    public List<BidsFile> find(String sub, String ses, Map<String, String> query) {
        List<BidsFile> out = new ArrayList<>();
        for (BidsFile f : files) {
            if (!sub.equals(f.get("sub"))) continue;
            if (ses != null && f.get("ses") != null && !ses.equals(f.get("ses"))) continue;
            if (ses == null && f.get("ses") != null) continue;
            if (matches(f, query)) out.add(f);
        }
        out.sort(Comparator.comparing(f -> f.path().toString()));
        return out;
    }

    private boolean matches(BidsFile f, Map<String, String> q) {
        for (Map.Entry<String, String> e : q.entrySet()) {
            String k = e.getKey();
            String want = e.getValue();
            String have = switch (k) {
                case "suffix" -> f.suffix();
                case "extension" -> f.extension();
                case "scope" -> scopeOf(f);
                case "datatype" -> f.path().getParent().getFileName().toString();
                default -> f.get(k);
            };
            if (want.equals("!")) {
                if (have != null) return false;
                continue;
            }
            if (have == null) return false;
            if (want.equals("*")) continue;
            boolean any = false;
            for (String alt : want.split("\\|")) {
                if (k.equals("scope") ? have.contains("/" + alt + "/") || have.equals(alt) || have.startsWith(alt + "/")
                    : alt.equals(have)) any = true;
            }
            if (!any) return false;
        }
        return true;
    }

    private String scopeOf(BidsFile f) {
        if (!f.derivative()) return "raw";
        for (Path d : derivativeRoots) {
            if (f.path().startsWith(d)) return "derivatives/" + d.getFileName() + "/";
        }
        return "derivatives";
    }

    /**
     * The file in {@code file}'s folder that applies to it by the BIDS inheritance principle, among those ending in
     * {@code extension} (e.g. ".tsv"): same suffix, entities a subset of {@code file}'s; the most specific (most
     * entities) wins, and the bare suffix ({@code dseg.tsv}) applies to every file with that suffix. For
     * {@code atlas-X_res-2_dseg.nii.gz}: {@code atlas-X_res-2_dseg.tsv}, else {@code atlas-X_dseg.tsv}, else
     * {@code dseg.tsv}. Null when {@code file}'s name is not a BIDS name or nothing applies; two equally specific
     * files that both apply are an error.
     */
    public static Path inheritedBeside(Path file, String extension) {
        BidsName target = BidsName.parse(file.getFileName().toString());
        Path dir = file.toAbsolutePath().getParent();
        if (target == null || target.suffix.isEmpty() || dir == null) return null;
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(extension) && Files.isRegularFile(p)).sorted().toList();
        } catch (IOException e) {
            return null;
        }
        Path best = null;
        int bestCount = -1;
        Path tie = null;
        for (Path p : files) {
            String n = p.getFileName().toString();
            String stem = n.substring(0, n.length() - extension.length());
            int count;
            if (stem.equals(target.suffix)) {
                count = 0;
            } else {
                BidsName bn = BidsName.parse(n);
                if (bn == null || !bn.suffix.equals(target.suffix) || !bn.extension.equals(extension) || !subset(bn, target)) continue;
                count = bn.entities.size();
            }
            if (count > bestCount) {
                best = p;
                bestCount = count;
                tie = null;
            } else if (count == bestCount) {
                tie = p;
            }
        }
        if (tie != null) {
            throw new KetaprintException(file + ": both " + best.getFileName() + " and " + tie.getFileName()
                + " apply by BIDS inheritance (equally specific); remove one or name it after the image");
        }
        return best;
    }

    /**
     * The raw dataset's file with {@code suffix} and {@code extension} (e.g. events, .tsv) that applies to {@code file}
     * (a raw or derivative data file) by the BIDS inheritance principle: looked for in the dataset root, the subject's,
     * the session's and the datatype folder; its entities must be a subset of {@code file}'s. The deepest folder wins,
     * then the most entities; two equally specific candidates are an error. Null when none applies.
     */
    public Path inheritedRaw(Path file, String suffix, String extension) {
        BidsName target = BidsName.parse(file.getFileName().toString());
        if (target == null || target.get("sub") == null) return null;
        List<Path> dirs = new ArrayList<>();
        dirs.add(root);
        Path d = root.resolve("sub-" + target.get("sub"));
        dirs.add(d);
        if (target.get("ses") != null) {
            d = d.resolve("ses-" + target.get("ses"));
            dirs.add(d);
        }
        Path parent = file.getParent();
        if (parent != null && parent.getFileName() != null) dirs.add(d.resolve(parent.getFileName().toString()));
        Path best = null, tie = null;
        int bestDepth = -1, bestCount = -1;
        for (int depth = 0; depth < dirs.size(); depth++) {
            if (!Files.isDirectory(dirs.get(depth))) continue;
            List<Path> list;
            try (Stream<Path> s = Files.list(dirs.get(depth))) {
                list = s.filter(p -> p.getFileName().toString().endsWith("_" + suffix + extension) && Files.isRegularFile(p))
                    .sorted().toList();
            } catch (IOException e) {
                throw new KetaprintException(dirs.get(depth) + ": cannot list: " + e.getMessage());
            }
            for (Path p : list) {
                BidsName n = BidsName.parse(p.getFileName().toString());
                if (n == null || !n.suffix.equals(suffix) || !subset(n, target)) continue;
                int count = n.entities.size();
                if (depth > bestDepth || count > bestCount) {   // folders come shallow to deep: a deeper one always wins
                    best = p;
                    bestDepth = depth;
                    bestCount = count;
                    tie = null;
                } else if (count == bestCount && depth == bestDepth) {
                    tie = p;
                }
            }
        }
        if (tie != null) {
            throw new KetaprintException(file.getFileName() + ": both " + best + " and " + tie
                + " apply by BIDS inheritance (equally specific); remove one or add the entity that tells them apart");
        }
        return best;
    }

    /** The file {@link #sidecarOf} reads (X.nii.gz -> X.json), or null when there is none. */
    public static Path sidecarFileOf(Path file) {
        String n = file.getFileName().toString().replaceFirst("\\.(nii\\.gz|nii|tsv|mgz|mgh)$", "");
        Path j = file.resolveSibling(n + ".json");
        return Files.isRegularFile(j) ? j : null;
    }

    /** The JSON sidecar beside a file (X.nii.gz -> X.json), or null when there is none. */
    public static JsonNode sidecarOf(Path file) {
        Path j = sidecarFileOf(file);
        if (j == null) return null;
        try {
            return JSON.readTree(j.toFile());
        } catch (IOException e) {
            throw new KetaprintException(j + ": invalid JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    /**
     * The JSON metadata of a file by the inheritance principle: every .json sidecar from the dataset
     * top down to the file's folder whose entities are a subset of the file's and whose suffix matches,
     * later (deeper) files overriding earlier ones.
     */
    public ObjectNode metadata(Path file) {
        ObjectNode merged = JSON.createObjectNode();
        for (Path j : metadataFiles(file)) {
            try {
                JsonNode n = JSON.readTree(j.toFile());
                if (n instanceof ObjectNode o) merged.setAll(o);
            } catch (IOException e) {
                throw new KetaprintException(j + ": invalid JSON: " + e.getMessage().lines().findFirst().orElse(""));
            }
        }
        return merged;
    }

    /** The JSON sidecars {@link #metadata} merges for {@code file}, in merge order (the most specific last). */
    public List<Path> metadataFiles(Path file) {
        BidsName target = BidsName.parse(file.getFileName().toString());
        List<Path> out = new ArrayList<>();
        if (target == null) return out;
        Path top = root;
        for (Path d : derivativeRoots) if (file.startsWith(d)) top = d;
        List<Path> chain = new ArrayList<>();
        for (Path dir = file.getParent(); dir != null && dir.startsWith(top); dir = dir.getParent()) chain.add(0, dir);
        for (Path dir : chain) {
            List<Path> jsons = new ArrayList<>();
            try (Stream<Path> s = Files.list(dir)) {
                s.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().forEach(jsons::add);
            } catch (IOException e) {
                continue;
            }
            jsons.sort(Comparator.comparingInt(p -> entityCount(p)));
            for (Path j : jsons) {
                BidsName jn = BidsName.parse(j.getFileName().toString());
                if (jn == null || !jn.suffix.equals(target.suffix) || !subset(jn, target)) continue;
                out.add(j);
            }
        }
        return out;
    }

    private static int entityCount(Path p) {
        BidsName n = BidsName.parse(p.getFileName().toString());
        return n == null ? 0 : n.entities.size();
    }

    private static boolean subset(BidsName part, BidsName whole) {
        for (Map.Entry<String, String> e : part.entities.entrySet()) {
            if (!e.getValue().equals(whole.get(e.getKey()))) return false;
        }
        return true;
    }
}
