package org.ketaprint.spaces;

import org.ketaprint.KetaprintException;

/** Data and ROIs are in different spaces and no transform links them: the message names both spaces. */
public class SpaceMismatchException extends KetaprintException {
    private final String dataSpace;
    private final String roiSpace;

    public SpaceMismatchException(String who, String dataSpace, String roiSpace, String detail) {
        super(who + ": data are in space " + dataSpace + " but the ROIs are in space " + roiSpace
            + (detail == null || detail.isEmpty() ? "" : "; " + detail));
        this.dataSpace = dataSpace;
        this.roiSpace = roiSpace;
    }

    public String dataSpace() {
        return dataSpace;
    }

    public String roiSpace() {
        return roiSpace;
    }
}
