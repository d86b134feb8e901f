package io.ephemera.track.lib;

import java.util.function.Supplier;

/** Stands in for a client library between the application and the socket. */
public final class FakeClient {

    private FakeClient() {
    }

    public static <T> T call(Supplier<T> socketLevel) {
        return inner(socketLevel);
    }

    private static <T> T inner(Supplier<T> socketLevel) {
        return socketLevel.get();
    }
}
