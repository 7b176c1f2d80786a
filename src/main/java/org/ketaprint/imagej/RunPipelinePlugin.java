package org.ketaprint.imagej;

import ij.IJ;
import ij.plugin.PlugIn;
import java.nio.file.Path;
import org.ketaprint.table.Table;

/**
 * Plugins>ketaprint>Run pipeline on a BIDS folder...: participant then group level, features table shown. The
 * fields are the participant run's options; macro keys: {@code bids derivatives output atlas pipeline participants
 * sessions space threads skip}. Several folders in one field are separated by ';'.
 */
public final class RunPipelinePlugin implements PlugIn {
    public static final String TABLE = "ketaprint features";

    @Override
    public void run(String arg) {
        OptionsDialog gd = new OptionsDialog("ketaprint: Run pipeline on a BIDS folder");
        gd.addDirectory("BIDS folder", "");
        gd.addDirectory("Derivatives folders (extra; ';' between; BIDS/derivatives always searched)", "");
        gd.addDirectory("Output folder", "");
        gd.addDirectory("Atlas folders (searched first; ';' between; then FSL, mricron)", "");
        gd.addString("Pipeline (name or YAML file)", "ketamine-response");
        gd.addString("Participants (blank = all)", "");
        gd.addString("Sessions (blank = all)", "");
        gd.addString("Space of files without space- entity (blank = native)", "");
        gd.addNumber("Threads", 1);
        gd.addCheckbox("Skip subjects already done", false);
        if (!gd.show()) return;
        Actions.PipelineRun r = new Actions.PipelineRun();
        String bids = gd.nextString();
        String derivatives = gd.nextString();
        String out = gd.nextString();
        String atlases = gd.nextString();
        r.pipeline = gd.nextString().trim();
        String parts = gd.nextString();
        String sessions = gd.nextString();
        String space = gd.nextString().trim();
        r.threads = Math.max(1, (int) gd.nextNumber());
        r.skipExisting = gd.nextBoolean();
        Ij1.guard("pipeline", () -> {
            if (bids.isBlank() || out.isBlank()) throw new org.ketaprint.KetaprintException("give a BIDS folder and an output folder");
            r.bids = Path.of(bids);
            r.out = Path.of(out);
            r.derivatives = Actions.folders(derivatives);
            r.atlasDirs = Actions.folders(atlases);
            r.participants = Actions.labels(parts, "sub-");
            r.sessions = Actions.labels(sessions, "ses-");
            r.space = space.isEmpty() ? null : space;
            IJ.showStatus("ketaprint: running the pipeline...");
            Table t = Actions.runPipeline(r, s -> IJ.log("ketaprint: " + s));
            Ij1.show(t, TABLE, null);
            IJ.showStatus("ketaprint: features in " + r.out.toAbsolutePath().resolve("group"));
        });
    }
}
