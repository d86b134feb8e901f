package io.ephemera.it.app;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The application that the metrics-client tests read from outside, through the Prometheus JMX
 * exporter and jmxterm: four short connections to one loopback server, each closed by the client
 * first (so they leave TIME_WAIT sockets here), and one it keeps open. Then it prints
 * {@code port PORT} and {@code READY PID} and waits for {@code STOP} on stdin.
 *
 * <p>ConnectCount is 5; the call site {@code MetricsTarget.burn(...)} has 4 connects, the call site
 * {@code MetricsTarget.hold(...)} 1 open connection; the destination {@code 127.0.0.1:PORT} has 5
 * connects and 1 open.
 */
public final class MetricsTarget {

    public static final int BURNED = 4;

    private MetricsTarget() {
    }

    public static void main(String[] args) throws Exception {
        // the server closes only after the client did: the client side keeps the TIME_WAIT
        try (Loopback server = new Loopback(InetAddress.getByName("127.0.0.1"), true)) {
            for (int i = 0; i < BURNED; i++) {
                burn(server);
            }
            server.awaitHandled(BURNED);
            Socket held = hold(server);
            System.out.println("port\t" + server.port());
            System.out.println("READY\t" + ProcessHandle.current().pid());
            System.out.flush();
            waitForStop();
            held.close();
        }
    }

    static void burn(Loopback server) throws IOException {
        Socket s = new Socket("127.0.0.1", server.port());
        s.close();
    }

    static Socket hold(Loopback server) throws IOException {
        return new Socket("127.0.0.1", server.port());
    }

    private static void waitForStop() throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            if (line.trim().equals("STOP")) {
                return;
            }
        }
        throw new IllegalStateException("stdin closed before STOP");
    }
}
