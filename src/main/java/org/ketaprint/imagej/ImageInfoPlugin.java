package org.ketaprint.imagej;

import ij.WindowManager;
import ij.gui.GenericDialog;
import ij.measure.ResultsTable;
import ij.plugin.PlugIn;
import java.nio.file.Path;
import org.ketaprint.table.Table;

/** Plugins>ketaprint>Image info: {@code ketaprint info} of a file (the current image's by default). */
public final class ImageInfoPlugin implements PlugIn {
    public static final String TABLE = "ketaprint info";

    @Override
    public void run(String arg) {
        GenericDialog gd = new GenericDialog("ketaprint: Image info");
        gd.addFileField("File", Ij1.sourceFile(WindowManager.getCurrentImage()), 40);
        gd.addCheckbox("Statistics (min, max, mean, sum)", false);
        gd.addStringField("Save TSV (optional)", "", 40);
        gd.showDialog();
        if (gd.wasCanceled()) return;
        String file = gd.getNextString();
        boolean stats = gd.getNextBoolean();
        String tsv = gd.getNextString();
        Ij1.guard("info", () -> {
            if (file.isBlank()) throw new org.ketaprint.KetaprintException("no file given (the image has no NIfTI file; save it first)");
            Table t = Actions.info(Path.of(file), stats);
            ResultsTable rt = ResultsTable.getResultsTable(TABLE);
            if (rt == null) rt = new ResultsTable();
            rt.showRowNumbers(false);
            Results.append(rt, t);
            rt.show(TABLE);
            if (!tsv.isBlank()) t.write(Path.of(tsv));
        });
    }
}
