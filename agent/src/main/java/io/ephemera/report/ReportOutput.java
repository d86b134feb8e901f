package io.ephemera.report;

/** Where report lines go: the application's SLF4J logger, a file, or stderr. */
interface ReportOutput {

    enum Level { DEBUG, INFO, WARN }

    /** Writes one log event (a finding's block may span lines). Never throws. */
    void write(Level level, String message);

    /** What this output is, for the agent's startup line. */
    String describe();
}
