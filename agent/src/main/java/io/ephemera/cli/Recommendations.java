package io.ephemera.cli;

import io.ephemera.analysis.HoldTime;
import io.ephemera.kernel.HostView;

import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

import static io.ephemera.cli.Numbers.decimal;
import static io.ephemera.cli.Numbers.grouped;
import static io.ephemera.cli.Numbers.plural;

/**
 * What the doctor advises, fitted to what it saw: for a destination short of ports or churning, the
 * cure (reuse connections), who to attach the agent to, and what the sysctls would buy as
 * headroom; then what is wrong host-wide (listeners inside the range, reuse off, timestamps off,
 * the TIME_WAIT bucket limit, CLOSE_WAIT, owners that could not be read).
 */
final class Recommendations {

    private Recommendations() {
    }

    static List<String> of(HostView h, List<Diagnosis.Destination> destinations, String jar) {
        List<String> out = new ArrayList<>();
        for (Diagnosis.Destination d : destinations) {
            if (d.shortOfPorts() || d.churning()) {
                out.add(destination(d, jar));
            } else if (d.needsTheAgent()) {
                out.add(needsTheAgent(d, jar));
            }
        }
        String unjudged = h.unjudgedReason();
        if (!h.available()) {
            out.add("the socket tables could not be read: no destination can be judged");
        } else if (unjudged != null) {
            // without the range no socket is known to be ephemeral: "nothing in use" would be a guess too
            out.add(unjudged + ": no destination can be judged (what was not read is unknown, never taken as a "
                    + "default); " + (h.pid() >= 0 && h.sysctlsHow() != null && h.sysctlsHow().startsWith("its sysctls")
                    ? "run the doctor as root, or inside that namespace" : "see \"not read\""));
        } else if (out.isEmpty()) {
            out.add(quiet(destinations, jar));
        }
        int low = h.portRangeLow();
        int high = h.portRangeHigh();
        int listening = low < 0 ? 0 : h.listeningPortsIn(low, high);
        if (listening > 0) {
            String s = plural(listening);
            out.add(grouped(listening) + " listening port" + s + (listening == 1 ? " lies" : " lie")
                    + " inside ip_local_port_range (" + sample(h.listeningPortsSample(low, high, 5), listening)
                    + "): each is taken from every destination's budget; move the service" + s + " below " + low
                    + " or add the port" + s + " to net.ipv4.ip_local_reserved_ports");
        }
        if (h.twReuse() == 0) {
            out.add("net.ipv4.tcp_tw_reuse=0: even loopback connects wait out the full 60 s of TIME_WAIT; the default, "
                    + "2, lets loopback connects take over a TIME_WAIT port after tcp_tw_reuse_delay");
        }
        if (h.timestamps() == 0) {
            out.add("net.ipv4.tcp_timestamps=0 disables tcp_tw_reuse whatever its value");
        }
        if (h.maxTwBuckets() > 0 && (h.timeWait() >= 0.9 * h.maxTwBuckets() || h.timeWaitOverflows() > 0)) {
            out.add("TIME_WAIT sockets reach net.ipv4.tcp_max_tw_buckets (" + grouped(h.timeWait()) + " now, limit "
                    + grouped(h.maxTwBuckets()) + ", " + grouped(Math.max(0, h.timeWaitOverflows()))
                    + " destroyed early since boot): the kernel then drops new ones at once, which hides churn rather "
                    + "than curing it");
        }
        if (h.closeWait() > 0) {
            out.add(closeWait(h, destinations));
        }
        HostView.OwnerLookup owners = h.ownerLookup();
        if (owners.unreadable() > 0) {
            out.add(grouped(owners.unreadable()) + " process" + (owners.unreadable() == 1 ? "" : "es")
                    + " could not be read (/proc/<pid>/fd): run as root to see every owner");
        }
        if (!owners.complete()) {
            out.add("the owner lookup " + owners.incompleteReason() + ": some owners are not shown");
        }
        return List.copyOf(out);
    }

    private static String destination(Diagnosis.Destination d, String jar) {
        HostView.DestinationLoad l = d.load();
        WhatIf now = d.now();
        StringBuilder b = new StringBuilder(l.key());
        String hold = DoctorText.seconds(now.holdSeconds());
        if (now.onCourseToExhaustion()) {
            b.append(" is on course to run out of ports: at ").append(DoctorText.rate(d.closeRate()))
                    .append(" connections/s closed first here, each holding its port ").append(hold)
                    .append(", it needs ").append(grouped(Math.round(now.projected()))).append(" of its ")
                    .append(grouped(now.budget())).append("; about ")
                    .append(DoctorText.seconds(Math.ceil(now.secondsToExhaustion()))).append(" left");
        } else if (d.shortOfPorts()) {
            b.append(" is short of ports: ").append(grouped(now.blocked())).append(" of its ")
                    .append(grouped(now.budget())).append(" in use (").append(grouped(l.timeWait()))
                    .append(" in TIME_WAIT), ").append(decimal(now.headroomPercent(), 1)).append("% headroom");
        } else if (d.closeRate() >= 1) {
            b.append(" churns: ").append(DoctorText.rate(d.closeRate()))
                    .append(" connections/s closed first here, each holding its port ").append(hold).append(": ")
                    .append(grouped(Math.round(now.projected()))).append(" ports held at that rate (")
                    .append(decimal(100.0 * now.projected() / now.budget(), 1)).append("% of its ")
                    .append(grouped(now.budget())).append(')');
        } else {
            b.append(" churns: ").append(grouped(l.timeWait())).append(" ports in TIME_WAIT (")
                    .append(decimal(100.0 * l.timeWait() / now.budget(), 1)).append("% of its ")
                    .append(grouped(now.budget())).append(')');
        }
        b.append(". The cure is reusing connections to it (keep-alive, a pool, one shared client); ")
                .append(who(l, jar));
        return b.append(". ").append(remedies(d)).toString();
    }

    /**
     * The sysctl remedies toward the destination, from its what-ifs: only those that change its
     * budget or hold time; {@code tcp_tw_reuse} where it would not change the hold, with why
     * ({@link HoldTime#reuseChange}, the rule the agent's advice follows too).
     */
    static String remedies(Diagnosis.Destination d) {
        WhatIf now = d.now();
        StringJoiner remedies = new StringJoiner(", ");
        List<WhatIf> named = new ArrayList<>(List.of(now));
        for (WhatIf w : d.whatIfs().subList(1, d.whatIfs().size())) {
            // "both" where tcp_tw_reuse=1 changes nothing is the wider range again: named once
            if (named.stream().noneMatch(n -> !w.changes(n))) {
                remedies.add(w.name() + " " + decimal(w.headroomPercent(), 1) + "%");
                named.add(w);
            }
        }
        StringBuilder b = new StringBuilder("The sysctls buy headroom, not a cure: ").append(remedies);
        HostView.DestinationLoad l = d.load();
        int reuse = now.twReuse();
        switch (HoldTime.reuseChange(l.address(), reuse, d.timestamps())) {
            case ALREADY_APPLIES:
                b.append("; tcp_tw_reuse is ").append(reuse).append(", which already lets connects to it take over a ")
                        .append("TIME_WAIT port after ").append(DoctorText.seconds(now.holdSeconds()))
                        .append(": no value of it shortens the hold further");
                break;
            case NEEDS_TIMESTAMPS:
                b.append("; tcp_tw_reuse does nothing while tcp_timestamps is 0");
                break;
            default:
                break;
        }
        return b.toString();
    }

    /** A destination at {@code churn.rate} that only the agent can judge: say so, and where to look. */
    private static String needsTheAgent(Diagnosis.Destination d, String jar) {
        HostView.DestinationLoad l = d.load();
        String who = who(l, jar);
        return l.key() + " may churn: " + DoctorText.rate(d.closeRate()) + " connections/s closed first here, "
                + "each a new connection, but well within its budget (" + decimal(d.now().headroomPercent(), 1)
                + "% headroom, each port held " + DoctorText.seconds(d.now().holdSeconds()) + "). At "
                + decimal(Diagnosis.VERDICT_RATE, 0) + "/s or more (churn.rate) the agent calls a call site churning "
                + "when its connections live under " + decimal(Diagnosis.VERDICT_LIFETIME_MILLIS / 1000.0, 0)
                + " s (churn.lifetime): a new connection per request. That test needs the agent's report, not the "
                + "kernel: " + who + (who.contains(" report ") ? "" : "; then java -jar " + jar + " report <pid> says")
                + ". " + remedies(d);
    }

    /** Whom to attach the agent to. */
    private static String who(HostView.DestinationLoad l, String jar) {
        List<String> javas = new ArrayList<>();
        List<String> others = new ArrayList<>();
        for (HostView.Owner o : l.owners()) {
            if (o.command().equals("java") || Argv.isJava(o.argv())) {
                javas.add(Long.toString(o.pid()));
            } else {
                others.add(o.pid() + " (" + o.command() + ")");
            }
        }
        StringBuilder b = new StringBuilder();
        if (!javas.isEmpty()) {
            String pid = javas.get(0);
            b.append("find the line of code with the agent: java -jar ").append(jar).append(" attach ").append(pid)
                    .append(", then java -jar ").append(jar).append(" report ").append(pid);
            if (javas.size() > 1) {
                b.append(" (also JVM").append(javas.size() > 2 ? "s " : " ")
                        .append(String.join(", ", javas.subList(1, javas.size()))).append(')');
            }
        }
        if (!others.isEmpty()) {
            b.append(b.length() > 0 ? "; " : "").append("its open connections belong to ")
                    .append(String.join(", ", others));
        }
        if (b.length() == 0) {
            b.append("its TIME_WAIT sockets have no owner (the side that closed first keeps them, and no process "
                    + "holds them): attach the agent to the JVMs that talk to it (java -jar ").append(jar)
                    .append(" list) to find the line of code");
        }
        return b.toString();
    }

    /**
     * No destination short of ports or churning by what the kernel shows: never "nothing to do",
     * since the agent's own tests (a connection per request that lives under churn.lifetime, new
     * connections piling up open, connections the peer closes first, which leave no TIME_WAIT
     * here) see what the kernel does not.
     */
    private static String quiet(List<Diagnosis.Destination> destinations, String jar) {
        String agent = "; the agent's tests (connection lifetime, connections piling up open, connections the peer "
                + "closes first) need the agent: java -jar " + jar + " list, then report <pid>";
        if (destinations.isEmpty()) {
            return "from the kernel's side, nothing: no ephemeral port is in use toward any destination" + agent;
        }
        Diagnosis.Destination busiest = destinations.get(0);
        WhatIf now = busiest.now();
        return "from the kernel's side, nothing: no destination is short of ports or churning (the busiest, "
                + busiest.load().key() + ", has " + grouped(busiest.load().inUse()) + " port"
                + plural(busiest.load().inUse()) + " in use and " + decimal(now.headroomPercent(), 1) + "% headroom)"
                + agent;
    }

    private static String closeWait(HostView h, List<Diagnosis.Destination> destinations) {
        StringJoiner holders = new StringJoiner(", ");
        for (Diagnosis.Destination d : destinations) {
            if (d.load().closeWait() > 0) {
                StringJoiner pids = new StringJoiner(", ");
                for (HostView.Owner o : d.load().owners()) {
                    if (o.closeWait() > 0) {
                        pids.add("pid " + o.pid() + " (" + o.command() + ")");
                    }
                }
                holders.add(d.load().closeWait() + " toward " + d.load().key()
                        + (pids.length() == 0 ? "" : " held by " + pids));
            }
        }
        return grouped(h.closeWait()) + " socket" + plural(h.closeWait()) + " in CLOSE_WAIT"
                + (holders.length() == 0 ? "" : " (" + holders + ")") + ": the peer closed and the application never "
                + "did, which leaks the socket and its descriptor; close it when a read returns -1";
    }

    private static String sample(List<Integer> ports, int total) {
        StringJoiner j = new StringJoiner(", ");
        for (int p : ports) {
            j.add(Integer.toString(p));
        }
        return total > ports.size() ? j + ", ..." : j.toString();
    }
}
