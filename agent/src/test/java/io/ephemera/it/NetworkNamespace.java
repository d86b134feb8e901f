package io.ephemera.it;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Runs a command in a fresh network namespace with only loopback up, where sysctls can be narrowed
 * without touching the host. Needs root (CI runs as root). Without the permission the test is
 * skipped with the reason, unless {@code EPHEMERA_REQUIRE_NETNS=1}, which CI sets: there a
 * missing namespace is a failure.
 */
final class NetworkNamespace {

    private NetworkNamespace() {
    }

    static void assumeAvailable() {
        String reason = unavailableReason();
        if (reason == null) {
            return;
        }
        if (Boolean.getBoolean("ephemera.require.netns") || "1".equals(System.getenv("EPHEMERA_REQUIRE_NETNS"))) {
            fail("network namespaces are required here (EPHEMERA_REQUIRE_NETNS=1) but " + reason);
        }
        assumeTrue(false, "skipped: " + reason);
    }

    private static String unavailableReason() {
        try {
            Process p = new ProcessBuilder("unshare", "-n", "sh", "-c", "ip link set lo up && sysctl -q net.ipv4.ip_local_port_range")
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "unshare -n did not finish";
            }
            return p.exitValue() == 0 ? null : "cannot create a network namespace (unshare -n, ip, sysctl): " + out.trim();
        } catch (IOException e) {
            return "cannot run unshare: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** A wrapper that runs the rest of the command line in a new namespace after the given sysctls. */
    static List<String> with(String... sysctls) {
        return withBefore(null, sysctls);
    }

    /** As {@link #with}, running the shell command {@code before} in the namespace first. */
    static List<String> withBefore(String before, String... sysctls) {
        StringBuilder script = new StringBuilder("ip link set lo up");
        for (String s : sysctls) {
            script.append(" && sysctl -qw '").append(s).append("'");
        }
        if (before != null) {
            script.append(" && ").append(before);
        }
        script.append(" && exec \"$@\"");
        List<String> cmd = new ArrayList<>(List.of("unshare", "-n", "sh", "-c", script.toString(), "sh"));
        return cmd;
    }
}
