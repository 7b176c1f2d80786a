package org.ketaprint.imagej;

import ij.IJ;
import ij.ImagePlus;
import ij.io.SaveDialog;
import ij.plugin.PlugIn;
import java.nio.file.Path;

/** File>Save As>NIfTI-1 (ketaprint)...: writes the current image with its affine (.nii or .nii.gz). */
public final class NiftiSaver implements PlugIn {
    @Override
    public void run(String arg) {
        ImagePlus imp = IJ.getImage();
        if (imp == null) return;
        String path = arg;
        if (path == null || path.isBlank()) {
            String base = imp.getTitle().replaceAll("(?i)(\\.nii(\\.gz)?|\\.hdr|\\.img|\\.mgz|\\.tiff?)$", "");
            SaveDialog sd = new SaveDialog("Save as NIfTI (ketaprint)", base + ".nii.gz", "");
            if (sd.getFileName() == null) return;
            path = sd.getDirectory() + sd.getFileName();
        }
        String lower = path.toLowerCase();
        if (!lower.endsWith(".nii") && !lower.endsWith(".nii.gz")) path = path + ".nii.gz";
        String out = path;
        Ij1.guard("save", () -> {
            if (!ImagePlusNifti.hasStoredAffine(imp)) {
                IJ.log("ketaprint: " + imp.getTitle() + " has no NIfTI affine (or was cropped/rescaled): "
                    + "writing one from its calibration");
            }
            ImagePlusNifti.save(imp, Path.of(out));
            IJ.showStatus("ketaprint: saved " + out);
        });
    }
}
