package io.ephemera.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.StringJoiner;

/**
 * The agent's configuration: parsed once from the agent arguments ({@code key=value,key=value})
 * and the system properties ({@code -Dephemera.key=value}), validated, then never changed.
 * Agent arguments win over system properties.
 */
public final class Config {

    /** System properties under this prefix configure the agent. */
    public static final String PROPERTY_PREFIX = "ephemera.";

    /** Reserved for the agent's own tests; never an option. */
    private static final String TEST_PREFIX = "ephemera.test.";
    /** Set by the agent itself ({@code ephemera.agent.version}); never an option. */
    private static final String AGENT_PREFIX = "ephemera.agent.";

    private final Map<Option, Object> values;
    private final String source;

    private Config(Map<Option, Object> values, String source) {
        this.values = values;
        this.source = source;
    }

    /** Every option at its default. */
    public static Config defaults() {
        return parse(null, new Properties());
    }

    /**
     * Parses the agent arguments and system properties. Throws {@link ConfigException} with one
     * line naming the first bad key or value and what is accepted.
     */
    public static Config parse(String agentArgs, Properties properties) {
        Map<Option, String> raw = new EnumMap<>(Option.class);
        Map<Option, String> origin = new EnumMap<>(Option.class);
        for (String name : properties.stringPropertyNames()) {
            if (!name.startsWith(PROPERTY_PREFIX) || name.startsWith(TEST_PREFIX) || name.startsWith(AGENT_PREFIX)) {
                continue;
            }
            String key = name.substring(PROPERTY_PREFIX.length());
            Option option = Option.byKey(key);
            if (option == null) {
                throw unknown(key, properties.getProperty(name), "-D" + name);
            }
            raw.put(option, properties.getProperty(name));
            origin.put(option, "-D" + name);
        }
        for (String[] pair : split(agentArgs)) {
            Option option = Option.byKey(pair[0]);
            if (option == null) {
                throw unknown(pair[0], pair[1], "agent arguments");
            }
            raw.put(option, pair[1]);
            origin.put(option, "agent arguments");
        }
        Map<Option, Object> values = new EnumMap<>(Option.class);
        StringJoiner shown = new StringJoiner(",");
        for (Option option : Option.values()) {
            String value = raw.get(option);
            if (value == null) {
                values.put(option, option.parse(option.defaultValue(), "default"));
            } else {
                values.put(option, option.parse(value, origin.get(option)));
                shown.add(option.key() + "=" + value);
            }
        }
        return new Config(Collections.unmodifiableMap(values), shown.toString());
    }

    /**
     * Whether a bad configuration should be fatal: reads {@code strict} leniently, before the
     * rest is validated, so that the failure policy is known even when parsing fails.
     */
    public static boolean strictRequested(String agentArgs, Properties properties) {
        String value = properties.getProperty(PROPERTY_PREFIX + Option.STRICT.key());
        try {
            for (String[] pair : split(agentArgs)) {
                if (pair[0].equals(Option.STRICT.key())) {
                    value = pair[1];
                }
            }
        } catch (ConfigException e) {
            // the same error is reported by parse()
        }
        return value != null && value.trim().equalsIgnoreCase("true");
    }

    private static List<String[]> split(String agentArgs) {
        List<String[]> pairs = new ArrayList<>();
        if (agentArgs == null || agentArgs.isBlank()) {
            return pairs;
        }
        for (String item : agentArgs.split(",")) {
            if (item.isBlank()) {
                continue;
            }
            int eq = item.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException(String.format(Locale.ROOT,
                        "bad agent argument '%s': expected key=value pairs separated by ','",
                        Option.shown(item.trim())));
            }
            pairs.add(new String[] {item.substring(0, eq).trim(), item.substring(eq + 1)});
        }
        return pairs;
    }

    private static ConfigException unknown(String key, String value, String origin) {
        StringJoiner known = new StringJoiner(", ");
        for (Option o : Option.values()) {
            known.add(o.key());
        }
        Option near = Option.closest(key);
        return new ConfigException(String.format(Locale.ROOT, "unknown option %s=%s (%s): %sknown options are %s",
                Option.shown(key), Option.shown(value), origin, near == null ? "" : "did you mean " + near.key() + "? ",
                known));
    }

    public boolean enabled() {
        return (Boolean) values.get(Option.ENABLED);
    }

    public boolean strict() {
        return (Boolean) values.get(Option.STRICT);
    }

    public int stackDepth() {
        return (Integer) values.get(Option.STACK_DEPTH);
    }

    /** Whether call sites may be told apart from the VM's backtrace (else by a StackWalker walk). */
    public boolean callSitesBacktrace() {
        return (Boolean) values.get(Option.CALLSITES_BACKTRACE);
    }

    public int callSitesMax() {
        return (Integer) values.get(Option.CALLSITES_MAX);
    }

    public int destinationsMax() {
        return (Integer) values.get(Option.DESTINATIONS_MAX);
    }

    public int connectionsMax() {
        return (Integer) values.get(Option.CONNECTIONS_MAX);
    }

    public int closesMax() {
        return (Integer) values.get(Option.CLOSES_MAX);
    }

    /** Milliseconds between census passes. */
    public long censusIntervalMillis() {
        return (Long) values.get(Option.CENSUS_INTERVAL);
    }

    public String procRoot() {
        return (String) values.get(Option.PROC_ROOT);
    }

    /** {@code churn.budget} as a fraction: 0.05 for 5%. */
    public double churnBudgetShare() {
        return (Double) values.get(Option.CHURN_BUDGET);
    }

    /** {@code churn.rate} in connects per second. */
    public double churnRate() {
        return (Double) values.get(Option.CHURN_RATE);
    }

    public long churnLifetimeMillis() {
        return (Long) values.get(Option.CHURN_LIFETIME);
    }

    /** Milliseconds between periodic reports; 0: none. */
    public long reportIntervalMillis() {
        return (Long) values.get(Option.REPORT_INTERVAL);
    }

    public boolean reportOnExit() {
        return (Boolean) values.get(Option.REPORT_ON_EXIT);
    }

    /** Where reports go instead of SLF4J or stderr; empty for none. */
    public String reportFile() {
        return (String) values.get(Option.REPORT_FILE);
    }

    /** {@code warn.headroom} as a fraction. */
    public double warnHeadroomShare() {
        return (Double) values.get(Option.WARN_HEADROOM);
    }

    public long leakAgeMillis() {
        return (Long) values.get(Option.LEAK_AGE);
    }

    public boolean jfrEnabled() {
        return (Boolean) values.get(Option.JFR_ENABLED);
    }

    public int jmxRows() {
        return (Integer) values.get(Option.JMX_ROWS);
    }

    /** Library prefixes: the {@code libraries} list followed by {@code libraries.add}. */
    @SuppressWarnings("unchecked")
    public List<String> libraries() {
        List<String> all = new ArrayList<>((List<String>) values.get(Option.LIBRARIES));
        all.addAll((List<String>) values.get(Option.LIBRARIES_ADD));
        return Collections.unmodifiableList(all);
    }

    /** The options that were set explicitly, as {@code key=value,...}; empty when all are defaults. */
    public String explicitOptions() {
        return source;
    }

    /** The value of {@code option}, typed per {@link Option.Kind}; for tests and reports. */
    public Object get(Option option) {
        return values.get(option);
    }
}
