package org.ketaprint.imagej;

import ij.ImagePlus;
import ij.io.OpenDialog;
import ij.plugin.PlugIn;
import java.nio.file.Path;

/** File>Import>NIfTI (ketaprint)...: opens .nii/.nii.gz/.hdr/.mgz with scaling, calibration and affine. */
public final class NiftiImporter implements PlugIn {
    @Override
    public void run(String arg) {
        String path = arg;
        if (path == null || path.isBlank()) {
            OpenDialog od = new OpenDialog("Open NIfTI (ketaprint)");
            if (od.getFileName() == null) return;
            path = od.getPath();
        }
        String file = path;
        Ij1.guard("import", () -> {
            ImagePlus imp = ImagePlusNifti.open(Path.of(file));
            imp.show();
        });
    }
}
