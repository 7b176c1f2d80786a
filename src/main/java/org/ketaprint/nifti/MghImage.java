package org.ketaprint.nifti;

import java.nio.file.Path;

/** FreeSurfer MGH/MGZ image (placeholder until the structural issue adds the reader). */
final class MghImage {
    private MghImage() {
    }

    static Image load(Path p) {
        throw new NiftiException(p.toString(), "MGH/MGZ is not supported yet");
    }
}
