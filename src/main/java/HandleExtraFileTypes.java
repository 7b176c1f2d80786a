import ij.ImagePlus;
import ij.plugin.PlugIn;
import java.nio.file.Path;
import org.ketaprint.KetaprintException;
import org.ketaprint.imagej.ImagePlusNifti;

/**
 * Plain ImageJ 1.x only (not Fiji, which has its own): lets File>Open, open(path) in macros and
 * drag-and-drop read .nii, .nii.gz, .hdr and .mgz through ketaprint. ImageJ calls this class by name for file
 * types it does not know; it ships alone in target/imagej/optional/ketaprint_open_.jar.
 */
public class HandleExtraFileTypes extends ImagePlus implements PlugIn {
    @Override
    public void run(String path) {
        if (path == null) return;
        String n = path.toLowerCase();
        if (!(n.endsWith(".nii") || n.endsWith(".nii.gz") || n.endsWith(".hdr") || n.endsWith(".mgz") || n.endsWith(".mgh"))) {
            return;   // width stays 0: "not recognized", ImageJ goes on
        }
        try {
            ImagePlusNifti.copyInto(ImagePlusNifti.open(Path.of(path)), this);
        } catch (KetaprintException e) {
            if (ij.IJ.isMacro()) {
                ij.IJ.log("ketaprint open: " + e.getMessage());   // a dialog would block batch runs
            } else {
                ij.IJ.error("ketaprint", e.getMessage());
            }
            width = -1;   // handled (the error was shown): ImageJ adds no second message
        }
    }
}
