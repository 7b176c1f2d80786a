package org.ketaprint.nifti;

import java.nio.file.Path;

/** Opens an image by its file name: .mgh/.mgz through the MGH reader, anything else as NIfTI/Analyze. */
public final class Images {
    private Images() {
    }

    public static Image open(Path p) {
        String n = p.getFileName().toString().toLowerCase();
        if (n.endsWith(".mgz") || n.endsWith(".mgh") || n.endsWith(".mgh.gz")) {
            return MghImage.load(p);
        }
        return NiftiImage.load(p);
    }
}
