package io.ephemera.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Starts a JVM of the same version as the tests, optionally with the built agent, and collects its output. */
final class ForkedJvm {

    static final Path AGENT_JAR = Path.of(System.getProperty("ephemera.agent.jar", "target/ephemera-agent.jar"))
            .toAbsolutePath();
    static final Path TEST_CLASSES = Path.of(System.getProperty("ephemera.test.classes", "target/test-classes"))
            .toAbsolutePath();
    static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    /** The OpenTelemetry Java agent, copied by the build. */
    static final Path OTEL_JAR = Path.of(System.getProperty("ephemera.otel.agent.jar",
            "target/metrics-clients/opentelemetry-javaagent.jar")).toAbsolutePath();
    /**
     * {@code first} or {@code after}: every JVM forked with the agent also runs the OpenTelemetry
     * Java agent, loaded before or after ephemera (the build runs the exact-count tests so, again).
     */
    static final String OTEL = System.getProperty("ephemera.it.otel", "");

    /** How long a forked JVM may run: a hang fails here, a slow machine does not. */
    static final int DEADLINE_SECONDS = 180;

    private final List<String> jvmArgs = new ArrayList<>();
    private final List<String> prefix = new ArrayList<>();
    private final List<Path> classpath = new ArrayList<>();
    private String agentArgs;
    private boolean agent;
    /** "first", "after" or "": where the OpenTelemetry agent goes, if at all. */
    private String otel = "";

    static ForkedJvm withAgent(String... options) {
        ForkedJvm j = new ForkedJvm();
        j.agent = true;
        j.otel = OTEL;
        j.agentArgs = options.length == 0 ? null : String.join(",", options);
        return j;
    }

    static ForkedJvm withoutAgent() {
        return new ForkedJvm();
    }

    /**
     * Runs the OpenTelemetry Java agent too: loaded before ephemera ({@code first}), after it
     * ({@code after}), or alone in a JVM started without ephemera.
     */
    ForkedJvm otel(String order) {
        this.otel = order;
        return this;
    }

    ForkedJvm jvmArg(String arg) {
        jvmArgs.add(arg);
        return this;
    }

    /** Adds jars after the test classes on the class path, such as a library's. */
    ForkedJvm classpath(List<Path> jars) {
        classpath.addAll(jars);
        return this;
    }

    /** Runs the JVM under a wrapper command, such as a network namespace. */
    ForkedJvm under(List<String> wrapper) {
        prefix.addAll(wrapper);
        return this;
    }

    List<String> command(String mainClass, String... args) {
        assertTrue(Files.isRegularFile(AGENT_JAR), "the agent jar is built first: " + AGENT_JAR);
        List<String> cmd = new ArrayList<>(prefix);
        cmd.add(JAVA);
        cmd.add("-Xshare:auto");
        if (!otel.isEmpty()) {
            cmd.addAll(otelOptions()); // before the test's own, which may override them
        }
        cmd.addAll(jvmArgs);
        if (otel.equals("first") || !agent && !otel.isEmpty()) {
            cmd.add("-javaagent:" + OTEL_JAR);
        }
        if (agent) {
            cmd.add("-javaagent:" + AGENT_JAR + (agentArgs == null ? "" : "=" + agentArgs));
        }
        if (agent && otel.equals("after")) {
            cmd.add("-javaagent:" + OTEL_JAR);
        }
        cmd.add("-cp");
        StringBuilder cp = new StringBuilder(TEST_CLASSES.toString());
        for (Path jar : classpath) {
            cp.append(java.io.File.pathSeparatorChar).append(jar);
        }
        cmd.add(cp.toString());
        cmd.add(mainClass);
        cmd.addAll(List.of(args));
        return cmd;
    }

    /**
     * The OpenTelemetry agent's settings for a test: spans printed by its logging exporter (to
     * stderr), no metrics or logs exported, nothing sent over the network.
     */
    static List<String> otelOptions() {
        assertTrue(Files.isRegularFile(OTEL_JAR), "the build copies the OpenTelemetry agent: " + OTEL_JAR);
        return List.of("-Dotel.traces.exporter=console", "-Dotel.metrics.exporter=none", "-Dotel.logs.exporter=none",
                "-Dotel.service.name=ephemera-it");
    }

    /**
     * Runs the JVM to its end, within {@link #DEADLINE_SECONDS}: the applications wait for what they
     * need (the MXBean, a census pass) up to 60 s each, on a machine as loaded as it may be.
     */
    Result run(String mainClass, String... args) {
        return run(DEADLINE_SECONDS, mainClass, args);
    }

    Result run(int timeoutSeconds, String mainClass, String... args) {
        List<String> cmd = command(mainClass, args);
        try {
            Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.PIPE).start();
            p.getOutputStream().close();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Thread o = pump(p.getInputStream(), out);
            Thread e = pump(p.getErrorStream(), err);
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
                o.join(5_000);
                e.join(5_000);
                fail("timed out after " + timeoutSeconds + " s: " + cmd + "\nstdout:\n" + out + "\nstderr:\n" + err);
            }
            o.join(10_000);
            e.join(10_000);
            return new Result(p.exitValue(), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8),
                    cmd);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new AssertionError(ex);
        }
    }

    /** Starts the JVM and leaves it running, for tests that talk to it. */
    Running start(String mainClass, String... args) {
        List<String> cmd = command(mainClass, args);
        try {
            return new Running(new ProcessBuilder(cmd).start(), cmd);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    static final class Running implements AutoCloseable {
        final Process process;
        final List<String> command;
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final ByteArrayOutputStream err = new ByteArrayOutputStream();
        private final Thread outPump;
        private final Thread errPump;

        Running(Process process, List<String> command) {
            this.process = process;
            this.command = command;
            this.outPump = pump(process.getInputStream(), out);
            this.errPump = pump(process.getErrorStream(), err);
        }

        /** Waits for a line of stdout starting with {@code prefix} and returns it. */
        String awaitLine(String prefix, int seconds) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (System.nanoTime() < deadline) {
                String text;
                synchronized (out) {
                    text = out.toString(StandardCharsets.UTF_8);
                }
                for (String line : text.split("\n")) {
                    if (line.startsWith(prefix)) {
                        return line;
                    }
                }
                if (!process.isAlive()) {
                    break;
                }
                Thread.sleep(20);
            }
            fail("no line starting with " + prefix + " from " + command + "\n" + this);
            return null;
        }

        /** Waits until stderr holds {@code text}. */
        void awaitErr(String text, int seconds) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (System.nanoTime() < deadline) {
                synchronized (err) {
                    if (err.toString(StandardCharsets.UTF_8).contains(text)) {
                        return;
                    }
                }
                if (!process.isAlive()) {
                    break;
                }
                Thread.sleep(50);
            }
            fail("no " + text + " on stderr from " + command + "\n" + this);
        }

        void send(String line) throws IOException {
            process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
            process.getOutputStream().flush();
        }

        Result finish(int seconds) throws InterruptedException {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("timed out: " + command + "\n" + this);
            }
            outPump.join(10_000);
            errPump.join(10_000);
            return new Result(process.exitValue(), out.toString(StandardCharsets.UTF_8),
                    err.toString(StandardCharsets.UTF_8), command);
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }

        @Override
        public String toString() {
            return "stdout:\n" + out.toString(StandardCharsets.UTF_8) + "\nstderr:\n" + err.toString(StandardCharsets.UTF_8);
        }
    }

    static Thread pump(InputStream in, ByteArrayOutputStream sink) {
        Thread t = new Thread(() -> {
            try {
                byte[] buffer = new byte[8192];
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    synchronized (sink) {
                        sink.write(buffer, 0, n);
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, "pump");
        t.setDaemon(true);
        t.start();
        return t;
    }

    static final class Result {
        final int exit;
        final String out;
        final String err;
        final List<String> command;

        Result(int exit, String out, String err, List<String> command) {
            this.exit = exit;
            this.out = out;
            this.err = err;
            this.command = command;
        }

        Result assertOk() {
            if (exit != 0) {
                fail("exit " + exit + " from " + command + "\nstdout:\n" + out + "\nstderr:\n" + err);
            }
            return this;
        }

        Audit audit() {
            assertOk();
            return Audit.parse(out);
        }

        @Override
        public String toString() {
            return "exit " + exit + "\nstdout:\n" + out + "\nstderr:\n" + err;
        }
    }
}
