package org.ketaprint.imagej.commands;

import org.scijava.command.Command;
import org.scijava.plugin.Plugin;

/** Measure {@code seedcorr} (items generated from its records; see {@link MeasureCommand}). */
@Plugin(type = Command.class, menuPath = "Plugins>ketaprint>SciJava>Measures>seedcorr", headless = true)
public class SeedCorrelationMeasure extends MeasureCommand {
    public SeedCorrelationMeasure() {
        super("seedcorr");
    }
}
