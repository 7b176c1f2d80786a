package org.ketaprint.imagej;

import ij.Macro;
import ij.gui.GenericDialog;
import java.awt.GraphicsEnvironment;
import java.util.ArrayList;
import java.util.List;
import org.ketaprint.KetaprintException;

/**
 * A GenericDialog that also works without a display: headless, the answers come from the macro options
 * (same keys as ImageJ's: the label's first word, lower case), since AWT dialogs cannot be created there.
 */
final class OptionsDialog {
    private final GenericDialog gd;
    private final String options;
    private final List<String[]> fields = new ArrayList<>();   // {kind, key, default}
    private int next;

    private final String title;

    OptionsDialog(String title) {
        this.title = title;
        if (GraphicsEnvironment.isHeadless()) {
            gd = null;
            options = Macro.getOptions();
        } else {
            gd = new GenericDialog(title);
            options = null;
        }
    }

    private void field(String kind, String label, String def) {
        fields.add(new String[] {kind, Macro.trimKey(label), def});
    }

    void addString(String label, String def) {
        if (gd != null) gd.addStringField(label, def, 40);
        field("s", label, def);
    }

    void addFile(String label, String def) {
        if (gd != null) gd.addFileField(label, def, 40);
        field("s", label, def);
    }

    void addDirectory(String label, String def) {
        if (gd != null) gd.addDirectoryField(label, def, 40);
        field("s", label, def);
    }

    void addNumber(String label, double def) {
        addNumber(label, def, 0);
    }

    /** A number shown with {@code digits} decimals; headless, its default is that same text, as ImageJ's. */
    void addNumber(String label, double def, int digits) {
        if (gd != null) gd.addNumericField(label, def, digits);
        field("n", label, ij.IJ.d2s(def, digits));
    }

    void addCheckbox(String label, boolean def) {
        if (gd != null) gd.addCheckbox(label, def);
        field("b", label, Boolean.toString(def));
    }

    void addChoice(String label, String[] items, String def) {
        if (gd != null) gd.addChoice(label, items, def);
        field("s", label, def);
    }

    /** Shows the dialog; false when cancelled. */
    boolean show() {
        if (gd == null && options == null) {
            ij.IJ.log(title + ": no display; run it from a macro with its options");
            return false;
        }
        if (gd == null) return true;
        gd.showDialog();
        return !gd.wasCanceled();
    }

    private String[] take() {
        return fields.get(next++);
    }

    String nextString() {
        String[] f = take();
        return gd != null ? gd.getNextString() : text(f);
    }

    String nextChoice() {
        String[] f = take();
        return gd != null ? gd.getNextChoice() : text(f);
    }

    private String text(String[] f) {
        String v = Macro.getValue(options, f[1], null);
        return v == null ? f[2] : v;
    }

    double nextNumber() {
        String[] f = take();
        if (gd != null) return gd.getNextNumber();
        String v = Macro.getValue(options, f[1], f[2]);
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new KetaprintException(f[1] + "=" + v + " is not a number");
        }
    }

    boolean nextBoolean() {
        String[] f = take();
        if (gd != null) return gd.getNextBoolean();
        // ImageJ's rule: a checkbox is on when its key appears as a word in the options
        return (" " + options + " ").contains(" " + f[1] + " ");
    }

    /** Whether a field's key was given: in the macro options, or (with a display) always. */
    boolean given(String key) {
        if (gd != null) return true;
        return options != null && Macro.getValue(options, key, null) != null;
    }
}
