package org.ketaprint.imagej.commands;

import org.scijava.command.Command;
import org.scijava.plugin.Plugin;

/** Measure {@code icv} (items generated from its records; see {@link MeasureCommand}). */
@Plugin(type = Command.class, menuPath = "Plugins>ketaprint>SciJava>Measures>icv", headless = true)
public class IcvMeasure extends MeasureCommand {
    public IcvMeasure() {
        super("icv");
    }
}
