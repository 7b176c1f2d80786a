package org.ketaprint.imagej.commands;

import ij.ImagePlus;
import java.io.File;
import org.ketaprint.imagej.ImagePlusNifti;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/** Saves an ImagePlus as NIfTI-1 (.nii or .nii.gz) with its stored or calibration-built affine. */
@Plugin(type = Command.class, menuPath = "Plugins>ketaprint>SciJava>Save NIfTI", headless = true)
public class SaveNiftiCommand implements Command {
    @Parameter
    public ImagePlus image;

    @Parameter(label = "Output (.nii or .nii.gz)", style = "save")
    public File file;

    @Override
    public void run() {
        ImagePlusNifti.save(image, file.toPath());
    }
}
