package io.ephemera.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Summarises the alternating pairs the scripts wrote, one run a line of {@code key=value} fields:
 * {@code bench=.. pair=N config=none|agent|... group=..} and measured fields. For each group and
 * config: the median and range (min..max) of each measured field; for each config against
 * {@code none}: the ratio of throughput within each pair (same pair, same conditions), its median
 * and range, and the CPU time added per operation.
 *
 * <p>usage: Summary results-file [throughput-field] [cpu-field]
 */
public final class Summary {

    private Summary() {
    }

    public static void main(String[] args) throws IOException {
        List<Map<String, String>> runs = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(args[0]))) {
            if (line.isBlank() || !line.contains("config=")) {
                continue;
            }
            Map<String, String> f = new LinkedHashMap<>();
            for (String kv : line.trim().split("\\s+")) {
                int eq = kv.indexOf('=');
                if (eq > 0) {
                    f.put(kv.substring(0, eq), kv.substring(eq + 1));
                }
            }
            runs.add(f);
        }
        Map<String, Map<String, List<Map<String, String>>>> groups = new LinkedHashMap<>();
        for (Map<String, String> r : runs) {
            groups.computeIfAbsent(r.getOrDefault("group", ""), k -> new LinkedHashMap<>())
                    .computeIfAbsent(r.get("config"), k -> new ArrayList<>()).add(r);
        }
        for (var g : groups.entrySet()) {
            System.out.println("## " + g.getKey());
            Map<String, List<Map<String, String>>> byConfig = g.getValue();
            String tput = metric(byConfig, "_per_s");
            String cpu = metric(byConfig, "cpu_us_per_");
            String alloc = metric(byConfig, "alloc_B_per_");
            for (var c : byConfig.entrySet()) {
                System.out.printf(Locale.ROOT, "  %-10s n=%d %s %s  %s %s  %s %s%n", c.getKey(), c.getValue().size(),
                        tput, spread(c.getValue(), tput), cpu, spread(c.getValue(), cpu), alloc, spread(c.getValue(), alloc));
            }
            List<Map<String, String>> base = byConfig.get("none");
            if (base == null || tput == null) {
                continue;
            }
            for (var c : byConfig.entrySet()) {
                if (c.getKey().equals("none")) {
                    continue;
                }
                List<Double> ratios = new ArrayList<>();
                List<Double> added = new ArrayList<>();
                for (Map<String, String> r : c.getValue()) {
                    for (Map<String, String> b : base) {
                        if (b.get("pair").equals(r.get("pair"))) {
                            ratios.add(num(r, tput) / num(b, tput));
                            if (cpu != null) {
                                added.add(num(r, cpu) - num(b, cpu));
                            }
                        }
                    }
                }
                double[] q = stats(ratios);
                double[] a = stats(added);
                System.out.printf(Locale.ROOT,
                        "  ratio %s/none: median %.3f (pairs %d, range %.3f..%.3f); ratio of medians %.3f; cpu added per op median %.2f us (range %.2f..%.2f)%n",
                        c.getKey(), q[1], ratios.size(), q[0], q[2],
                        stats(values(c.getValue(), tput))[1] / stats(values(base, tput))[1], a[1], a[0], a[2]);
            }
        }
    }

    private static String metric(Map<String, List<Map<String, String>>> byConfig, String part) {
        for (List<Map<String, String>> l : byConfig.values()) {
            for (String k : l.get(0).keySet()) {
                if (k.contains(part) && (!part.equals("_per_s") || !k.startsWith("cpu") && !k.startsWith("alloc"))) {
                    return k;
                }
            }
        }
        return null;
    }

    private static String spread(List<Map<String, String>> runs, String field) {
        if (field == null) {
            return "";
        }
        double[] s = stats(values(runs, field));
        return String.format(Locale.ROOT, "%.2f [%.2f..%.2f]", s[1], s[0], s[2]);
    }

    private static List<Double> values(List<Map<String, String>> runs, String field) {
        List<Double> v = new ArrayList<>();
        for (Map<String, String> r : runs) {
            v.add(num(r, field));
        }
        return v;
    }

    private static double num(Map<String, String> r, String field) {
        return Double.parseDouble(r.getOrDefault(field, "NaN"));
    }

    /** min, median, max. */
    private static double[] stats(List<Double> v) {
        if (v.isEmpty()) {
            return new double[] {Double.NaN, Double.NaN, Double.NaN};
        }
        double[] s = v.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(s);
        double median = s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
        return new double[] {s[0], median, s[s.length - 1]};
    }
}
