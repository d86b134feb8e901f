package io.ephemera.cli;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Properties;

/**
 * An open attach-API connection to one JVM, after the checks that make a failure say why: the
 * process exists, is this user's (or we are root), is a JVM, and accepts attach. Detached on close.
 */
final class Attachment implements AutoCloseable {

    /** The system property the running agent sets in its JVM. */
    static final String VERSION_PROPERTY = "ephemera.agent.version";

    private final TargetProcess target;
    private final VirtualMachine vm;
    private Properties properties;

    private Attachment(TargetProcess target, VirtualMachine vm, Properties properties) {
        this.target = target;
        this.vm = vm;
        this.properties = properties;
    }

    /**
     * Checks the process, attaches and reads its system properties.
     *
     * @param disabledHint what to do instead when the JVM refuses attach
     */
    static Attachment open(TargetProcess target, User me, String disabledHint) {
        check(target, me, disabledHint);
        VirtualMachine vm;
        try {
            vm = VirtualMachine.attach(Long.toString(target.pid()));
        } catch (AttachNotSupportedException e) {
            throw Failure.failed("cannot attach to JVM " + target.describe() + ": " + e.getMessage()
                    + " (a JVM started with -XX:+DisableAttachMechanism, possibly through an options file, refuses "
                    + "every attach; " + disabledHint + ")");
        } catch (IOException e) {
            throw Failure.failed("cannot attach to JVM " + target.describe() + ": " + e.getMessage()
                    + permissionHint(e, target));
        }
        try {
            return new Attachment(target, vm, vm.getSystemProperties());
        } catch (IOException e) {
            detach(vm);
            throw Failure.failed("attached to JVM " + target.describe() + " but could not read its system properties: "
                    + e.getMessage());
        }
    }

    /** The checks before attaching, each with its own message. */
    static void check(TargetProcess target, User me, String disabledHint) {
        long pid = target.pid();
        if (pid == ProcessHandle.current().pid()) {
            throw Failure.failed("process " + pid + " is this command itself");
        }
        if (!target.exists()) {
            throw Failure.failed("no process " + pid);
        }
        User owner = target.owner();
        if (owner == null) {
            throw Failure.failed("no process " + pid + " (it has just ended)");
        }
        if (!me.isRoot() && owner.uid() != me.uid()) {
            throw Failure.failed("process " + pid + " belongs to user " + owner + " and you are " + me
                    + ": a JVM lets only its own user (or root) attach; run this command as " + owner.name()
                    + ", e.g. sudo -u " + owner.name() + " java -jar " + AgentJar.forMessages() + " ...");
        }
        Boolean jvm = target.isJvm();
        if (Boolean.FALSE.equals(jvm)) {
            throw Failure.failed("process " + target.describe() + " is not a Java virtual machine (no libjvm.so in "
                    + "/proc/" + pid + "/maps)");
        }
        if (jvm == null) {
            Long alias = NestedJvms.scan().aliasOf(pid);
            if (alias != null && alias != pid) {
                throw Failure.failed("process " + target.describe() + " is not the JVM that answers to " + pid
                        + " here: that is JVM " + TargetProcess.of(alias).describe() + ", pid " + pid + " in a PID "
                        + "namespace of its own; name it by its pid here, " + alias);
            }
        }
        if (Boolean.TRUE.equals(target.flag("DisableAttachMechanism"))) {
            throw Failure.failed("JVM " + target.describe() + " runs with -XX:+DisableAttachMechanism: it refuses "
                    + "every attach (this command, jcmd, jconsole); " + disabledHint);
        }
    }

    private static String permissionHint(IOException e, TargetProcess target) {
        String m = String.valueOf(e.getMessage());
        if (m.contains("not permitted") || m.contains("ermission denied")) {
            User owner = target.owner();
            return " (run this command as the JVM's user" + (owner == null ? "" : ", " + owner.name()) + ")";
        }
        return "";
    }

    TargetProcess target() {
        return target;
    }

    Properties properties() {
        return properties;
    }

    /** The version of ephemera running there, or null when it is not loaded. */
    String agentVersion() {
        return properties.getProperty(VERSION_PROPERTY);
    }

    /** The JVM's Java feature release (17, 21, 25), or 0 when unknown. */
    int javaFeature() {
        return javaFeature(properties.getProperty("java.specification.version"));
    }

    static int javaFeature(String specificationVersion) {
        if (specificationVersion == null) {
            return 0;
        }
        String s = specificationVersion.startsWith("1.") ? specificationVersion.substring(2) : specificationVersion;
        try {
            return Integer.parseInt(s.split("\\.")[0]);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Loads the agent jar there, then rereads the system properties to see whether it started. */
    void loadAgent(Path jar, String options) {
        try {
            vm.loadAgent(jar.toString(), options.isEmpty() ? null : options);
        } catch (AgentInitializationException e) {
            throw Failure.failed("the agent failed to start in JVM " + target.describe() + " (agentmain returned "
                    + e.returnValue() + "): see that JVM's stderr for the line starting with 'ephemera:'");
        } catch (AgentLoadException e) {
            throw Failure.failed("JVM " + target.describe() + " could not load the agent " + jar + ": "
                    + e.getMessage() + " (the jar must be readable by that JVM's user at this path)");
        } catch (IOException e) {
            throw Failure.failed("lost JVM " + target.describe() + " while loading the agent: " + e.getMessage());
        }
        try {
            properties = vm.getSystemProperties();
        } catch (IOException e) {
            throw Failure.failed("loaded the agent into JVM " + target.describe()
                    + " but could not read its system properties afterwards: " + e.getMessage());
        }
    }

    /**
     * Sends a request to the agent running there ({@link io.ephemera.agent.AgentCommand}): loads
     * its jar again, as the JVM sees its path, with the request as the argument. The running agent
     * answers into the reply file before the load returns; nothing stays behind in the JVM.
     */
    void request(String jar, String request) {
        try {
            vm.loadAgent(jar, request);
        } catch (AgentInitializationException e) {
            throw Failure.failed("ephemera in JVM " + target.describe() + " failed to answer (agentmain returned "
                    + e.returnValue() + "): see that JVM's stderr for the line starting with 'ephemera:'");
        } catch (AgentLoadException e) {
            throw Failure.failed("JVM " + target.describe() + " could not load " + jar + " to ask its agent: "
                    + e.getMessage());
        } catch (IOException e) {
            throw Failure.failed("lost JVM " + target.describe() + " while asking its agent: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        detach(vm);
    }

    private static void detach(VirtualMachine vm) {
        try {
            vm.detach();
        } catch (IOException e) {
            // the JVM went away: nothing is left to release
        }
    }
}
