package io.ephemera.config;

import java.util.Locale;

/**
 * Every option the agent accepts: its key, what values it takes, its default and what it does.
 * This table is also the error message for a bad value and the source of the README's table.
 */
public enum Option {
    ENABLED("enabled", Kind.BOOLEAN, "true", 0, 0,
            "false leaves the agent loaded but inert: nothing is instrumented"),
    STRICT("strict", Kind.BOOLEAN, "false", 0, 0,
            "true makes a bad option fatal (the JVM does not start) instead of turning the agent off"),
    STACK_DEPTH("stack.depth", Kind.INTEGER, "16", 1, 256,
            "frames that identify a call site, counted from the first frame outside the JDK"),
    CALLSITES_BACKTRACE("callsites.backtrace", Kind.BOOLEAN, "true", 0, 0,
            "tell call sites apart from the VM's backtrace (HotSpot, checked at start); false walks the stack "
                    + "with StackWalker instead, the fallback (MXBean CallSiteIdentity says which is in use)"),
    CALLSITES_MAX("callsites.max", Kind.INTEGER, "1000", 1, 100_000,
            "distinct call sites kept; more are counted in one (other) row"),
    DESTINATIONS_MAX("destinations.max", Kind.INTEGER, "1000", 1, 100_000,
            "distinct destinations kept, and as many inbound peers (address and local port); more are "
                    + "counted in one (other) row"),
    CONNECTIONS_MAX("connections.max", Kind.INTEGER, "100000", 1, 10_000_000,
            "open connections tracked one by one; more are counted but not followed (TrackingDropCount)"),
    CLOSES_MAX("closes.max", Kind.INTEGER, "65536", 1, 10_000_000,
            "recently closed connections remembered to attribute TIME_WAIT sockets; older ones are dropped and counted"),
    CENSUS_INTERVAL("census.interval", Kind.DURATION, "5s", 100, 3_600_000,
            "how often the kernel's view is read (/proc/net/tcp{,6}, sysctls); the full socket scan "
                    + "widens its interval on a large table so the census stays under 1% of one core"),
    PROC_ROOT("proc.root", Kind.STRING, "/proc",  0, 0,
            "where to read the kernel's view from (tests point it at recorded files)"),
    CHURN_BUDGET("churn.budget", Kind.PERCENT, "5%", 0, 100,
            "a call site churns when its connects, each holding a port for the hold time, would "
                    + "occupy this share of a destination's port budget"),
    CHURN_RATE("churn.rate", Kind.RATE, "10/s", 0, 1_000_000,
            "... or when it connects this often and its connections' median lifetime is under churn.lifetime, "
                    + "or most of them stay open (piling up; sustained for 3 s or more)"),
    CHURN_LIFETIME("churn.lifetime", Kind.DURATION, "1s", 1, 3_600_000,
            "see churn.rate"),
    REPORT_INTERVAL("report.interval", Kind.DURATION, "60s", 0, 86_400_000,
            "how often the findings are written to the log; 0 turns periodic reports off"),
    REPORT_ON_EXIT("report.onExit", Kind.BOOLEAN, "true", 0, 0,
            "write a last report when the JVM shuts down"),
    REPORT_FILE("report.file", Kind.PATH, "", 0, 0,
            "write reports to this file (created owner-only, never through a symbolic link) instead of the "
                    + "application's SLF4J logger or stderr"),
    WARN_HEADROOM("warn.headroom", Kind.PERCENT, "20%", 0, 100,
            "a destination with less headroom than this is an exhaustion-risk finding"),
    LEAK_AGE("leak.age", Kind.DURATION, "10m", 1_000, 604_800_000,
            "connections open longer than this are reported as long-lived (informational, never a leak)"),
    JFR_ENABLED("jfr.enabled", Kind.BOOLEAN, "true", 0, 0,
            "emit JFR events io.ephemera.Connect, io.ephemera.ConnectFailed and io.ephemera.Close "
                    + "(free while no recording is on)"),
    JMX_ROWS("jmx.rows", Kind.INTEGER, "100", 1, 100_000,
            "rows in each MXBean map (CallSites, Destinations), busiest first"),
    LIBRARIES("libraries", Kind.LIST, CallSitePrefixes.DEFAULT, 0, 0,
            "package prefixes of client libraries and frameworks, separated by ':'; a call site is "
                    + "labelled with the first frame outside the JDK and these (replaces the default list)"),
    LIBRARIES_ADD("libraries.add", Kind.LIST, "", 0, 0,
            "more library prefixes, separated by ':', added to the list above");

    /** How an option's value is written. */
    public enum Kind {
        BOOLEAN("true or false"),
        INTEGER("a whole number"),
        DURATION("a duration such as 500ms, 5s, 1m or 1h"),
        PERCENT("a percentage such as 5%"),
        RATE("a rate such as 10/s"),
        LIST("package prefixes separated by ':'"),
        STRING("text"),
        PATH("a file path, or nothing");

        final String accepted;

        Kind(String accepted) {
            this.accepted = accepted;
        }
    }

    private final String key;
    private final Kind kind;
    private final String defaultValue;
    private final long min;
    private final long max;
    private final String description;

    Option(String key, Kind kind, String defaultValue, long min, long max, String description) {
        this.key = key;
        this.kind = kind;
        this.defaultValue = defaultValue;
        this.min = min;
        this.max = max;
        this.description = description;
    }

    public String key() {
        return key;
    }

    public Kind kind() {
        return kind;
    }

    public String defaultValue() {
        return defaultValue;
    }

    public String description() {
        return description;
    }

    /** What a valid value looks like, for error messages and the README. */
    public String accepted() {
        switch (kind) {
            case INTEGER:
                return String.format(Locale.ROOT, "a whole number from %d to %d", min, max);
            case DURATION:
                return String.format(Locale.ROOT, "a duration from %s to %s, such as 500ms, 5s or 1m",
                        Durations.format(min), Durations.format(max));
            case PERCENT:
                return String.format(Locale.ROOT, "a percentage from %d%% to %d%%, such as 5%%", min, max);
            case RATE:
                return String.format(Locale.ROOT, "a rate per second from %d/s to %d/s, such as 10/s", min, max);
            default:
                return kind.accepted;
        }
    }

    /** Parses {@code raw}; throws {@link ConfigException} naming the key, the value and what is accepted. */
    Object parse(String raw, String origin) {
        String value = raw.trim();
        try {
            switch (kind) {
                case BOOLEAN:
                    if (value.equalsIgnoreCase("true")) {
                        return Boolean.TRUE;
                    }
                    if (value.equalsIgnoreCase("false")) {
                        return Boolean.FALSE;
                    }
                    break;
                case INTEGER: {
                    long n = Long.parseLong(value);
                    if (n >= min && n <= max) {
                        return (int) n;
                    }
                    break;
                }
                case DURATION: {
                    long millis = Durations.parseMillis(value);
                    if (millis >= min && millis <= max) {
                        return millis;
                    }
                    break;
                }
                case PERCENT: {
                    double p = Double.parseDouble(strip(value, "%"));
                    if (p >= min && p <= max) {
                        return p / 100.0;
                    }
                    break;
                }
                case RATE: {
                    double r = Double.parseDouble(strip(value, "/s"));
                    if (r >= min && r <= max) {
                        return r;
                    }
                    break;
                }
                case STRING:
                    if (!value.isEmpty()) {
                        return value;
                    }
                    break;
                case PATH:
                    if (value.indexOf('\0') < 0) {
                        return value;
                    }
                    break;
                case LIST:
                    return CallSitePrefixes.split(value);
                default:
                    break;
            }
        } catch (IllegalArgumentException e) {
            // falls through to the one message below
        }
        throw new ConfigException(String.format(Locale.ROOT, "bad value for option %s=%s (%s): expected %s",
                key, shown(raw), origin, accepted()));
    }

    /** Longest text of a user's value shown back in an error line. */
    static final int SHOWN_MAX = 80;

    /**
     * {@code text} as an error line shows it: control characters escaped, so the line stays one
     * line, and cut at {@link #SHOWN_MAX} characters, so a huge value is not a huge line.
     */
    public static String shown(String text) {
        StringBuilder b = new StringBuilder();
        int i = 0;
        for (; i < text.length() && b.length() < SHOWN_MAX; i++) {
            char c = text.charAt(i);
            b.append(Character.isISOControl(c) ? String.format(Locale.ROOT, "\\u%04x", (int) c) : String.valueOf(c));
        }
        return i == text.length() ? b.toString() : b + "... (" + text.length() + " characters)";
    }

    private static String strip(String value, String suffix) {
        String v = value.endsWith(suffix) ? value.substring(0, value.length() - suffix.length()) : value;
        if (v.isEmpty() || !Character.isDigit(v.charAt(0)) || v.contains("e") || v.contains("E")) {
            throw new IllegalArgumentException(value); // no "Infinity", "NaN", "-1", "1e9"
        }
        return v.trim();
    }

    /**
     * The option a mistyped {@code key} most likely meant: the nearest key by edit distance (a
     * swap of two neighbours counts as one edit, case is ignored), when it is near enough to be a
     * slip: at most two edits, and at most one for a key of five characters or fewer. Null when none is.
     */
    static Option closest(String key) {
        String k = key.trim().toLowerCase(Locale.ROOT);
        int allowed = k.length() <= 5 ? 1 : 2;
        Option best = null;
        int bestDistance = allowed + 1;
        for (Option o : values()) {
            int d = distance(k, o.key.toLowerCase(Locale.ROOT), bestDistance);
            if (d < bestDistance) {
                best = o;
                bestDistance = d;
            }
        }
        return best;
    }

    /**
     * Edits (insert, delete, replace, swap of neighbours) between {@code a} and {@code b}; any
     * answer of {@code limit} or more is returned as {@code limit}, so a 100,000-character value
     * costs no more than its length.
     */
    static int distance(String a, String b, int limit) {
        if (Math.abs(a.length() - b.length()) >= limit) {
            return limit;
        }
        int[] before = new int[b.length() + 1];
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            int rowMin = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                int d = Math.min(Math.min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d = Math.min(d, before[j - 2] + 1);
                }
                current[j] = d;
                rowMin = Math.min(rowMin, d);
            }
            if (rowMin >= limit) {
                return limit;
            }
            int[] t = before;
            before = previous;
            previous = current;
            current = t;
        }
        return Math.min(previous[b.length()], limit);
    }

    static Option byKey(String key) {
        for (Option o : values()) {
            if (o.key.equals(key)) {
                return o;
            }
        }
        return null;
    }
}
