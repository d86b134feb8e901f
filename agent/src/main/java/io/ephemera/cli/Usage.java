package io.ephemera.cli;

import java.util.Map;

/** The help texts: {@code --help} and {@code <command> --help}. Printed on stdout, exit code 0. */
final class Usage {

    static final String COMMANDS = "attach, report, doctor, list";

    private static final Map<String, String> SYNOPSIS = Map.of(
            "attach", "attach <pid> [key=value,...]",
            "report", "report <pid> [--json]",
            "doctor", "doctor [--json] [--proc DIR] [--top N] [--pid P]",
            "list", "list");

    private Usage() {
    }

    /** The one-line synopsis of a command, for error messages. */
    static String synopsis(String command) {
        return SYNOPSIS.getOrDefault(command, "<command>");
    }

    static String main() {
        return String.join("\n",
                "usage: java -jar ephemera-agent.jar <command> [arguments]",
                "",
                "Finds the code paths that burn ephemeral TCP ports.",
                "",
                "commands:",
                "  attach <pid> [key=value,...]   load the agent into a running JVM (options as for -javaagent)",
                "  report <pid> [--json]          print the findings of the agent running in a JVM",
                "  doctor [--json] [--proc DIR]   this host's port budget, TIME_WAIT, busiest destinations and",
                "         [--top N] [--pid P]     their owners, from /proc (of process P's network namespace)",
                "  list                           local JVMs and whether ephemera is loaded in each",
                "",
                "  <command> --help               more about one command",
                "",
                "exit codes: 0 done, 1 the command failed, 2 bad usage, 3 already loaded (attach)",
                "");
    }

    static String of(String command) {
        switch (command) {
            case "attach":
                return String.join("\n",
                        "usage: java -jar ephemera-agent.jar attach <pid> [key=value,...]",
                        "",
                        "Loads the agent into the running JVM <pid> (the JDK attach API). Connections opened",
                        "from then on are followed; those opened before are not counted. The options are the",
                        "agent's (README, Options), checked here before anything is loaded.",
                        "",
                        "Run it as the JVM's user (or root). On JDK 21 and later the JVM prints a warning",
                        "about a dynamically loaded agent unless it was started with",
                        "-XX:+EnableDynamicAgentLoading; the agent works either way.",
                        "",
                        "exit codes: 0 attached; 1 no such process, another user's, not a JVM, attach",
                        "disabled, or the agent did not start; 2 bad usage or a bad option; 3 already",
                        "loaded there (nothing is done: options given now are reported, not applied)",
                        "");
            case "report":
                return String.join("\n",
                        "usage: java -jar ephemera-agent.jar report <pid> [--json]",
                        "",
                        "Prints the findings of the agent running in JVM <pid>: the header line",
                        "(report=ephemera connects=... budget=...) and one line per finding, with its stack.",
                        "With --json, the same as one JSON object {\"header\":{...},\"findings\":[...]}.",
                        "Asked through the JVM's attach channel (a Unix socket only its user and root may",
                        "use): no TCP port, so it works on a host out of ports, and nothing is left running",
                        "or listening in the JVM. A JVM in a container of its own (PID, network and mount",
                        "namespaces) is named by its pid as this command sees it.",
                        "",
                        "exit codes: 0 printed; 1 cannot attach, or ephemera is not loaded there (load it",
                        "with attach); 2 bad usage",
                        "");
            case "doctor":
                return String.join("\n",
                        "usage: java -jar ephemera-agent.jar doctor [--json] [--proc DIR] [--top N] [--pid P]",
                        "",
                        "The host's view from /proc, no JVM needed, for this network namespace: the sysctls",
                        "that set the ephemeral port budget and what they mean; sockets by state; the N",
                        "destinations (remote address:port) with the most ephemeral ports in use (default",
                        "10), with their headroom, how many TIME_WAIT ports free up in the next 10/30/60 s,",
                        "the processes holding the others (where /proc/<pid>/fd may be read), and what",
                        "widening ip_local_port_range to 1024 65535 or tcp_tw_reuse=1 would buy; then",
                        "recommendations. What could not be read is listed and shown as unknown, never",
                        "taken as a default.",
                        "",
                        "  --json       the same content as one JSON object",
                        "  --proc DIR   read DIR instead of /proc (recorded files)",
                        "  --top N      destinations shown, 1 to 1000 (default 10)",
                        "  --pid P      the network namespace of process P (a container's): its",
                        "               /proc/P/net, and its sysctls, read inside it with nsenter",
                        "               (root) when it is not this command's namespace",
                        "",
                        "exit codes: 0 printed; 1 the socket tables could not be read, or no process P;",
                        "2 bad usage",
                        "");
            case "list":
                return String.join("\n",
                        "usage: java -jar ephemera-agent.jar list",
                        "",
                        "The JVMs on this host (the attach API's list, and java processes found in /proc)",
                        "and whether ephemera is loaded in each: it attaches to each, reads its system",
                        "properties and detaches. A JVM that cannot be attached is listed with the reason.",
                        "",
                        "exit codes: 0 listed (even when none or some cannot be attached); 2 bad usage",
                        "");
            default:
                return main();
        }
    }
}
