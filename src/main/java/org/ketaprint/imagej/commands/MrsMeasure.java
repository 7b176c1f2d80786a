package org.ketaprint.imagej.commands;

import org.scijava.command.Command;
import org.scijava.plugin.Plugin;

/** Measure {@code mrs} (items generated from its records; see {@link MeasureCommand}). */
@Plugin(type = Command.class, menuPath = "Plugins>ketaprint>SciJava>Measures>mrs", headless = true)
public class MrsMeasure extends MeasureCommand {
    public MrsMeasure() {
        super("mrs");
    }
}
