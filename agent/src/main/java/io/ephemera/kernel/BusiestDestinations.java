package io.ephemera.kernel;

import io.ephemera.kernel.HostView.DestinationLoad;
import io.ephemera.kernel.HostView.Owner;
import io.ephemera.kernel.HostView.OwnerLookup;
import io.ephemera.track.Addresses;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The busiest remote endpoints of a {@link HostScan}, joined with the processes that hold their
 * live sockets: the scan kept each live socket's inode and endpoint, {@link SocketOwners} finds the
 * pids for those toward the chosen endpoints only, and each owner is described once ({@code comm},
 * command line). Linear in the sockets and the descriptors read.
 *
 * @param loads       the chosen endpoints, busiest first
 * @param ownerLookup how far the walk over {@code /proc/<pid>/fd} got
 */
record BusiestDestinations(List<DestinationLoad> loads, OwnerLookup ownerLookup) {

    /** The {@code top} busiest endpoints of {@code scan}, with the owners of their live sockets. */
    static BusiestDestinations of(HostScan scan, int top, Path procRoot) {
        List<EndpointTally.EndpointUse> sorted = new ArrayList<>(scan.endpoints.busiest(Integer.MAX_VALUE));
        sorted.sort(BUSIEST_FIRST);
        List<EndpointTally.EndpointUse> chosen = sorted.subList(0, Math.min(Math.max(0, top), sorted.size()));

        // the live sockets toward the chosen endpoints, and who holds them
        Map<Endpoint, Integer> index = new HashMap<>();
        for (int i = 0; i < chosen.size(); i++) {
            EndpointTally.EndpointUse u = chosen.get(i);
            index.put(new Endpoint(KernelSocket.hi(u.address()), KernelSocket.lo(u.address()), u.port()), i);
        }
        int[] toward = new int[scan.live];
        int wanted = 0;
        for (int s = 0; s < scan.live; s++) {
            Integer i = index.get(new Endpoint(scan.liveHi[s], scan.liveLo[s], scan.livePorts[s]));
            toward[s] = i == null ? -1 : i;
            wanted += i == null ? 0 : 1;
        }
        SocketOwners owners = new SocketOwners(wanted);
        for (int s = 0; s < scan.live; s++) {
            if (toward[s] >= 0) {
                owners.want(scan.liveInodes[s]);
            }
        }
        SocketOwners.Walk walk = owners.walk(procRoot);
        OwnerLookup lookup = new OwnerLookup(walk.processes(), walk.unreadable(), walk.complete(),
                walk.incompleteReason());
        List<Map<Long, int[]>> byOwner = new ArrayList<>();
        int[] unowned = new int[chosen.size()];
        for (int i = 0; i < chosen.size(); i++) {
            byOwner.add(new HashMap<>());
        }
        for (int s = 0; s < scan.live; s++) {
            if (toward[s] >= 0) {
                long pid = owners.owner(scan.liveInodes[s]);
                if (pid == 0) {
                    unowned[toward[s]]++;
                } else {
                    Map<Long, int[]> counts = byOwner.get(toward[s]);
                    int[] n = counts.get(pid);
                    if (n == null) {
                        counts.put(pid, n = new int[2]);
                    }
                    n[0]++;
                    n[1] += scan.liveCloseWait[s] ? 1 : 0;
                }
            }
        }

        Map<Long, Owner> described = new HashMap<>();
        List<DestinationLoad> out = new ArrayList<>(chosen.size());
        for (int i = 0; i < chosen.size(); i++) {
            EndpointTally.EndpointUse u = chosen.get(i);
            long hi = KernelSocket.hi(u.address());
            long lo = KernelSocket.lo(u.address());
            List<Integer> freeing = new ArrayList<>();
            for (EndpointTally t : scan.freeing) {
                freeing.add(t.get(hi, lo, u.port(), EndpointTally.IN_USE));
            }
            List<Owner> held = new ArrayList<>();
            for (Map.Entry<Long, int[]> e : byOwner.get(i).entrySet()) {
                Owner o = described.get(e.getKey());
                if (o == null) {
                    described.put(e.getKey(), o = describe(procRoot, e.getKey()));
                }
                held.add(new Owner(o.pid(), o.command(), o.argv(), e.getValue()[0], e.getValue()[1]));
            }
            held.sort(MOST_SOCKETS_FIRST);
            out.add(new DestinationLoad(u.address(), u.port(), u.inUse(), u.timeWait(), u.established(), u.closeWait(),
                    scan.pastReuseDelay.get(hi, lo, u.port(), EndpointTally.IN_USE),
                    scan.enteredRecently.get(hi, lo, u.port(), EndpointTally.IN_USE), List.copyOf(freeing),
                    List.copyOf(held), unowned[i]));
        }
        return new BusiestDestinations(List.copyOf(out), lookup);
    }

    /** The process's {@code comm} and command line, as far as they can be read. */
    private static Owner describe(Path procRoot, long pid) {
        Path dir = procRoot.resolve(Long.toString(pid));
        String comm = ProcFiles.readOrNull(dir.resolve("comm"), 4096);
        String cmdline = ProcFiles.readOrNull(dir.resolve("cmdline"), 1 << 16);
        List<String> argv = new ArrayList<>();
        if (cmdline != null) {
            for (String arg : cmdline.split("\0")) {
                if (!arg.isEmpty()) {
                    argv.add(new String(arg.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
                }
            }
        }
        return new Owner(pid, comm == null ? "?" : comm.strip(), List.copyOf(argv), 0, 0);
    }

    /**
     * Most ports in use first, then most in TIME_WAIT, then by address and port, so equal loads
     * always come out in the same order. Classes rather than lambdas and a hand-written key rather
     * than a record: a one-shot command pays for every bootstrap method it links.
     */
    private static final Comparator<EndpointTally.EndpointUse> BUSIEST_FIRST = new Comparator<>() {
        @Override
        public int compare(EndpointTally.EndpointUse a, EndpointTally.EndpointUse b) {
            int c = Integer.compare(b.inUse(), a.inUse());
            if (c == 0) {
                c = Integer.compare(b.timeWait(), a.timeWait());
            }
            if (c == 0) {
                c = Addresses.host(a.address()).compareTo(Addresses.host(b.address()));
            }
            return c != 0 ? c : Integer.compare(a.port(), b.port());
        }
    };

    private static final Comparator<Owner> MOST_SOCKETS_FIRST = new Comparator<>() {
        @Override
        public int compare(Owner a, Owner b) {
            int c = Integer.compare(b.sockets(), a.sockets());
            return c != 0 ? c : Long.compare(a.pid(), b.pid());
        }
    };

    /** A remote endpoint as a map key. */
    private static final class Endpoint {
        private final long hi;
        private final long lo;
        private final int port;

        Endpoint(long hi, long lo, int port) {
            this.hi = hi;
            this.lo = lo;
            this.port = port;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Endpoint && ((Endpoint) o).hi == hi && ((Endpoint) o).lo == lo
                    && ((Endpoint) o).port == port;
        }

        @Override
        public int hashCode() {
            return (int) TupleIndex.mix(lo ^ TupleIndex.mix(hi ^ port));
        }
    }
}
