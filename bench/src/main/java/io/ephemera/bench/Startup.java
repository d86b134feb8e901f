package io.ephemera.bench;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The start of a hello-world JVM that opens one loopback connection, without an agent and with each
 * agent given ({@code name=jar}: ephemera, a peer), in interleaved rounds whose order rotates. The
 * child prints the wall clock at the top of its {@code main}, connects once, and exits; the parent
 * takes the time to {@code main} and the time to exit, both from the moment it started the process
 * (the JVM's own start included, as a user sees it). An arm whose jar is absent is skipped with
 * one line.
 *
 * <p>usage: Startup rounds cpu name=jar... [-- java-flags...]
 */
public final class Startup {

    private Startup() {
    }

    public static void main(String[] args) throws Exception {
        if (args[0].equals("child")) {
            System.out.println(System.currentTimeMillis());
            try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                 Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
                 Socket accepted = server.accept()) {
                System.out.println(client.isConnected() && accepted.isConnected());
            }
            return;
        }
        int rounds = Integer.parseInt(args[0]);
        String cpu = args[1];
        Map<String, String> arms = new LinkedHashMap<>();
        arms.put("none", null);
        List<String> flags = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            if (args[i].equals("--")) {
                flags.addAll(Arrays.asList(args).subList(i + 1, args.length));
                break;
            }
            String[] arm = args[i].split("=", 2);
            if (Files.isRegularFile(Path.of(arm[1]))) {
                arms.put(arm[0], arm[1]);
            } else {
                System.out.println("startup: arm " + arm[0] + " skipped: no jar at " + arm[1]);
            }
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        String cp = System.getProperty("java.class.path");
        List<String> names = new ArrayList<>(arms.keySet());
        double[][] toMain = new double[names.size()][rounds];
        double[][] toExit = new double[names.size()][rounds];
        for (String name : names) {
            child(java, cpu, cp, flags, arms.get(name)); // a first, unmeasured start of each warms the page cache
        }
        for (int r = 0; r < rounds; r++) {
            for (int k = 0; k < names.size(); k++) {
                int a = (k + r) % names.size(); // each round starts with the next arm
                double[] t = child(java, cpu, cp, flags, arms.get(names.get(a)));
                toMain[a][r] = t[0];
                toExit[a][r] = t[1];
                System.out.printf(Locale.ROOT, "bench=startup round=%d config=%s group=startup start_ms=%.0f exit_ms=%.0f%n",
                        r + 1, names.get(a), t[0], t[1]);
            }
        }
        for (int a = 0; a < names.size(); a++) {
            double[] addedMain = new double[rounds];
            double[] addedExit = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                addedMain[r] = toMain[a][r] - toMain[0][r];
                addedExit[r] = toExit[a][r] - toExit[0][r];
            }
            System.out.printf(Locale.ROOT, "startup: %s: to main median %.0f ms [%.0f..%.0f], to exit median %.0f ms [%.0f..%.0f]%s%n",
                    names.get(a), median(toMain[a]), min(toMain[a]), max(toMain[a]), median(toExit[a]), min(toExit[a]),
                    max(toExit[a]), a == 0 ? "" : String.format(Locale.ROOT,
                            "; added within rounds: to main %.0f ms [%.0f..%.0f], to exit %.0f ms [%.0f..%.0f]",
                            median(addedMain), min(addedMain), max(addedMain), median(addedExit), min(addedExit),
                            max(addedExit)));
        }
    }

    /** Milliseconds to the child's main and to its exit. */
    private static double[] child(String java, String cpu, String cp, List<String> flags, String agent) throws Exception {
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
        long exit = System.currentTimeMillis();
        List<String> lines = out.lines().toList();
        if (lines.size() < 2 || !lines.get(1).equals("true")) {
            throw new IllegalStateException("the child did not connect: " + out);
        }
        return new double[] {Long.parseLong(lines.get(0)) - t0, exit - t0};
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
