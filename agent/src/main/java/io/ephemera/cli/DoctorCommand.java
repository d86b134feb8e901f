package io.ephemera.cli;

import io.ephemera.kernel.HostView;
import io.ephemera.kernel.SysctlSource;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * {@code doctor [--json] [--proc DIR] [--top N] [--pid P]}: a network namespace's view from
 * /proc, this command's own or process P's; no JVM needed.
 */
final class DoctorCommand implements Command {

    static final int DEFAULT_TOP = 10;
    static final int MAX_TOP = 1000;
    /** How long {@code nsenter} may take to print another namespace's sysctls. */
    static final long NSENTER_TIMEOUT_MILLIS = 5_000;

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) {
        Args a = Args.parse("doctor", args, Set.of("--json"), Set.of("--proc", "--top", "--pid"))
                .expect(0, 0, "nothing");
        Path proc = Path.of(a.value("--proc", "/proc"));
        if (!Files.isDirectory(proc)) {
            throw Failure.usage("doctor: --proc " + proc + ": not a directory");
        }
        int top = a.intValue("--top", DEFAULT_TOP, 1, MAX_TOP);
        String pidText = a.value("--pid", null);
        HostView host = pidText == null ? HostView.read(proc, top) : ofProcess(proc, Args.pid("doctor", pidText), top);
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

    /**
     * Process {@code pid}'s network namespace: its socket tables under {@code <proc>/<pid>/net},
     * and its sysctls from this command's own files when the namespace is this command's, else
     * from inside it with nsenter (only on the live /proc: a recorded root has no namespace to
     * enter). Never this namespace's sysctls in place of another's.
     */
    static HostView ofProcess(Path proc, long pid, int top) {
        Path dir = proc.resolve(Long.toString(pid));
        if (!Files.isDirectory(dir)) {
            throw Failure.failed("doctor: no process " + pid + " (" + dir + ")");
        }
        String theirs = HostView.networkNamespace(dir.resolve("ns/net"));
        String ours = HostView.networkNamespace(proc.resolve("self/ns/net"));
        SysctlSource sysctls;
        if (theirs != null && theirs.equals(ours)) {
            sysctls = SysctlSource.files(proc);
        } else if (theirs == null) {
            sysctls = SysctlSource.unavailable("cannot read " + dir.resolve("ns/net")
                    + " to tell its namespace (it is another user's process: run as root)");
        } else if (!proc.toAbsolutePath().normalize().equals(Path.of("/proc"))) {
            sysctls = SysctlSource.unavailable("another namespace's sysctls are read with nsenter, from the live /proc, "
                    + "not from " + proc);
        } else {
            sysctls = SysctlSource.nsenter(pid, NSENTER_TIMEOUT_MILLIS);
        }
        return HostView.read(proc, pid, sysctls, top);
    }
}
