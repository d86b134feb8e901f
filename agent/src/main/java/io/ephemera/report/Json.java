package io.ephemera.report;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;

/** Just enough JSON for reports and the CLI: objects of strings and numbers, strings escaped per RFC 8259. */
public final class Json {

    private Json() {
    }

    /**
     * Numbers as numbers, null as {@code null}; strings that read as plain numbers as numbers,
     * {@link LogFmt#UNKNOWN} as {@code null}, every other string as a string.
     */
    static void object(StringBuilder b, Map<String, ?> fields) {
        b.append('{');
        boolean first = true;
        for (Map.Entry<String, ?> e : fields.entrySet()) {
            if (!first) {
                b.append(',');
            }
            first = false;
            string(b, e.getKey());
            b.append(':');
            Object value = e.getValue();
            if (value == null) {
                b.append("null");
                continue;
            }
            if (value instanceof Number) {
                number(b, (Number) value);
                continue;
            }
            String v = value.toString();
            if (LogFmt.UNKNOWN.equals(v)) {
                b.append("null");
            } else if (isNumber(v)) {
                b.append(v);
            } else {
                string(b, v);
            }
        }
        b.append('}');
    }

    /**
     * A number in plain notation, at most three decimals ({@code 60}, {@code 0.75}, {@code 97.362});
     * NaN and the infinities, which JSON has no form for, as {@code null}.
     */
    static void number(StringBuilder b, Number n) {
        if (n instanceof Long || n instanceof Integer) {
            b.append(n.longValue());
            return;
        }
        double d = n.doubleValue();
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            b.append("null");
            return;
        }
        b.append(BigDecimal.valueOf(d).setScale(3, RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString());
    }

    static boolean isNumber(String v) {
        if (v == null || v.isEmpty() || v.length() > 24) {
            return false;
        }
        int i = v.charAt(0) == '-' ? 1 : 0;
        boolean digits = false;
        boolean dot = false;
        for (; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c >= '0' && c <= '9') {
                digits = true;
            } else if (c == '.' && !dot) {
                dot = true;
            } else {
                return false;
            }
        }
        return digits && !v.endsWith(".");
    }

    /** {@code s} as a JSON string: quotes, backslashes and control characters escaped, a lone surrogate too. */
    public static void string(StringBuilder b, String s) {
        if (s == null) {
            b.append("null");
            return;
        }
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': b.append("\\\""); break;
                case '\\': b.append("\\\\"); break;
                case '\n': b.append("\\n"); break;
                case '\r': b.append("\\r"); break;
                case '\t': b.append("\\t"); break;
                case '\b': b.append("\\b"); break;
                case '\f': b.append("\\f"); break;
                default:
                    if (c < 0x20 || c == '\u2028' || c == '\u2029' || Character.isSurrogate(c) && !paired(s, i)) {
                        String hex = Integer.toHexString(c);
                        b.append("\\u").append("0".repeat(4 - hex.length())).append(hex);
                    } else {
                        b.append(c);
                    }
            }
        }
        b.append('"');
    }

    /** A surrogate that is half of a valid pair is kept; a lone one is escaped (it is not valid UTF-8). */
    private static boolean paired(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }
}
