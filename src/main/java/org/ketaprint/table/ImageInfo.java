package org.ketaprint.table;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import org.ketaprint.nifti.Affine;
import org.ketaprint.nifti.Image;
import org.ketaprint.nifti.Images;
import org.ketaprint.nifti.MghImage;
import org.ketaprint.nifti.NiftiHeader;
import org.ketaprint.nifti.NiftiImage;

/**
 * Header summary of an image (NIfTI-1/2, Analyze, MGH/MGZ: whatever {@link Images#open} reads) as a JSON record:
 * {@code ketaprint info} and the ImageJ Image Info.
 */
public final class ImageInfo {
    private ImageInfo() {
    }

    /** The info record of one image, as printed by {@code ketaprint info --json}. */
    public static ObjectNode describe(Path f, boolean withStats) {
        Image img = Images.open(f);
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("file", f.toString());
        ArrayNode shape = o.putArray("shape");
        for (long d : img.shape()) shape.add(d);
        o.put("datatype", img.datatypeName());
        ArrayNode zooms = o.putArray("zooms");
        ArrayNode aff = o.putArray("affine");
        Affine a = img.affine();
        for (int r = 0; r < 4; r++) {
            ArrayNode row = aff.addArray();
            for (int c = 0; c < 4; c++) row.add(a.get(r, c));
        }
        double tr = img.repetitionTime();
        if (Double.isNaN(tr)) {
            o.putNull("tr");
        } else {
            o.put("tr", tr);
        }
        if (img instanceof NiftiImage n) {
            NiftiHeader h = n.header();
            for (double z : h.zooms()) zooms.add(z);
            o.put("format", h.version == 0 ? "Analyze" : "NIfTI-" + h.version);
            o.put("nifti_version", h.version);
            o.put("qform_code", h.qformCode);
            o.put("sform_code", h.sformCode);
            o.put("space_unit", h.spaceUnit());
            o.put("time_unit", h.timeUnit());
            double[] sc = h.scaling();
            o.put("scl_slope", sc == null ? 1.0 : sc[0]);
            o.put("scl_inter", sc == null ? 0.0 : sc[1]);
        } else if (img instanceof MghImage m) {
            // as nibabel's MGHHeader.get_zooms: the voxel sizes, then for several frames the TR in ms
            for (double z : m.delta()) zooms.add(z);
            if (m.volumes() > 1) zooms.add(m.footer()[0]);
            o.put("format", "MGH");
            o.put("good_ras_flag", m.goodRasFlag());
            o.put("space_unit", "mm");
            o.put("time_unit", "ms");
        } else {
            for (double z : a.voxelSizes()) zooms.add(z);
        }
        if (withStats) {
            NiftiImage.Stats s = img instanceof NiftiImage n ? n.stats() : stats(img);
            Json.putNumber(o, "min", s.min);
            Json.putNumber(o, "max", s.max);
            Json.putNumber(o, "mean", s.mean());
            o.put("sum", s.sum());
            o.put("nonfinite", s.nonfinite);
        }
        return o;
    }

    /** Min, max, sum and counts of the scaled data over every volume, in one pass over the file (a full read). */
    private static NiftiImage.Stats stats(Image img) {
        NiftiImage.Stats s = new NiftiImage.Stats();
        img.forEachVolumeDouble((t, v) -> s.add(v, v.length));
        return s;
    }
}
