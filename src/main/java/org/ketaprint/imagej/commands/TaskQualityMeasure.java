package org.ketaprint.imagej.commands;

import org.scijava.command.Command;
import org.scijava.plugin.Plugin;

/** Measure {@code task_quality} (items generated from its records; see {@link MeasureCommand}). */
@Plugin(type = Command.class, menuPath = "Plugins>ketaprint>SciJava>Measures>task_quality", headless = true)
public class TaskQualityMeasure extends MeasureCommand {
    public TaskQualityMeasure() {
        super("task_quality");
    }
}
