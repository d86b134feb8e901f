package io.ephemera.report;

import java.util.Map;

/** Just enough JSON for reports: objects of strings and numbers. */
final class Json {

    private Json() {
    }

    /** Values that read as plain numbers are written as numbers, everything else as strings. */
    static void object(StringBuilder b, Map<String, String> fields) {
        b.append('{');
        boolean first = true;
        for (Map.Entry<String, String> e : fields.entrySet()) {
            if (!first) {
                b.append(',');
            }
            first = false;
            string(b, e.getKey());
            b.append(':');
            String v = e.getValue();
            if (isNumber(v)) {
                b.append(v);
            } else {
                string(b, v);
            }
        }
        b.append('}');
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

    static void string(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < (s == null ? 0 : s.length()); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': b.append("\\\""); break;
                case '\\': b.append("\\\\"); break;
                case '\n': b.append("\\n"); break;
                case '\r': b.append("\\r"); break;
                case '\t': b.append("\\t"); break;
                default:
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
            }
        }
        b.append('"');
    }
}
