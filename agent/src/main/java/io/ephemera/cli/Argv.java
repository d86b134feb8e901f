package io.ephemera.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * A command line shortened for a table or a message: for a {@code java} command, the main class
 * (or {@code -jar x.jar}, {@code -m module/class}) and its arguments, without the JVM options and
 * class path that make a Java command line thousands of characters long.
 */
final class Argv {

    static final int MAX = 80;

    /** JVM options whose value is the next word. */
    private static final Set<String> WITH_VALUE = Set.of("-cp", "-classpath", "--class-path", "-p", "--module-path",
            "--upgrade-module-path", "--add-modules", "--limit-modules", "--add-opens", "--add-exports", "--add-reads",
            "--patch-module", "--enable-native-access");

    private Argv() {
    }

    static boolean isJava(List<String> argv) {
        if (argv.isEmpty()) {
            return false;
        }
        Path name = Path.of(argv.get(0)).getFileName();
        return name != null && name.toString().equals("java");
    }

    static String summary(List<String> argv) {
        if (argv.isEmpty()) {
            return "";
        }
        if (!isJava(argv)) {
            return cut(String.join(" ", argv));
        }
        StringBuilder b = new StringBuilder();
        int i = 1;
        for (; i < argv.size(); i++) {
            String a = argv.get(i);
            if (a.equals("-jar") || a.equals("-m") || a.equals("--module")) {
                b.append(a.equals("-jar") ? "-jar " : "");
                i++;
                break;
            }
            if (WITH_VALUE.contains(a)) {
                i++;
            } else if (!a.startsWith("-")) {
                break;
            }
        }
        for (int j = i; j < argv.size(); j++) {
            if (b.length() > 0 && b.charAt(b.length() - 1) != ' ') {
                b.append(' ');
            }
            b.append(argv.get(j));
        }
        String main = b.toString().strip();
        return cut(main.isEmpty() ? "java" : main);
    }

    private static String cut(String s) {
        return s.length() <= MAX ? s : s.substring(0, MAX - 3) + "...";
    }
}
