package org.ketaprint.bids;

import java.nio.file.Path;

/** A file of the dataset or of a derivatives folder, with its parsed name. */
public record BidsFile(Path path, BidsName name, boolean derivative) {
    public String get(String entity) {
        return name.get(entity);
    }

    public String suffix() {
        return name.suffix;
    }

    public String extension() {
        return name.extension;
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
