package io.ephemera.cli;

import io.ephemera.kernel.HostView;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** {@code doctor [--json] [--proc DIR] [--top N]}: the host's view from /proc; no JVM needed. */
final class DoctorCommand implements Command {

    static final int DEFAULT_TOP = 10;
    static final int MAX_TOP = 1000;

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) {
        Args a = Args.parse("doctor", args, Set.of("--json"), Set.of("--proc", "--top")).expect(0, 0, "nothing");
        Path proc = Path.of(a.value("--proc", "/proc"));
        if (!Files.isDirectory(proc)) {
            throw Failure.usage("doctor: --proc " + proc + ": not a directory");
        }
        int top = a.intValue("--top", DEFAULT_TOP, 1, MAX_TOP);
        HostView host = HostView.read(proc, top);
        Diagnosis d = Diagnosis.of(host, AgentJar.forMessages());
        if (a.flag("--json")) {
            out.println(DoctorJson.format(d));
        } else {
            out.print(DoctorText.format(d));
        }
        if (!host.available()) {
            throw Failure.failed("doctor: " + host.unavailableReason());
        }
        return Exit.OK;
    }
}
