package org.ketaprint.imagej.commands;

import ij.IJ;
import ij.measure.ResultsTable;
import java.awt.GraphicsEnvironment;

/** Shows a result table when ImageJ runs with a display; headless callers use the output parameter. */
final class CommandOutput {
    private CommandOutput() {
    }

    static void show(ResultsTable rt, String title) {
        if (!GraphicsEnvironment.isHeadless() && IJ.getInstance() != null) rt.show(title);
    }
}
