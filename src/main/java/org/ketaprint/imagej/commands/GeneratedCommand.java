package org.ketaprint.imagej.commands;

import org.scijava.command.CommandInfo;
import org.scijava.command.DynamicCommand;
import org.scijava.command.DynamicCommandInfo;

/**
 * A SciJava command whose items are generated (from parameter records) as soon as its module exists, so
 * callers that name inputs up front ({@code CommandService.run(info, process, inputs)}, scripts) find them.
 */
public abstract class GeneratedCommand extends DynamicCommand {
    private DynamicCommandInfo generated;

    @Override
    public DynamicCommandInfo getInfo() {
        if (generated == null) {
            generated = new DynamicCommandInfo(new CommandInfo(getClass()), getClass());
            declare();
        }
        return generated;
    }

    /** Adds the generated items to {@link #getInfo()}. */
    protected abstract void declare();
}
