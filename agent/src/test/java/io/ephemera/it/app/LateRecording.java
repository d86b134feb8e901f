package io.ephemera.it.app;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import jdk.jfr.EventType;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Recording;

/**
 * With the agent loaded and no recording: says whether Flight Recorder is running (it should not
 * be: the agent registers its events only once it is). Then starts a recording, as {@code jcmd
 * JFR.start} would, waits for the agent's events to appear, makes {@code n} connections and dumps
 * the recording to {@code args[0]}.
 */
public final class LateRecording {

    private LateRecording() {
    }

    public static void main(String[] args) throws Exception {
        if (!AuditDump.awaitRegistered(60_000)) {
            throw new IllegalStateException("the agent did not start");
        }
        System.out.println("initializedBeforeRecording\t" + FlightRecorder.isInitialized());
        int n = Integer.parseInt(args[1]);
        try (Recording r = new Recording()) {
            r.start();
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (!registered()) {
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("the agent's JFR events were not registered within 60 s of the recording's start");
                }
                Thread.sleep(10);
            }
            r.enable("io.ephemera.Connect");
            r.enable("io.ephemera.Close");
            try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
                for (int i = 0; i < n; i++) {
                    try (Socket c = new Socket(server.getInetAddress(), server.getLocalPort());
                         Socket s = server.accept()) {
                        c.getOutputStream().write(1);
                        s.getInputStream().read();
                    }
                }
            }
            r.stop();
            r.dump(Path.of(args[0]));
        }
        System.out.println("expect\tconnects\t" + n);
    }

    private static boolean registered() {
        for (EventType t : FlightRecorder.getFlightRecorder().getEventTypes()) {
            if (t.getName().equals("io.ephemera.Connect")) {
                return true;
            }
        }
        return false;
    }
}
