package org.ketaprint.restingstate;

/**
 * Whether the JDK Vector API (incubator module {@code jdk.incubator.vector}, Java 17) is in this JVM.
 * bin/ketaprint adds it; ImageJ/Fiji usually start without it, and then the scalar paths run (same
 * results, slower GBC).
 */
final class VectorApi {
    static final boolean PRESENT = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
        && !Boolean.getBoolean("ketaprint.novector");

    private VectorApi() {
    }
}
