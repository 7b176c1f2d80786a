package org.ketaprint.measure;

import org.ketaprint.KetaprintException;

/** A parameter value that cannot be bound; {@link #key} names the offending parameter. */
public final class ParamException extends KetaprintException {
    public final String key;

    public ParamException(String key, String message) {
        super(message);
        this.key = key;
    }
}
