package org.ketaprint.imagej;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import ij.ImagePlus;
import ij.measure.ResultsTable;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ketaprint.imagej.commands.AlffMapsCommand;
import org.ketaprint.imagej.commands.DtiMapsCommand;
import org.ketaprint.imagej.commands.ImageInfoCommand;
import org.ketaprint.imagej.commands.OpenNiftiCommand;
import org.ketaprint.imagej.commands.RegionVolumesCommand;
import org.ketaprint.imagej.commands.RoiStatisticsCommand;
import org.ketaprint.imagej.commands.RunPipelineCommand;
import org.ketaprint.imagej.commands.SaveNiftiCommand;
import org.ketaprint.imagej.commands.SeedCorrelationCommand;
import org.ketaprint.nifti.Affine;
import org.ketaprint.nifti.NiftiImage;
import org.ketaprint.table.Table;
import org.scijava.Context;
import org.scijava.command.CommandInfo;
import org.scijava.module.Module;
import org.scijava.module.ModuleService;
import org.scijava.command.CommandService;

/** The SciJava commands, discovered by a headless Context's CommandService and run with inputs. */
class CommandsTest {
    static Context context;
    static CommandService commands;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() {
        context = new Context(CommandService.class);
        commands = context.service(CommandService.class);
    }

    @AfterAll
    static void stop() {
        context.dispose();
    }

    /**
     * Runs a command as scripts do. Through the ModuleService: CommandService.run returns null for commands whose
     * items are generated (DynamicCommand; SciJava's documented limitation), though it runs them.
     */
    private static Module run(Class<? extends org.scijava.command.Command> c, Object... inputs) throws Exception {
        CommandInfo info = commands.getCommand(c);
        assertNotNull(info, c + " not discovered");
        String menu = String.join(">", info.getMenuPath().stream().map(e -> e.getName()).toList());
        assertTrue(menu.startsWith("Plugins>ketaprint>SciJava>"), menu);
        return context.service(ModuleService.class).run(info, true, inputs).get();
    }

    @Test
    void everyCommandIsDiscovered() {
        List<String> names = commands.getCommands().stream().map(CommandInfo::getClassName)
            .filter(n -> n.startsWith("org.ketaprint.")).sorted().toList();
        List<String> want = new java.util.ArrayList<>(List.of(AlffMapsCommand.class.getName(), DtiMapsCommand.class.getName(),
            ImageInfoCommand.class.getName(), OpenNiftiCommand.class.getName(), RegionVolumesCommand.class.getName(),
            RoiStatisticsCommand.class.getName(), RunPipelineCommand.class.getName(), SaveNiftiCommand.class.getName(),
            SeedCorrelationCommand.class.getName(), "org.ketaprint.imagej.commands.TaskGlmCommand",
            "org.ketaprint.imagej.commands.PetSuvrCommand", "org.ketaprint.imagej.commands.MrsVoxelCommand"));
        for (String m : List.of("Alff", "Contrast", "Gbc", "Icv", "Mrs", "PetRoi", "Quality", "SeedCorrelation", "TaskQuality", "TensorRoi", "Volume")) {
            want.add("org.ketaprint.imagej.commands." + m + "Measure");   // one per measure, generated from its records
        }
        assertEquals(want.stream().sorted().toList(), names);
    }

    @Test
    void openRegionVolumesAndSave() throws Exception {
        JsonNode ref = Reference.of("labels_oblique.nii.gz");
        File in = Reference.DIR.resolve("labels_oblique.nii.gz").toFile();
        ImagePlus imp = (ImagePlus) run(OpenNiftiCommand.class, "file", in).getOutput("image");
        assertEquals(12, imp.getWidth());
        Path tsv = tmp.resolve("vol.tsv");
        Module m = run(RegionVolumesCommand.class, "image", imp, "labels", "", "outlines", false, "tsv", tsv.toFile());
        ResultsTable rt = (ResultsTable) m.getOutput("results");
        JsonNode vols = ref.get("volumes");
        assertEquals(vols.size(), rt.size());
        Table t = Table.read(tsv);
        for (int r = 0; r < vols.size(); r++) {
            assertEquals(vols.get(r).get("voxels").asDouble(), rt.getValue("voxels", r));
            double want = vols.get(r).get("volume_mm3").asDouble();
            assertEquals(want, Double.parseDouble(t.rows().get(r).get("volume_mm3")), want * 1e-6);
        }
        Path out = tmp.resolve("saved.nii.gz");
        run(SaveNiftiCommand.class, "image", imp, "file", out.toFile());
        assertTrue(NiftiImage.load(out).affine().equalsWithin(new Affine(Reference.affine(ref)), 1e-5));
    }

    @Test
    void imageInfoIsTheCliRecord() throws Exception {
        File in = Reference.DIR.resolve("scaled4d.nii.gz").toFile();
        Module m = run(ImageInfoCommand.class, "file", in, "stats", true);
        ResultsTable rt = (ResultsTable) m.getOutput("results");
        JsonNode ref = Reference.of("scaled4d.nii.gz");
        assertEquals("6 5 4 3", rt.getStringValue("shape", 0));
        assertEquals("int16", rt.getStringValue("datatype", 0));
        assertEquals(ref.get("tr").asDouble(), rt.getValue("tr", 0), 1e-9);
        assertEquals(0.5, rt.getValue("scl_slope", 0));
        assertEquals(10.0, rt.getValue("scl_inter", 0));
        double[] d = Reference.data(ref);
        double sum = 0;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : d) {
            sum += v;
            max = Math.max(max, v);
        }
        assertEquals(sum, rt.getValue("sum", 0), 1e-6 * Math.abs(sum) + 1e-9);
        assertEquals(max, rt.getValue("max", 0), 1e-9);
    }

    @Test
    void dtiMapsFromAFileMatchDipy() throws Exception {
        Path d = DtiMapsPluginTest.DIR;
        Module m = run(DtiMapsCommand.class, "file", d.resolve("small_64D.nii").toFile(),
            "bval", d.resolve("small_64D.bval").toFile(), "bvec", d.resolve("small_64D.bvec").toFile(),
            "method", "ols", "maskMode", DtiMapsPlugin.NO_MASK, "prefix", "");
        for (String name : DtiMapsPlugin.MAPS) {
            ImagePlus imp = (ImagePlus) m.getOutput(name.toLowerCase());
            DtiMapsPluginTest.assertMapEquals(DtiMapsPluginTest.dipy("small_64D", "ols", name), imp, null, "command " + name);
        }
    }

    @Test
    void roiStatisticsOfAnOpenMapMatchNumpy() throws Exception {
        ImagePlus md = ImagePlusNifti.open(RoiStatsPluginTest.DIR.resolve("roi_md.nii.gz"));
        Path tsv = tmp.resolve("roi.tsv");
        Module m = run(RoiStatisticsCommand.class, "image", md, "atlas", RoiStatsPluginTest.LABELS.toFile(),
            "labels", "", "above", 0.2, "thresholdImage", RoiStatsPluginTest.DIR.resolve("roi_fa.nii.gz").toFile(),
            "outlines", true, "tsv", tsv.toFile());
        JsonNode ref = RoiStatsPluginTest.reference("above_0.2_md");
        RoiStatsPluginTest.check(ref, Table.read(tsv));
        ResultsTable rt = (ResultsTable) m.getOutput("results");
        assertEquals(ref.size(), rt.size());
        for (int r = 0; r < ref.size(); r++) {
            assertEquals(ref.get(r).get("voxels").asDouble(), rt.getValue("voxels", r));
            assertEquals(ref.get(r).get("mean").asDouble(), rt.getValue("mean", r), 1e-9 * Math.abs(ref.get(r).get("mean").asDouble()));
            assertEquals(ref.get(r).get("name").asText(), rt.getStringValue("name", r));
        }
        assertTrue(md.getOverlay().size() > 0);
    }

    @Test
    void seedCorrelationFromAFileMatchesNumpy() throws Exception {
        Path d = RestingPluginsTest.DIR;
        Path tsv = tmp.resolve("fc.tsv");
        Module m = run(SeedCorrelationCommand.class, "file", RestingPluginsTest.BOLD.toFile(),
            "mask", d.resolve("brain_mask.nii.gz").toFile(), "confounds", d.resolve("confounds.tsv").toFile(),
            "strategy", "24P", "gsr", true, "seed", RestingPluginsTest.SEED, "target", RestingPluginsTest.TARGET, "map", true,
            "tsv", tsv.toFile());
        JsonNode ref = RestingPluginsTest.reference("fc_gsr");
        RestingPluginsTest.checkRow(ref, Table.read(tsv).rows().get(0), "r", "z");
        ResultsTable rt = (ResultsTable) m.getOutput("results");
        assertEquals(ref.get("z").asDouble(), rt.getValue("z", 0), 1e-6);
        RestingPluginsTest.checkMap(d.resolve("ref_fc_gsr_r.nii.gz"), (ImagePlus) m.getOutput("rMap"), 1e-5);
    }

    @Test
    void alffOfAnOpenBoldMatchesNumpy() throws Exception {
        Path d = RestingPluginsTest.DIR;
        ImagePlus bold = ImagePlusNifti.open(RestingPluginsTest.BOLD);
        Module m = run(AlffMapsCommand.class, "image", bold, "mask", d.resolve("brain_mask.nii.gz").toFile(),
            "confounds", d.resolve("confounds.tsv").toFile(), "roi", RestingPluginsTest.SEED, "maps", true);
        JsonNode ref = RestingPluginsTest.reference("alff");
        ResultsTable rt = (ResultsTable) m.getOutput("results");
        assertEquals(ref.get("alff").asDouble(), rt.getValue("alff", 0), 1e-6 * ref.get("alff").asDouble());
        assertEquals(ref.get("falff").asDouble(), rt.getValue("falff", 0), 1e-6);
        assertEquals(ref.get("n_volumes_used").asDouble(), rt.getValue("n_used", 0));
        RestingPluginsTest.checkMap(d.resolve("ref_alff_alff.nii.gz"), (ImagePlus) m.getOutput("alff"), 1e-5);
        RestingPluginsTest.checkMap(d.resolve("ref_alff_falff.nii.gz"), (ImagePlus) m.getOutput("falff"), 1e-5);
    }

    @Test
    void pipelineOnTheDemoDataset() throws Exception {
        Path out = tmp.resolve("out");
        Module m = run(RunPipelineCommand.class, "bids", Path.of("test-data", "demo-bids").toFile(), "output", out.toFile(),
            "pipeline", Path.of("pipelines", "ketamine-response.yaml").toString(), "participants", "01");
        ResultsTable rt = (ResultsTable) m.getOutput("results");
        Table features = Table.read(out.resolve("group").resolve("features.tsv"));
        assertEquals(features.rows().size(), rt.size());
        assertTrue(rt.size() >= 1);
        // demo truth (scripts/make_demo.py): sub-01 pre-session left hippocampus volume
        Table truth = Table.read(Path.of("test-data", "demo-truth.tsv"));
        Map<String, String> want = truth.rows().stream()
            .filter(r -> "01".equals(r.get("participant_id").replace("sub-", "")) && "pre".equals(r.get("session_id").replace("ses-", "")))
            .findFirst().orElseThrow();
        int row = -1;
        for (int r = 0; r < rt.size(); r++) {
            if (rt.getStringValue("session_id", r).replace("ses-", "").equals("pre")) row = r;
        }
        assertTrue(row >= 0);
        double w = Double.parseDouble(want.get("hippocampus_l_vol_mm3"));
        assertEquals(w, rt.getValue("hippocampus_l_vol_mm3", row), 1e-6 * w);   // float32 affine in the file
    }

    /** The SciJava command with derivatives, atlas folders, sessions and space: the CLI run's table. */
    @Test
    void pipelineWithDerivativesAtlasesSessionsAndSpace() throws Exception {
        PipelineLayout l = new PipelineLayout(tmp);
        Path out = tmp.resolve("out-sj");
        Module m = run(RunPipelineCommand.class, "bids", l.bids.toFile(), "output", out.toFile(), "pipeline", l.pipeline.toString(),
            "derivatives", l.fmriprep + ";" + l.qsiprep, "atlasFolders", l.atlases.toString(), "participants", "01",
            "sessions", "pre", "space", PipelineLayout.SPACE);
        ResultsTable rt = (ResultsTable) m.getOutput("results");
        Table got = Table.read(out.resolve("group/features.tsv"));
        assertEquals(got.rows().size(), rt.size());
        l.check(got, l.cli(tmp.resolve("out-cli")));
    }
}
