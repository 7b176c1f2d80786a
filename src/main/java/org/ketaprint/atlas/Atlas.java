package org.ketaprint.atlas;

import java.nio.file.Path;

/** A label image and the names of its labels; {@code space} is the template it lives in. */
public record Atlas(String name, Path image, LabelTable labels, String space) {
}
