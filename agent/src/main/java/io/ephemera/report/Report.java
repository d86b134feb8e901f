package io.ephemera.report;

import java.util.List;
import java.util.Map;

/** A report: a header with the totals and the census, then the findings. Immutable. */
public final class Report {

    private final Map<String, String> header;
    private final List<Finding> findings;

    Report(Map<String, String> header, List<Finding> findings) {
        this.header = header;
        this.findings = List.copyOf(findings);
    }

    public Map<String, String> header() {
        return header;
    }

    public List<Finding> findings() {
        return findings;
    }

    /** The header line, in logfmt. */
    public String headerLine() {
        return LogFmt.line(header);
    }

    /** A finding's line and its stack, each frame on its own line, indented. */
    public static String block(Finding f) {
        StringBuilder b = new StringBuilder(f.line());
        for (String frame : f.stack().split("\n")) {
            if (!frame.isBlank()) {
                b.append("\n    at ").append(frame);
            }
        }
        return b.toString();
    }

    /** The whole report as text: the header line, then each finding's block. */
    public String text() {
        StringBuilder b = new StringBuilder(headerLine());
        for (Finding f : findings) {
            b.append('\n').append(block(f));
        }
        return b.append('\n').toString();
    }

    /** The same content as one JSON object: {@code {"header":{...},"findings":[{...,"stack":[...]}]}}. */
    public String json() {
        StringBuilder b = new StringBuilder("{\"header\":");
        Json.object(b, header);
        b.append(",\"findings\":[");
        for (int i = 0; i < findings.size(); i++) {
            Finding f = findings.get(i);
            if (i > 0) {
                b.append(',');
            }
            Json.object(b, f.jsonFields());
            b.setLength(b.length() - 1); // reopen the object to add the stack
            b.append(",\"stack\":[");
            String[] frames = f.stack().isBlank() ? new String[0] : f.stack().split("\n");
            for (int k = 0; k < frames.length; k++) {
                if (k > 0) {
                    b.append(',');
                }
                Json.string(b, frames[k]);
            }
            b.append("]}");
        }
        return b.append("]}").toString();
    }
}
