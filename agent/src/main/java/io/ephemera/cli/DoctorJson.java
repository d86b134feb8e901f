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
        w.field("proc", h.procRoot().toString());
        w.field("networkNamespace", h.networkNamespace());
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

        w.name("sockets").beginObject()
                .field("total", h.sockets())
                .field("timeWait", h.timeWait())
                .field("established", h.established())
                .field("closeWait", h.closeWait())
                .field("listen", h.listening())
                .field("malformedLines", h.malformedLines())
                .field("sockstatTimeWait", h.sockStatTimeWait());
        w.name("byState").beginObject();
        for (Map.Entry<String, Integer> e : h.states().entrySet()) {
            w.field(e.getKey(), e.getValue());
        }
        w.endObject().endObject();

        int low = h.portRangeLow();
        int high = h.portRangeHigh();
        w.name("budget").beginObject()
                .field("rangeLow", low)
                .field("rangeHigh", high)
                .field("rangePorts", low < 0 ? 0 : high - low + 1)
                .field("reservedInRange", low < 0 ? 0 : Math.max(0, h.reservedIn(low, high)))
                .field("listeningPortsInRange", low < 0 ? 0 : h.listeningPortsIn(low, high))
                .field("perDestination", h.budget())
                .endObject();

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
                .field("churning", dest.churning());
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
