package io.ephemera.hook;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HookTest {

    @Test
    void aResetIsTheJdksResetMessageOnAnIoException() {
        assertTrue(Hook.isReset(new SocketException("Connection reset")), "Socket streams");
        assertTrue(Hook.isReset(new IOException("Connection reset by peer")), "channels");
        assertFalse(Hook.isReset(new SocketTimeoutException("Read timed out")));
        assertFalse(Hook.isReset(new SocketException("Socket closed")), "closed by another thread");
        assertFalse(Hook.isReset(new IOException((String) null)));
        assertFalse(Hook.isReset(new IllegalStateException("Connection reset")), "not an I/O failure");
    }
}
