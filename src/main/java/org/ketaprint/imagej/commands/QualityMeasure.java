package org.ketaprint.imagej.commands;

import org.scijava.command.Command;
import org.scijava.plugin.Plugin;

/** Measure {@code quality} (items generated from its records; see {@link MeasureCommand}). */
@Plugin(type = Command.class, menuPath = "Plugins>ketaprint>SciJava>Measures>quality", headless = true)
public class QualityMeasure extends MeasureCommand {
    public QualityMeasure() {
        super("quality");
    }
}
