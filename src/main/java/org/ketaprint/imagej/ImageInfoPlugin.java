package org.ketaprint.imagej;

import ij.WindowManager;
import ij.measure.ResultsTable;
import ij.plugin.PlugIn;
import java.nio.file.Path;
import org.ketaprint.table.Table;

/** Plugins>ketaprint>Image info: {@code ketaprint info} of a file (the current image's by default). */
public final class ImageInfoPlugin implements PlugIn {
    public static final String TABLE = "ketaprint info";
    private static ResultsTable last;

    /** The info table rows are appended to: its window, or without a display the last one used. */
    public static ResultsTable table() {
        ResultsTable rt = ResultsTable.getResultsTable(TABLE);
        return rt != null || !java.awt.GraphicsEnvironment.isHeadless() ? rt : last;
    }

    @Override
    public void run(String arg) {
        OptionsDialog gd = new OptionsDialog("ketaprint: Image info");
        gd.addFile("File", Ij1.sourceFile(WindowManager.getCurrentImage()));
        gd.addCheckbox("Statistics (min, max, mean, sum)", false);
        gd.addString("Save TSV (optional)", "");
        if (!gd.show()) return;
        String file = gd.nextString();
        boolean stats = gd.nextBoolean();
        String tsv = gd.nextString();
        Ij1.guard("info", () -> {
            if (file.isBlank()) throw new org.ketaprint.KetaprintException("no file given (the image has no NIfTI file; save it first)");
            Table t = Actions.info(Path.of(file), stats);
            ResultsTable rt = table();
            if (rt == null) rt = new ResultsTable();
            last = rt;
            rt.showRowNumbers(false);
            Results.append(rt, t);
            rt.show(TABLE);
            if (!tsv.isBlank()) t.write(Path.of(tsv));
        });
    }
}
