package org.ketaprint.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.ketaprint.measure.ParamSet;
import org.ketaprint.mrs.MrsJob;
import org.ketaprint.mrs.MrsStage;
import org.ketaprint.nifti.DataType;
import org.ketaprint.nifti.NiftiWriter;
import org.ketaprint.table.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ketaprint mrs}: glutamate from a fitting tool's results, with the voxel's tissue fractions and correction. */
@Command(name = "mrs", mixinStandardHelpOptions = true, showDefaultValues = true,
    description = "MRS: reads LCModel (.table), FSL-MRS (results folder / summary.csv) or Osprey (quantification TSV) "
        + "results, places the NIfTI-MRS voxel on the T1 grid (5^3 sub-samples per voxel), computes the GM/WM/CSF "
        + "fractions and Gasparovic's (2006) tissue-corrected Glu, Gln and Glx.")
public final class MrsCommand implements Callable<Integer>, Subcommand {
    @Parameters(index = "0", paramLabel = "RESULTS", description = "The fitting tool's results file or folder.")
    Path results;

    @Option(names = "--voxel", required = true, paramLabel = "SVS", description = "The NIfTI-MRS file of the acquisition.")
    Path voxel;

    @Option(names = "--t1-probseg", required = true, arity = "3", paramLabel = "F",
        description = "GM, WM and CSF probability maps in T1w space (three files, in this order).")
    List<Path> probseg;

    @Option(names = "--mask-out", paramLabel = "F", description = "Write the voxel's coverage (0-1) on the T1 grid.")
    Path maskOut;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        MrsStage.Params p = ParamSet.of(MrsStage.Params.class).bind(ParamOptions.given(spec, MrsStage.Params.class));
        MrsJob.Result r = new MrsJob(p.tool(), p.crlbMax()).run(results, voxel, probseg.get(0), probseg.get(1), probseg.get(2));
        r.notes().forEach(n -> System.err.println("ketaprint: note: " + n));
        if (maskOut != null) {
            double[] c = r.mask().coverage();
            float[] f = new float[c.length];
            for (int i = 0; i < f.length; i++) f[i] = (float) c[i];
            int[] d = r.mask().grid().dims();
            NiftiWriter.write(maskOut, NiftiWriter.Spec.of(new long[] {d[0], d[1], d[2]}, r.mask().grid().affine, DataType.FLOAT32), f);
        }
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("tool", p.tool());
        ObjectNode v = o.putObject("voxel");
        double[] h = r.voxel().centre();
        v.putArray("centre_mm").add(h[0]).add(h[1]).add(h[2]);
        double[] c = r.mask().centreMm();
        v.putArray("mask_centroid_mm").add(c[0]).add(c[1]).add(c[2]);
        double[] s = r.voxel().sizeMm();
        v.putArray("size_mm").add(s[0]).add(s[1]).add(s[2]);
        v.put("volume_mm3", s[0] * s[1] * s[2]);
        v.put("mask_volume_mm3", r.mask().volumeMm3());
        v.put("t1_voxels", r.mask().voxels());
        Json.putNumber(o, "te_s", r.voxel().echoTime());
        Json.putNumber(o, "tr_s", r.voxel().repetitionTime());
        Json.putNumber(o, "spectrometer_mhz", r.voxel().spectrometerMhz());
        o.putObject("fractions").put("gm", r.fractions()[0]).put("wm", r.fractions()[1]).put("csf", r.fractions()[2]);
        o.putObject("water_mole_fractions").put("gm", r.moleFractions()[0]).put("wm", r.moleFractions()[1])
            .put("csf", r.moleFractions()[2]);
        ArrayNode ms = o.putArray("metabolites");
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "fractions\tgm %.4f\twm %.4f\tcsf %.4f%n",
            r.fractions()[0], r.fractions()[1], r.fractions()[2]));
        for (MrsJob.Metabolite m : r.metabolites()) {
            ObjectNode mo = ms.addObject();
            mo.put("name", m.name());
            Json.putNumber(mo, "conc_ws", m.concWs());
            Json.putNumber(mo, "crlb_percent", m.crlbPercent());
            Json.putNumber(mo, "tcr_ratio", m.tcrRatio());
            Json.putNumber(mo, "corrected", m.corrected());
            if (m.naReason() == null) mo.putNull("na_reason"); else mo.put("na_reason", m.naReason());
            text.append(m.name()).append('\t').append(SeedCorrCommand.fmt(m.corrected()))
                .append(m.naReason() == null ? "" : "\t(n/a: " + m.naReason() + ")").append('\n');
        }
        Json.putNumber(o, "fwhm_hz", r.fwhmHz());
        Json.putNumber(o, "snr", r.snr());
        ArrayNode notes = o.putArray("notes");
        r.notes().forEach(notes::add);
        if (json) System.out.println(Json.pretty(o)); else System.out.print(text);
        return 0;
    }

    @Override
    public picocli.CommandLine commandLine() {
        picocli.CommandLine cl = new picocli.CommandLine(this);
        ParamOptions.add(cl.getCommandSpec(), MrsStage.Params.class, java.util.Set.of("results_path", "write_mask"));
        return cl;
    }
}
