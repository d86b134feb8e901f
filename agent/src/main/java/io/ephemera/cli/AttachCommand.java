package io.ephemera.cli;

import io.ephemera.config.Config;
import io.ephemera.config.ConfigException;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * {@code attach <pid> [key=value,...]}: loads the agent into a running JVM, once. The options are
 * checked here first (a bad one is a usage error, and nothing is loaded); the JVM's system
 * properties tell whether ephemera is already there, before anything is loaded.
 */
final class AttachCommand implements Command {

    private static final String DISABLED_HINT = "start it with -javaagent:" + AgentJar.forMessages() + " instead";

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) {
        Args a = Args.parse("attach", args, Set.of(), Set.of()).expect(1, Integer.MAX_VALUE, "the process id");
        long pid = a.pid(0);
        String options = options(a.positional().subList(1, a.positional().size()));
        Config config = validate(options, new Properties(), "");
        Path jar = AgentJar.locate();
        TargetProcess target = TargetProcess.of(pid);
        User me = User.current();
        try (Attachment at = Attachment.open(target, me, DISABLED_HINT)) {
            String loaded = at.agentVersion();
            if (loaded != null) {
                throw Failure.alreadyLoaded("ephemera " + loaded + " is already loaded in JVM " + target.describe()
                        + "; nothing done" + (options.isEmpty() ? "" : ": the options " + options + " are not applied "
                        + "(an agent reads its options once, when it starts; to change them, restart the JVM with "
                        + "-javaagent:" + jar + "=" + options + ")"));
            }
            // the JVM's own -Dephemera.* properties count too: a bad one would leave the agent off
            config = validate(options, ephemeraProperties(at.properties()),
                    " with JVM " + pid + "'s -Dephemera.* properties");
            int feature = at.javaFeature();
            if (feature >= 21 && Boolean.FALSE.equals(target.flag("EnableDynamicAgentLoading"))) {
                throw Failure.failed("JVM " + target.describe() + " runs with -XX:-EnableDynamicAgentLoading: it "
                        + "refuses agents loaded at run time; " + DISABLED_HINT);
            }
            at.loadAgent(Path.of(JarInside.pathFor(target, jar, at.properties(), me)), options);
            String version = at.agentVersion();
            if (!config.enabled()) {
                out.println("ephemera: loaded into JVM " + target.describe() + " with enabled=false: it stays inert");
                return Exit.OK;
            }
            if (version == null) {
                throw Failure.failed("the agent did not start in JVM " + target.describe()
                        + ": see that JVM's stderr for the line starting with 'ephemera:'");
            }
            out.println("ephemera: attached to JVM " + target.describe() + ", Java " + javaVersion(at)
                    + ": ephemera " + version + " follows its TCP connections from now on"
                    + (options.isEmpty() ? "" : " (options " + config.explicitOptions() + ")"));
            if (feature >= 21 && !Boolean.TRUE.equals(target.flag("EnableDynamicAgentLoading"))) {
                out.println("ephemera: note: on Java " + feature + " that JVM prints a warning about a dynamically "
                        + "loaded agent unless started with -XX:+EnableDynamicAgentLoading; the agent works either "
                        + "way");
            }
            out.println("ephemera: connections opened before the attach are not counted; read the findings with: "
                    + "java -jar " + jar + " report " + pid);
            return Exit.OK;
        }
    }

    /** The option words joined into the agent's argument string {@code key=value,key=value}. */
    static String options(List<String> words) {
        StringBuilder b = new StringBuilder();
        for (String w : words) {
            String t = w.strip();
            if (t.isEmpty()) {
                continue;
            }
            if (b.length() > 0) {
                b.append(',');
            }
            b.append(t);
        }
        return b.toString();
    }

    /** The configuration the agent would start with; a bad option is a usage error naming it. */
    static Config validate(String options, Properties properties, String context) {
        try {
            return Config.parse(options, properties);
        } catch (ConfigException e) {
            if (context.isEmpty()) {
                throw Failure.usage("attach: " + e.getMessage());
            }
            throw Failure.failed("the agent would not start" + context + ": " + e.getMessage() + "; nothing loaded");
        }
    }

    private static Properties ephemeraProperties(Properties all) {
        Properties p = new Properties();
        for (Map.Entry<Object, Object> e : all.entrySet()) {
            if (e.getKey() instanceof String && ((String) e.getKey()).startsWith(Config.PROPERTY_PREFIX)
                    && e.getValue() instanceof String) {
                p.setProperty((String) e.getKey(), (String) e.getValue());
            }
        }
        return p;
    }

    private static String javaVersion(Attachment at) {
        return at.properties().getProperty("java.version", "?");
    }
}
