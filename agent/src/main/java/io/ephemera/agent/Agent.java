package io.ephemera.agent;

import io.ephemera.config.Config;
import io.ephemera.config.ConfigException;

import java.lang.instrument.Instrumentation;

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
            Log.error(e.getMessage() + "; the agent is off and the application runs without it");
        } catch (Throwable t) {
            Log.error("could not start: " + t + "; the agent is off and the application runs without it");
        }
    }
}
