package org.ketaprint.imagej.commands;

import ij.ImagePlus;
import java.io.File;
import org.ketaprint.imagej.ImagePlusNifti;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/** Opens a NIfTI/Analyze/MGH file as an ImagePlus (scaled values, calibration, affine property). */
@Plugin(type = Command.class, menuPath = "Plugins>ketaprint>SciJava>Open NIfTI", headless = true)
public class OpenNiftiCommand implements Command {
    @Parameter(label = "NIfTI file", style = "open")
    public File file;

    @Parameter(type = ItemIO.OUTPUT)
    public ImagePlus image;

    @Override
    public void run() {
        image = ImagePlusNifti.open(file.toPath());
    }
}
