package io.ephemera.track;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FailureCauseTest {

    @Test
    void classifiesTheJdkMessages() {
        assertEquals(FailureCause.ADDRESS_NOT_AVAILABLE,
                FailureCause.classify(new BindException("Cannot assign requested address")));
        assertEquals(FailureCause.ADDRESS_NOT_AVAILABLE,
                FailureCause.classify(new BindException("Cannot assign requested address: connect")));
        assertEquals(FailureCause.ADDRESS_IN_USE, FailureCause.classify(new BindException("Address already in use")));
        assertEquals(FailureCause.REFUSED, FailureCause.classify(new ConnectException("Connection refused")));
        assertEquals(FailureCause.TIMED_OUT, FailureCause.classify(new SocketTimeoutException("Connect timed out")));
        assertEquals(FailureCause.TIMED_OUT, FailureCause.classify(new ConnectException("Connection timed out")));
        assertEquals(FailureCause.UNREACHABLE, FailureCause.classify(new NoRouteToHostException("No route to host")));
        assertEquals(FailureCause.UNREACHABLE, FailureCause.classify(new ConnectException("Network is unreachable")));
        assertEquals(FailureCause.OTHER, FailureCause.classify(new IOException("something else")));
        assertEquals(FailureCause.OTHER, FailureCause.classify(null));
    }

    @Test
    void classifiesNettysNativeMessages() {
        // io.netty.channel.unix.Errors: the call, the errno, then strerror
        assertEquals(FailureCause.ADDRESS_NOT_AVAILABLE, FailureCause.classify(
                new ConnectException("connect(..) failed with error(-99): Cannot assign requested address")));
        assertEquals(FailureCause.REFUSED, FailureCause.classify(
                new ConnectException("finishConnect(..) failed with error(-111): Connection refused")));
        assertEquals(FailureCause.TIMED_OUT, FailureCause.classify(
                new ConnectException("finishConnect(..) failed with error(-110): Connection timed out")));
        assertEquals(FailureCause.ADDRESS_IN_USE, FailureCause.classify(
                new IOException("bind(..) failed with error(-98): Address already in use")));
        assertEquals(FailureCause.UNREACHABLE, FailureCause.classify(new NoRouteToHostException()));
    }

    @Test
    void looksThroughWrappers() {
        // java.net.http.HttpClient wraps the socket's exception in its own ConnectException
        ConnectException wrapped = new ConnectException();
        wrapped.initCause(new BindException("Cannot assign requested address"));
        assertEquals(FailureCause.ADDRESS_NOT_AVAILABLE, FailureCause.classify(wrapped));
        assertEquals(FailureCause.REFUSED, FailureCause.classify(new IOException(new ConnectException("Connection refused"))));
    }

    @Test
    void survivesCauseCycles() {
        IOException a = new IOException("a");
        IOException b = new IOException("b", a);
        a.initCause(b);
        assertEquals(FailureCause.OTHER, FailureCause.classify(a));
    }
}
