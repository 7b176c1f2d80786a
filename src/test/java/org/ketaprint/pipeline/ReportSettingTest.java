package org.ketaprint.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ketaprint.KetaprintException;
import org.ketaprint.atlas.Atlases;
import org.ketaprint.bids.BidsLayout;

/** Issue 17: the session report is written by default, turned off by {@code report: false} or --no-report. */
class ReportSettingTest {
    @TempDir
    Path tmp;

    PipelineSpec pipeline(String line) throws IOException {
        Path f = tmp.resolve("p" + Math.abs(line.hashCode()) + ".yaml");
        Files.writeString(f, line + "\n" + Files.readString(DemoPipelineTest.PIPELINE));
        return PipelineSpec.load(f);
    }

    @Test
    void theYamlKey() throws IOException {
        assertTrue(PipelineSpec.load(DemoPipelineTest.PIPELINE).report);
        assertFalse(pipeline("report: false").report);
        assertTrue(pipeline("report: true").report);
        for (String bad : new String[] {"report: no", "report: [true]", "report: 1"}) {
            KetaprintException e = assertThrows(KetaprintException.class, () -> pipeline(bad), bad);
            assertTrue(e.getMessage().matches("\\S+\\.yaml: line 1: report: true or false .*"), e.getMessage());
        }
    }

    Path run(PipelineSpec p, Boolean flag, String name) throws Exception {
        Path bids = DemoPipelineTest.copyDemo(tmp.resolve("bids" + name));
        Path out = tmp.resolve("out" + name);
        ParticipantRunner.Options o = new ParticipantRunner.Options();
        o.participants = List.of("01");
        o.sessions = List.of("pre");
        o.report = flag;
        new ParticipantRunner(p, BidsLayout.index(bids, List.of()), new Atlases(List.of(DemoPipelineTest.ATLASES)), out, o,
            Progress.silent()).run();
        return out.resolve("sub-01/ses-pre/sub-01_ses-pre_report.html");
    }

    @Test
    void writtenByDefaultWithEveryStageAndTimed() throws Exception {
        Path rep = run(PipelineSpec.load(DemoPipelineTest.PIPELINE), null, "a");
        String html = Files.readString(rep);
        for (String id : List.of("structural", "diffusion", "restingstate")) assertTrue(html.contains("id=\"stage-" + id + "\""), id);
        assertTrue(html.contains("hippocampus_l_vol_mm3"));
        String prov = Files.readString(rep.resolveSibling("sub-01_ses-pre_provenance.json"));
        assertTrue(prov.contains("\"report_s\""));
        assertTrue(prov.contains("\"figures_s\""));
    }

    @Test
    void offByFlagOrPipeline() throws Exception {
        Path a = run(PipelineSpec.load(DemoPipelineTest.PIPELINE), false, "b");
        assertTrue(Files.isRegularFile(a.resolveSibling("sub-01_ses-pre_features.tsv")));
        assertFalse(Files.exists(a));
        assertFalse(Files.readString(a.resolveSibling("sub-01_ses-pre_provenance.json")).contains("figures_s"));
        Path b = run(pipeline("report: false"), null, "c");
        assertFalse(Files.exists(b));
        assertEquals(true, Files.isRegularFile(b.resolveSibling("sub-01_ses-pre_features.tsv")));
    }
}
