package org.ketaprint.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.ketaprint.KetaprintException;
import org.ketaprint.spaces.TransformChain;
import org.ketaprint.spaces.TransformReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ketaprint transform-point}: ROI points (e.g. MNI sphere centres) to the data space. */
@Command(name = "transform-point", mixinStandardHelpOptions = true, showDefaultValues = true,
    description = {"Map RAS mm points from the ROI space to the data space through the same transforms that "
        + "resample an ROI image onto the data (e.g. from-MNI152NLin2009cAsym_to-T1w_mode-image_xfm.h5); "
        + "ketaprint inverts them (iteratively for warps). With --forward, apply them to the points as given "
        + "(data-space points to ROI space).",
        "Prints one line 'x y z' per point, in order: every X Y Z triple given, then every row of --points."})
public final class TransformPointCommand implements Callable<Integer>, Subcommand {
    @Parameters(arity = "0..*", paramLabel = "X Y Z", description = "Points in RAS mm, three numbers each; any number of points.")
    List<String> xyz;

    @Option(names = "--points", paramLabel = "F", description = "A TSV of points: columns x y z (tab or spaces), one "
        + "point a line; a first line naming the columns is optional, '#' starts a comment.")
    Path points;

    @Option(names = {"-t", "--transform"}, required = true, paramLabel = "T", description = "Transform file; repeat for a chain (ANTs order).")
    List<Path> transforms = new ArrayList<>();

    @Option(names = "--forward", description = "Apply the point map as is (reference to moving space).")
    boolean forward;

    @Override
    public Integer call() {
        List<double[]> pts = new ArrayList<>(triples(xyz == null ? List.of() : xyz));
        if (points != null) pts.addAll(readPoints(points));
        if (pts.isEmpty()) throw new KetaprintException("no point given: give X Y Z (any number of triples) or --points FILE");
        TransformChain c = TransformReader.readAll(transforms);
        StringBuilder b = new StringBuilder();
        for (double[] p : pts) {
            double[] q = forward ? c.toMoving(p.clone()) : c.toReference(p.clone());
            b.append(String.format(Locale.ROOT, "%.6f %.6f %.6f%n", q[0], q[1], q[2]));
        }
        System.out.print(b);
        return 0;
    }

    /** The command-line numbers as (x, y, z) triples. */
    static List<double[]> triples(List<String> args) {
        if (args.size() % 3 != 0) {
            throw new KetaprintException("points are X Y Z triples: got " + args.size() + " number(s) " + args);
        }
        List<double[]> out = new ArrayList<>();
        for (int i = 0; i < args.size(); i += 3) {
            double[] p = new double[3];
            for (int k = 0; k < 3; k++) p[k] = number(args.get(i + k), "point " + (i / 3 + 1));
            out.add(p);
        }
        return out;
    }

    /**
     * The points of a TSV file: three columns x y z (tabs or spaces), blank lines and '#' comments skipped; a
     * first line that is not three numbers is a header and must name x, y and z (then those columns are used).
     */
    static List<double[]> readPoints(Path f) {
        org.ketaprint.InputFiles.requireRegular(f);
        List<String> lines;
        try {
            lines = Files.readAllLines(f, StandardCharsets.UTF_8);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new KetaprintException(f + ": no such file");
        } catch (IOException e) {
            throw new KetaprintException(f + ": cannot read: " + e.getMessage());
        }
        int[] cols = {0, 1, 2};
        boolean first = true;
        List<double[]> out = new ArrayList<>();
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n);
            int hash = line.indexOf('#');
            if (hash >= 0) line = line.substring(0, hash);
            if (line.isBlank()) continue;
            String[] f3 = line.strip().split("\\s+");
            if (first) {
                first = false;
                if (!isNumber(f3[0])) {
                    cols = header(f3, f, n + 1);
                    continue;
                }
            }
            int need = Math.max(cols[0], Math.max(cols[1], cols[2])) + 1;
            if (f3.length < need) {
                throw new KetaprintException(f + ": line " + (n + 1) + ": expected x y z, got '" + line.strip() + "'");
            }
            double[] p = new double[3];
            for (int k = 0; k < 3; k++) p[k] = number(f3[cols[k]], f + ": line " + (n + 1));
            out.add(p);
        }
        if (out.isEmpty()) throw new KetaprintException(f + ": no points (expected lines 'x y z')");
        return out;
    }

    private static int[] header(String[] names, Path f, int line) {
        int[] cols = {-1, -1, -1};
        for (int i = 0; i < names.length; i++) {
            int k = "xyz".indexOf(names[i].toLowerCase(Locale.ROOT));
            if (names[i].length() == 1 && k >= 0) cols[k] = i;
        }
        if (cols[0] < 0 || cols[1] < 0 || cols[2] < 0) {
            throw new KetaprintException(f + ": line " + line + ": the header must name columns x, y and z, got "
                + String.join(" ", names));
        }
        return cols;
    }

    private static boolean isNumber(String s) {
        try {
            Double.parseDouble(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static double number(String s, String where) {
        double v;
        try {
            v = Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new KetaprintException(where + ": '" + s + "' is not a number");
        }
        if (!Double.isFinite(v)) throw new KetaprintException(where + ": coordinates must be finite, got " + s);
        return v;
    }
}
