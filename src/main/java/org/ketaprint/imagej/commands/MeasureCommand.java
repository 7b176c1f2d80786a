package org.ketaprint.imagej.commands;

import java.io.File;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ketaprint.measure.Measure;
import org.ketaprint.measure.Measures;
import org.ketaprint.measure.ParamInfo;
import org.ketaprint.measure.ParamSet;
import org.ketaprint.pipeline.InputSpec;
import org.ketaprint.pipeline.MeasureRun;
import org.ketaprint.pipeline.Stage;
import org.ketaprint.pipeline.Stages;
import org.scijava.ItemIO;
import org.scijava.module.DefaultMutableModuleItem;

/**
 * A SciJava command for one measure, its items generated from the stage's inputs (files) and the
 * stage's and measure's parameter records (names, defaults, help, choices), run by
 * {@link MeasureRun} as {@code ketaprint measure NAME} runs it. Outputs: {@code value} (NaN when n/a)
 * and {@code na_reason}. Subclasses only name the measure (SciJava discovers them by annotation).
 */
public abstract class MeasureCommand extends GeneratedCommand {
    private final Measure<?, ?> measure;
    private final Stage stage;

    protected MeasureCommand(String name) {
        measure = Measures.get(name);
        stage = Stages.get(measure.stage());
    }

    @Override
    protected void declare() {
        for (InputSpec in : stage.inputs()) {
            DefaultMutableModuleItem<File> item = new DefaultMutableModuleItem<>(getInfo(), in.name(), File.class);
            item.setLabel(in.name());
            item.setDescription(in.description());
            item.setWidgetStyle("open");
            item.setRequired(false);
            getInfo().addInput(item);
        }
        addParams(stage.parameters());
        addParams(measure.params());
        DefaultMutableModuleItem<File> atlases = new DefaultMutableModuleItem<>(getInfo(), "atlas_dir", File.class);
        atlases.setLabel("atlas_dir");
        atlases.setDescription("A folder searched first for atlases given by name (blank: $FSLDIR, mricron's)");
        atlases.setWidgetStyle("directory");
        atlases.setRequired(false);
        getInfo().addInput(atlases);
        DefaultMutableModuleItem<File> out = new DefaultMutableModuleItem<>(getInfo(), "out_dir", File.class);
        out.setLabel("out_dir");
        out.setDescription("Write the stage's derived maps here (blank: none)");
        out.setWidgetStyle("directory");
        out.setRequired(false);
        getInfo().addInput(out);
        DefaultMutableModuleItem<Double> value = new DefaultMutableModuleItem<>(getInfo(), "value", Double.class);
        value.setIOType(ItemIO.OUTPUT);
        getInfo().addOutput(value);
        DefaultMutableModuleItem<String> na = new DefaultMutableModuleItem<>(getInfo(), "na_reason", String.class);
        na.setIOType(ItemIO.OUTPUT);
        na.setRequired(false);
        getInfo().addOutput(na);
    }

    private void addParams(Class<? extends Record> type) {
        for (ParamInfo p : ParamSet.of(type).params()) {
            if (p.isFlag()) {
                DefaultMutableModuleItem<Boolean> b = new DefaultMutableModuleItem<>(getInfo(), p.key(), Boolean.class);
                b.setDefaultValue(Boolean.parseBoolean(p.dflt()));
                item(b, p);
            } else {
                DefaultMutableModuleItem<String> s = new DefaultMutableModuleItem<>(getInfo(), p.key(), String.class);
                s.setDefaultValue(p.dflt());
                if (!p.choices().isEmpty()) s.setChoices(p.choices());
                item(s, p);
            }
        }
    }

    private <T> void item(DefaultMutableModuleItem<T> it, ParamInfo p) {
        it.setLabel(p.label());
        it.setDescription(p.fullHelp());
        it.setRequired(p.required());
        it.setPersisted(false);
        getInfo().addInput(it);
    }

    /** Values given for one record's parameters: blank and unset items take the record's defaults. */
    private Map<String, Object> given(Class<? extends Record> type) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (ParamInfo p : ParamSet.of(type).params()) {
            Object v = getInput(p.key());
            if (v == null || (v instanceof String s && s.isBlank())) continue;
            m.put(p.key(), v instanceof Boolean b ? b.toString() : v);
        }
        return m;
    }

    @Override
    public void run() {
        Map<String, Path> files = new LinkedHashMap<>();
        for (InputSpec in : stage.inputs()) {
            Object f = getInput(in.name());
            if (f instanceof File file) files.put(in.name(), file.toPath().toAbsolutePath());
        }
        File outDir = (File) getInput("out_dir");
        Map<String, Object> sp = given(stage.parameters());
        if (outDir == null && ParamSet.of(stage.parameters()).get("write_maps") != null) sp.put("write_maps", "false");
        Record stageParams = ParamSet.of(stage.parameters()).bind(sp);
        Record params = ParamSet.of(measure.params()).bind(given(measure.params()));
        File atlasDir = (File) getInput("atlas_dir");
        MeasureRun.Result r = MeasureRun.run(measure, stageParams, params, files,
            atlasDir == null ? List.of() : List.of(atlasDir.toPath().toAbsolutePath()),
            outDir == null ? null : outDir.toPath().toAbsolutePath(), measure.name(), line -> {
                if (log() != null) log().info("ketaprint: " + line);
            });
        setOutput("value", r.value());
        setOutput("na_reason", r.na());
    }

    private org.scijava.log.LogService log() {
        return getContext() == null ? null : getContext().getService(org.scijava.log.LogService.class);
    }
}
