package io.ephemera.cli;

/**
 * Why a command stops, as the one line {@link Main} prints on stderr, and the exit code. Thrown by
 * the commands instead of printing, so every error looks the same and goes to the same place.
 */
final class Failure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int exit;

    private Failure(int exit, String message) {
        super(oneLine(message), null, false, false);
        this.exit = exit;
    }

    /** Exit code 2: the command line is wrong. */
    static Failure usage(String message) {
        return new Failure(Exit.USAGE, message);
    }

    /** Exit code 1: the command could not do its work. */
    static Failure failed(String message) {
        return new Failure(Exit.FAILED, message);
    }

    /** Exit code 3: {@code attach} found the agent already loaded. */
    static Failure alreadyLoaded(String message) {
        return new Failure(Exit.ALREADY_LOADED, message);
    }

    int exit() {
        return exit;
    }

    /** Messages from exceptions may span lines; an error is one line. */
    static String oneLine(String message) {
        return message == null ? "" : message.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }
}
