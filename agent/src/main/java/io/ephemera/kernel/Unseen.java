package io.ephemera.kernel;

import io.ephemera.track.Destination;

import java.util.Map;

/**
 * The TCP sockets this JVM holds that no hook saw: a transport nobody hooked, a JNI driver. A
 * socket counts once two census passes in a row found it among this process's descriptors with
 * no connection of the tracker on its 4-tuple (one pass may run between a connect returning and
 * its hook recording it). Sockets already open when the agent was attached (or reset) are
 * preexisting, not unseen. Connections still being established (SYN_SENT) are not counted.
 *
 * @param count           unseen sockets at the last census
 * @param preexisting     sockets this JVM held when the agent was attached, still open
 * @param byDestination   unseen outbound sockets by destination
 * @param inboundByPort   unseen inbound sockets (accepted on a listening port) by that local port
 */
public record Unseen(long count, long preexisting, Map<Destination, Long> byDestination,
                     Map<Integer, Long> inboundByPort) {

    static final Unseen NONE = new Unseen(0, 0, Map.of(), Map.of());

    /** Unseen outbound sockets toward {@code d}. */
    public long toward(Destination d) {
        return byDestination.getOrDefault(d, 0L);
    }
}
