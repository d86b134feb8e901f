package io.ephemera.cli;

import io.ephemera.kernel.HostView;

import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

import static io.ephemera.cli.Numbers.decimal;
import static io.ephemera.cli.Numbers.grouped;
import static io.ephemera.cli.Numbers.left;
import static io.ephemera.cli.Numbers.plural;
import static io.ephemera.cli.Numbers.right;

/** The doctor's report as text for people: sections, aligned columns, numbers with separators. */
final class DoctorText {

    private DoctorText() {
    }

    static String format(Diagnosis d) {
        HostView h = d.host();
        StringBuilder b = new StringBuilder();
        b.append("ephemera doctor: ").append(h.netRoot());
        if (h.networkNamespace() != null) {
            b.append(", network namespace ").append(h.networkNamespace());
        } else if (h.pid() >= 0) {
            b.append(", network namespace unknown (").append(h.netRoot().resolve("ns/net")).append(" could not be read)");
        }
        if (h.pid() >= 0) {
            b.append(" of process ").append(h.pid()).append(" (")
                    .append(h.sysctlsHow() == null ? "this command's own" : h.sysctlsHow()).append(')');
        }
        b.append(", read in ").append(decimal(h.scanMillis(), 0)).append(" ms\n");

        b.append("\nsysctls\n");
        int nameWidth = 0;
        int valueWidth = 0;
        for (SysctlNote n : d.sysctls()) {
            nameWidth = Math.max(nameWidth, n.name().length());
            valueWidth = Math.max(valueWidth, shown(h, n).length());
        }
        for (SysctlNote n : d.sysctls()) {
            b.append("  ").append(left(n.name(), nameWidth)).append("  ").append(left(shown(h, n), valueWidth))
                    .append("  ").append(n.meaning()).append('\n');
        }
        if (!h.unread().isEmpty()) {
            b.append("\nnot read (unknown here, never taken as a default)\n");
            Map<String, String> unread = new java.util.LinkedHashMap<>();
            String common = null;
            int sysctls = 0;
            for (Map.Entry<String, String> e : h.unread().entrySet()) {
                if (e.getKey().startsWith("net.ipv4.")) {
                    common = sysctls++ == 0 || e.getValue().equals(common) ? e.getValue() : "";
                }
            }
            boolean collapse = sysctls == d.sysctls().size() && !common.isEmpty(); // one reason for all: said once
            if (collapse) {
                unread.put("net.ipv4.* (every sysctl)", common);
            }
            for (Map.Entry<String, String> e : h.unread().entrySet()) {
                if (!collapse || !e.getKey().startsWith("net.ipv4.")) {
                    unread.put(e.getKey(), e.getValue());
                }
            }
            int width = 0;
            for (String what : unread.keySet()) {
                width = Math.max(width, what.length());
            }
            for (Map.Entry<String, String> e : unread.entrySet()) {
                b.append("  ").append(left(e.getKey(), width)).append("  ").append(e.getValue()).append('\n');
            }
        }

        b.append("\nsockets\n");
        if (!h.available()) {
            b.append("  unavailable: ").append(h.unavailableReason()).append('\n');
        } else {
            b.append("  ").append(grouped(h.sockets())).append(" in all: TIME_WAIT ").append(grouped(h.timeWait()))
                    .append(", ESTABLISHED ").append(grouped(h.established()))
                    .append(", CLOSE_WAIT ").append(grouped(h.closeWait())).append(others(h.states())).append('\n');
            if (h.malformedLines() > 0) {
                b.append("  ").append(grouped(h.malformedLines()))
                        .append(" lines could not be parsed and were skipped\n");
            }
        }
        int low = h.portRangeLow();
        if (h.budget() < 0) {
            b.append("  port budget per destination: unknown: ").append(h.budgetUnknownReason()).append('\n');
        } else {
            int high = h.portRangeHigh();
            b.append("  port budget per destination: ").append(grouped(h.budget()))
                    .append(" = ").append(grouped(high - low + 1)).append(" in the range - ")
                    .append(grouped(Math.max(0, h.reservedIn(low, high)))).append(" reserved - ")
                    .append(grouped(h.listeningPortsIn(low, high))).append(" listening in the range\n");
        }

        b.append("\nbusiest destinations (ephemeral ports in use toward each, any process)\n");
        if (d.destinations().isEmpty()) {
            b.append("  none\n");
        } else if (h.destinationCount() > d.destinations().size()) {
            b.append("  the ").append(d.destinations().size()).append(" busiest of ")
                    .append(grouped(h.destinationCount())).append('\n');
        }
        for (Diagnosis.Destination dest : d.destinations()) {
            destination(b, dest, h.unjudgedReason());
        }

        b.append("\nrecommendations\n");
        for (String r : d.recommendations()) {
            b.append("  - ").append(r).append('\n');
        }
        return b.toString();
    }

    private static void destination(StringBuilder b, Diagnosis.Destination dest, String unjudged) {
        HostView.DestinationLoad l = dest.load();
        b.append("  ").append(l.key()).append("  in use ").append(grouped(l.inUse()))
                .append(": TIME_WAIT ").append(grouped(l.timeWait()))
                .append(", ESTABLISHED ").append(grouped(l.established()))
                .append(", CLOSE_WAIT ").append(grouped(l.closeWait()))
                .append(", other ").append(grouped(l.other())).append('\n');
        if (l.timeWait() > 0) {
            StringJoiner j = new StringJoiner(", ");
            for (int s : HostView.HORIZONS_SECONDS) {
                j.add(grouped(l.freeingWithin(s)) + " within " + s + " s");
            }
            b.append("    TIME_WAIT ports freeing: ").append(j).append('\n');
        }
        WhatIf now = dest.now();
        if (now != null) {
            b.append("    ").append(recent(dest, now)).append('\n');
        }
        b.append("    owners: ").append(owners(l)).append('\n');
        List<WhatIf> whatIfs = dest.whatIfs();
        if (whatIfs.isEmpty()) {
            b.append("    headroom, forecast and what ifs: not computed: ").append(unjudged).append('\n');
            return;
        }
        b.append("    ").append(left("what if", 16)).append(right("budget", 11)).append(right("headroom", 11))
                .append(right("", 9)).append(right("hold", 7)).append(right("sustains", 15))
                .append(right("held at " + rate(dest.closeRate()) + "/s", 20)).append('\n');
        for (WhatIf w : whatIfs) {
            b.append("    ").append(left(w.name(), 16)).append(right(grouped(w.budget()), 11))
                    .append(right(grouped(w.headroom()), 11)).append(right(decimal(w.headroomPercent(), 1) + "%", 9))
                    .append(right(seconds(w.holdSeconds()), 7))
                    .append(right(rate(w.sustainableRate()) + "/s", 15))
                    .append(right(grouped(Math.round(w.projected())), 20)).append('\n');
        }
    }

    /** The recent close rate toward the destination and where it leads. */
    private static String recent(Diagnosis.Destination dest, WhatIf now) {
        HostView.DestinationLoad l = dest.load();
        int n = l.timeWaitEnteredRecently();
        String window = "closed first here in the last " + HostView.RECENT_SECONDS + " s: ";
        if (n == 0) {
            return window + "none";
        }
        long held = Math.round(now.projected());
        StringBuilder b = new StringBuilder(window).append(grouped(n)).append(" (").append(rate(dest.closeRate()))
                .append("/s); at that rate ").append(grouped(held)).append(held == 1 ? " port stays" : " ports stay")
                .append(" held (").append(seconds(now.holdSeconds())).append(" each");
        if (now.budget() > 0) {
            b.append(", ").append(decimal(100.0 * now.projected() / now.budget(), 1)).append("% of the budget");
        }
        b.append(')');
        if (now.onCourseToExhaustion()) {
            b.append(": on course to run out in about ").append(seconds(Math.ceil(now.secondsToExhaustion())));
        }
        return b.toString();
    }

    private static String owners(HostView.DestinationLoad l) {
        StringJoiner j = new StringJoiner(", ");
        for (HostView.Owner o : l.owners()) {
            String what = Argv.summary(o.argv());
            j.add("pid " + o.pid() + " " + (what.isEmpty() ? o.command() : what) + " (" + grouped(o.sockets())
                    + " socket" + plural(o.sockets()) + ")");
        }
        if (l.unowned() > 0) {
            j.add(grouped(l.unowned()) + " socket" + plural(l.unowned()) + " whose process was not found");
        }
        if (l.timeWait() > 0) {
            j.add("TIME_WAIT has no owner");
        }
        return j.length() == 0 ? "none found" : j.toString();
    }

    private static String others(Map<String, Integer> states) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, Integer> e : states.entrySet()) {
            String s = e.getKey();
            if (!s.equals("TIME_WAIT") && !s.equals("ESTABLISHED") && !s.equals("CLOSE_WAIT")) {
                b.append(", ").append(s).append(' ').append(grouped(e.getValue()));
            }
        }
        return b.toString();
    }

    /** {@code 28,232}, {@code 471}; one decimal under 10, where it matters: {@code 0.3}. */
    static String rate(double perSecond) {
        return perSecond < 10 ? decimal(perSecond, 1) : grouped(Math.round(perSecond));
    }

    /** {@code 60 s}, {@code 1 s}, {@code 0.5 s}. */
    static String seconds(double s) {
        return decimal(s, s == Math.rint(s) ? 0 : 1) + " s";
    }

    /** The value; {@code (unknown)} when it could not be read, {@code (absent)} when the kernel has no such sysctl. */
    private static String shown(HostView h, SysctlNote n) {
        if (n.value() == null) {
            return h.unread().containsKey(n.name()) ? "(unknown)" : "(absent)";
        }
        return n.value().isEmpty() ? "(none)" : n.value();
    }
}
