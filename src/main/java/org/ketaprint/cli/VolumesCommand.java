package org.ketaprint.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.ketaprint.KetaprintException;
import org.ketaprint.atlas.LabelTable;
import org.ketaprint.nifti.Image;
import org.ketaprint.nifti.Images;
import org.ketaprint.structural.ProbsegVolume;
import org.ketaprint.structural.RegionVolume;
import org.ketaprint.structural.RegionVolumes;
import org.ketaprint.table.Json;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ketaprint volumes}: voxel count and volume of labels, like fslstats -V / mri_segstats. */
@Command(name = "volumes", mixinStandardHelpOptions = true, showDefaultValues = true,
    description = {"Voxel count and volume (mm^3 = count x |det| of the affine's 3x3) of each label of a label "
        + "image (.nii[.gz], .mgz, .mgh), like fslstats -V and mri_segstats without --pv.",
        "Labels with no voxels are reported with volume 0 and a warning on stderr."})
public final class VolumesCommand implements Callable<Integer>, Subcommand {
    @Parameters(index = "0", paramLabel = "SEG", description = "Label image, or a probability map with --probseg.")
    Path seg;

    static final class Which {
        @Option(names = "--labels", split = ",", paramLabel = "N",
            description = "Label numbers (default: every non-zero label in the image).")
        int[] labels;

        @Option(names = "--names", split = ",", paramLabel = "NAME",
            description = "Label names from the lookup table (case and space/underscore do not matter).")
        List<String> names;
    }

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Which which;

    @Option(names = "--lut", paramLabel = "FILE",
        description = "Lookup table: FreeSurfer LUT, FSL atlas XML, BIDS dseg.tsv or mricron .txt "
            + "(default: FreeSurfer's names).")
    Path lut;

    @Option(names = "--mask", paramLabel = "FILE", description = "Count only voxels where this image is non-zero "
        + "(same grid as SEG).")
    Path mask;

    @Option(names = "--probseg", description = "SEG is a probability map (3D or 4D): volume = sum of "
        + "probabilities x voxel volume, one row per volume.")
    boolean probseg;

    @Option(names = "--json", description = "Print a JSON array of {label, name, voxels, volume_mm3}.")
    boolean json;

    @Override
    public Integer call() {
        Image img = Images.open(seg);
        if (probseg) return probseg(img);
        LabelTable table = lut == null ? null : LabelTable.read(lut);
        int[] labels = null;
        if (which != null && which.labels != null) labels = which.labels;
        if (which != null && which.names != null) labels = RegionVolumes.labelsForNames(which.names, table);
        Image m = mask == null ? null : Images.open(mask);
        List<RegionVolume> vols = RegionVolumes.count(img, labels, table, m);
        for (String w : RegionVolumes.warnings(img, vols)) System.err.println("ketaprint: warning: " + w);
        if (json) {
            ArrayNode a = Json.MAPPER.createArrayNode();
            for (RegionVolume r : vols) {
                ObjectNode o = a.addObject();
                o.put("label", r.label());
                if (r.name() == null) {
                    o.putNull("name");
                } else {
                    o.put("name", r.name());
                }
                o.put("voxels", r.voxels());
                o.put("volume_mm3", r.volumeMm3());
            }
            System.out.println(Json.pretty(a));
        } else {
            System.out.printf("%-8s %-40s %12s %16s%n", "label", "name", "voxels", "volume_mm3");
            for (RegionVolume r : vols) {
                System.out.printf("%-8d %-40s %12d %16.4f%n", r.label(), r.name() == null ? "-" : r.name(),
                    r.voxels(), r.volumeMm3());
            }
        }
        return 0;
    }

    private int probseg(Image img) {
        if (which != null || lut != null || mask != null) {
            throw new KetaprintException(seg + ": --probseg takes no --labels, --names, --lut or --mask");
        }
        double[] v = ProbsegVolume.sumEach(img);
        if (json) {
            ArrayNode a = Json.MAPPER.createArrayNode();
            for (int t = 0; t < v.length; t++) {
                ObjectNode o = a.addObject();
                o.put("volume_index", t);
                o.put("volume_mm3", v[t]);
            }
            System.out.println(Json.pretty(a));
        } else {
            System.out.printf("%-12s %16s%n", "volume_index", "volume_mm3");
            for (int t = 0; t < v.length; t++) System.out.printf("%-12d %16.4f%n", t, v[t]);
        }
        return 0;
    }
}
