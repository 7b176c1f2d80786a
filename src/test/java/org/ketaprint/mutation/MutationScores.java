package org.ketaprint.mutation;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Per-package mutation scores from PIT's mutations.xml (run by the {@code mutation} profile after PIT).
 * Prints one line per package: mutants, killed, survived, no coverage, and the share of covered mutants killed.
 * Fails when a package is below the threshold or when a production class has no covered mutant at all.
 * Arguments: mutations.xml, threshold in percent, then optional {@code package=percent} floors for packages held
 * to a lower bar (each listed, with its reason, in docs/testing.md).
 */
public final class MutationScores {
    private static final Pattern MUTATION = Pattern.compile(
            "<mutation [^>]*status='([A-Z_]+)'[^>]*>.*?<mutatedClass>([^<]+)</mutatedClass>", Pattern.DOTALL);

    private MutationScores() {}

    /** Counts per package: [all, killed (incl. timed out and memory errors), survived, no coverage]. */
    static Map<String, int[]> count(String xml, Map<String, int[]> perClass) {
        Map<String, int[]> pkg = new TreeMap<>();
        Matcher m = MUTATION.matcher(xml);
        while (m.find()) {
            String status = m.group(1);
            String cls = m.group(2).replaceAll("\\$.*", "");
            String p = cls.substring(0, cls.lastIndexOf('.'));
            int k = switch (status) {
                case "KILLED", "TIMED_OUT", "MEMORY_ERROR", "RUN_ERROR" -> 1;
                case "SURVIVED" -> 2;
                case "NO_COVERAGE" -> 3;
                default -> -1;
            };
            for (int[] c : new int[][] {pkg.computeIfAbsent(p, x -> new int[4]), perClass.computeIfAbsent(cls, x -> new int[4])}) {
                c[0]++;
                if (k > 0) c[k]++;
            }
        }
        return pkg;
    }

    /** Killed share of the covered mutants, in percent. */
    static double strength(int[] c) {
        int covered = c[0] - c[3];
        return covered == 0 ? 0 : 100.0 * c[1] / covered;
    }

    public static void main(String[] args) throws Exception {
        Path xml = Path.of(args[0]);
        double threshold = Double.parseDouble(args[1]);
        Map<String, Double> floors = new TreeMap<>();
        for (int i = 2; i < args.length; i++) {
            if (args[i] == null) continue;   // an empty <argument> (no floors) reaches main as null
            for (String f : args[i].split(",")) {
                if (f.isBlank()) continue;
                String[] kv = f.trim().split("=");
                floors.put(kv[0].trim(), Double.parseDouble(kv[1].trim()));
            }
        }
        Map<String, int[]> perClass = new TreeMap<>();
        Map<String, int[]> pkg = count(Files.readString(xml), perClass);
        TreeSet<String> failures = new TreeSet<>();
        System.out.printf("%-28s %8s %7s %8s %11s %9s%n", "package", "mutants", "killed", "survived", "no coverage", "strength");
        int[] all = new int[4];
        for (var e : pkg.entrySet()) {
            int[] c = e.getValue();
            for (int i = 0; i < 4; i++) all[i] += c[i];
            double s = strength(c);
            double bar = floors.getOrDefault(e.getKey(), threshold);
            System.out.printf("%-28s %8d %7d %8d %11d %8.1f%%%s%n", e.getKey(), c[0], c[1], c[2], c[3], s,
                bar < threshold ? String.format("  (floor %.0f%%, below the %.0f%% target)", bar, threshold) : "");
            if (s < bar) failures.add(String.format("%s: %.1f%% of covered mutants killed < %.0f%%", e.getKey(), s, bar));
        }
        System.out.printf("%-28s %8d %7d %8d %11d %8.1f%%%n", "all", all[0], all[1], all[2], all[3], strength(all));
        for (var e : perClass.entrySet()) {
            if (e.getValue()[3] == e.getValue()[0]) failures.add(e.getKey() + ": no test covers this class");
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("mutation scores below the bar:\n  " + String.join("\n  ", failures));
        }
    }
}
