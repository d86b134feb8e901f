package io.ephemera.track;

import java.security.CodeSource;
import java.util.List;

/**
 * What a stack frame's class is, computed once per class: the agent itself, the JDK, a client
 * library or framework, or the application.
 */
enum FrameKind {
    AGENT, JDK, LIBRARY, APPLICATION;

    private static final String[] JDK_PREFIXES = {"java.", "javax.", "jdk.", "sun.", "com.sun."};

    /** JDK classes that only carry the connection down to the socket: never a useful label. */
    private static final String[] PLUMBING_PREFIXES = {
        "java.net.", "javax.net.", "sun.net.www.", "sun.nio.ch.", "java.nio.channels.", "sun.security.ssl.",
        "jdk.internal.", "java.lang.", "java.util.", "java.security."
    };

    static boolean isPlumbing(String className) {
        for (String p : PLUMBING_PREFIXES) {
            if (className.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    /** Classifies classes, caching the answer per class. */
    static final class Classifier extends ClassValue<FrameKind> {
        private final String[] libraries;
        private final CodeSource agentSource;

        Classifier(List<String> libraries, CodeSource agentSource) {
            this.libraries = libraries.toArray(new String[0]);
            this.agentSource = agentSource;
        }

        @Override
        protected FrameKind computeValue(Class<?> type) {
            return classify(type.getName(), type);
        }

        FrameKind classify(String name, Class<?> type) {
            if (name.startsWith("io.ephemera.") && (name.startsWith("io.ephemera.hook.") || isAgentClass(type))) {
                return AGENT;
            }
            for (String p : JDK_PREFIXES) {
                if (name.startsWith(p)) {
                    return JDK;
                }
            }
            for (String p : libraries) {
                if (name.startsWith(p)) {
                    return LIBRARY;
                }
            }
            return APPLICATION;
        }

        private boolean isAgentClass(Class<?> type) {
            if (type == null || agentSource == null) {
                return false;
            }
            try {
                CodeSource cs = type.getProtectionDomain().getCodeSource();
                return cs != null && cs.getLocation() != null
                        && cs.getLocation().equals(agentSource.getLocation());
            } catch (RuntimeException e) {
                return false;
            }
        }
    }
}
