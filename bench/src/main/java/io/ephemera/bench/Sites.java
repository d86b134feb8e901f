package io.ephemera.bench;

import java.util.function.Supplier;

/**
 * Call sites on demand: {@code at(n, work)} runs {@code work} under a stack that is distinct for
 * every {@code n} below 2^14, as distinct call sites in an application would be: fourteen frames,
 * each calling down through one of two lines depending on one bit of {@code n}, the lowest bit
 * nearest the socket so that even a shallow {@code stack.depth} tells them apart.
 */
final class Sites {

    private static final int LEVELS = 14;

    private Sites() {
    }

    static Object at(int n, Supplier<Object> work) {
        return level(n, LEVELS, work);
    }

    private static Object level(int n, int level, Supplier<Object> work) {
        if (level == 0) {
            return work.get();
        }
        if ((n >>> (level - 1) & 1) == 0) {
            return level(n, level - 1, work);
        }
        return level(n, level - 1, work); // the same call, another line: another frame
    }
}
