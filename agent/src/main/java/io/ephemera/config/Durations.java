package io.ephemera.config;

import java.util.Locale;

/** Durations as users write them: {@code 500ms}, {@code 5s}, {@code 1m}, {@code 1h}, and {@code 0}. */
final class Durations {

    private Durations() {
    }

    /** Milliseconds in {@code text}; throws IllegalArgumentException for anything else. */
    static long parseMillis(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        int i = 0;
        while (i < t.length() && Character.isDigit(t.charAt(i))) {
            i++;
        }
        if (i == 0 || i > 12) {
            throw new IllegalArgumentException(text);
        }
        long n = Long.parseLong(t.substring(0, i));
        switch (t.substring(i)) {
            case "":
                if (n == 0) {
                    return 0; // zero needs no unit: report.interval=0
                }
                throw new IllegalArgumentException(text);
            case "ms":
                return n;
            case "s":
                return n * 1_000L;
            case "m":
                return n * 60_000L;
            case "h":
                return n * 3_600_000L;
            default:
                throw new IllegalArgumentException(text);
        }
    }

    static String format(long millis) {
        if (millis % 3_600_000L == 0 && millis > 0) {
            return millis / 3_600_000L + "h";
        }
        if (millis % 60_000L == 0 && millis > 0) {
            return millis / 60_000L + "m";
        }
        if (millis % 1_000L == 0 && millis > 0) {
            return millis / 1_000L + "s";
        }
        return millis + "ms";
    }
}
