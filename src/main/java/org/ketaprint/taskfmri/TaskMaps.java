package org.ketaprint.taskfmri;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import org.ketaprint.KetaprintException;
import org.ketaprint.nifti.Compression;
import org.ketaprint.nifti.DataType;
import org.ketaprint.nifti.NiftiWriter;
import org.ketaprint.restingstate.BoldRun;

/** Writing the GLM's maps (float64, 0 outside the voxels modelled, as nilearn's unmasking) and reading a BOLD's sidecar. */
public final class TaskMaps {
    private TaskMaps() {
    }

    /** A 3D map on {@code like}'s grid: {@code values[i]} at grid voxel {@code voxels[i]}, 0 elsewhere. */
    public static void write(Path out, BoldRun like, int[] voxels, double[] values, Compression c) {
        int[] dims = like.grid().dims();
        double[] vol = new double[like.grid().size()];
        for (int i = 0; i < voxels.length; i++) vol[voxels[i]] = values[i];
        NiftiWriter.Spec spec = NiftiWriter.Spec.like(like.image(), new long[] {dims[0], dims[1], dims[2]}, DataType.FLOAT64);
        NiftiWriter.write(out, c == null ? spec : spec.compression(c), vol);
    }

    /** The JSON sidecar beside a BOLD file, or null. */
    public static JsonNode sidecar(Path bold) {
        Path js = BoldRun.sidecar(bold);
        if (js == null) return null;
        try {
            return new ObjectMapper().readTree(js.toFile());
        } catch (IOException e) {
            throw new KetaprintException(js + ": invalid JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }
}
