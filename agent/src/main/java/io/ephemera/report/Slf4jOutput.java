package io.ephemera.report;

import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;

/**
 * The application's own SLF4J, reached by reflection through the class loader that loaded it,
 * logging to {@code io.ephemera.report}: reports land in the application's log files. The agent
 * bundles no SLF4J, so it never changes the application's logging. Found lazily, at report time,
 * after the application had a chance to configure its logging; used only when a real provider is
 * bound (not the no-op one).
 */
final class Slf4jOutput implements ReportOutput {

    static final String LOGGER = "io.ephemera.report";

    private final Object logger;
    private final Method debug;
    private final Method info;
    private final Method warn;
    private final String provider;

    private Slf4jOutput(Object logger, Method debug, Method info, Method warn, String provider) {
        this.logger = logger;
        this.debug = debug;
        this.info = info;
        this.warn = warn;
        this.provider = provider;
    }

    /** The application's SLF4J with a real provider, or null. */
    static Slf4jOutput find(Instrumentation inst) {
        Class<?> factory = loaded(inst);
        if (factory == null) {
            return null;
        }
        try {
            Object iLoggerFactory = factory.getMethod("getILoggerFactory").invoke(null);
            String provider = iLoggerFactory.getClass().getName();
            if (provider.contains("NOPLoggerFactory") || provider.contains("SubstituteLoggerFactory")) {
                return null;
            }
            Object logger = factory.getMethod("getLogger", String.class).invoke(null, LOGGER);
            Class<?> loggerType = Class.forName("org.slf4j.Logger", false, factory.getClassLoader());
            return new Slf4jOutput(logger, loggerType.getMethod("debug", String.class),
                    loggerType.getMethod("info", String.class), loggerType.getMethod("warn", String.class), provider);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }

    /** {@code org.slf4j.LoggerFactory} as the application loaded it, if it did. */
    private static Class<?> loaded(Instrumentation inst) {
        try {
            return Class.forName("org.slf4j.LoggerFactory", false, ClassLoader.getSystemClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            // not on the class path: perhaps in an application class loader (a fat jar, a container)
        }
        if (inst == null) {
            return null;
        }
        for (Class<?> c : inst.getAllLoadedClasses()) {
            if (c.getName().equals("org.slf4j.LoggerFactory") && c.getClassLoader() != null) {
                return c;
            }
        }
        return null;
    }

    @Override
    public void write(Level level, String message) {
        try {
            (level == Level.DEBUG ? debug : level == Level.INFO ? info : warn).invoke(logger, message);
        } catch (ReflectiveOperationException | RuntimeException e) {
            System.err.println(message);
        }
    }

    @Override
    public String describe() {
        return "SLF4J logger " + LOGGER + " (" + provider + ")";
    }
}
