package io.ephemera.it.app;

import com.sun.net.httpserver.HttpServer;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

import java.lang.management.ManagementFactory;

/**
 * The process CPU time of one pooled OkHttp request (a shared client, its connection reused), to
 * compare a JVM without the agent and one with it; not a test. Runs {@code warm} requests, then
 * {@code n}, against {@link OkHttpClients}' server in this JVM (whose work is counted too: the same
 * on both sides), and prints {@code cpu_us_per_request}. Mode {@code execute} or {@code enqueue}.
 *
 * <pre>
 * cd agent; CP=target/test-classes:$(ls target/okhttp/5/*.jar | tr '\n' :)
 * for i in 1 2 3; do
 *   java -cp $CP io.ephemera.it.app.OkHttpCpu execute 20000 20000
 *   java -javaagent:target/ephemera-agent.jar -cp $CP io.ephemera.it.app.OkHttpCpu execute 20000 20000
 * done
 * </pre>
 */
public final class OkHttpCpu {

    private OkHttpCpu() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        int warm = Integer.parseInt(args[1]);
        int n = Integer.parseInt(args[2]);
        System.setProperty("sun.net.httpserver.idleInterval", "600");
        System.setProperty("sun.net.httpserver.nodelay", "true"); // else each response waits for a delayed ACK
        HttpServer http = new OkHttpClients().start();
        try {
            String url = "http://127.0.0.1:" + http.getAddress().getPort() + "/";
            OkHttpClient client = new OkHttpClient();
            Request request = new Request.Builder().url(url).build();
            run(mode, client, request, warm);
            com.sun.management.OperatingSystemMXBean os =
                    (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long before = os.getProcessCpuTime();
            run(mode, client, request, n);
            long cpu = os.getProcessCpuTime() - before;
            System.out.printf("mode=%s agent=%s n=%d cpu_us_per_request=%.1f%n", mode,
                    ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                            .anyMatch(a -> a.startsWith("-javaagent")), n, cpu / 1e3 / n);
        } finally {
            http.stop(0);
            System.exit(0); // OkHttp's dispatcher threads are not daemons
        }
    }

    private static void run(String mode, OkHttpClient client, Request request, int n) throws Exception {
        OkHttpClients.Replies replies = new OkHttpClients.Replies();
        for (int i = 0; i < n; i++) {
            if (mode.equals("enqueue")) {
                client.newCall(request).enqueue(replies);
                replies.await();
            } else {
                try (Response response = client.newCall(request).execute()) {
                    response.body().string();
                }
            }
        }
    }
}
