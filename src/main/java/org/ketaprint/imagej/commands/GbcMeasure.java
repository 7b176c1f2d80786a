package org.ketaprint.imagej.commands;

import org.scijava.command.Command;
import org.scijava.plugin.Plugin;

/** Measure {@code gbc} (items generated from its records; see {@link MeasureCommand}). */
@Plugin(type = Command.class, menuPath = "Plugins>ketaprint>SciJava>Measures>gbc", headless = true)
public class GbcMeasure extends MeasureCommand {
    public GbcMeasure() {
        super("gbc");
    }
}
