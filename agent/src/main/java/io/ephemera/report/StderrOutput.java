package io.ephemera.report;

/** The fallback: stderr, one event after another; debug events are dropped. */
final class StderrOutput implements ReportOutput {

    @Override
    public void write(Level level, String message) {
        if (level == Level.DEBUG) {
            return;
        }
        try {
            System.err.println(message);
        } catch (Throwable ignored) {
            // stderr is gone; nothing else to tell
        }
    }

    @Override
    public String describe() {
        return "stderr";
    }
}
