package io.ephemera.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Time to {@code main}: starts a child JVM ({@code Startup child}) with and without the agent in
 * alternating pairs; the child prints the wall clock at the top of its {@code main}, the parent
 * subtracts the moment it started the process. Includes the JVM's own start, as a user sees it.
 *
 * <p>usage: Startup pairs cpu agent-jar java-flags...
 */
public final class Startup {

    private Startup() {
    }

    public static void main(String[] args) throws Exception {
        if (args[0].equals("child")) {
            System.out.println(System.currentTimeMillis());
            return;
        }
        int pairs = Integer.parseInt(args[0]);
        String cpu = args[1];
        String agent = args[2];
        List<String> flags = Arrays.asList(args).subList(3, args.length);
        String java = ProcessHandle.current().info().command().orElse("java");
        String cp = System.getProperty("java.class.path");
        double[] without = new double[pairs];
        double[] with = new double[pairs];
        childMillis(java, cpu, cp, flags, null); // a first, unmeasured start warms the page cache
        childMillis(java, cpu, cp, flags, agent);
        for (int i = 0; i < pairs; i++) {
            boolean agentFirst = i % 2 == 1;
            if (agentFirst) {
                with[i] = childMillis(java, cpu, cp, flags, agent);
                without[i] = childMillis(java, cpu, cp, flags, null);
            } else {
                without[i] = childMillis(java, cpu, cp, flags, null);
                with[i] = childMillis(java, cpu, cp, flags, agent);
            }
            System.out.printf(Locale.ROOT, "bench=startup pair=%d config=none group=startup start_ms=%.0f%n", i + 1, without[i]);
            System.out.printf(Locale.ROOT, "bench=startup pair=%d config=agent group=startup start_ms=%.0f%n", i + 1, with[i]);
        }
        double[] added = new double[pairs];
        for (int i = 0; i < pairs; i++) {
            added[i] = with[i] - without[i];
        }
        System.out.printf(Locale.ROOT, "startup: without median %.0f ms [%.0f..%.0f], with agent median %.0f ms [%.0f..%.0f], added per pair median %.0f ms [%.0f..%.0f]%n",
                median(without), min(without), max(without), median(with), min(with), max(with),
                median(added), min(added), max(added));
    }

    private static double childMillis(String java, String cpu, String cp, List<String> flags, String agent) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("taskset", "-c", cpu, java));
        cmd.addAll(flags);
        if (agent != null) {
            cmd.add("-javaagent:" + agent);
        }
        cmd.addAll(List.of("-cp", cp, Startup.class.getName(), "child"));
        long t0 = System.currentTimeMillis();
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        p.waitFor();
        return Long.parseLong(out.lines().findFirst().orElseThrow()) - t0;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static double min(double[] v) {
        return Arrays.stream(v).min().orElse(Double.NaN);
    }

    private static double max(double[] v) {
        return Arrays.stream(v).max().orElse(Double.NaN);
    }
}
