package io.ephemera.agent;

import io.ephemera.hook.Sink;
import io.ephemera.kernel.Census;
import io.ephemera.kernel.KernelView;

import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * The test switch {@code -Dephemera.test.faults=tracker,census,report,...}: faults injected into the
 * agent's own parts, to prove that the application never notices them. Read once at startup; with
 * the property absent every method hands back what it was given, so the hot path pays nothing.
 *
 * <ul>
 * <li>{@code tracker}: every event the hook delivers throws before it reaches the tracker;
 * <li>{@code census}: every census pass throws; {@code census-hang}: the first pass never ends;
 *     {@code census-die}: the census thread ends with an error before its first pass;
 * <li>{@code report}: every report throws; {@code report-hang}: every report blocks forever
 *     (a shutdown in the middle of a report);
 * <li>{@code unhook-libraries}: libraries' classes (Netty's native transport) are left as they are,
 *     a transport the agent does not see, for the census's unseen connections.
 * </ul>
 */
final class Faults {

    static final String PROPERTY = "ephemera.test.faults";

    private final Set<String> on;

    private Faults(Set<String> on) {
        this.on = on;
    }

    static Faults fromSystemProperties() {
        String value = System.getProperty(PROPERTY, "");
        Set<String> on = new TreeSet<>(Arrays.asList(value.split(",")));
        on.remove("");
        if (!on.isEmpty()) {
            Log.warn("test faults injected (" + PROPERTY + "=" + String.join(",", on) + ")");
        }
        return new Faults(on);
    }

    /** The sink the hook calls: {@code tracker} itself unless the tracker fault is on. */
    Sink sink(Sink tracker) {
        return on.contains("tracker") ? failing(tracker) : tracker;
    }

    /** Whether libraries' classes are hooked as they load. */
    boolean hookLibraries() {
        return !on.contains("unhook-libraries");
    }

    /** The census thread's task. */
    Runnable censusTask(Census census) {
        if (on.contains("census")) {
            census.beforePass(() -> {
                throw new InjectedFault("census");
            });
        }
        if (on.contains("census-hang")) {
            census.beforePass(Faults::blockForever);
        }
        if (on.contains("census-die")) {
            return () -> {
                throw new InjectedFault("census-die");
            };
        }
        return census;
    }

    /** The kernel view as the reporter reads it, once per report. */
    Supplier<KernelView> reportKernel(Supplier<KernelView> kernel) {
        if (on.contains("report-hang")) {
            return () -> {
                blockForever();
                return kernel.get();
            };
        }
        if (on.contains("report")) {
            return () -> {
                throw new InjectedFault("report");
            };
        }
        return kernel;
    }

    private static void blockForever() {
        Object never = new Object();
        synchronized (never) {
            while (true) {
                try {
                    never.wait();
                } catch (InterruptedException e) {
                    // a hang that an interrupt does not end, like a stuck read
                }
            }
        }
    }

    /** Thrown by an injected fault; its name says which. */
    static final class InjectedFault extends RuntimeException {
        private static final long serialVersionUID = 1L;

        InjectedFault(String fault) {
            super("injected fault: " + fault + " (" + PROPERTY + ")");
        }
    }

    /**
     * Throws on every event; failures themselves still reach the tracker's count. A proxy, so that
     * it throws on whatever events {@link Sink} has.
     */
    private static Sink failing(Sink tracker) {
        return (Sink) Proxy.newProxyInstance(Faults.class.getClassLoader(), new Class<?>[] {Sink.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("agentError")) {
                        tracker.agentError((Throwable) args[0]);
                        return null;
                    }
                    if (method.getDeclaringClass() == Object.class) {
                        return method.invoke(tracker, args);
                    }
                    throw new InjectedFault("tracker");
                });
    }
}
