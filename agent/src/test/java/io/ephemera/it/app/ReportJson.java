package io.ephemera.it.app;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.management.ObjectName;

/**
 * One JVM whose report holds a finding of each common kind, for reading its JSON: a leaked socket,
 * a connection left in CLOSE_WAIT, and a loop that opens and closes a connection to its own server
 * 20 times a second until told {@code STOP} (churn, peer-churn, and, in a namespace with a narrow
 * range and {@code tcp_tw_reuse=0}, exhaustion-risk). Once the agent's {@code reportJson()} holds
 * every kind asked for in the arguments (60 s at most), prints it as {@code JSON\t...}, then
 * {@code READY\t<pid>}, and waits for {@code STOP}.
 */
public final class ReportJson {

    private static final long RATE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    public static void main(String[] kinds) throws Exception {
        if (!AuditDump.awaitRegistered(60_000)) {
            throw new IllegalStateException("the agent's MXBean was not registered within 60 s");
        }
        try (Loopback closing = new Loopback(); Loopback churned = new Loopback(InetAddress.getByName("127.0.0.1"), true)) {
            Workload.leakSocket(closing);
            Socket keptOpen = Workload.closeWaitOpen(closing);
            closing.awaitHandled(2);
            Workload.awaitAttribute("LeakCount", 1);
            Workload.awaitAttribute("OwnedCloseWaitCount", 1);

            AtomicBoolean stop = new AtomicBoolean();
            Thread churn = new Thread(() -> churn(churned, stop), "churn");
            churn.setDaemon(true);
            churn.start();
            String json = awaitKinds(List.of(kinds));
            System.out.println("JSON\t" + json);
            System.out.println("READY\t" + ProcessHandle.current().pid());
            System.out.flush();
            Workload.waitFor("STOP");
            stop.set(true);
            churn.join(60_000);
            keptOpen.close();
        }
    }

    /** A new connection every 50 ms, closed here first; a connect that fails (no port left) is counted by the agent. */
    private static void churn(Loopback server, AtomicBoolean stop) {
        long next = System.nanoTime();
        while (!stop.get()) {
            try (Socket s = new Socket("127.0.0.1", server.port())) {
                s.getOutputStream().write(1);
            } catch (IOException e) {
                // out of ports: the agent reports it; keep the rate
            }
            next += RATE_NANOS;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                try {
                    TimeUnit.NANOSECONDS.sleep(wait);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** The agent's JSON report once it holds a finding of each kind, re-read every 200 ms for at most 60 s. */
    private static String awaitKinds(List<String> kinds) throws Exception {
        ObjectName name = new ObjectName(AuditDump.NAME);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            String json = (String) ManagementFactory.getPlatformMBeanServer().invoke(name, "reportJson", null, null);
            boolean all = kinds.stream().allMatch(k -> json.contains("{\"finding\":\"" + k + "\""));
            if (all || System.nanoTime() - deadline > 0) {
                return json;
            }
            Thread.sleep(200);
        }
    }
}
