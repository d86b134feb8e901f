package io.ephemera.agent;

import java.io.IOException;

/** Woven by {@link WeaverTest}: branches, loops, long and double locals, handlers, returns, throws. */
public class WeaverTarget {

    private final String name;
    protected long total;

    public WeaverTarget(String name) {
        this(name, name == null ? 0 : name.length());
    }

    public WeaverTarget(String name, long total) {
        super();
        if (name == null) {
            throw new IllegalArgumentException("no name");
        }
        this.name = name;
        this.total = total;
    }

    /** Several returns, a loop, long and double locals, a handler inside, a throwing path. */
    public int mixed(int n, long scale, double ratio) throws IOException {
        if (n < 0) {
            throw new IOException("negative " + n);
        }
        long sum = 0;
        double d = ratio;
        for (int i = 0; i < n; i++) {
            sum += i * scale;
            d = d * 2;
            if (sum > 1000) {
                return -1;
            }
        }
        try {
            if (n == 3) {
                Integer.parseInt("x" + n);
            }
            sum += (long) d;
        } catch (NumberFormatException e) {
            sum = 7;
        }
        if (n == 5) {
            return 55;
        }
        return (int) sum;
    }

    /** Static, a long argument and a long result. */
    public static long twice(long v) {
        if (v == 13) {
            throw new IllegalStateException("unlucky");
        }
        return v * 2;
    }

    /** Returns nothing; a switch; sometimes throws an error. */
    public void act(int what) {
        switch (what) {
            case 0:
                total++;
                return;
            case 1:
                total += 10;
                break;
            case 2:
                throw new StackOverflowError("deep");
            default:
                total--;
        }
        total *= 2;
    }

    /** An object result, with a handler that covers the whole body. */
    public Object object(String s) {
        try {
            return s.isEmpty() ? null : s + name;
        } catch (NullPointerException e) {
            return "npe";
        }
    }

    public String name() {
        return name;
    }
}
