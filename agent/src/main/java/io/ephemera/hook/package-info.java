/**
 * The bootstrap side of the agent: {@link io.ephemera.hook.Hook}, its
 * {@link io.ephemera.hook.Sink}, and {@link io.ephemera.hook.Woven}, which the woven calls reach.
 *
 * <p>These classes are copied into the bootstrap class loader before any JDK class is
 * instrumented, because the calls woven into {@code java.net} and {@code sun.nio.ch} can see
 * nothing else. Rules: depend on the JDK only; catch every throwable; allocate nothing on the
 * path of a successful event; never log.
 */
package io.ephemera.hook;
