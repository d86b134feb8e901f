package io.ephemera.agent;

/**
 * The agent's own diagnostics: one line each on stderr, prefixed {@code ephemera:}. Never called
 * on the hot path; failures inside the agent reach it through the housekeeping thread.
 */
public final class Log {

    private static final String PREFIX = "ephemera: ";

    private Log() {
    }

    public static void info(String message) {
        print(message);
    }

    public static void warn(String message) {
        print("warning: " + message);
    }

    public static void error(String message) {
        print("error: " + message);
    }

    /**
     * The one line that says the agent is not running, made to stand out in an application's busy
     * stderr: {@code ephemera: ERROR: the agent is OFF: <why>; the application runs without it}.
     */
    public static void off(String why) {
        print("ERROR: the agent is OFF: " + why + "; the application runs without it");
    }

    /** One line: the message, the failure and where it was thrown; never a stack trace in the application's stderr. */
    public static void error(String message, Throwable t) {
        StackTraceElement[] stack = t.getStackTrace();
        print("error: " + message + " (" + t + (stack.length == 0 ? "" : " at " + stack[0]) + ")");
    }

    private static void print(String line) {
        try {
            System.err.println(PREFIX + line);
        } catch (Throwable ignored) {
            // stderr is gone; nothing else to tell
        }
    }
}
