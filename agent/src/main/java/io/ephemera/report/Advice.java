package io.ephemera.report;

import io.ephemera.analysis.Assessment;
import io.ephemera.analysis.ChurnVerdict;
import io.ephemera.analysis.HoldTime;
import io.ephemera.kernel.KernelView;
import io.ephemera.track.CallSite;
import io.ephemera.track.Peer;

import java.net.InetAddress;
import java.util.List;
import java.util.Set;
import java.util.StringJoiner;

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
     * toward this backend: this host's figures where the peer is this host, the default range's,
     * named as assumed, where not), or closed here (TIME_WAIT on this backend's service port).
     * Where the peer is this JVM, each of its call sites that makes the connections is named with
     * its share, and pointed to its churn finding only where {@code churnFindings} holds one.
     */
    static String peerChurn(Assessment.PeerVerdict v, List<SelfCaller> self, Set<CallSite> churnFindings) {
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
            what = opens + " and closes them first: " + peerPorts(v);
        } else {
            String count = v.ownedTimeWait() < 0 ? "" : v.ownedTimeWait() + " "; // unknown without the socket tables
            what = opens + " and this backend closes them first: " + count
                    + "TIME_WAIT sockets stay here on :" + p.localPort()
                    + " (they hold no ephemeral port of this host, but every request pays a new TCP connection)";
        }
        if (!self.isEmpty()) {
            StringJoiner sites = new StringJoiner(", ");
            for (SelfCaller c : self) {
                String share = self.size() > 1 ? c.describe() : c.site().key();
                sites.add(churnFindings.contains(c.site()) ? share + " (see its churn finding)" : share);
            }
            return what + "; the peer is this JVM: the connections come from " + sites
                    + (self.size() > 1 ? ", which should each reuse them" : ", which should reuse them");
        }
        return what + "; enable keep-alive toward the backend (HAProxy: http-reuse always, no option http-server-close)";
    }

    /** The ports the peer holds toward this backend, against what it has: this host's, or assumed. */
    private static String peerPorts(Assessment.PeerVerdict v) {
        String against = v.thisHost()
                ? (v.peerBudget() < 0 ? "this host's budget, which could not be read" : "this host's budget of "
                + v.peerBudget() + " ports toward it")
                : "the default range of " + Assessment.ASSUMED_PEER_BUDGET
                + " ports (assumed: the peer's range is not visible from here)";
        if (!HoldTime.known(v.peerHoldSeconds())) {
            return "how long it holds each port is unknown (a sysctl could not be read), against " + against;
        }
        String hold = "each held " + LogFmt.seconds(v.peerHoldSeconds());
        if (v.capped()) {
            return "at this rate it would need about " + Math.round(v.neededPeerPorts()) + " ports (" + hold
                    + "), more than " + against + ": it runs out of ports toward this backend (projected_peer_ports"
                    + " is capped at " + v.peerBudget() + ")";
        }
        return "it holds about " + Math.round(v.projectedPeerPortUse()) + " of its ports in TIME_WAIT toward this "
                + "backend (" + hold + "), against " + against;
    }

    static String exhaustion(KernelView view, InetAddress destination) {
        return "find the churning call sites below and reuse their connections; " + sysctls(view, destination);
    }

    static String addressNotAvailable(String stack, KernelView view, InetAddress destination) {
        return "no local port was left for this destination: " + churn(stack, view, destination, false);
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

    /** How a churn finding says its connections pile up: {@code piling up open: 150 open now, growing}. */
    static String pilingUp(long open) {
        return ChurnVerdict.Churn.PILING_UP_OPEN.label() + ": " + open + " open now, growing";
    }

    /**
     * For a site whose new connections pile up open: nothing is in TIME_WAIT yet, so no sysctl of
     * TIME_WAIT helps; every connection holds its port, and a file descriptor, while it is open.
     */
    static String pilingUpOpen(String stack, KernelView view, long open, long growth) {
        StringBuilder b = new StringBuilder("share one client and reuse its connections: this code opens a new "
                + "connection per call and leaves it open, idle, never reused (a new client, and its pool, per call): "
                + open + " open now, " + growth + " more than " + ChurnVerdict.WINDOW_SECONDS
                + "s ago; each holds a port toward its destination and a file descriptor until an idle timeout "
                + "closes it, and then it holds the port in TIME_WAIT");
        String hint = libraryHint(stack);
        if (!hint.isEmpty()) {
            b.append("; ").append(hint);
        }
        b.append("; net.ipv4.tcp_tw_reuse does nothing for a connection still open, and widening "
                + "net.ipv4.ip_local_port_range");
        if (view.available() && !view.portRange().isEmpty()) {
            b.append(" (").append(view.portRange().replace('-', ' ')).append(" now)");
        }
        return b.append(" buys headroom, not a cure").toString();
    }

    /**
     * The likely mistake with the client library the stack shows, or empty. A stack may hold the
     * frames of two threads: the application's, then a line {@code --- connected on thread ... ---},
     * then the frames of the library's thread that connected. The application's part names the
     * library it called, so it is read first; the other part only when the first names none. In
     * each part the more specific library wins ({@link Library}: Reactor Netty and gRPC over the
     * Netty they run on).
     */
    static String libraryHint(String stack) {
        if (stack == null || stack.isEmpty()) {
            return "";
        }
        int separator = stack.startsWith(THREAD_SEPARATOR) ? 0 : stack.indexOf("\n" + THREAD_SEPARATOR);
        if (separator < 0) {
            Library found = Library.in(stack);
            return found == null ? "" : found.hint;
        }
        Library found = Library.in(stack.substring(0, separator));
        if (found == null) {
            int thread = stack.indexOf('\n', separator + 1); // the separator line names a thread, not a frame
            found = thread < 0 ? null : Library.in(stack.substring(thread));
        }
        return found == null ? "" : found.hint;
    }

    /** The line a stack has between the application's frames and those of the thread that connected. */
    static final String THREAD_SEPARATOR = "--- connected on thread ";

    /** Client libraries whose mistakes cost a connection per call, most specific first. */
    enum Library {
        REACTOR_NETTY("a Reactor Netty HttpClient on HttpClient.newConnection() has no pool, and a ConnectionProvider "
                + "(or an HttpClient with one of its own) built per call starts an empty pool each time: build one "
                + "HttpClient.create() on the default pooled provider and share it", "reactor.netty."),
        GRPC("a gRPC channel built per call (ManagedChannelBuilder...build()) opens connections of its own, and one "
                + "never shutdown() keeps them open: build one ManagedChannel per target and reuse it for every call "
                + "(it multiplexes them); shutdown() it only when the application stops", "io.grpc."),
        OKHTTP("a new OkHttpClient() per call starts a connection pool of its own each time: share one client "
                + "(client.newBuilder() derives variants that share its pool) and close each Response; OkHttp's "
                + "default pool keeps only 5 idle connections: size its ConnectionPool to the concurrency", "okhttp3."),
        APACHE5("Apache HttpClient 5: HttpClients.createDefault() (or a builder's build()) per call starts a pool of "
                + "its own each time: share one CloseableHttpClient; and a response whose entity is not consumed "
                + "(EntityUtils.consume) and closed never gives its connection back to the pool", "org.apache.hc."),
        APACHE4("a new Apache HttpClient per call, or a response not consumed to the end, defeats its pool: share "
                + "one client and close each response", "org.apache.http."),
        JDK_HTTP_CLIENT("java.net.http.HttpClient.newHttpClient() (or a builder's build()) per call starts a "
                + "connection pool of its own each time, whose connections stay open until its keep-alive timeout: "
                + "build one client and share it (it is thread-safe)", "jdk.internal.net.http.", "java.net.http."),
        // measured on JDK 17 and 25 by UrlConnectionReuseIT: 50 requests, 1 connection or 50
        URL_CONNECTION("HttpURLConnection reuses a connection only when the response body (getErrorStream() on an "
                + "error status) is read to the end and closed: disconnect() before that close, or 'Connection: close', "
                + "costs a connection per request (disconnect() after the close is harmless)",
                "sun.net.www.protocol.http.", "java.net.HttpURLConnection"),
        NETTY("a Netty Bootstrap.connect() per message opens a channel each time: keep the channel open and write "
                + "every message to it (or a ChannelPool)", "io.netty.");

        private final String hint;
        private final String[] markers;

        Library(String hint, String... markers) {
            this.hint = hint;
            this.markers = markers;
        }

        /** The most specific library whose frames are in {@code frames} (shaded copies too), or null. */
        static Library in(String frames) {
            for (Library l : values()) {
                for (String m : l.markers) {
                    if (frames.contains(m)) {
                        return l;
                    }
                }
            }
            return null;
        }
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
