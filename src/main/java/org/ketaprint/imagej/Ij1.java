package org.ketaprint.imagej;

import ij.IJ;
import ij.ImagePlus;
import ij.macro.Interpreter;
import ij.io.FileInfo;
import ij.measure.ResultsTable;
import java.nio.file.Path;
import org.ketaprint.KetaprintException;
import org.ketaprint.table.Table;

/** Shared bits of the ImageJ 1.x menu plugins: error reporting, the current image's file, table output. */
final class Ij1 {
    private Ij1() {
    }

    interface Action {
        void run() throws Exception;
    }

    /**
     * Runs an action; a ketaprint error becomes one line in an error dialog, or, when a macro runs it, one
     * line in the Log and the macro stops (as ImageJ's own commands do; a dialog would block batch runs).
     */
    static void guard(String what, Action a) {
        try {
            a.run();
        } catch (KetaprintException e) {
            if (IJ.isMacro()) {
                IJ.log("ketaprint " + what + ": " + e.getMessage());
                Interpreter.abort();
                return;
            }
            IJ.error("ketaprint " + what, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            IJ.error("ketaprint " + what, "interrupted");
        } catch (Exception e) {
            IJ.handleException(e);
        }
    }

    /** The file an image was opened from (ketaprint import, or ImageJ's own file info), or "" when none. */
    static String sourceFile(ImagePlus imp) {
        if (imp == null) return "";
        String s = imp.getProp(ImagePlusNifti.SOURCE);
        if (s != null) return s;
        FileInfo fi = imp.getOriginalFileInfo();
        if (fi != null && fi.fileName != null && fi.directory != null && !fi.directory.isEmpty()) {
            return Path.of(fi.directory, fi.fileName).toString();
        }
        return "";
    }

    /**
     * Puts the table in ImageJ's own "Results" table (replacing its rows), so macros can use nResults,
     * getResult and saveAs("Results", path); writes it as TSV too when {@code tsv} is not blank.
     */
    static ResultsTable showAsResults(Table t, String tsv) {
        ResultsTable rt = ResultsTable.getResultsTable();
        rt.reset();
        rt.showRowNumbers(true);   // ImageJ 1.53 misaligns the Results headings without them
        Results.append(rt, t);
        rt.show("Results");
        if (tsv != null && !tsv.isBlank()) {
            t.write(Path.of(tsv));
            IJ.log("ketaprint: wrote " + tsv);
        }
        return rt;
    }

    /** Shows the table under {@code title} and, when {@code tsv} is not blank, writes it there as TSV. */
    static ResultsTable show(Table t, String title, String tsv) {
        ResultsTable rt = Results.toResultsTable(t);
        rt.show(title);
        if (tsv != null && !tsv.isBlank()) {
            t.write(Path.of(tsv));
            IJ.log("ketaprint: wrote " + tsv);
        }
        return rt;
    }
}
