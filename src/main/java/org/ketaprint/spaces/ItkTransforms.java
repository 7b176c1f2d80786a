package org.ketaprint.spaces;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.lang.reflect.Array;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** ITK/ANTs transform files: text (.txt/.tfm), binary MATLAB v4 (.mat) and HDF5 composites (.h5). */
public final class ItkTransforms {
    private ItkTransforms() {
    }

    static boolean isAffineType(String type) {
        return type.matches("(AffineTransform|MatrixOffsetTransformBase)_(double|float)_3_3");
    }

    static void checkType(String type, Object file) {
        if (type.matches(".*_2_2") || type.matches(".*_(\\d)_(\\d)") && !type.endsWith("_3_3")) {
            throw new TransformException(file, "transform " + type + " is not 3D (dimensions do not match a 3D image)");
        }
        throw new TransformException(file, "unsupported transform type " + type
            + " (supported: AffineTransform/MatrixOffsetTransformBase _3_3, DisplacementFieldTransform _3_3)");
    }

    /** An ITK text transform file ({@code #Insight Transform File V1.0}), in ANTs order. */
    public static List<Transform> readText(String text, Path file) {
        List<String> lines = text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        if (lines.isEmpty() || !lines.get(0).startsWith("#Insight Transform File")) {
            throw new TransformException(file, "not an ITK transform file (no '#Insight Transform File V1.0' header)");
        }
        List<Transform> out = new ArrayList<>();
        String type = null;
        double[] params = null;
        double[] fixed = null;
        int n = 0;
        for (String l : lines) {
            if (l.startsWith("Transform:")) {
                if (type != null) {
                    addText(out, type, params, fixed, file, n++);
                }
                type = l.substring(10).strip();
                params = null;
                fixed = null;
            } else if (l.startsWith("Parameters:")) {
                params = numbers(l.substring(11), file);
            } else if (l.startsWith("FixedParameters:")) {
                fixed = numbers(l.substring(16), file);
            }
        }
        if (type != null) addText(out, type, params, fixed, file, n);
        if (out.isEmpty()) throw new TransformException(file, "ITK transform file holds no transform");
        return out;
    }

    private static void addText(List<Transform> out, String type, double[] params, double[] fixed, Path file, int n) {
        if (type.startsWith("CompositeTransform")) return;
        if (!isAffineType(type)) checkType(type, file);
        if (params == null) throw new TransformException(file, "transform " + n + " (" + type + ") has no Parameters line");
        String src = file + (n > 0 ? "#" + n : "");
        out.add(AffineTransform.fromItk(params, fixed, src));
    }

    private static double[] numbers(String s, Path file) {
        String[] t = s.strip().split("\\s+");
        if (t.length == 1 && t[0].isEmpty()) return new double[0];
        double[] v = new double[t.length];
        for (int i = 0; i < t.length; i++) {
            try {
                v[i] = Double.parseDouble(t[i]);
            } catch (NumberFormatException e) {
                throw new TransformException(file, "bad number '" + t[i] + "' in transform parameters");
            }
        }
        return v;
    }

    /** An ANTs affine .mat (MATLAB v4: AffineTransform_double_3_3 = 12 values, fixed = centre). */
    public static AffineTransform readMat(byte[] bytes, Path file) {
        Map<String, double[]> vars = MatV4.read(bytes, file.toString());
        double[] fixed = vars.get("fixed");
        for (Map.Entry<String, double[]> e : vars.entrySet()) {
            String k = e.getKey();
            if (k.equals("fixed")) continue;
            if (!isAffineType(k)) checkType(k, file);
            return AffineTransform.fromItk(e.getValue(), fixed, file.toString());
        }
        throw new TransformException(file, "ANTs .mat holds no AffineTransform_double_3_3 variable");
    }

    /**
     * An ITK HDF5 transform (as antsRegistration, fMRIPrep and QSIPrep write {@code *_xfm.h5}):
     * TransformGroup/0 is the composite, 1..n its parts in ANTs order (affine, displacement field).
     */
    public static List<Transform> readH5(Path file) {
        List<Transform> out = new ArrayList<>();
        try (HdfFile h = new HdfFile(file)) {
            Node tg = h.getChild("TransformGroup");
            if (!(tg instanceof Group g)) throw new TransformException(file, "HDF5 file has no TransformGroup (not an ITK transform)");
            TreeMap<Integer, Group> parts = new TreeMap<>();
            for (Map.Entry<String, Node> e : g.getChildren().entrySet()) {
                if (e.getValue() instanceof Group sub && e.getKey().matches("\\d+")) parts.put(Integer.parseInt(e.getKey()), sub);
            }
            for (Map.Entry<Integer, Group> e : parts.entrySet()) {
                Group x = e.getValue();
                String type = string(x, "TransformType", file);
                String src = file + "#" + e.getKey();
                if (type.startsWith("CompositeTransform")) continue;
                double[] params = doubles(x, "TransformParameters", "TranformParameters", file);
                double[] fixed = doubles(x, "TransformFixedParameters", "TranformFixedParameters", file);
                if (isAffineType(type)) {
                    out.add(AffineTransform.fromItk(params, fixed, src));
                } else if (type.matches("DisplacementFieldTransform_(double|float)_3_3")) {
                    out.add(DisplacementField.fromItk(fixed, params, src));
                } else {
                    checkType(type, file);
                }
            }
        } catch (TransformException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new TransformException(file, "cannot read as HDF5: " + e.getMessage(), e);
        }
        if (out.isEmpty()) throw new TransformException(file, "HDF5 TransformGroup holds no transform");
        return out;
    }

    private static String string(Group x, String name, Path file) {
        Node n = x.getChild(name);
        if (!(n instanceof Dataset d)) throw new TransformException(file, x.getPath() + " has no " + name);
        Object v = d.getData();
        while (v != null && v.getClass().isArray()) v = Array.getLength(v) > 0 ? Array.get(v, 0) : null;
        return v == null ? "" : v.toString().strip();
    }

    private static double[] doubles(Group x, String name, String typo, Path file) {
        Node n = x.getChild(name);
        if (n == null) n = x.getChild(typo);
        if (!(n instanceof Dataset d)) throw new TransformException(file, x.getPath() + " has no " + name);
        Object flat = d.getDataFlat();
        if (flat instanceof double[] dd) return dd;
        if (flat instanceof float[] ff) {
            double[] v = new double[ff.length];
            for (int i = 0; i < ff.length; i++) v[i] = ff[i];
            return v;
        }
        int len = Array.getLength(flat);
        double[] v = new double[len];
        for (int i = 0; i < len; i++) v[i] = ((Number) Array.get(flat, i)).doubleValue();
        return v;
    }
}
