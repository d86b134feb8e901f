package io.ephemera.report;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One thing the report tells: its kind, its fields in the order they are printed, the advice, and
 * the stack of the code it is about (empty for a destination).
 */
public final class Finding {

    private final FindingKind kind;
    private final Map<String, String> fields;
    private final String stack;

    Finding(FindingKind kind, Map<String, String> fields, String stack) {
        this.kind = kind;
        Map<String, String> all = new LinkedHashMap<>();
        all.put("finding", kind.label());
        all.putAll(fields);
        this.fields = Collections.unmodifiableMap(all);
        this.stack = stack == null ? "" : stack;
    }

    public FindingKind kind() {
        return kind;
    }

    /** {@code finding} first, then the kind's own fields, {@code advice} last. */
    public Map<String, String> fields() {
        return fields;
    }

    public String stack() {
        return stack;
    }

    /** The logfmt line. */
    public String line() {
        return LogFmt.line(fields);
    }
}
