package io.ephemera.cli;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Just enough JSON, written by hand (the agent bundles no JSON library): objects, arrays, strings,
 * numbers, booleans and null, with commas placed by the writer. Strings are escaped per RFC 8259:
 * quote, backslash and every control character; U+2028 and U+2029 too, so the output is also
 * valid JavaScript. Not thread-safe; one document per instance.
 */
final class JsonWriter {

    private final StringBuilder b = new StringBuilder();
    /** Per open object or array: whether it has a member yet. */
    private final Deque<boolean[]> open = new ArrayDeque<>();
    private boolean afterName;

    JsonWriter beginObject() {
        separate();
        b.append('{');
        open.push(new boolean[1]);
        return this;
    }

    JsonWriter endObject() {
        open.pop();
        b.append('}');
        return this;
    }

    JsonWriter beginArray() {
        separate();
        b.append('[');
        open.push(new boolean[1]);
        return this;
    }

    JsonWriter endArray() {
        open.pop();
        b.append(']');
        return this;
    }

    /** The next member's name, inside an object. */
    JsonWriter name(String name) {
        separate();
        string(b, name);
        b.append(':');
        afterName = true;
        return this;
    }

    JsonWriter value(String s) {
        separate();
        if (s == null) {
            b.append("null");
        } else {
            string(b, s);
        }
        return this;
    }

    JsonWriter value(long n) {
        separate();
        b.append(n);
        return this;
    }

    /** A number rounded to {@code decimals} places; NaN and infinities, which JSON lacks, as null. */
    JsonWriter value(double n, int decimals) {
        separate();
        if (Double.isNaN(n) || Double.isInfinite(n)) {
            b.append("null");
        } else {
            b.append(Numbers.decimal(n, decimals));
        }
        return this;
    }

    JsonWriter value(boolean v) {
        separate();
        b.append(v);
        return this;
    }

    /** Shorthands for a named member. */
    JsonWriter field(String name, String v) {
        return name(name).value(v);
    }

    JsonWriter field(String name, long v) {
        return name(name).value(v);
    }

    JsonWriter field(String name, double v, int decimals) {
        return name(name).value(v, decimals);
    }

    JsonWriter field(String name, boolean v) {
        return name(name).value(v);
    }

    private void separate() {
        if (afterName) {
            afterName = false;
            return;
        }
        boolean[] hasMember = open.peek();
        if (hasMember != null) {
            if (hasMember[0]) {
                b.append(',');
            }
            hasMember[0] = true;
        }
    }

    @Override
    public String toString() {
        if (!open.isEmpty()) {
            throw new IllegalStateException("unclosed object or array");
        }
        return b.toString();
    }

    static void string(StringBuilder b, String s) {
        io.ephemera.report.Json.string(b, s);
    }
}
