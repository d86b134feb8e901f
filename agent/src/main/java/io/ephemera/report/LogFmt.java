package io.ephemera.report;

import java.util.Locale;
import java.util.Map;

/**
 * {@code key=value} pairs as logfmt writes them: a value with a space, a quote, an equals sign or
 * nothing at all is quoted, with {@code "} and {@code \} escaped; newlines never appear in a line.
 */
public final class LogFmt {

    /**
     * The value of a figure the kernel did not give ({@code budget=unknown}): the key stays, the
     * value says so. {@link Json} writes it as {@code null}.
     */
    public static final String UNKNOWN = "unknown";

    private LogFmt() {
    }

    public static String line(Map<String, String> fields) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, String> e : fields.entrySet()) {
            if (b.length() > 0) {
                b.append(' ');
            }
            b.append(e.getKey()).append('=');
            value(b, e.getValue());
        }
        return b.toString();
    }

    static void value(StringBuilder b, String v) {
        String s = v == null ? "" : v.replace('\n', ' ').replace('\r', ' ');
        boolean quote = s.isEmpty();
        for (int i = 0; i < s.length() && !quote; i++) {
            char c = s.charAt(i);
            quote = c == ' ' || c == '"' || c == '=' || c == '\\' || c == '\t';
        }
        if (!quote) {
            b.append(s);
            return;
        }
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\');
            }
            b.append(c == '\t' ? ' ' : c);
        }
        b.append('"');
    }

    /** {@code 412.0}: one decimal, dot separator whatever the locale. */
    static String decimal(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    /** Seconds as users read them: {@code 60s}, {@code 0.5s}, {@code 12m}. */
    static String seconds(double s) {
        if (s >= 120) {
            return String.format(Locale.ROOT, "%.0fm", s / 60);
        }
        if (s >= 10 || s == Math.rint(s)) {
            return String.format(Locale.ROOT, "%.0fs", s);
        }
        return String.format(Locale.ROOT, "%.1fs", s);
    }
}
