package io.ephemera.hook;

import java.io.FileDescriptor;
import java.net.SocketAddress;

/**
 * Receives what the advice saw. Implemented by the agent's tracker; {@link Hook} holds the one
 * instance. Every method is called on the application's thread, inside a JDK socket method: it
 * must be quick, must not block on I/O and must not take a lock that is held across I/O.
 *
 * <p>Only bootstrap types appear here, because this interface is loaded by the bootstrap class
 * loader next to the JDK classes that call it.
 */
public interface Sink {

    /**
     * A blocking connect returned normally. {@code boundFirst}: the socket was bound to a local
     * address before it connected, so its port came from the host-wide pool, not the destination's.
     */
    void connected(Object owner, int api, SocketAddress remote, boolean boundFirst);

    /** A blocking connect, or the start of a non-blocking one, threw. */
    void connectFailed(Object owner, int api, SocketAddress remote, Throwable thrown, boolean boundFirst);

    /** A non-blocking or asynchronous connect started on this thread and is in progress. */
    void connectPending(Object owner, int api, SocketAddress remote, boolean boundFirst);

    /** A connect that was pending completed. May be called repeatedly; only the first counts. */
    void pendingConnected(Object owner);

    /**
     * A pending connect failed: {@code thrown} is the cause when known, else {@code null}.
     * With {@code counted} false the attempt never reached the kernel and is only forgotten.
     */
    void pendingFailed(Object owner, Throwable thrown, boolean counted);

    /** An inbound connection was accepted; {@code owner} is the new socket or channel. */
    void accepted(Object owner, int api);

    /**
     * An inbound connection was accepted by a native transport; {@code remote} is the peer's address
     * as the transport read it from {@code accept(2)}.
     */
    void acceptedFrom(Object owner, int api, SocketAddress remote);

    /** The application closed {@code owner}; {@code fd} is the channel's descriptor where known. */
    void closed(Object owner, int api, FileDescriptor fd);

    /**
     * A read on {@code owner} saw the peer end the connection: end of stream (a FIN), or with
     * {@code reset} a connection reset. May be called more than once; the first counts.
     */
    void peerEnded(Object owner, boolean reset);

    /**
     * A library was asked, on this thread, for something that can lead to a new connection which
     * it will make on a thread of its own: {@code key} (its object for that request: a channel, a
     * call) remembers this thread's call site, unless it has one. Within an {@link #onBehalfBegin}
     * the key takes that call site instead, without a stack walk.
     */
    void intent(Object key);

    /** {@code to} takes the call site remembered for {@code from}, when it has none of its own. */
    void intentFollows(Object from, Object to);

    /**
     * A library's thread is about to connect (or to ask another library) for {@code key}: until
     * {@link #onBehalfEnd}, connects on this thread are attributed to the call site remembered for
     * {@code key}, when there is one. Returns what {@code onBehalfEnd} restores.
     */
    Object onBehalfBegin(Object key);

    /** Ends what {@link #onBehalfBegin} began; {@code token} is what it returned. */
    void onBehalfEnd(Object token);

    /** Something inside the agent failed on an application thread and was swallowed. */
    void agentError(Throwable error);
}
