package io.ephemera.cli;

/** The exit codes of every command; docs/cli.md lists them. */
final class Exit {

    /** The command did what it was asked. */
    static final int OK = 0;
    /** The command failed: cannot attach, the agent did not start, not loaded, /proc unreadable. */
    static final int FAILED = 1;
    /** Bad usage: unknown command or option, a missing or malformed argument. */
    static final int USAGE = 2;
    /** {@code attach} only: the agent is already loaded in that JVM; nothing was done. */
    static final int ALREADY_LOADED = 3;

    private Exit() {
    }
}
