package io.ephemera.it;

import io.ephemera.cli.MiniJson;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code report} on a host out of ports: in a network namespace whose whole ephemeral range is
 * held in TIME_WAIT, so that {@code bind(0)} fails for anyone, the report of a JVM started with
 * {@code -javaagent} and of one attached to still comes, as text and as JSON, and leaves no
 * listening socket and no thread of its own behind in the JVM.
 */
class ExhaustionLabIT {

    private static final String EXHAUSTER = "io.ephemera.it.app.PortExhauster";
    /** A listening port below the range: the destination that runs the range out. */
    private static final String PORT = "20000";
    private static final String[] OUT_OF_PORTS = {"net.ipv4.ip_local_port_range=40000 40299", "net.ipv4.tcp_tw_reuse=0"};

    @Test
    void reportAnswersFromAJvmStartedWithTheAgentWhenNoPortIsLeft() throws Exception {
        lab(true);
    }

    @Test
    void reportAnswersFromAnAttachedJvmWhenNoPortIsLeft() throws Exception {
        lab(false);
    }

    private static void lab(boolean javaagent) throws Exception {
        NetworkNamespace.assumeAvailable();
        ForkedJvm jvm = javaagent ? ForkedJvm.withAgent("census.interval=200ms") : ForkedJvm.withoutAgent();
        try (ForkedJvm.Running app = jvm.under(NetworkNamespace.with(OUT_OF_PORTS)).start(EXHAUSTER, PORT)) {
            String pid = app.awaitLine("READY", 30).split("\t")[1].trim();
            long p = Long.parseLong(pid);
            // the command runs in the JVM's namespace, where no port is left for it either
            List<String> inside = List.of("nsenter", "--net=/proc/" + pid + "/ns/net");
            if (!javaagent) {
                ForkedJvm.Result attach = Cli.cliUnder(inside, "attach", pid, "census.interval=200ms");
                assertEquals(0, attach.exit, attach.toString());
            }
            // the first report comes once the census has looked: the kernel's half of it is there
            ForkedJvm.Result first = Cli.reportOnceCensusRan(inside, pid);
            assertEquals(0, first.exit, first.toString());
            Set<String> listeningBefore = Cli.listening(p);
            assertTrue(listeningBefore.size() == 1 && listeningBefore.iterator().next().endsWith("0100007F:4E20"),
                    "the lab's own listener on 127.0.0.1:" + PORT + ": " + listeningBefore);

            app.send("FILL 1");
            String full = app.awaitLine("FULL 1 ", 120);
            assertTrue(full.contains(" exhausted=true ") && full.endsWith(" bind0=failed"),
                    "the lab: the range is held and bind(0) fails in the namespace: " + full);

            // asked until a census pass has seen the range full (passes every 200 ms; 30 s at most)
            ForkedJvm.Result text;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            do {
                text = Cli.cliUnder(inside, "report", pid);
                assertEquals(0, text.exit, text.toString());
            } while (number(text.out.split("\n")[0], "time_wait") < 299 && System.nanoTime() - deadline < 0);
            String header = text.out.split("\n")[0];
            assertTrue(header.startsWith("report=ephemera ") && header.contains(" range=40000-40299 "), text.out);
            assertTrue(number(header, "address_not_available") >= 1, "the agent saw the range run out: " + header);
            assertTrue(number(header, "time_wait") >= 299, header);

            ForkedJvm.Result json = Cli.cliUnder(inside, "report", pid, "--json");
            assertEquals(0, json.exit, json.toString());
            Map<?, ?> h = (Map<?, ?>) MiniJson.object(json.out).get("header");
            assertEquals("40000-40299", h.get("range"), json.out);
            assertTrue(((BigDecimal) h.get("address_not_available")).longValue() >= 1, json.out);

            app.send("FILL 2");
            String still = app.awaitLine("FULL 2 ", 120);
            assertTrue(still.startsWith("FULL 2 connects=0 exhausted=true ") && still.endsWith(" bind0=failed"),
                    "no port was freed while the two reports ran (a TIME_WAIT lasts 60 s): " + still);

            assertEquals(listeningBefore, Cli.listening(p), "nothing left listening in the JVM");
            for (String thread : Cli.threads(p)) {
                assertTrue(!thread.startsWith("RMI") && !thread.startsWith("JMX") && !thread.startsWith("ephemera-comm"),
                        "nothing left running in the JVM: " + Cli.threads(p));
            }
            app.send("STOP");
            app.finish(60).assertOk();
        }
    }

    private static long number(String logfmt, String key) {
        for (String field : logfmt.split(" ")) {
            if (field.startsWith(key + "=")) {
                String value = field.substring(key.length() + 1);
                return value.equals("unknown") ? -1 : Long.parseLong(value);
            }
        }
        throw new AssertionError("no " + key + " in " + logfmt);
    }
}
