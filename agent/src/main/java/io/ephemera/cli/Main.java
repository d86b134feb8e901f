package io.ephemera.cli;

import java.io.File;
import java.io.PrintStream;
import java.util.List;

import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;

/**
 * {@code java -jar ephemera-agent.jar <command>}. Exit codes: 0 done, 1 the command failed,
 * 2 bad usage.
 */
public final class Main {

    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(List.of(args), System.out, System.err));
    }

    static int run(List<String> args, PrintStream out, PrintStream err) {
        if (args.isEmpty() || args.get(0).equals("--help") || args.get(0).equals("-h")) {
            usage(out);
            return args.isEmpty() ? USAGE : OK;
        }
        switch (args.get(0)) {
            case "attach":
                return attach(args.subList(1, args.size()), out, err);
            default:
                err.println("ephemera: unknown command '" + args.get(0) + "'");
                usage(err);
                return USAGE;
        }
    }

    private static void usage(PrintStream out) {
        out.println("usage: java -jar ephemera-agent.jar <command>");
        out.println("  attach <pid> [key=value,...]   load the agent into a running JVM");
        out.println("  --help                         this text");
    }

    private static int attach(List<String> args, PrintStream out, PrintStream err) {
        if (args.isEmpty() || args.size() > 2 || !args.get(0).matches("\\d+")) {
            err.println("ephemera: usage: attach <pid> [key=value,...]");
            return USAGE;
        }
        String pid = args.get(0);
        String options = args.size() > 1 ? args.get(1) : "";
        try {
            String jar = new File(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getPath();
            VirtualMachine vm = VirtualMachine.attach(pid);
            try {
                vm.loadAgent(jar, options);
            } finally {
                vm.detach();
            }
            out.println("ephemera: attached to " + pid);
            return OK;
        } catch (AttachNotSupportedException e) {
            err.println("ephemera: cannot attach to " + pid + ": " + e.getMessage());
        } catch (AgentLoadException e) {
            err.println("ephemera: the agent did not start in " + pid + ": " + e.getMessage());
        } catch (Exception e) {
            err.println("ephemera: attach to " + pid + " failed: " + e);
        }
        return FAILED;
    }
}
