package org.ketaprint.atlas;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ketaprint.KetaprintException;
import org.ketaprint.bids.BidsLayout;
import org.ketaprint.bids.BidsName;

/**
 * Label numbers and names of a label image, read from a FreeSurfer LUT, an FSL atlas XML, a BIDS
 * {@code dseg.tsv} or a mricron {@code .txt}. Names are matched without regard to case.
 */
public final class LabelTable {
    private final Map<Integer, String> names;
    private final String source;
    private final Path file;

    public LabelTable(Map<Integer, String> names, String source) {
        this(names, source, null);
    }

    private LabelTable(Map<Integer, String> names, String source, Path file) {
        this.names = Collections.unmodifiableMap(new LinkedHashMap<>(names));
        this.source = source;
        this.file = file;
    }

    public String source() {
        return source;
    }

    /** The file the names were read from (a table, or an FSL atlas XML), or null (built in, or made in memory). */
    public Path file() {
        return file;
    }

    /** The same names, read from {@code f}. */
    LabelTable from(Path f) {
        return new LabelTable(names, source, f);
    }

    public Map<Integer, String> names() {
        return names;
    }

    /** The name of a label, or null. */
    public String name(int label) {
        return names.get(label);
    }

    public boolean contains(int label) {
        return names.containsKey(label);
    }

    /**
     * The label with this name, or an error naming the table. Case, and spaces versus underscores and
     * hyphens, do not matter: "Cingulum (cingulate gyrus) R" finds mricron's "Cingulum_(cingulate_gyrus)_R".
     */
    public int label(String name) {
        String want = normalise(name);
        for (Map.Entry<Integer, String> e : names.entrySet()) {
            if (normalise(e.getValue()).equals(want)) return e.getKey();
        }
        throw new KetaprintException(source + ": no label named '" + name + "'");
    }

    static String normalise(String s) {
        return s.trim().toLowerCase(Locale.ROOT).replaceAll("[\\s_-]+", " ");
    }

    /** Reads any supported table, by content and extension. */
    public static LabelTable read(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        org.ketaprint.InputFiles.requireRegular(p);
        List<String> lines;
        try {
            lines = Files.readAllLines(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            try {
                lines = Files.readAllLines(p, StandardCharsets.ISO_8859_1);
            } catch (IOException e2) {
                throw new KetaprintException(p + ": cannot read label table: " + e2.getMessage());
            }
        }
        if (n.endsWith(".xml")) return fslXml(String.join("\n", lines), p.toString()).from(p);
        if (n.endsWith(".tsv")) return dsegTsv(lines, p.toString()).from(p);
        return whitespaceTable(lines, p.toString()).from(p);
    }

    /** FSL atlas XML: {@code <label index="N" ...>Name</label>}; FSL's 0-based indices name image value N (or N+1 when the atlas says so). */
    static LabelTable fslXml(String xml, String src) {
        Pattern label = Pattern.compile("<label\\s+([^>]*)>([^<]*)</label>");
        Pattern index = Pattern.compile("index\\s*=\\s*\"(-?\\d+)\"");
        Map<Integer, String> m = new LinkedHashMap<>();
        Matcher lm = label.matcher(xml);
        List<int[]> order = new ArrayList<>();
        while (lm.find()) {
            Matcher im = index.matcher(lm.group(1));
            if (!im.find()) continue;
            int idx = Integer.parseInt(im.group(1));
            m.put(idx, unescape(lm.group(2).trim()));
            order.add(new int[] {idx});
        }
        if (m.isEmpty()) throw new KetaprintException(src + ": no <label index=...> entries in the atlas XML");
        // FSL label atlases index from 0 for image value 1 when the XML has no 0 = background entry
        // and the header says so; we follow FSL's convention: value = index + 1 for "Label" atlases
        // whose first index is 0 and whose first name is not a background name.
        boolean shift = m.containsKey(0) && !m.get(0).toLowerCase(Locale.ROOT).matches(".*(unclassified|background|unknown).*")
            && xml.toLowerCase(Locale.ROOT).contains("<type>label</type>");
        if (shift) {
            Map<Integer, String> s = new LinkedHashMap<>();
            m.forEach((k, v) -> s.put(k + 1, v));
            m = s;
        }
        return new LabelTable(m, src);
    }

    private static String unescape(String s) {
        return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&");
    }

    /** BIDS dseg.tsv: columns {@code index} and {@code name}. */
    static LabelTable dsegTsv(List<String> lines, String src) {
        if (lines.isEmpty()) throw new KetaprintException(src + ": empty label table");
        String[] head = lines.get(0).split("\t");
        int ci = -1, cn = -1;
        for (int i = 0; i < head.length; i++) {
            if (head[i].trim().equalsIgnoreCase("index")) ci = i;
            if (head[i].trim().equalsIgnoreCase("name")) cn = i;
        }
        if (ci < 0 || cn < 0) throw new KetaprintException(src + ": a dseg.tsv needs 'index' and 'name' columns");
        Map<Integer, String> m = new LinkedHashMap<>();
        for (int r = 1; r < lines.size(); r++) {
            String line = lines.get(r);
            if (line.isBlank()) continue;
            String[] f = line.split("\t");
            try {
                m.put(Integer.parseInt(f[ci].trim()), f[cn].trim());
            } catch (RuntimeException e) {
                throw new KetaprintException(src + ": line " + (r + 1) + ": expected an integer index and a name");
            }
        }
        return new LabelTable(m, src);
    }

    /** FreeSurfer LUT ({@code N Name R G B A}) or mricron .txt ({@code N Name [...]}); '#' starts a comment. */
    static LabelTable whitespaceTable(List<String> lines, String src) {
        Map<Integer, String> m = new LinkedHashMap<>();
        for (int r = 0; r < lines.size(); r++) {
            String line = lines.get(r);
            int hash = line.indexOf('#');
            if (hash >= 0) line = line.substring(0, hash);
            line = line.trim();
            if (line.isEmpty()) continue;
            String[] f = line.split("[\\s|]+");
            if (f.length < 2) throw new KetaprintException(src + ": line " + (r + 1) + ": expected 'number name'");
            try {
                m.put(Integer.parseInt(f[0]), f[1]);
            } catch (NumberFormatException e) {
                throw new KetaprintException(src + ": line " + (r + 1) + ": '" + f[0] + "' is not a label number");
            }
        }
        if (m.isEmpty()) throw new KetaprintException(src + ": no labels found");
        return new LabelTable(m, src);
    }

    /** FreeSurfer's names for the subcortical labels ketaprint uses by default (FreeSurferColorLUT.txt). */
    public static LabelTable freesurferDefaults() {
        Map<Integer, String> m = new LinkedHashMap<>();
        String[][] rows = {
            {"2", "Left-Cerebral-White-Matter"}, {"3", "Left-Cerebral-Cortex"}, {"4", "Left-Lateral-Ventricle"},
            {"5", "Left-Inf-Lat-Vent"}, {"7", "Left-Cerebellum-White-Matter"}, {"8", "Left-Cerebellum-Cortex"},
            {"10", "Left-Thalamus"}, {"11", "Left-Caudate"}, {"12", "Left-Putamen"}, {"13", "Left-Pallidum"},
            {"14", "3rd-Ventricle"}, {"15", "4th-Ventricle"}, {"16", "Brain-Stem"}, {"17", "Left-Hippocampus"},
            {"18", "Left-Amygdala"}, {"24", "CSF"}, {"26", "Left-Accumbens-area"}, {"28", "Left-VentralDC"},
            {"31", "Left-choroid-plexus"}, {"41", "Right-Cerebral-White-Matter"}, {"42", "Right-Cerebral-Cortex"},
            {"43", "Right-Lateral-Ventricle"}, {"44", "Right-Inf-Lat-Vent"}, {"46", "Right-Cerebellum-White-Matter"},
            {"47", "Right-Cerebellum-Cortex"}, {"49", "Right-Thalamus"}, {"50", "Right-Caudate"},
            {"51", "Right-Putamen"}, {"52", "Right-Pallidum"}, {"53", "Right-Hippocampus"}, {"54", "Right-Amygdala"},
            {"58", "Right-Accumbens-area"}, {"60", "Right-VentralDC"}, {"63", "Right-choroid-plexus"},
            {"77", "WM-hypointensities"}, {"85", "Optic-Chiasm"}, {"251", "CC_Posterior"}, {"252", "CC_Mid_Posterior"},
            {"253", "CC_Central"}, {"254", "CC_Mid_Anterior"}, {"255", "CC_Anterior"},
            // the rest of aseg.mgz's labels
            {"30", "Left-vessel"}, {"62", "Right-vessel"}, {"72", "5th-Ventricle"}, {"80", "non-WM-hypointensities"}};
        for (String[] r : rows) m.put(Integer.parseInt(r[0]), r[1]);
        return new LabelTable(m, "FreeSurferColorLUT (built-in subset)");
    }

    /**
     * The label table beside a label image, or null: the first of X.nii.gz.txt, X.nii.txt, X.txt (mricron),
     * X.xml (FSL), X.tsv, X_dseg.tsv (BIDS), X_LUT.txt, X.lut.txt (FreeSurfer) that exists; then, for a BIDS
     * name, the {@code .tsv} that applies to it by BIDS inheritance, the most specific first
     * ({@code atlas-X_res-2_dseg.nii.gz} takes {@code atlas-X_dseg.tsv}, else {@code dseg.tsv}; see
     * {@link BidsLayout#inheritedBeside}); for any other name a {@code dseg.tsv} in the folder.
     */
    public static Path fileBeside(Path labelImage) {
        String name = labelImage.getFileName().toString();
        String base = name.endsWith(".gz") ? name.substring(0, name.length() - 3) : name;
        String stem = base.replaceFirst("\\.(nii|hdr|img|mgz|mgh)$", "");
        for (String c : new String[] {name + ".txt", base + ".txt", stem + ".txt", stem + ".xml", stem + ".tsv",
            stem + "_dseg.tsv", stem + "_LUT.txt", stem + ".lut.txt"}) {
            Path p = labelImage.resolveSibling(c);
            if (Files.isRegularFile(p)) return p;
        }
        if (BidsName.parse(name) != null) return BidsLayout.inheritedBeside(labelImage, ".tsv");
        Path dseg = labelImage.resolveSibling("dseg.tsv");
        return Files.isRegularFile(dseg) ? dseg : null;
    }

    /** The table {@link #fileBeside} finds, read; null when there is none. */
    public static LabelTable beside(Path labelImage) {
        Path p = fileBeside(labelImage);
        return p == null ? null : read(p);
    }

    /** The names {@link #fileBeside} looks for, for messages. */
    public static String besideNames(Path labelImage) {
        String stem = labelImage.getFileName().toString().replaceFirst("\\.gz$", "").replaceFirst("\\.(nii|hdr|img|mgz|mgh)$", "");
        return stem + ".nii.txt, " + stem + ".txt, " + stem + ".xml, " + stem + ".tsv, " + stem + "_dseg.tsv, "
            + stem + "_LUT.txt, or a BIDS dseg.tsv that applies by inheritance";
    }
}
