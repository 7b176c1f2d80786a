package org.ketaprint.measure;

/** The four facts every measure declares (name, stage, parameter record, data type), held once. */
public abstract class BaseMeasure<P extends Record, D> implements Measure<P, D> {
    private final String name;
    private final String stage;
    private final Class<P> params;
    private final Class<D> data;

    protected BaseMeasure(String name, String stage, Class<P> params, Class<D> data) {
        this.name = name;
        this.stage = stage;
        this.params = params;
        this.data = data;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final String stage() {
        return stage;
    }

    @Override
    public final Class<P> params() {
        return params;
    }

    @Override
    public final Class<D> dataType() {
        return data;
    }
}
