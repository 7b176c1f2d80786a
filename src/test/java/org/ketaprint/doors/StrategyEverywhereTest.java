package org.ketaprint.doors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ketaprint.cli.Cli;
import org.ketaprint.cli.Main;
import org.ketaprint.pipeline.PipelineSpec;
import org.ketaprint.pipeline.Problems;
import org.ketaprint.table.Table;

/** A strategy is a strategy everywhere: a YAML column list, a,b,c on both command lines, errors at the key's line. */
class StrategyEverywhereTest {
    static final String COLS = "trans_x,trans_y,trans_z,rot_x,rot_y,rot_z,csf,white_matter";

    @TempDir
    Path tmp;

    @Test
    void aYamlColumnListRunsAndEqualsTheCommandLines() throws Exception {
        Path yaml = tmp.resolve("p.yaml");
        Files.writeString(yaml, String.join("\n",
            "name: cols",
            "stages:",
            "  - type: restingstate",
            "    params:",
            "      strategy: [trans_x, trans_y, trans_z, rot_x, rot_y, rot_z, csf, white_matter]",
            "    rois:",
            "      sgacc: {sphere: [6, 16, -10], radius: 10}",
            "      rdlpfc: {sphere: [38, 44, 26], radius: 10}",
            "    features:",
            "      - {column: fc, measure: seedcorr, seed: sgacc, target: rdlpfc}",
            ""));
        Path out = tmp.resolve("out");
        assertEquals(0, Main.run(DoorEquivalenceTest.DEMO.toString(), out.toString(), "participant", "--participant-label", "01",
            "--session-label", "pre", "--pipeline", yaml.toString(), "--quiet"));
        double pipeline = Table.number(Table.read(out.resolve("sub-01/ses-pre/sub-01_ses-pre_features.tsv")).rows().get(0).get("fc"));
        assertFalse(Double.isNaN(pipeline));
        String prov = Files.readString(out.resolve("sub-01/ses-pre/sub-01_ses-pre_provenance.json"));
        assertTrue(prov.contains("white_matter"), "the column list is in the provenance");

        Path f = DoorEquivalenceTest.FMRIPREP;
        String bold = f.resolve(DoorEquivalenceTest.FUNC + "space-MNI152NLin2009cAsym_desc-preproc_bold.nii.gz").toString();
        String mask = f.resolve(DoorEquivalenceTest.FUNC + "space-MNI152NLin2009cAsym_desc-brain_mask.nii.gz").toString();
        String conf = f.resolve(DoorEquivalenceTest.FUNC + "desc-confounds_timeseries.tsv").toString();
        Cli measure = Cli.run("measure", "seedcorr", "--bold", bold, "--mask", mask, "--confounds", conf, "--strategy", COLS,
            "--seed", "sphere:6,16,-10,10", "--target", "sphere:38,44,26,10", "--json");
        assertEquals(0, measure.code, measure.err);
        assertEquals(pipeline, measure.json().get("value").asDouble(), 0);
        Cli legacy = Cli.run("seedcorr", bold, "--mask", mask, "--confounds", conf, "--strategy", COLS,
            "--seed", "sphere:6,16,-10,10", "--target", "sphere:38,44,26,10", "--json");
        assertEquals(0, legacy.code, legacy.err);
        assertEquals(pipeline, legacy.json().get("z").asDouble(), 0);
        assertEquals(List.of(COLS.split(",")), List.of(legacy.json().at("/parameters/confound_columns").toString()
            .replaceAll("[\\[\\]\"]", "").split(",")));
    }

    @Test
    void aBadStrategyPointsAtItsLine() throws Exception {
        Path yaml = tmp.resolve("bad.yaml");
        Files.writeString(yaml, String.join("\n",
            "name: bad",
            "stages:",
            "  - type: restingstate",
            "    params:",
            "      fd_threshold: 0.5",
            "      strategy: 24P+wat",
            "    features:",
            "      - {column: fd, measure: quality, value: fd_mean}",
            ""));
        Problems pr = new Problems();
        PipelineSpec.parse(yaml, pr);
        assertEquals(1, pr.errors().size(), pr.errors().toString());
        assertTrue(pr.errors().get(0).startsWith("line 6:") && pr.errors().get(0).contains("wat"), pr.errors().get(0));
    }
}
