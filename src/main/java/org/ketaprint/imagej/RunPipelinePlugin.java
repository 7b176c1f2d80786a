package org.ketaprint.imagej;

import ij.IJ;
import ij.gui.GenericDialog;
import ij.plugin.PlugIn;
import java.nio.file.Path;
import java.util.Arrays;
import org.ketaprint.table.Table;

/** Plugins>ketaprint>Run pipeline on a BIDS folder...: participant then group level, features table shown. */
public final class RunPipelinePlugin implements PlugIn {
    public static final String TABLE = "ketaprint features";

    @Override
    public void run(String arg) {
        GenericDialog gd = new GenericDialog("ketaprint: Run pipeline on a BIDS folder");
        gd.addDirectoryField("BIDS folder", "", 40);
        gd.addDirectoryField("Output folder", "", 40);
        gd.addStringField("Pipeline (name or YAML file)", "ketamine-response", 40);
        gd.addStringField("Participants (blank = all)", "", 40);
        gd.addNumericField("Threads", 1, 0);
        gd.addCheckbox("Skip subjects already done", false);
        gd.showDialog();
        if (gd.wasCanceled()) return;
        Actions.PipelineRun r = new Actions.PipelineRun();
        String bids = gd.getNextString();
        String out = gd.getNextString();
        r.pipeline = gd.getNextString().trim();
        String parts = gd.getNextString().trim();
        r.threads = Math.max(1, (int) gd.getNextNumber());
        r.skipExisting = gd.getNextBoolean();
        Ij1.guard("pipeline", () -> {
            if (bids.isBlank() || out.isBlank()) throw new org.ketaprint.KetaprintException("give a BIDS folder and an output folder");
            r.bids = Path.of(bids);
            r.out = Path.of(out);
            r.participants = parts.isEmpty() ? java.util.List.of()
                : Arrays.stream(parts.split("[,\\s]+")).map(s -> s.replaceFirst("^sub-", "")).toList();
            IJ.showStatus("ketaprint: running the pipeline...");
            Table t = Actions.runPipeline(r, s -> IJ.log("ketaprint: " + s));
            Ij1.show(t, TABLE, null);
            IJ.showStatus("ketaprint: features in " + r.out.toAbsolutePath().resolve("group"));
        });
    }
}
