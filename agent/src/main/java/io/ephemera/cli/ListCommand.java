package io.ephemera.cli;

import com.sun.tools.attach.VirtualMachine;
import com.sun.tools.attach.VirtualMachineDescriptor;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code list}: the local JVMs and whether ephemera is loaded in each. The attach API lists the JVMs
 * it can reach; {@code /proc} adds the java processes it leaves out (another user's, attach
 * disabled, no perf data, a PID namespace of their own), each with the reason it cannot be asked.
 * Each JVM is listed once, by its pid as this command sees it, with its own command line.
 */
final class ListCommand implements Command {

    /** One JVM's line. */
    record Row(long pid, String user, String java, String ephemera, String command, String note) {
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) {
        Args.parse("list", args, Set.of(), Set.of()).expect(0, 0, "nothing");
        User me = User.current();
        long self = ProcessHandle.current().pid();
        Map<Long, String> names = new TreeMap<>();
        List<Long> javaPids = javaProcesses(Path.of("/proc"));
        NestedJvms nested = NestedJvms.scan(Path.of("/proc"), Path.of("/tmp"), javaPids);
        for (VirtualMachineDescriptor d : VirtualMachine.list()) {
            if (!Numbers.digits(d.id(), 10)) {
                continue; // not a local pid
            }
            long pid = Long.parseLong(d.id());
            Long alias = nested.aliasOf(pid);
            if ((alias != null && alias != pid) || Boolean.FALSE.equals(TargetProcess.of(pid).mapsPerfData(d.id()))) {
                continue; // a JVM of another PID namespace, listed by its pid there: /proc has it under its pid here
            }
            names.put(pid, d.displayName());
        }
        for (long pid : javaPids) {
            names.putIfAbsent(pid, null);
        }
        names.remove(self);
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<Long, String> e : names.entrySet()) {
            Row row = row(TargetProcess.of(e.getKey()), e.getValue(), me);
            if (row != null) {
                rows.add(row);
            }
        }
        if (rows.isEmpty()) {
            out.println("no JVMs found (other than this command)");
            return Exit.OK;
        }
        out.print(table(rows));
        return Exit.OK;
    }

    /** The JVM's row; null when the process turned out not to be a JVM, or is gone. */
    static Row row(TargetProcess target, String displayName, User me) {
        if (!target.exists()) {
            return null;
        }
        User owner = target.owner();
        String command = Argv.summary(target.argv()); // as attach and report name it
        if (command.isEmpty()) {
            command = displayName != null && !displayName.isBlank() ? displayName : target.command();
        }
        if (command.length() > Argv.MAX) {
            command = command.substring(0, Argv.MAX - 3) + "...";
        }
        String user = owner == null ? "?" : owner.name();
        if (displayName == null && Boolean.FALSE.equals(target.isJvm())) {
            return null;
        }
        try (Attachment at = Attachment.open(target, me, "start it with -javaagent to use ephemera")) {
            String version = at.agentVersion();
            return new Row(target.pid(), user, at.properties().getProperty("java.version", "?"),
                    version == null ? "no" : version, command, "");
        } catch (Failure f) {
            return new Row(target.pid(), user, "?", "?", command, "cannot attach: " + shorten(f.getMessage(), target));
        }
    }

    /** The reason without the pid and command line the table already shows. */
    private static String shorten(String message, TargetProcess target) {
        return message.replace("JVM " + target.describe() + " ", "").replace("process " + target.pid() + " ", "");
    }

    /** Processes whose executable or first word is {@code java}; /proc/<pid>/cmdline is world-readable. */
    static List<Long> javaProcesses(Path procRoot) {
        List<Long> pids = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(procRoot)) {
            for (Path dir : dirs) {
                String name = dir.getFileName().toString();
                if (!Numbers.digits(name, 7)) {
                    continue;
                }
                TargetProcess p = new TargetProcess(procRoot, Long.parseLong(name));
                if (p.command().equals("java") || Argv.isJava(p.argv())) {
                    pids.add(p.pid());
                }
            }
        } catch (IOException | RuntimeException e) {
            // /proc could not be listed: the attach API's list is all there is
        }
        return pids;
    }

    static String table(List<Row> rows) {
        String[] head = {"PID", "USER", "JAVA", "EPHEMERA", "COMMAND"};
        int[] w = new int[head.length];
        for (int i = 0; i < head.length; i++) {
            w[i] = head[i].length();
        }
        for (Row r : rows) {
            String[] c = cells(r);
            for (int i = 0; i < c.length - 1; i++) {
                w[i] = Math.max(w[i], c[i].length());
            }
        }
        StringBuilder b = new StringBuilder();
        line(b, head, w);
        for (Row r : rows) {
            line(b, cells(r), w);
        }
        return b.toString();
    }

    private static String[] cells(Row r) {
        return new String[] {Long.toString(r.pid()), r.user(), r.java(), r.ephemera(),
            r.note().isEmpty() ? r.command() : r.command() + "  [" + r.note() + "]"};
    }

    private static void line(StringBuilder b, String[] cells, int[] w) {
        for (int i = 0; i < cells.length; i++) {
            b.append(cells[i]);
            if (i < cells.length - 1) {
                b.append(" ".repeat(w[i] - cells[i].length() + 2));
            }
        }
        b.append('\n');
    }
}
