package org.ketaprint.bids;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
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
        if (!Files.isDirectory(root)) throw new KetaprintException(root + ": not a directory (BIDS_DIR)");
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
        BidsLayout l = new BidsLayout(root, deriv);
        if (!Files.isRegularFile(root.resolve("dataset_description.json"))) {
            l.warnings.add(root + ": no dataset_description.json (not a valid BIDS dataset, continuing)");
        }
        l.walk(root, false);
        for (Path p : deriv) l.walk(p, true);
        return l;
    }

    private void walk(Path top, boolean derivative) {
        try (Stream<Path> s = Files.walk(top)) {
            s.filter(Files::isRegularFile)
                .filter(p -> derivative || !p.startsWith(root.resolve("derivatives")))
                .filter(p -> !p.startsWith(root.resolve("sourcedata")) && !p.startsWith(root.resolve("code")))
                .sorted()
                .forEach(p -> {
                    BidsName n = BidsName.parse(p.getFileName().toString());
                    if (n != null) files.add(new BidsFile(p, n, derivative));
                });
        } catch (IOException e) {
            throw new KetaprintException(top + ": cannot walk: " + e.getMessage());
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
        return new ArrayList<>(s);
    }

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
                if (k.equals("scope") ? have.contains("/" + alt + "/") || have.equals(alt) : alt.equals(have)) any = true;
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
     * The JSON metadata of a file by the inheritance principle: every .json sidecar from the dataset
     * top down to the file's folder whose entities are a subset of the file's and whose suffix matches,
     * later (deeper) files overriding earlier ones.
     */
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

    /** The JSON sidecar beside a file (X.nii.gz -> X.json), or null when there is none. */
    public static JsonNode sidecarOf(Path file) {
        String n = file.getFileName().toString().replaceFirst("\\.(nii\\.gz|nii|tsv|mgz|mgh)$", "");
        Path j = file.resolveSibling(n + ".json");
        if (!Files.isRegularFile(j)) return null;
        try {
            return JSON.readTree(j.toFile());
        } catch (IOException e) {
            throw new KetaprintException(j + ": invalid JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    public ObjectNode metadata(Path file) {
        BidsName target = BidsName.parse(file.getFileName().toString());
        ObjectNode merged = JSON.createObjectNode();
        if (target == null) return merged;
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
                try {
                    JsonNode n = JSON.readTree(j.toFile());
                    if (n instanceof ObjectNode o) merged.setAll(o);
                } catch (IOException e) {
                    throw new KetaprintException(j + ": invalid JSON: " + e.getMessage().lines().findFirst().orElse(""));
                }
            }
        }
        return merged;
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
