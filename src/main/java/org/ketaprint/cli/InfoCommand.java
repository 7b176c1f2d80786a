package org.ketaprint.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.ketaprint.KetaprintException;
import org.ketaprint.nifti.Affine;
import org.ketaprint.nifti.NiftiHeader;
import org.ketaprint.nifti.NiftiImage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ketaprint info}: header summary of NIfTI/Analyze files, like fslinfo or nib-ls. */
@Command(name = "info", mixinStandardHelpOptions = true, showDefaultValues = true,
    description = "Print shape, datatype, voxel sizes, affine and TR of NIfTI/Analyze images.")
public final class InfoCommand implements Callable<Integer>, Subcommand {
    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Images (.nii, .nii.gz, .hdr/.img).")
    List<Path> files;

    @Option(names = "--json", description = "One JSON object per file (an array when several).")
    boolean json;

    @Option(names = "--stats", description = "Also min, max, mean, sum of the scaled data over finite voxels.")
    boolean stats;

    @Override
    public Integer call() {
        ArrayNode all = Json.MAPPER.createArrayNode();
        int failed = 0;
        for (Path f : files) {
            try {
                ObjectNode o = describe(f, stats);
                if (json) {
                    all.add(o);
                } else {
                    printText(o);
                }
            } catch (KetaprintException e) {
                System.err.println("ketaprint: " + e.getMessage());
                failed++;
            }
        }
        if (json && all.size() > 0) {
            System.out.println(Json.pretty(files.size() == 1 ? all.get(0) : all));
        }
        return failed > 0 ? 2 : 0;
    }

    /** The info record of one image, as printed with --json. */
    public static ObjectNode describe(Path f, boolean withStats) {
        NiftiImage img = NiftiImage.load(f);
        NiftiHeader h = img.header();
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("file", f.toString());
        ArrayNode shape = o.putArray("shape");
        for (long d : h.shape()) shape.add(d);
        o.put("datatype", h.datatype.label);
        ArrayNode zooms = o.putArray("zooms");
        for (double z : h.zooms()) zooms.add(z);
        ArrayNode aff = o.putArray("affine");
        Affine a = img.affine();
        for (int r = 0; r < 4; r++) {
            ArrayNode row = aff.addArray();
            for (int c = 0; c < 4; c++) row.add(a.get(r, c));
        }
        double tr = h.repetitionTime();
        if (Double.isNaN(tr)) {
            o.putNull("tr");
        } else {
            o.put("tr", tr);
        }
        o.put("nifti_version", h.version);
        o.put("qform_code", h.qformCode);
        o.put("sform_code", h.sformCode);
        o.put("space_unit", h.spaceUnit());
        o.put("time_unit", h.timeUnit());
        double[] sc = h.scaling();
        o.put("scl_slope", sc == null ? 1.0 : sc[0]);
        o.put("scl_inter", sc == null ? 0.0 : sc[1]);
        if (withStats) {
            NiftiImage.Stats s = img.stats();
            Json.putNumber(o, "min", s.min);
            Json.putNumber(o, "max", s.max);
            Json.putNumber(o, "mean", s.mean());
            o.put("sum", s.sum());
            o.put("nonfinite", s.nonfinite);
        }
        return o;
    }

    private static void printText(ObjectNode o) {
        System.out.println(o.get("file").asText());
        o.fields().forEachRemaining(e -> {
            if (e.getKey().equals("file")) return;
            if (e.getKey().equals("affine")) {
                System.out.println("  affine:");
                for (var row : e.getValue()) System.out.println("    " + row);
            } else {
                System.out.printf("  %-14s %s%n", e.getKey() + ":", e.getValue());
            }
        });
    }
}
