package org.ketaprint.imagej.commands;

import org.scijava.command.Command;
import org.scijava.plugin.Plugin;

/** Measure {@code tensor_roi} (items generated from its records; see {@link MeasureCommand}). */
@Plugin(type = Command.class, menuPath = "Plugins>ketaprint>SciJava>Measures>tensor_roi", headless = true)
public class TensorRoiMeasure extends MeasureCommand {
    public TensorRoiMeasure() {
        super("tensor_roi");
    }
}
