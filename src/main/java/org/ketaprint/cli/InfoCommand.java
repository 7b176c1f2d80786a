package org.ketaprint.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.ketaprint.KetaprintException;
import org.ketaprint.table.ImageInfo;
import org.ketaprint.table.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ketaprint info}: header summary of NIfTI/Analyze/MGH files, like fslinfo or nib-ls. */
@Command(name = "info", mixinStandardHelpOptions = true, showDefaultValues = true,
    description = "Print shape, datatype, voxel sizes, affine and TR of NIfTI/Analyze/MGH images.")
public final class InfoCommand implements Callable<Integer>, Subcommand {
    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Images (.nii, .nii.gz, .hdr/.img, .mgh, .mgz).")
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
                ObjectNode o = ImageInfo.describe(f, stats);
                if (json) {
                    all.add(o);
                } else {
                    printText(o);
                }
            } catch (KetaprintException e) {
                System.err.println("ketaprint: " + KetaprintException.oneLine(e.getMessage()));
                failed++;
            }
        }
        if (json && all.size() > 0) {
            System.out.println(Json.pretty(files.size() == 1 ? all.get(0) : all));
        }
        return failed > 0 ? 2 : 0;
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
