package org.ketaprint.imagej.commands;

import org.scijava.command.Command;
import org.scijava.plugin.Plugin;

/** Measure {@code pet_roi} (items generated from its records; see {@link MeasureCommand}). */
@Plugin(type = Command.class, menuPath = "Plugins>ketaprint>SciJava>Measures>pet_roi", headless = true)
public class PetRoiMeasure extends MeasureCommand {
    public PetRoiMeasure() {
        super("pet_roi");
    }
}
