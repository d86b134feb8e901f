package io.ephemera.cli;

import io.ephemera.kernel.HostView;
import io.ephemera.track.Addresses;

import java.util.Map;

/**
 * The doctor's report as one JSON object, the same content as the text: {@code sysctls},
 * {@code sockets}, {@code budget}, {@code destinations} (each with {@code timeWaitFreeing},
 * {@code owners} and {@code whatIf}), {@code ownerLookup}, {@code recommendations}. Field names are
 * documented in docs/cli.md.
 */
final class DoctorJson {

    private DoctorJson() {
    }

    static String format(Diagnosis d) {
        HostView h = d.host();
        JsonWriter w = new JsonWriter().beginObject();
        w.field("proc", h.netRoot().toString());
        w.field("networkNamespace", h.networkNamespace());
        count(w, "pid", h.pid());
        w.field("sysctlsFrom", h.pid() < 0 ? null : h.sysctlsHow() == null ? "this command's own namespace"
                : h.sysctlsHow());
        w.field("scanMillis", h.scanMillis(), 1);
        w.field("available", h.available());
        if (!h.available()) {
            w.field("unavailableReason", h.unavailableReason());
        }

        w.name("sysctls").beginObject();
        for (SysctlNote n : d.sysctls()) {
            w.name(n.name()).beginObject().field("value", n.value()).field("meaning", n.meaning()).endObject();
        }
        w.endObject();

        w.name("notRead").beginObject();
        for (Map.Entry<String, String> e : h.unread().entrySet()) {
            w.field(e.getKey(), e.getValue());
        }
        w.endObject();
        w.field("unjudgedReason", h.unjudgedReason());

        boolean tables = h.available();
        w.name("sockets").beginObject();
        count(w, "total", tables ? h.sockets() : -1);
        count(w, "timeWait", tables ? h.timeWait() : -1);
        count(w, "established", tables ? h.established() : -1);
        count(w, "closeWait", tables ? h.closeWait() : -1);
        count(w, "listen", tables ? h.listening() : -1);
        count(w, "malformedLines", tables ? h.malformedLines() : -1);
        count(w, "sockstatTimeWait", h.sockStatTimeWait());
        w.name("byState").beginObject();
        for (Map.Entry<String, Integer> e : h.states().entrySet()) {
            w.field(e.getKey(), e.getValue());
        }
        w.endObject().endObject();

        int low = h.portRangeLow();
        int high = h.portRangeHigh();
        w.name("budget").beginObject();
        count(w, "rangeLow", low);
        count(w, "rangeHigh", high);
        count(w, "rangePorts", low < 0 ? -1 : high - low + 1);
        count(w, "reservedInRange", low < 0 ? -1 : h.reservedIn(low, high));
        count(w, "listeningPortsInRange", low < 0 || !tables ? -1 : h.listeningPortsIn(low, high));
        count(w, "perDestination", h.budget());
        w.field("unknownReason", h.budgetUnknownReason());
        w.endObject();

        w.field("destinationCount", h.destinationCount());
        w.name("destinations").beginArray();
        for (Diagnosis.Destination dest : d.destinations()) {
            destination(w, dest);
        }
        w.endArray();

        HostView.OwnerLookup o = h.ownerLookup();
        w.name("ownerLookup").beginObject()
                .field("processes", o.processes())
                .field("unreadable", o.unreadable())
                .field("complete", o.complete())
                .field("incompleteReason", o.incompleteReason())
                .endObject();

        w.name("recommendations").beginArray();
        for (String r : d.recommendations()) {
            w.value(r);
        }
        w.endArray();
        return w.endObject().toString();
    }

    /** A count, or null for the -1 of one that is unknown. */
    private static void count(JsonWriter w, String name, long v) {
        if (v < 0) {
            w.field(name, (String) null);
        } else {
            w.field(name, v);
        }
    }

    private static void destination(JsonWriter w, Diagnosis.Destination dest) {
        HostView.DestinationLoad l = dest.load();
        w.beginObject()
                .field("destination", l.key())
                .field("address", Addresses.host(l.address()))
                .field("port", l.port())
                .field("loopback", l.address().isLoopbackAddress())
                .field("inUse", l.inUse())
                .field("timeWait", l.timeWait())
                .field("established", l.established())
                .field("closeWait", l.closeWait())
                .field("other", l.other())
                .field("timeWaitPastReuseDelay", l.timeWaitPastReuseDelay())
                .field("timeWaitEnteredLast" + HostView.RECENT_SECONDS + "s", l.timeWaitEnteredRecently())
                .field("closeRatePerSecond", dest.closeRate(), 1)
                .field("shortOfPorts", dest.shortOfPorts())
                .field("churning", dest.churning())
                .field("needsTheAgent", dest.needsTheAgent());
        w.name("timeWaitFreeing").beginObject();
        for (int s : HostView.HORIZONS_SECONDS) {
            w.field(s + "s", l.freeingWithin(s));
        }
        w.endObject();
        w.name("owners").beginArray();
        for (HostView.Owner o : l.owners()) {
            w.beginObject()
                    .field("pid", o.pid())
                    .field("command", o.command())
                    .field("commandLine", Argv.summary(o.argv()))
                    .field("sockets", o.sockets())
                    .field("closeWait", o.closeWait())
                    .endObject();
        }
        w.endArray();
        w.field("unownedSockets", l.unowned());
        w.name("whatIf").beginArray();
        for (WhatIf x : dest.whatIfs()) {
            w.beginObject()
                    .field("scenario", x.name())
                    .field("range", x.low() + " " + x.high())
                    .field("twReuse", x.twReuse())
                    .field("budget", x.budget())
                    .field("blocked", x.blocked())
                    .field("headroom", x.headroom())
                    .field("headroomPercent", x.headroomPercent(), 1)
                    .field("holdSeconds", x.holdSeconds(), 3)
                    .field("sustainableRatePerSecond", x.sustainableRate(), 1)
                    .field("projectedHeld", Math.round(x.projected()))
                    .field("onCourseToExhaustion", x.onCourseToExhaustion())
                    .field("secondsToExhaustion", x.secondsToExhaustion(), 1)
                    .endObject();
        }
        w.endArray();
        w.endObject();
    }
}
