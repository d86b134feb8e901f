package io.ephemera.cli;

import java.io.PrintStream;
import java.util.List;

/**
 * {@code java -jar ephemera-agent.jar <command>}: picks the command and turns a {@link Failure}
 * into one line on stderr and its exit code ({@link Exit}).
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(List.of(args), System.out, System.err));
    }

    static int run(List<String> args, PrintStream out, PrintStream err) {
        try {
            if (args.isEmpty()) {
                throw Failure.usage("no command: use one of " + Usage.COMMANDS + " (see --help)");
            }
            String name = args.get(0);
            if (name.equals("--help") || name.equals("-h") || name.equals("help")) {
                out.print(Usage.main());
                return Exit.OK;
            }
            Command command = command(name);
            List<String> rest = args.subList(1, args.size());
            if (rest.contains("--help") || rest.contains("-h")) {
                out.print(Usage.of(name));
                return Exit.OK;
            }
            return command.run(rest, out, err);
        } catch (Failure f) {
            err.println("ephemera: " + f.getMessage());
            return f.exit();
        } catch (RuntimeException e) {
            err.println("ephemera: " + Failure.oneLine("failed: " + e));
            return Exit.FAILED;
        } finally {
            out.flush();
        }
    }

    private static Command command(String name) {
        switch (name) {
            case "attach": return new AttachCommand();
            case "report": return new ReportCommand();
            case "doctor": return new DoctorCommand();
            case "list": return new ListCommand();
            default:
                throw Failure.usage("unknown command '" + name + "': use one of " + Usage.COMMANDS + " (see --help)");
        }
    }
}
