package org.ketaprint.imagej.commands;

import org.scijava.command.Command;
import org.scijava.plugin.Plugin;

/** Measure {@code contrast} (items generated from its records; see {@link MeasureCommand}). */
@Plugin(type = Command.class, menuPath = "Plugins>ketaprint>SciJava>Measures>contrast", headless = true)
public class ContrastMeasure extends MeasureCommand {
    public ContrastMeasure() {
        super("contrast");
    }
}
