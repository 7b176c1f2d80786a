package org.ketaprint.imagej;

import ij.IJ;
import ij.ImagePlus;
import ij.WindowManager;
import ij.plugin.PlugIn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.ketaprint.KetaprintException;
import org.ketaprint.diffusion.DiffusionStage;
import org.ketaprint.diffusion.DtiMaps;
import org.ketaprint.measure.ParamSet;
import org.ketaprint.nifti.Image;
import org.ketaprint.nifti.Images;

/**
 * Plugins>ketaprint>DTI maps: {@code ketaprint dti} on the open 4D DWI (or a file); FA, MD, AD and RD open as
 * new images with the DWI's calibration and affine; with a prefix the maps {@code write_maps} names are written
 * as PREFIX_*.nii.gz.
 */
public final class DtiMapsPlugin implements PlugIn {
    public static final String FILE_BELOW = "(file below)";
    public static final String MEDIAN_OTSU = "median_otsu";
    public static final String NO_MASK = "none (every voxel)";
    /** The maps opened as images, in this order. */
    public static final String[] MAPS = {"FA", "MD", "AD", "RD"};
    /** The record declaring write_maps: the diffusion stage's parameters (the dialogs generate write_maps alone). */
    public static final Class<? extends Record> PARAMS = DiffusionStage.Params.class;
    /** The diffusion stage's parameters but write_maps. */
    public static final Set<String> NOT_MAPS = ParamSet.of(DiffusionStage.Params.class).keys().stream()
        .filter(k -> !k.equals("write_maps")).collect(java.util.stream.Collectors.toUnmodifiableSet());

    /** The maps to write from the values given for {@link #PARAMS} (write_maps; its default when not given). */
    public static List<String> maps(Map<String, Object> given) {
        return ParamSet.of(DiffusionStage.Params.class).bind(given).writeMaps();
    }

    @Override
    public void run(String arg) {
        String[] titles = WindowManager.getImageTitles();
        ImagePlus cur = WindowManager.getCurrentImage();
        String[] dwis = new String[titles.length + 1];
        System.arraycopy(titles, 0, dwis, 0, titles.length);
        dwis[titles.length] = FILE_BELOW;
        String[] masks = new String[titles.length + 2];
        masks[0] = MEDIAN_OTSU;
        masks[1] = NO_MASK;
        System.arraycopy(titles, 0, masks, 2, titles.length);
        String src = Ij1.sourceFile(cur);
        OptionsDialog gd = new OptionsDialog("ketaprint: DTI maps");
        gd.addChoice("Diffusion image", dwis, cur != null && cur.getNFrames() > 1 ? cur.getTitle() : FILE_BELOW);
        gd.addFile("File (if not open)", "");
        gd.addFile("b-values (.bval)", sibling(src, ".bval"));
        gd.addFile("Directions (.bvec)", sibling(src, ".bvec"));
        gd.addChoice("Method", new String[] {"wls", "ols"}, "wls");
        gd.addChoice("Brain mask", masks, MEDIAN_OTSU);
        gd.addFile("Mask file (optional, overrides)", "");
        gd.addString("Output prefix (optional: writes PREFIX_FA.nii.gz ...)", "");
        ParamDialog.add(gd, DiffusionStage.Params.class, NOT_MAPS);
        if (!gd.show()) return;
        String dwiTitle = gd.nextChoice();
        String file = gd.nextString().trim();
        Actions.DtiRun r = new Actions.DtiRun();
        String bval = gd.nextString().trim();
        String bvec = gd.nextString().trim();
        r.method = gd.nextChoice();
        String mask = gd.nextChoice();
        String maskFile = gd.nextString().trim();
        r.prefix = gd.nextString().trim();
        Map<String, Object> maps = ParamDialog.read(gd, DiffusionStage.Params.class, NOT_MAPS);
        Ij1.guard("DTI maps", () -> {
            r.maps = maps(maps);
            ImagePlus dwi = file.isEmpty() && !dwiTitle.equals(FILE_BELOW) ? WindowManager.getImage(dwiTitle) : null;
            if (dwi == null && file.isEmpty()) throw new KetaprintException("no DWI: choose an open 4D image or give a file");
            String from = dwi != null ? Ij1.sourceFile(dwi) : file;
            r.bval = Path.of(bval.isEmpty() ? sibling(from, ".bval") : bval);
            r.bvec = Path.of(bvec.isEmpty() ? sibling(from, ".bvec") : bvec);
            if (!maskFile.isEmpty()) {
                r.mask = Images.open(Path.of(maskFile));
            } else if (mask.equals(NO_MASK)) {
                r.everyVoxel = true;
            } else if (!mask.equals(MEDIAN_OTSU)) {
                r.mask = new ImagePlusImage(WindowManager.getImage(mask));
            }
            IJ.showStatus("ketaprint: fitting tensors...");
            for (ImagePlus m : run(dwi, file.isEmpty() ? null : Path.of(file), r, s -> IJ.log("ketaprint: " + s))) m.show();
            IJ.showStatus("ketaprint: DTI maps done");
        });
    }

    /** X.bval beside X.nii(.gz), or "" when there is none. */
    static String sibling(String image, String ext) {
        if (image == null || image.isBlank()) return "";
        Path p = Path.of(image);
        String stem = p.getFileName().toString().replaceFirst("\\.(nii\\.gz|nii|hdr|img|mgz)$", "");
        Path s = p.resolveSibling(stem + ext);
        return Files.isRegularFile(s) ? s.toString() : "";
    }

    /**
     * Fits the open DWI {@code dwi} (or, when it is null, {@code file}) and returns FA, MD, AD, RD as ImagePlus
     * images (not shown) with the DWI's calibration and affine.
     */
    public static ImagePlus[] run(ImagePlus dwi, Path file, Actions.DtiRun r, Consumer<String> log) {
        Image img = dwi != null ? new ImagePlusImage(dwi) : Images.open(file);
        DtiMaps maps = Actions.dti(img, r, log);
        String base = img.path().getFileName().toString().replaceFirst("\\.(nii\\.gz|nii|hdr|img|mgz)$", "");
        ImagePlus[] out = new ImagePlus[MAPS.length];
        for (int i = 0; i < MAPS.length; i++) {
            boolean w = r.prefix != null && !r.prefix.isBlank() && r.maps.contains(MAPS[i].toLowerCase(Locale.ROOT));
            Path written = w ? Path.of(r.prefix + "_" + MAPS[i] + ".nii.gz") : null;
            out[i] = MapImage.imagePlus(maps.map(MAPS[i]), maps.grid, base + "_" + MAPS[i], dwi, img, written);
        }
        return out;
    }
}
