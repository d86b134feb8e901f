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
    private final Map<String, Object> json;
    private final String stack;

    Finding(FindingKind kind, Map<String, String> fields, String stack) {
        this(kind, fields, Map.of(), stack);
    }

    /**
     * @param numbers the JSON values of fields whose text carries a unit or a word
     *                ({@code rate=15.0/s}, {@code eta=none}): a number in the unit of the JSON schema
     *                (docs/cli.md), or null
     */
    Finding(FindingKind kind, Map<String, String> fields, Map<String, Object> numbers, String stack) {
        this.kind = kind;
        Map<String, String> all = new LinkedHashMap<>();
        all.put("finding", kind.label());
        all.putAll(fields);
        this.fields = Collections.unmodifiableMap(all);
        Map<String, Object> typed = new LinkedHashMap<>(all);
        for (Map.Entry<String, Object> e : numbers.entrySet()) {
            if (!all.containsKey(e.getKey())) {
                throw new IllegalArgumentException("no text for the JSON field " + e.getKey());
            }
            typed.put(e.getKey(), e.getValue());
        }
        this.json = Collections.unmodifiableMap(typed);
        this.stack = stack == null ? "" : stack;
    }

    public FindingKind kind() {
        return kind;
    }

    /** {@code finding} first, then the kind's own fields, {@code advice} last. */
    public Map<String, String> fields() {
        return fields;
    }

    /**
     * The fields as JSON gives them, in the same order: a {@link Number} in the schema's unit or
     * null where the text carries a unit or a word, else the text (which {@link Json} writes as a
     * number when it reads as one, as null when {@code unknown}).
     */
    public Map<String, Object> jsonFields() {
        return json;
    }

    public String stack() {
        return stack;
    }

    /** The logfmt line. */
    public String line() {
        return LogFmt.line(fields);
    }
}
