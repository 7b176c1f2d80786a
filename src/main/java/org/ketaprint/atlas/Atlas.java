package org.ketaprint.atlas;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A label image and the names of its labels; {@code space} is the template it lives in. */
public record Atlas(String name, Path image, LabelTable labels, String space) {
    /** The files the atlas is read from: its image, and the file of its label names when it has one. */
    public List<Path> files() {
        List<Path> out = new ArrayList<>(List.of(image));
        if (labels != null && labels.file() != null && !labels.file().equals(image)) out.add(labels.file());
        return out;
    }
}
