package org.ketaprint.atlas;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ketaprint.KetaprintException;

/**
 * Finds atlases by name in a list of folders (in order): NAME.nii.gz or NAME.nii with its label
 * names from NAME.nii.txt / NAME.txt (mricron), NAME.xml (FSL), NAME_dseg.tsv / NAME.tsv (BIDS),
 * NAME.lut.txt / NAME_LUT.txt (FreeSurfer), or a BIDS dseg.tsv that applies to a BIDS-named image by
 * inheritance ({@link LabelTable#fileBeside}); or an FSL atlas XML NAME.xml naming its image.
 */
public final class Atlases {
    /** Template space assumed for atlases that do not declare one (FSL and mricron atlases are MNI152). */
    public static final String DEFAULT_SPACE = "MNI152";

    private final List<Path> dirs;

    public Atlases(List<Path> dirs) {
        this.dirs = List.copyOf(dirs);
    }

    /** The search path: the given folders, then $FSLDIR/data/atlases, then Debian's mricron templates. */
    public static Atlases standard(List<Path> first) {
        List<Path> d = new ArrayList<>(first);
        String fsl = System.getenv("FSLDIR");
        if (fsl != null && !fsl.isBlank()) d.add(Path.of(fsl, "data", "atlases"));
        d.add(Path.of("/usr/share/mricron/templates"));
        return new Atlases(d);
    }

    public List<Path> dirs() {
        return dirs;
    }

    /** An atlas by name or by path to its image. */
    public Atlas resolve(String name) {
        Path direct = Path.of(name);
        if (name.contains("/") && Files.isRegularFile(direct)) return fromImage(direct, stem(direct));
        for (Path dir : dirs) {
            for (String ext : new String[] {".nii.gz", ".nii"}) {
                Path img = dir.resolve(name + ext);
                if (Files.isRegularFile(img)) return fromImage(img, name);
            }
            Path xml = dir.resolve(name + ".xml");
            if (Files.isRegularFile(xml)) return fromFslXml(xml, name);
        }
        throw new KetaprintException("atlas '" + name + "' not found in " + dirs);
    }

    /** An atlas given as an image file: its names from the table beside it ({@link LabelTable#beside}). */
    private Atlas fromImage(Path img, String name) {
        return new Atlas(name, img, LabelTable.beside(img), spaceOf(stem(img)));
    }

    /**
     * An atlas by name or image file, as an ROI names it: an existing image file (relative to the working folder)
     * as given, else by name through the folders ({@link #resolve}).
     */
    public Atlas find(String nameOrFile) {
        Path p = Path.of(nameOrFile);
        if (Files.isRegularFile(p)) return fromImage(p.toAbsolutePath(), stem(p));
        return resolve(nameOrFile);
    }

    private Atlas fromFslXml(Path xml, String name) {
        String text;
        try {
            text = Files.readString(xml);
        } catch (IOException e) {
            throw new KetaprintException(xml + ": cannot read: " + e.getMessage());
        }
        Matcher m = Pattern.compile("<imagefile>\\s*([^<]+?)\\s*</imagefile>").matcher(text);
        if (!m.find()) throw new KetaprintException(xml + ": no <imagefile> in the FSL atlas XML");
        String rel = m.group(1).replaceFirst("^/", "");
        for (String ext : new String[] {".nii.gz", ".nii", ""}) {
            Path img = xml.getParent().resolve(rel + ext);
            if (Files.isRegularFile(img)) return new Atlas(name, img, LabelTable.fslXml(text, xml.toString()).from(xml), DEFAULT_SPACE);
        }
        throw new KetaprintException(xml + ": atlas image " + rel + " not found");
    }

    /** The space from a BIDS space- entity in the name, else a TemplateFlow tpl- entity, else MNI152. */
    static String spaceOf(String stem) {
        Matcher m = Pattern.compile("(?:^|_)space-([A-Za-z0-9]+)").matcher(stem);
        if (m.find()) return m.group(1);
        Matcher t = Pattern.compile("(?:^|_)tpl-([A-Za-z0-9]+)").matcher(stem);
        return t.find() ? t.group(1) : DEFAULT_SPACE;
    }

    static String stem(Path p) {
        String n = p.getFileName().toString();
        if (n.endsWith(".nii.gz")) return n.substring(0, n.length() - 7);
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }
}
