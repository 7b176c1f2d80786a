package org.ketaprint.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.ketaprint.measure.ParamSet;
import org.ketaprint.pet.PetAnalysis;
import org.ketaprint.pet.PetJob;
import org.ketaprint.pet.PetStage;
import org.ketaprint.table.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ketaprint pet}: static image, SUV, SUVR and GTM-corrected SUVR of ROIs in a PET-BIDS image. */
@Command(name = "pet", mixinStandardHelpOptions = true, showDefaultValues = true,
    description = "Regional PET values: the static image over the window (frames weighted by overlap), SUV "
        + "(C x weight x 1000 / decay-corrected dose), SUVR to the reference region, and with --pvc-fwhm the GTM "
        + "partial-volume-corrected SUVR (Rousset 1998). ROIs: NAME=sphere:X,Y,Z,R | NAME=atlas:FILE:LABEL[+LABEL] | "
        + "NAME=aseg:N[+N].")
public final class PetCommand implements Callable<Integer>, Subcommand {
    @Parameters(index = "0", paramLabel = "PET", description = "PET image (3D or 4D NIfTI, PET-BIDS).")
    Path pet;

    @Option(names = "--json-sidecar", paramLabel = "F", description = "The PET-BIDS sidecar (default: the .json beside PET).")
    Path sidecar;

    @Option(names = "--roi", paramLabel = "NAME=SPEC", description = "An ROI, repeatable (the GTM's regions, in this order).")
    List<String> rois = List.of();

    @Option(names = "--seg", paramLabel = "ASEG", description = "FreeSurfer aseg in the PET's world (reference, aseg: ROIs, GTM).")
    Path seg;

    @Option(names = "--lut", paramLabel = "F", description = "Label names for atlas: ROIs (else the table beside the atlas).")
    Path lut;

    @Option(names = "--out", paramLabel = "PREFIX", description = "Write PREFIX_desc-static_pet.nii.gz and PREFIX_desc-suvr_pet.nii.gz.")
    String out;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Mixin
    CompressionOption compression;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        org.ketaprint.nifti.Compression comp = compression.get();
        PetStage.Params p = ParamSet.of(PetStage.Params.class).bind(ParamOptions.given(spec, PetStage.Params.class));
        org.ketaprint.atlas.LabelTable names = lut == null ? null : org.ketaprint.atlas.LabelTable.read(lut);
        PetJob.Result r = new PetJob(p, rois, names, out, comp).run(pet, sidecar, seg, s -> System.err.println("ketaprint: " + s));
        PetAnalysis.Result v = r.values();
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.putArray("window_s").add(r.image().lo()).add(r.image().hi());
        ArrayNode frames = o.putArray("frames");
        for (int f = 0; f < r.timing().frameStart().length; f++) {
            frames.addObject().put("index", f).put("start_s", r.timing().frameStart()[f])
                .put("duration_s", r.timing().frameDuration()[f]).put("weight_s", r.image().weights()[f]);
        }
        o.put("units", r.timing().units());
        o.put("to_bq_per_ml", r.timing().toBqPerMl());
        String trc = org.ketaprint.pet.PetUnits.radionuclide(r.timing().tracer());
        o.put("tracer", trc != null ? trc : r.timing().tracer());
        Json.putNumber(o, "half_life_s", r.timing().halfLife());
        Json.putNumber(o, "dose_bq", r.doseBq());
        Json.putNumber(o, "decay_correction_time_s", r.timing().decayCorrectionTime());
        Json.putNumber(o, "dose_decay_corrected_bq", r.timing().doseAtDecayCorrection(p.dose() == null ? null : p.dose() * 1e6));
        Json.putNumber(o, "weight_kg", r.weightKg());
        if (v.suvNa() == null) o.putNull("suv_na_reason"); else o.put("suv_na_reason", v.suvNa());
        o.put("nan_voxels", r.image().nanVoxels());
        o.putObject("reference").put("spec", v.referenceSpec()).put("voxels", v.referenceVoxels())
            .put("mean_bq_per_ml", v.referenceMean());
        ArrayNode rs = o.putArray("rois");
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "reference\t%s\t%d voxels\t%s Bq/mL%n", v.referenceSpec(), v.referenceVoxels(),
            SeedCorrCommand.fmt(v.referenceMean())));
        for (PetAnalysis.RoiValue x : v.rois()) {
            ObjectNode ro = rs.addObject();
            ro.put("name", x.name());
            ro.put("spec", x.spec());
            ro.put("voxels", x.voxels());
            Json.putNumber(ro, "mean_bq_per_ml", x.mean());
            Json.putNumber(ro, "suv", x.suv());
            Json.putNumber(ro, "suvr", x.suvr());
            Json.putNumber(ro, "suvr_pvc", x.suvrPvc());
            text.append(String.format(Locale.ROOT, "%s\tsuv %s\tsuvr %s\tsuvr_pvc %s\t(%d voxels)%n", x.name(),
                SeedCorrCommand.fmt(x.suv()), SeedCorrCommand.fmt(x.suvr()), SeedCorrCommand.fmt(x.suvrPvc()), x.voxels()));
        }
        if (v.fwhm() == null) {
            o.putNull("pvc");
        } else {
            ObjectNode pv = o.putObject("pvc");
            pv.put("fwhm_mm", v.fwhm());
            pv.putArray("sigma_voxels").add(v.sigma()[0]).add(v.sigma()[1]).add(v.sigma()[2]);
            ArrayNode regs = pv.putArray("regions");
            for (PetAnalysis.Region g : v.regions()) {
                regs.addObject().put("name", g.name()).put("voxels", g.voxels()).put("observed_bq_per_ml", g.observed())
                    .put("corrected_bq_per_ml", g.corrected());
            }
        }
        ArrayNode notes = o.putArray("notes");
        v.notes().forEach(notes::add);
        r.timing().notes().forEach(notes::add);
        ArrayNode files = o.putArray("written");
        r.written().forEach(f -> files.add(f.toString()));
        if (v.suvNa() != null) text.append("suv n/a: ").append(v.suvNa()).append('\n');
        if (json) System.out.println(Json.pretty(o)); else System.out.print(text);
        return 0;
    }

    @Override
    public picocli.CommandLine commandLine() {
        picocli.CommandLine cl = new picocli.CommandLine(this);
        ParamOptions.add(cl.getCommandSpec(), PetStage.Params.class, java.util.Set.of("write_maps", "space", "weight_column"));
        return cl;
    }
}
