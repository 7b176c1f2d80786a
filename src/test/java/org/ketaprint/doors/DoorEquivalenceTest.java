package org.ketaprint.doors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ketaprint.cli.Cli;
import org.ketaprint.cli.Main;
import org.ketaprint.imagej.MeasurePlugin;
import org.ketaprint.measure.Measures;
import org.ketaprint.pipeline.Stages;
import org.ketaprint.table.Table;
import org.scijava.Context;
import org.scijava.command.CommandInfo;
import org.scijava.module.Module;
import org.scijava.module.ModuleService;
import org.scijava.command.CommandService;

/**
 * Every measure through every door on the same demo files and parameters: the pipeline (a one-feature
 * stage in a YAML file, BIDS inputs), {@code ketaprint measure NAME} (files given directly), the SciJava
 * command and the ImageJ 1.x menu entry. The four values must be bit-identical, and every measure must
 * have a case here.
 */
class DoorEquivalenceTest {
    static final Path DEMO = Path.of("test-data/demo-bids").toAbsolutePath();
    static final Path FMRIPREP = DEMO.resolve("derivatives/fmriprep/sub-01/ses-pre");
    static final Path QSIPREP = DEMO.resolve("derivatives/qsiprep/sub-01/ses-pre/dwi");
    static final String ATLAS = Path.of("test-data/demo-atlases/JHU-WhiteMatter-labels-1mm.nii.gz").toAbsolutePath().toString();
    static final String FUNC = "func/sub-01_ses-pre_task-rest_";

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

    /** One case: the measure, its stage's files (input name -> file), stage params and feature params. */
    record Case(String measure, Map<String, Path> files, Map<String, String> stageParams, Map<String, String> params) {
    }

    static Map<String, String> m(String... kv) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) out.put(kv[i], kv[i + 1]);
        return out;
    }

    static Map<String, Path> files(String... kv) {
        Map<String, Path> out = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) out.put(kv[i], Path.of(kv[i + 1]));
        return out;
    }

    static List<Case> cases() {
        Map<String, Path> anat = files("seg", FMRIPREP.resolve("anat/sub-01_ses-pre_desc-aseg_dseg.nii.gz").toString(),
            "mask", FMRIPREP.resolve("anat/sub-01_ses-pre_desc-brain_mask.nii.gz").toString());
        String dwi = "sub-01_ses-pre_space-MNI152NLin6Asym_";
        Map<String, Path> diffusion = files("dwi", QSIPREP.resolve(dwi + "desc-preproc_dwi.nii.gz").toString(),
            "mask", QSIPREP.resolve(dwi + "desc-brain_mask.nii.gz").toString());
        Map<String, Path> rest = files(
            "bold", FMRIPREP.resolve(FUNC + "space-MNI152NLin2009cAsym_desc-preproc_bold.nii.gz").toString(),
            "mask", FMRIPREP.resolve(FUNC + "space-MNI152NLin2009cAsym_desc-brain_mask.nii.gz").toString(),
            "confounds", FMRIPREP.resolve(FUNC + "desc-confounds_timeseries.tsv").toString(),
            "gm", FMRIPREP.resolve("anat/sub-01_ses-pre_space-MNI152NLin2009cAsym_label-GM_probseg.nii.gz").toString());
        Map<String, String> denoise = m("strategy", "6P", "fd_threshold", "0.4", "band", "0.01,0.08");
        String faces = "func/sub-01_ses-pre_task-faces_";
        Map<String, Path> task = files(
            "bold", FMRIPREP.resolve(faces + "space-MNI152NLin2009cAsym_desc-preproc_bold.nii.gz").toString(),
            "mask", FMRIPREP.resolve(faces + "space-MNI152NLin2009cAsym_desc-brain_mask.nii.gz").toString(),
            "confounds", FMRIPREP.resolve(faces + "desc-confounds_timeseries.tsv").toString(),
            "events", DEMO.resolve("task-faces_events.tsv").toString());
        Map<String, String> glm = m("strategy", "6P", "fd_threshold", "0.6", "noise", "ar1");
        Map<String, Path> pet = files(
            "pet", DEMO.resolve("derivatives/petprep/sub-01/ses-pre/pet/sub-01_ses-pre_trc-FDG_space-T1w_desc-preproc_pet.nii.gz").toString(),
            "seg", FMRIPREP.resolve("anat/sub-01_ses-pre_desc-aseg_dseg.nii.gz").toString());
        Map<String, Path> mrs = files(
            "results", DEMO.resolve("derivatives/lcmodel/sub-01/ses-pre/mrs/sub-01_ses-pre_voi-pgacc_svs.table").toString(),
            "voxel", DEMO.resolve("sub-01/ses-pre/mrs/sub-01_ses-pre_voi-pgacc_svs.nii.gz").toString(),
            "gm", FMRIPREP.resolve("anat/sub-01_ses-pre_label-GM_probseg.nii.gz").toString(),
            "wm", FMRIPREP.resolve("anat/sub-01_ses-pre_label-WM_probseg.nii.gz").toString(),
            "csf", FMRIPREP.resolve("anat/sub-01_ses-pre_label-CSF_probseg.nii.gz").toString());
        return List.of(
            new Case("volume", anat, m(), m("label", "Left-Hippocampus", "normalize", "icv")),
            new Case("icv", anat, m(), m()),
            new Case("tensor_roi", diffusion, m("atlas", ATLAS, "method", "ols"), m("roi", "Cingulum (hippocampus) L", "map", "md")),
            new Case("seedcorr", rest, denoise, m("seed", "sphere:6,16,-10,10", "target", "sphere:38,44,26,10", "gsr", "true")),
            new Case("alff", rest, denoise, m("roi", "sphere:6,16,-10,10", "value", "falff")),
            new Case("gbc", rest, denoise, m("roi", "sphere:6,16,-10,12", "gsr", "true")),
            new Case("quality", rest, denoise, m("value", "n_censored")),
            new Case("contrast", task, glm, m("roi", "sphere:4,20,8,8", "contrast", "fearful - neutral", "value", "z")),
            new Case("task_quality", task, glm, m("value", "n_spikes")),
            new Case("pet_roi", pet, m("pvc_fwhm", "6", "window", "35,60"), m("roi", "aseg:3+42", "value", "suvr_pvc")),
            new Case("mrs", mrs, m("tool", "lcmodel", "crlb_max", "20"), m("metabolite", "Glx", "value", "conc")));
    }

    @Test
    void everyMeasureHasACase() {
        assertEquals(new TreeSet<>(Measures.all().keySet()), new TreeSet<>(cases().stream().map(Case::measure).toList()));
    }

    @Test
    void everyMeasureGivesTheSameNumberThroughEveryDoor() throws Exception {
        for (Case c : cases()) {
            double pipeline = viaPipeline(c);
            double cli = viaCli(c);
            double scijava = viaSciJava(c);
            double ij1 = viaImageJ1(c);
            assertEquals(Double.doubleToLongBits(pipeline), Double.doubleToLongBits(ij1), c.measure() + ": pipeline " + pipeline + " ij1 " + ij1);
            assertFalse(Double.isNaN(pipeline), c.measure() + " is n/a on the demo");
            assertEquals(Double.doubleToLongBits(pipeline), Double.doubleToLongBits(cli), c.measure() + ": pipeline " + pipeline + " cli " + cli);
            assertEquals(Double.doubleToLongBits(pipeline), Double.doubleToLongBits(scijava),
                c.measure() + ": pipeline " + pipeline + " scijava " + scijava);
        }
    }

    double viaPipeline(Case c) throws Exception {
        String type = Measures.get(c.measure()).stage();
        StringBuilder y = new StringBuilder("name: door\nstages:\n  - type: " + type + "\n    params:\n");
        c.stageParams().forEach((k, v) -> y.append("      ").append(k).append(": \"").append(v).append("\"\n"));
        if (c.stageParams().isEmpty()) y.append("      {}\n");
        y.append("    features:\n      - column: v\n        measure: ").append(c.measure()).append('\n');
        c.params().forEach((k, v) -> y.append("        ").append(k).append(": \"").append(v).append("\"\n"));
        Path yaml = tmp.resolve(c.measure() + ".yaml");
        Files.writeString(yaml, y.toString().replace("    params:\n      {}\n", ""));
        Path out = tmp.resolve("out-" + c.measure());
        int code = Main.run(DEMO.toString(), out.toString(), "participant", "--participant-label", "01", "--session-label", "pre",
            "--pipeline", yaml.toString(), "--quiet");
        assertEquals(0, code, c.measure() + ": pipeline exit " + code + "\n" + y);
        Map<String, String> row = Table.read(out.resolve("sub-01/ses-pre/sub-01_ses-pre_features.tsv")).rows().get(0);
        // the run read exactly the files the other doors are given
        String prov = Files.readString(out.resolve("sub-01/ses-pre/sub-01_ses-pre_provenance.json"));
        for (Path f : c.files().values()) {
            if (!c.measure().equals("icv") && !c.measure().equals("volume") || !f.toString().contains("mask")) {
                assertTrue(prov.contains(f.getFileName().toString()), c.measure() + ": pipeline did not read " + f);
            }
        }
        return Table.number(row.get("v"));
    }

    double viaCli(Case c) {
        List<String> a = new ArrayList<>(List.of("measure", c.measure(), "--json"));
        c.files().forEach((k, v) -> a.addAll(List.of("--" + k.replace('_', '-'), v.toString())));
        c.stageParams().forEach((k, v) -> a.addAll(List.of("--" + k.replace('_', '-'), v)));
        c.params().forEach((k, v) -> a.addAll(List.of("--" + k.replace('_', '-'), v)));
        Cli r = Cli.run(a.toArray(String[]::new));
        assertEquals(0, r.code, c.measure() + ": " + r.err);
        return r.json().get("value").asDouble();
    }

    double viaSciJava(Case c) throws Exception {
        CommandInfo info = commands.getCommands().stream()
            .filter(i -> i.getMenuPath().size() > 0 && i.getMenuPath().getLeaf().getName().equals(c.measure())
                && i.getClassName().startsWith("org.ketaprint.imagej.commands."))
            .findFirst().orElse(null);
        assertNotNull(info, "no SciJava command for measure " + c.measure());
        Map<String, Object> in = new LinkedHashMap<>();
        c.files().forEach((k, v) -> in.put(k, v.toFile()));
        c.stageParams().forEach(in::put);
        c.params().forEach((k, v) -> in.put(k, v.equals("true") || v.equals("false") ? Boolean.valueOf(v) : v));
        // the module is created as SciJava creates it (context injected: the items are declared then),
        // given its inputs by name, and run with the pre/post-processors
        ModuleService modules = context.service(ModuleService.class);
        Module mod = modules.createModule(info);
        assertNotNull(mod, "SciJava could not create " + info.getClassName());
        mod.setInputs(in);
        Module done = modules.run(mod, true, Map.of()).get();
        for (String k : c.params().keySet()) assertNotNull(done.getInfo().getInput(k), c.measure() + ": no item " + k);
        for (String k : c.stageParams().keySet()) assertNotNull(done.getInfo().getInput(k), c.measure() + ": no item " + k);
        Object na = done.getOutput("na_reason");
        assertEquals(null, na, c.measure() + ": n/a via SciJava");
        return (Double) done.getOutput("value");
    }

    /** The ImageJ 1.x menu entry, answered by macro options (keys = the parameter names), as a macro runs it. */
    double viaImageJ1(Case c) {
        StringBuilder o = new StringBuilder();
        c.files().forEach((k, v) -> o.append(k).append("=[").append(v).append("] "));
        c.stageParams().forEach((k, v) -> o.append(k).append("=[").append(v).append("] "));
        c.params().forEach((k, v) -> {
            if (v.equals("true")) o.append(k).append(' ');
            else if (!v.equals("false")) o.append(k).append("=[").append(v).append("] ");
        });
        String name = Thread.currentThread().getName();
        boolean batch = ij.macro.Interpreter.batchMode;
        try {
            Thread.currentThread().setName("Run$_door");   // ImageJ hands macro options only to its macro threads
            ij.macro.Interpreter.batchMode = true;
            ij.Macro.setOptions(o.toString());
            ij.measure.ResultsTable.getResultsTable().reset();
            new MeasurePlugin().run(c.measure());
            ij.measure.ResultsTable rt = ij.measure.ResultsTable.getResultsTable();
            assertEquals(1, rt.size(), c.measure() + ": no Results row from the ImageJ 1.x entry (options " + o + ")");
            return rt.getValue("value", 0);
        } finally {
            ij.Macro.setOptions(null);
            ij.macro.Interpreter.batchMode = batch;
            Thread.currentThread().setName(name);
        }
    }

    @Test
    void everyStageMeasureIsAStageOfItsOwn() {
        for (var m : Measures.all().values()) assertNotNull(Stages.get(m.stage()), m.name() + ": no stage " + m.stage());
    }
}
