package org.ketaprint.imagej.commands;

import org.scijava.command.Command;
import org.scijava.plugin.Plugin;

/** Measure {@code alff} (items generated from its records; see {@link MeasureCommand}). */
@Plugin(type = Command.class, menuPath = "Plugins>ketaprint>SciJava>Measures>alff", headless = true)
public class AlffMeasure extends MeasureCommand {
    public AlffMeasure() {
        super("alff");
    }
}
