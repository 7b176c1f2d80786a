package org.ketaprint.imagej.commands;

import org.scijava.command.Command;
import org.scijava.plugin.Plugin;

/** Measure {@code volume} (items generated from its records; see {@link MeasureCommand}). */
@Plugin(type = Command.class, menuPath = "Plugins>ketaprint>SciJava>Measures>volume", headless = true)
public class VolumeMeasure extends MeasureCommand {
    public VolumeMeasure() {
        super("volume");
    }
}
