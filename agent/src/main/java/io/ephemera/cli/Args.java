package io.ephemera.cli;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One command's arguments: positionals, {@code --flag}s and {@code --option value} (or
 * {@code --option=value}). Anything else that starts with {@code -} is a usage error naming it;
 * {@code --} ends the options.
 */
final class Args {

    /** The largest pid Linux hands out ({@code PID_MAX_LIMIT} on 64-bit). */
    static final long MAX_PID = 4_194_304;

    private final String command;
    private final List<String> positional;
    private final Set<String> flags;
    private final Map<String, String> values;

    private Args(String command, List<String> positional, Set<String> flags, Map<String, String> values) {
        this.command = command;
        this.positional = List.copyOf(positional);
        this.flags = Set.copyOf(flags);
        this.values = Map.copyOf(values);
    }

    /**
     * @param booleanFlags flags without a value, {@code --json}
     * @param valueFlags   options followed by a value, {@code --proc}
     */
    static Args parse(String command, List<String> args, Set<String> booleanFlags, Set<String> valueFlags) {
        List<String> positional = new ArrayList<>();
        Set<String> flags = new HashSet<>();
        Map<String, String> values = new HashMap<>();
        boolean options = true;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (options && a.equals("--")) {
                options = false;
            } else if (options && a.startsWith("-") && a.length() > 1 && !isNumber(a)) {
                int eq = a.indexOf('=');
                String name = eq < 0 ? a : a.substring(0, eq);
                if (booleanFlags.contains(name) && eq < 0) {
                    flags.add(name);
                } else if (valueFlags.contains(name)) {
                    String value;
                    if (eq >= 0) {
                        value = a.substring(eq + 1);
                    } else if (i + 1 < args.size()) {
                        value = args.get(++i);
                    } else {
                        throw Failure.usage(command + ": " + name + " needs a value");
                    }
                    values.put(name, value);
                } else {
                    throw Failure.usage(command + ": unknown option '" + a + "'" + known(booleanFlags, valueFlags)
                            + "; see " + command + " --help");
                }
            } else {
                positional.add(a);
            }
        }
        return new Args(command, positional, flags, values);
    }

    /** {@code -5}: a negative number, left for the positional checks to reject. */
    private static boolean isNumber(String a) {
        return Numbers.digits(a.substring(1), 18);
    }

    private static String known(Set<String> booleanFlags, Set<String> valueFlags) {
        List<String> all = new ArrayList<>(booleanFlags);
        all.addAll(valueFlags);
        Collections.sort(all);
        return all.isEmpty() ? " (it takes none)" : " (known: " + String.join(", ", all) + ")";
    }

    List<String> positional() {
        return positional;
    }

    boolean flag(String name) {
        return flags.contains(name);
    }

    String value(String name, String otherwise) {
        return values.getOrDefault(name, otherwise);
    }

    /** Fails unless there are between {@code min} and {@code max} positionals. */
    Args expect(int min, int max, String what) {
        if (positional.size() < min) {
            throw Failure.usage(command + ": missing " + what + "; usage: " + Usage.synopsis(command));
        }
        if (positional.size() > max) {
            throw Failure.usage(command + ": unexpected argument '" + positional.get(max) + "'; usage: "
                    + Usage.synopsis(command));
        }
        return this;
    }

    /** The positional at {@code index} as a process id. */
    long pid(int index) {
        return pid(command, positional.get(index));
    }

    static long pid(String command, String text) {
        long pid = -1;
        if (Numbers.digits(text, 7)) {
            pid = Long.parseLong(text);
        }
        if (pid <= 0 || pid > MAX_PID) {
            throw Failure.usage(command + ": '" + text + "' is not a process id (a number from 1 to " + MAX_PID + ")");
        }
        return pid;
    }

    /** The value of {@code name} as an integer in [min, max], or {@code otherwise} when absent. */
    int intValue(String name, int otherwise, int min, int max) {
        String v = values.get(name);
        if (v == null) {
            return otherwise;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw Failure.usage(command + ": " + name + " " + v + ": expected a number from " + min + " to " + max);
    }
}
