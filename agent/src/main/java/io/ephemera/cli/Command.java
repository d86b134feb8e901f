package io.ephemera.cli;

import java.io.PrintStream;
import java.util.List;

/** One command. It prints its result on {@code out} and throws a {@link Failure} to stop. */
interface Command {

    /**
     * @param args the arguments after the command's name
     * @return the exit code when the command did not fail ({@link Exit#OK})
     */
    int run(List<String> args, PrintStream out, PrintStream err);
}
