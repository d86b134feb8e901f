import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * The README's quick start: 300 requests to a loopback server over about 3 seconds, each on a new
 * connection that the client closes first: the mistake ephemera finds. From the repository root:
 * java -javaagent:agent/target/ephemera-agent.jar=census.interval=1s examples/Churn.java
 * (ReadmeQuickStartIT runs the README's command and checks the finding it shows).
 */
public class Churn {

    public static void main(String[] args) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread echo = new Thread(() -> serve(server));
            echo.setDaemon(true);
            echo.start();
            for (int i = 0; i < 300; i++) {
                request(server.getLocalPort());
                Thread.sleep(10); // about 3 s in all: the census (every second) sees the ports left behind
            }
        }
        System.out.println("300 requests, 300 connections");
    }

    /** One request on a new connection: the line ephemera names. */
    static void request(int port) throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.getOutputStream().write('?');
            s.getInputStream().read();
        }
    }

    static void serve(ServerSocket server) {
        while (true) {
            try (Socket s = server.accept(); InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                out.write(in.read());
                in.read(); // until the client closes: it closes first, and keeps the TIME_WAIT
            } catch (Exception e) {
                return;
            }
        }
    }
}
