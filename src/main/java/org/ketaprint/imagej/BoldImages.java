package org.ketaprint.imagej;

import org.ketaprint.restingstate.RestingStateStage;

import ij.ImagePlus;
import ij.WindowManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.Consumer;
import org.ketaprint.KetaprintException;
import org.ketaprint.restingstate.BoldRun;

/** The BOLD run of an open 4D image or of a file, for the resting-state menu entries. */
final class BoldImages {
    private BoldImages() {
    }

    public static final String FILE_BELOW = "(file below)";

    /** What the BOLD part of a dialog asked for. */
    static final class Choice {
        ImagePlus image;
        Path file;
        RestingActions.Options options = new RestingActions.Options();
    }

    /** Parameters of the stage the resting-state entries do not take. */
    static final java.util.Set<String> SKIP = java.util.Set.of("gm_threshold", "write_maps");

    /**
     * Adds the BOLD and denoising fields (keys: bold, file, brain, confounds, global, then the stage's parameters
     * by name: strategy, fd_threshold, min_seconds, band, tr).
     */
    static void addFields(OptionsDialog gd) {
        String[] titles = WindowManager.getImageTitles();
        String[] items = new String[titles.length + 1];
        System.arraycopy(titles, 0, items, 0, titles.length);
        items[titles.length] = FILE_BELOW;
        ImagePlus cur = WindowManager.getCurrentImage();
        String src = Ij1.sourceFile(cur);
        gd.addChoice("BOLD image", items, cur != null && cur.getNFrames() > 1 ? cur.getTitle() : FILE_BELOW);
        gd.addFile("File (if not open)", "");
        gd.addFile("Brain mask (file)", "");
        gd.addFile("Confounds TSV (blank = none)", sibling(src));
        gd.addCheckbox("Global signal regression", false);
        ParamDialog.add(gd, RestingStateStage.Params.class, SKIP);
    }

    /** Reads the fields added by {@link #addFields}, in order. */
    static Choice readFields(OptionsDialog gd) {
        Choice c = new Choice();
        String bold = gd.nextChoice();
        String file = gd.nextString().trim();
        String mask = gd.nextString().trim();
        String conf = gd.nextString().trim();
        RestingActions.Options o = c.options;
        o.gsr = gd.nextBoolean();
        o.params.putAll(ParamDialog.read(gd, RestingStateStage.Params.class, SKIP));
        if ("24P".equals(o.params.get("strategy")) && !explicit(gd, "strategy")) o.params.remove("strategy");
        o.mask = mask.isEmpty() ? null : Path.of(mask);
        o.confounds = conf.isEmpty() ? null : Path.of(conf);
        if (!file.isEmpty()) {
            c.file = Path.of(file);
        } else if (!bold.equals(FILE_BELOW)) {
            c.image = WindowManager.getImage(bold);
        }
        return c;
    }

    /** True when the macro options (or a dialog's edit) name the key: the record default then counts as given. */
    private static boolean explicit(OptionsDialog gd, String key) {
        return gd.given(key);
    }

    /**
     * Runs {@code a} on a run loaded by {@link #load}; errors about the temporary copy of an open image name the
     * image instead.
     */
    static <T> T named(BoldRun run, ImagePlus imp, java.util.function.Supplier<T> a) {
        return imp == null ? a.get() : renamed(run.path(), imp, a);
    }

    private static <T> T renamed(Path copy, ImagePlus imp, java.util.function.Supplier<T> a) {
        try {
            return a.get();
        } catch (KetaprintException e) {
            String m = e.getMessage();
            if (m == null || !m.contains(copy.toString())) throw e;
            throw new KetaprintException(m.replace(copy.toString(), imp.getTitle() + " (the open image)"));
        }
    }

    /** The fMRIPrep confounds file beside a BOLD file (..._desc-confounds_timeseries.tsv), or "". */
    static String sibling(String bold) {
        if (bold == null || bold.isBlank()) return "";
        String name = Path.of(bold).getFileName().toString();
        int i = name.indexOf("_space-");
        if (i < 0) i = name.indexOf("_desc-");
        if (i < 0) return "";
        Path tsv = Path.of(bold).resolveSibling(name.substring(0, i) + "_desc-confounds_timeseries.tsv");
        return Files.isRegularFile(tsv) ? tsv.toString() : "";
    }

    /**
     * The run of {@code imp} (when not null) or {@code file}. An open image is written to a temporary .nii
     * (with the JSON sidecar beside its source file, so the TR rule is the CLI's), so unsaved edits count.
     */
    static BoldRun load(ImagePlus imp, Path file, RestingActions.Options o, Consumer<String> log) {
        if (imp == null) {
            if (file == null) throw new KetaprintException("no BOLD: choose an open 4D image or give a file");
            return RestingActions.load(file, o, log);
        }
        if (imp.getNFrames() < 2) throw new KetaprintException(imp.getTitle() + ": not a BOLD time series (" + imp.getNFrames() + " frame)");
        String src = Ij1.sourceFile(imp);
        String stem = (src.isEmpty() ? imp.getTitle() : Path.of(src).getFileName().toString())
            .replaceFirst("\\.(nii\\.gz|nii|hdr|img|mgz)$", "").replaceAll("[^A-Za-z0-9._-]", "_");
        Path dir = null;
        try {
            dir = Files.createTempDirectory("ketaprint-bold");
            Path nii = dir.resolve(stem + ".nii");
            ImagePlusNifti.save(imp, nii);
            if (!src.isEmpty()) {
                Path side = Path.of(src).resolveSibling(stem + ".json");
                if (Files.isRegularFile(side)) Files.copy(side, dir.resolve(stem + ".json"), StandardCopyOption.COPY_ATTRIBUTES);
            }
            return renamed(nii, imp, () -> RestingActions.load(nii, o, log));
        } catch (IOException e) {
            throw new KetaprintException(imp.getTitle() + ": cannot write a temporary copy: " + e.getMessage());
        } finally {
            if (dir != null) {
                try (var files = Files.list(dir)) {
                    for (Path p : (Iterable<Path>) files::iterator) Files.deleteIfExists(p);
                    Files.deleteIfExists(dir);
                } catch (IOException ignored) {
                    // a temporary folder left behind is harmless
                }
            }
        }
    }
}
