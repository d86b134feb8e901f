package io.ephemera.kernel;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Small {@code /proc} files read whole, and the little text handling their parsers share. */
final class ProcFiles {

    /** Enough for any sysctl or counter file we read; a bigger file is not what we expect. */
    static final int MAX_SMALL_FILE = 1 << 20;

    private ProcFiles() {
    }

    /**
     * The file's text, or {@code null} when it is missing, unreadable or larger than
     * {@code maxBytes}: a cut-off value would be a wrong value. {@code /proc} files report
     * size 0, so the length is found by reading. ISO-8859-1 maps every byte to a char, so
     * garbage decodes without error and then fails to parse.
     */
    static String readOrNull(Path file, int maxBytes) {
        if (Files.exists(file) && !Files.isRegularFile(file)) { // opening a FIFO would block the census for good
            return null;
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(maxBytes + 1);
            return bytes.length > maxBytes ? null : new String(bytes, StandardCharsets.ISO_8859_1);
        } catch (IOException | SecurityException e) {
            return null;
        }
    }

    /** The blank-separated words of one line. */
    static List<String> words(String line) {
        List<String> words = new ArrayList<>();
        int i = 0;
        int n = line.length();
        while (i < n) {
            while (i < n && Character.isWhitespace(line.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < n && !Character.isWhitespace(line.charAt(i))) {
                i++;
            }
            if (i > start) {
                words.add(line.substring(start, i));
            }
        }
        return words;
    }

    /** The lines of a text, without their line ends. */
    static List<String> lines(String text) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        while (start < text.length()) {
            int end = text.indexOf('\n', start);
            if (end < 0) {
                end = text.length();
            }
            lines.add(text.substring(start, end));
            start = end + 1;
        }
        return lines;
    }

    /**
     * A decimal number of 1 to 18 digits with nothing else, or -1: absent and garbled values
     * look the same to the callers, who report both as absent.
     */
    static long parseCount(String s) {
        if (s == null || s.isEmpty() || s.length() > 18) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /** Like {@link #parseCount} but only for values that fit an int. */
    static int parseIntCount(String s) {
        long v = parseCount(s);
        return v > Integer.MAX_VALUE ? -1 : (int) v;
    }
}
