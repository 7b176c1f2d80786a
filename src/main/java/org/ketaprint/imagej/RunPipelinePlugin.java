package org.ketaprint.imagej;

import ij.IJ;
import ij.plugin.PlugIn;
import java.nio.file.Path;
import java.util.Arrays;
import org.ketaprint.table.Table;

/** Plugins>ketaprint>Run pipeline on a BIDS folder...: participant then group level, features table shown. */
public final class RunPipelinePlugin implements PlugIn {
    public static final String TABLE = "ketaprint features";

    @Override
    public void run(String arg) {
        OptionsDialog gd = new OptionsDialog("ketaprint: Run pipeline on a BIDS folder");
        gd.addDirectory("BIDS folder", "");
        gd.addDirectory("Output folder", "");
        gd.addString("Pipeline (name or YAML file)", "ketamine-response");
        gd.addString("Participants (blank = all)", "");
        gd.addNumber("Threads", 1);
        gd.addCheckbox("Skip subjects already done", false);
        if (!gd.show()) return;
        Actions.PipelineRun r = new Actions.PipelineRun();
        String bids = gd.nextString();
        String out = gd.nextString();
        r.pipeline = gd.nextString().trim();
        String parts = gd.nextString().trim();
        r.threads = Math.max(1, (int) gd.nextNumber());
        r.skipExisting = gd.nextBoolean();
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
