package io.ephemera.agent;

import io.ephemera.config.Config;
import io.ephemera.config.ConfigException;

import java.lang.instrument.Instrumentation;
import java.nio.file.Path;

/**
 * The agent's entry points: {@code -javaagent:ephemera-agent.jar[=key=value,...]} and dynamic
 * attach. They parse, install and nothing else, inside one failure policy: nothing escapes to the
 * JVM (an exception out of premain stops it), except a bad option under {@code strict=true}.
 */
public final class Agent {

    private Agent() {
    }

    public static void premain(String args, Instrumentation inst) {
        start(args, inst, false);
    }

    public static void agentmain(String args, Instrumentation inst) {
        if (AgentCommand.isCommand(args)) {
            command(args);
            return;
        }
        start(args, inst, true);
    }

    /**
     * A request from the command line ({@code report}), carried by a second load of this jar: it is
     * answered by the agent already running here, and changes nothing. Never throws.
     */
    private static void command(String args) {
        try {
            AgentCommand.answer(args, AgentRuntime.reports());
        } catch (Throwable t) {
            Log.error("could not answer a command from the command line: " + t);
        }
    }

    private static synchronized void start(String args, Instrumentation inst, boolean attached) {
        boolean strict = false;
        try {
            strict = Config.strictRequested(args, System.getProperties());
            Config config = Config.parse(args, System.getProperties());
            if (!config.enabled()) {
                Log.info("enabled=false: the agent is loaded but does nothing");
                return;
            }
            if (BootstrapInjector.agentAlreadyInstalled()) {
                Log.warn("already loaded in this JVM; this second load is ignored"
                        + (config.explicitOptions().isEmpty() ? "" : " and its options (" + config.explicitOptions()
                        + ") are not applied"));
                return;
            }
            BootstrapInjector.inject(inst);
            AgentRuntime.start(config, inst, attached); // first use of Hook: only after inject()
        } catch (ConfigException e) {
            if (strict) {
                Log.error(e.getMessage() + "; strict=true: stopping");
                throw new IllegalArgumentException("ephemera: " + e.getMessage());
            }
            Log.off(e.getMessage());
        } catch (Throwable t) {
            Log.off(missingByteBuddy(t) ? jar() + " lacks Byte Buddy (" + t + "): use the agent's jar, "
                    + "agent/target/ephemera-agent.jar after the build, which carries it" : "could not start: " + t);
        }
    }

    /**
     * Whether the agent's classes were loaded without the Byte Buddy the real jar carries inside
     * it, relocated or not: the build's unshaded intermediate jar, or a jar cut short.
     */
    private static boolean missingByteBuddy(Throwable t) {
        Throwable c = t;
        for (int i = 0; c != null && i < 10; i++, c = c.getCause()) { // bounded: a cause chain may loop
            String m = c.getMessage();
            if ((c instanceof NoClassDefFoundError || c instanceof ClassNotFoundException) && m != null
                    && (m.contains("net/bytebuddy/") || m.contains("net.bytebuddy."))) {
                return true;
            }
        }
        return false;
    }

    /** This class's jar, as the JVM was given it; "this jar" when that cannot be told. */
    private static String jar() {
        try {
            return Path.of(Agent.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                    .toString();
        } catch (Exception | LinkageError e) {
            return "this jar";
        }
    }
}
