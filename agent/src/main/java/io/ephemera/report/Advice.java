package io.ephemera.report;

import io.ephemera.analysis.Assessment;
import io.ephemera.analysis.HoldTime;
import io.ephemera.kernel.KernelView;
import io.ephemera.track.CallSite;
import io.ephemera.track.Peer;

import java.net.InetAddress;

/**
 * What to do about a finding, fitted to it: the cure first (reuse connections), the likely mistake
 * where the stack shows a known client library, and the sysctls with this host's values, presented
 * as headroom, never as the cure.
 */
final class Advice {

    private Advice() {
    }

    static String churn(String stack, KernelView view, InetAddress destination, boolean bindsFirst) {
        StringBuilder b = new StringBuilder("reuse connections (keep-alive, a pool, one shared client)");
        String hint = libraryHint(stack);
        if (!hint.isEmpty()) {
            b.append("; ").append(hint);
        }
        if (bindsFirst) {
            b.append("; this code binds before connecting, so it draws from one host-wide pool shared by every "
                    + "destination and runs out as 'Address already in use': drop the bind");
        }
        b.append("; ").append(sysctls(view, destination));
        return b.toString();
    }

    /**
     * What is true for a churning peer, by how most of its connections ended: reset (no TIME_WAIT
     * anywhere, every request pays a handshake), closed by the peer (its ports held in TIME_WAIT
     * toward this backend), or closed here (TIME_WAIT on this backend's service port).
     */
    static String peerChurn(Assessment.PeerVerdict v, CallSite self) {
        Peer p = v.peer();
        String who = "peer " + p.host();
        String opens = who + " opens " + LogFmt.decimal(p.acceptRatePerSecond(10)) + " connections/s to :"
                + p.localPort();
        long here = p.ended(Peer.Ending.CLOSED_HERE);
        long byPeer = p.ended(Peer.Ending.CLOSED_BY_PEER);
        long reset = p.ended(Peer.Ending.RESET_BY_PEER);
        String what;
        if (reset >= byPeer && reset >= here) {
            what = opens + " and resets them: every request pays a new TCP connection";
        } else if (byPeer >= here) {
            what = opens + " and closes them first: it holds about " + Math.round(v.projectedPeerPortUse())
                    + " of its ports in TIME_WAIT toward this backend, against the default range of "
                    + Assessment.ASSUMED_PEER_BUDGET + " ports (assumed: the peer's range is not visible from here)";
        } else {
            String count = v.ownedTimeWait() < 0 ? "" : v.ownedTimeWait() + " "; // unknown without the socket tables
            what = opens + " and this backend closes them first: " + count
                    + "TIME_WAIT sockets stay here on :" + p.localPort()
                    + " (they hold no ephemeral port of this host, but every request pays a new TCP connection)";
        }
        if (self != null) {
            return what + "; the peer is this JVM: the connections come from " + self.key()
                    + ", which should reuse them (see its churn finding)";
        }
        return what + "; enable keep-alive toward the backend (HAProxy: http-reuse always, no option http-server-close)";
    }

    static String exhaustion(KernelView view, InetAddress destination) {
        return "find the churning call sites below and reuse their connections; " + sysctls(view, destination);
    }

    static String addressNotAvailable(String stack, KernelView view) {
        return "no local port was left for this destination: " + churn(stack, view, null, false);
    }

    static String leak() {
        return "close the socket (try-with-resources); a dropped socket holds its port and file descriptor "
                + "until the garbage collector happens to run";
    }

    static String closeWait() {
        return "the peer closed these connections and the application never did: close the socket when a read "
                + "returns -1 or the peer's response is complete";
    }

    static String longLived() {
        return "informational: connections open this long are normal for a pool; a growing count without a pool "
                + "is a leak";
    }

    /** The likely mistake with the client library the stack shows, or empty. */
    static String libraryHint(String stack) {
        if (stack == null) {
            return "";
        }
        if (stack.contains("reactor.netty.")) {
            return "a Reactor Netty client built with ConnectionProvider.newConnection() has no pool: use the default "
                    + "pooled provider";
        }
        if (stack.contains("okhttp3.")) {
            return "a new OkHttpClient per call opens new connections, and OkHttp's default pool keeps only 5 idle "
                    + "connections: share one client and size its ConnectionPool to the concurrency";
        }
        if (stack.contains("org.apache.hc.") || stack.contains("org.apache.http.")) {
            return "a new Apache HttpClient per call, or a response not consumed to the end, defeats its pool: share "
                    + "one client and close each response";
        }
        if (stack.contains("jdk.internal.net.http.")) {
            return "a new java.net.http.HttpClient per call opens new connections: build one client and share it";
        }
        if (stack.contains("sun.net.www.protocol.http.") || stack.contains("java.net.HttpURLConnection")) {
            // measured on JDK 17 and 25 by UrlConnectionReuseIT: 50 requests, 1 connection or 50
            return "HttpURLConnection reuses a connection only when the response body (getErrorStream() on an error "
                    + "status) is read to the end and closed: disconnect() before that close, or 'Connection: close', "
                    + "costs a connection per request (disconnect() after the close is harmless)";
        }
        return "";
    }

    /**
     * The sysctl remedies with this host's values toward {@code destination} (null where a finding
     * has no single destination): headroom, not a cure.
     */
    static String sysctls(KernelView view, InetAddress destination) {
        if (!view.available()) {
            return "widening net.ipv4.ip_local_port_range or enabling net.ipv4.tcp_tw_reuse=1 buys headroom, not a cure";
        }
        String range = view.portRange().isEmpty() ? "could not be read" : "is " + view.portRange().replace('-', ' ');
        return "net.ipv4.ip_local_port_range " + range + " (widening it, e.g. to 1024 65535, buys headroom) and "
                + twReuse(destination, view.twReuse(), view.timestamps(), view.twReuseDelayMillis())
                + ": headroom, not a cure";
    }

    /**
     * What {@code tcp_tw_reuse} does toward {@code destination} and what changing it would buy,
     * from {@link HoldTime#reuseChange}: a value that changes nothing is never suggested.
     */
    static String twReuse(InetAddress destination, int twReuse, int timestamps, int reuseDelayMillis) {
        if (twReuse < 0) {
            return "net.ipv4.tcp_tw_reuse could not be read";
        }
        String is = "net.ipv4.tcp_tw_reuse is " + twReuse;
        if (destination == null) {
            return is + " (1 lets outgoing connects to every destination take over TIME_WAIT ports, 2 to loopback only)";
        }
        boolean loopback = destination.isLoopbackAddress();
        String toIt = "connects to " + (loopback ? "this loopback destination" : "this destination");
        String after = after(destination, timestamps, reuseDelayMillis);
        switch (HoldTime.reuseChange(destination, twReuse, timestamps)) {
            case ALREADY_APPLIES:
                return is + ", which already lets " + toIt + " take over a TIME_WAIT port " + after
                        + ": no value of it shortens the hold further";
            case WOULD_APPLY:
                return is + " (" + (loopback ? "2, the default, or 1" : "1") + " would let " + toIt
                        + " take over a TIME_WAIT port " + after + " instead of holding it "
                        + Math.round(HoldTime.TIME_WAIT_SECONDS) + "s" + (loopback ? "" : "; 2 covers loopback only")
                        + ")";
            case NEEDS_TIMESTAMPS:
                return is + " but net.ipv4.tcp_timestamps is 0, which disables it whatever its value (timestamps on"
                        + (HoldTime.reuse(destination, twReuse, 1) == HoldTime.Reuse.APPLIES ? ""
                        : ", with tcp_tw_reuse " + (loopback ? "2 or 1" : "1")) + ", would let " + toIt
                        + " take over a TIME_WAIT port " + after + " instead of holding it "
                        + Math.round(HoldTime.TIME_WAIT_SECONDS) + "s)";
            default:
                return is + " (whether it applies to this destination is unknown: net.ipv4.tcp_timestamps could not "
                        + "be read)";
        }
    }

    /** {@code after 1s}, or {@code after tcp_tw_reuse_delay} where the delay could not be read. */
    private static String after(InetAddress destination, int timestamps, int reuseDelayMillis) {
        double hold = HoldTime.seconds(destination, 1, timestamps == 0 ? 1 : timestamps, reuseDelayMillis);
        return HoldTime.known(hold) ? "after " + LogFmt.seconds(hold) : "after tcp_tw_reuse_delay";
    }

    static String unjudged() {
        return "what the kernel did not give is unknown, never guessed: check that proc.root is this JVM's /proc "
                + "(the default) and that its sys/net/ipv4 and net/tcp, net/tcp6 can be read; call sites are still "
                + "judged by connect rate and connection lifetime (churn.rate, churn.lifetime)";
    }
}
