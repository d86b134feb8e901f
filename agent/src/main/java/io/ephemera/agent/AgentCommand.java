package io.ephemera.agent;

import io.ephemera.config.Option;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * A request from the command line to the agent running in this JVM, carried by the JVM's attach
 * channel: the CLI loads the agent jar again with an argument that starts with {@code @}, and the
 * agent writes its answer into a file the CLI created. No port, no listener, no thread is left in
 * the JVM: the answer is written on the attach listener's thread, inside {@code agentmain}.
 *
 * <p>The argument is {@code @<command>,format=<text|json>,reply=<path>}, the path last (it may
 * hold commas). The reply file must already exist, be a regular file (not a link), belong to this
 * JVM's user and be readable and writable by that user alone: the agent never creates a file and
 * never writes where another user could read. Its content is one status line, {@code ephemera-reply
 * ok} or {@code ephemera-reply error <why>}, then the answer.
 */
public final class AgentCommand {

    /** What starts a command argument; no option of the agent starts with it. */
    public static final String PREFIX = "@";
    /** The first word of a reply file. */
    public static final String REPLY_MAGIC = "ephemera-reply";
    /** The commands the running agent answers. */
    public static final Set<String> COMMANDS = Set.of("report");
    /** How long the answer may take before the request is answered with an error instead. */
    static final long ANSWER_MILLIS = 10_000;
    /** A reply larger than this is cut: the CLI's process reads it whole. */
    static final int MAX_REPLY_BYTES = 64 << 20;

    private static final Set<PosixFilePermission> OWNER_ONLY =
            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

    private final String command;
    private final boolean json;
    private final Path reply;

    private AgentCommand(String command, boolean json, Path reply) {
        this.command = command;
        this.json = json;
        this.reply = reply;
    }

    /** Whether the agent argument is a command rather than options. */
    public static boolean isCommand(String args) {
        return args != null && args.startsWith(PREFIX);
    }

    /** The argument the CLI passes for a command. */
    public static String request(String command, boolean json, String replyPath) {
        return PREFIX + command + ",format=" + (json ? "json" : "text") + ",reply=" + replyPath;
    }

    /**
     * Parses a command argument.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    static AgentCommand parse(String args) {
        String body = args.substring(PREFIX.length());
        int replyAt = body.indexOf(",reply=");
        if (replyAt < 0) {
            throw new IllegalArgumentException("no reply file in the command '" + Option.shown(args) + "'");
        }
        Path reply = Path.of(body.substring(replyAt + ",reply=".length()));
        String[] words = body.substring(0, replyAt).split(",");
        String command = words[0];
        if (!COMMANDS.contains(command)) {
            throw new IllegalArgumentException("unknown command '" + Option.shown(command) + "' (this agent answers "
                    + COMMANDS + ")");
        }
        boolean json = false;
        for (int i = 1; i < words.length; i++) {
            if (words[i].equals("format=json")) {
                json = true;
            } else if (!words[i].equals("format=text")) {
                throw new IllegalArgumentException("unknown word '" + Option.shown(words[i]) + "' in the command");
            }
        }
        if (!reply.isAbsolute() || !reply.normalize().equals(reply)) {
            throw new IllegalArgumentException("the reply file must be an absolute, normalised path: "
                    + Option.shown(reply.toString()));
        }
        return new AgentCommand(command, json, reply);
    }

    /**
     * Answers a command argument; never throws. Without a usable reply file nothing is written and
     * the reason is one line on stderr (the CLI then says the agent did not answer).
     *
     * @param reports the running agent's text and JSON reports, or null when it is not running here
     */
    static void answer(String args, ReportSource reports) {
        answer(args, reports, ANSWER_MILLIS);
    }

    /** As {@link #answer(String, ReportSource)}, waiting at most {@code answerMillis} for the report. */
    static void answer(String args, ReportSource reports, long answerMillis) {
        AgentCommand c;
        try {
            c = parse(args);
        } catch (IllegalArgumentException e) {
            Log.warn("a command from the command line was not understood: " + e.getMessage());
            return;
        }
        try {
            c.checkReplyFile();
        } catch (IOException | RuntimeException e) {
            Log.warn("a command from the command line was not answered: " + e.getMessage());
            return;
        }
        String answer;
        if (reports == null) {
            answer = REPLY_MAGIC + " error ephemera is loaded in this JVM but not running (see this JVM's stderr "
                    + "for the line starting with 'ephemera:')\n";
        } else {
            answer = c.run(reports, answerMillis);
        }
        try {
            c.write(answer);
        } catch (IOException | RuntimeException e) {
            Log.warn("could not write the answer to a command from the command line: " + e);
        }
    }

    /** Both reports of the running agent. */
    interface ReportSource {
        String text();

        String json();
    }

    /** The answer, computed on a thread of its own so that a report that hangs does not hold the attach channel. */
    private String run(ReportSource reports, long answerMillis) {
        AtomicReference<String> result = new AtomicReference<>();
        Supplier<String> work = json ? reports::json : reports::text;
        Thread t = new Thread(() -> {
            try {
                result.set(REPLY_MAGIC + " ok\n" + work.get());
            } catch (Throwable e) {
                result.set(REPLY_MAGIC + " error the report failed inside the agent: " + e + "\n");
            }
        }, "ephemera-command");
        t.setDaemon(true);
        t.start();
        try {
            t.join(answerMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        String r = result.get();
        return r != null ? r : REPLY_MAGIC + " error the report did not finish within "
                + java.math.BigDecimal.valueOf(answerMillis, 3).stripTrailingZeros().toPlainString() + " s\n";
    }

    private void checkReplyFile() throws IOException {
        PosixFileAttributes a = Files.readAttributes(reply, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!a.isRegularFile()) {
            throw new IOException(reply + " is not a regular file");
        }
        if (!OWNER_ONLY.containsAll(a.permissions())) {
            throw new IOException(reply + " may be read or written by others (" + a.permissions() + ")");
        }
        Object mine = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        Object theirs = Files.getAttribute(reply, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        if (!mine.equals(theirs)) {
            throw new IOException(reply + " belongs to uid " + theirs + ", not to this JVM's user (uid " + mine + ")");
        }
        if (a.size() != 0) {
            throw new IOException(reply + " is not empty");
        }
    }

    private void write(String answer) throws IOException {
        byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
        try (OutputStream out = Files.newOutputStream(reply, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING, LinkOption.NOFOLLOW_LINKS)) {
            out.write(bytes, 0, Math.min(bytes.length, MAX_REPLY_BYTES));
        }
    }
}
