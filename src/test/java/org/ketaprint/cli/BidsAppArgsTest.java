package org.ketaprint.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 13: --debug and -h anywhere on a BIDS-App line; a wrong LEVEL says what it must be. */
class BidsAppArgsTest {
    @TempDir
    Path tmp;

    static final String DEMO = "test-data/demo-bids";

    @Test
    void debugAndHelpAnywhere() {
        picocli.CommandLine cl = Main.commandLine();
        assertArrayEquals(new String[] {"run", "b", "o", "participant", "--nthreads", "2"},
            Main.bidsAppArgs(cl, new String[] {"--debug", "b", "o", "participant", "--nthreads", "2"}));
        assertArrayEquals(new String[] {"run", "b", "o", "group", "-h"}, Main.bidsAppArgs(cl, new String[] {"-h", "b", "o", "group"}));
        assertArrayEquals(new String[] {"run", "b", "o", "group", "-h"}, Main.bidsAppArgs(cl, new String[] {"b", "--help", "o", "group"}));
        // subcommands and the bare command are left alone
        assertArrayEquals(new String[] {"--debug", "info", "x.nii"}, Main.bidsAppArgs(cl, new String[] {"--debug", "info", "x.nii"}));
        assertArrayEquals(new String[] {"-h"}, Main.bidsAppArgs(cl, new String[] {"-h"}));
    }

    @Test
    void debugFirstRunsTheParticipantLevel() throws Exception {
        Path pipeline = tmp.resolve("seg.yaml");
        Files.writeString(pipeline, String.join("\n", "name: seg", "stages:", "  - type: structural", "    features:",
            "      - {column: icv_mm3, measure: icv}", ""));
        Cli c = Cli.run("--debug", DEMO, tmp.resolve("out").toString(), "participant", "--participant-label", "01",
            "--session-label", "pre", "--pipeline", pipeline.toString(), "--quiet");
        assertEquals(0, c.code, c.err);
        assertFalse(c.err.contains("Unmatched"), c.err);
        assertTrue(Files.isRegularFile(tmp.resolve("out/sub-01/ses-pre/sub-01_ses-pre_features.tsv")));
    }

    @Test
    void helpFirstShowsTheRunHelp() {
        Cli c = Cli.run("-h", DEMO, tmp.resolve("out").toString(), "participant");
        assertEquals(0, c.code, c.err);
        assertTrue(c.out.contains("BIDS_DIR") && c.out.contains("--participant-label"), c.out);
        assertFalse(Files.exists(tmp.resolve("out")), "nothing run");
    }

    @Test
    void aWrongLevelSaysWhatItMustBe() {
        for (String[] args : new String[][] {
            {DEMO, tmp.resolve("out").toString(), "partcipant"},
            {"--debug", DEMO, tmp.resolve("out").toString(), "partcipant"},
            {"no-such-bids", "out", "gruop"},
            {DEMO, tmp.resolve("out").toString(), "all"},
            {"run", DEMO, tmp.resolve("out").toString(), "Participant"}}) {
            Cli c = Cli.run(args);
            assertEquals(2, c.code, String.join(" ", args) + ": " + c.err);
            assertTrue(c.err.contains("LEVEL must be participant or group"), c.err);
            assertFalse(c.err.contains("info"), "no subcommand suggested: " + c.err);
        }
        assertFalse(Files.exists(tmp.resolve("out")));
    }
}
