package org.ketaprint.table;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import org.ketaprint.nifti.Affine;
import org.ketaprint.nifti.NiftiHeader;
import org.ketaprint.nifti.NiftiImage;

/** Header summary of a NIfTI/Analyze image as a JSON record: {@code ketaprint info} and the ImageJ Image Info. */
public final class ImageInfo {
    private ImageInfo() {
    }

    /** The info record of one image, as printed by {@code ketaprint info --json}. */
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
}
