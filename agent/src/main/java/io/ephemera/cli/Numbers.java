package io.ephemera.cli;

/**
 * Numbers and columns as the doctor prints them, without {@link String#format}: a one-shot
 * command pays for every class it loads, and {@code Formatter} brings regular expressions and
 * locale data with it (tens of milliseconds before the first line). Locale-independent: the
 * grouping separator is always {@code ,} and the decimal point always {@code .}.
 */
final class Numbers {

    private Numbers() {
    }

    /** {@code 28232} as {@code 28,232}. */
    static String grouped(long n) {
        String digits = Long.toString(Math.abs(n));
        StringBuilder b = new StringBuilder(digits.length() + digits.length() / 3 + 1);
        if (n < 0) {
            b.append('-');
        }
        int first = digits.length() % 3 == 0 ? 3 : digits.length() % 3;
        b.append(digits, 0, first);
        for (int i = first; i < digits.length(); i += 3) {
            b.append(',').append(digits, i, i + 3);
        }
        return b.toString();
    }

    /** {@code v} rounded half up to {@code places} decimals (0 to 6): {@code 47.2}, {@code 100.0}. */
    static String decimal(double v, int places) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return String.valueOf(v);
        }
        long scale = 1;
        for (int i = 0; i < places; i++) {
            scale *= 10;
        }
        long scaled = Math.round(Math.abs(v) * scale);
        StringBuilder b = new StringBuilder();
        if (v < 0 && scaled != 0) {
            b.append('-');
        }
        b.append(scaled / scale);
        if (places > 0) {
            String fraction = Long.toString(scaled % scale);
            b.append('.').append("0".repeat(places - fraction.length())).append(fraction);
        }
        return b.toString();
    }

    /** {@code s} right-aligned in {@code width} columns. */
    static String right(String s, int width) {
        return s.length() >= width ? s : " ".repeat(width - s.length()) + s;
    }

    /** {@code s} left-aligned in {@code width} columns. */
    static String left(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }

    /** {@code ""} for one, {@code "s"} otherwise. */
    static String plural(long n) {
        return n == 1 ? "" : "s";
    }

    /** Whether {@code s} is 1 to {@code maxDigits} ASCII digits and nothing else. */
    static boolean digits(String s, int maxDigits) {
        if (s.isEmpty() || s.length() > maxDigits) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
