package io.ephemera.kernel;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class TcpStateTest {

    @Test
    void everyKernelCodeMapsToItsState() {
        String[] names = {
            "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2", "TIME_WAIT", "CLOSE",
            "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING", "NEW_SYN_RECV",
        };
        for (int code = 1; code <= 12; code++) {
            TcpState state = TcpState.of(code);
            assertEquals(names[code - 1], state.name());
            assertEquals(code, state.code());
        }
    }

    @Test
    void otherCodesAreUnknown() {
        for (int code : new int[] {0, 13, 14, 255, -1, Integer.MIN_VALUE, Integer.MAX_VALUE}) {
            assertSame(TcpState.UNKNOWN, TcpState.of(code), "code " + code);
        }
        assertEquals(-1, TcpState.UNKNOWN.code());
    }

    @Test
    void timeWaitIsSixAndListenIsTen() {
        assertSame(TcpState.TIME_WAIT, TcpState.of(6));
        assertSame(TcpState.LISTEN, TcpState.of(0x0A));
    }
}
