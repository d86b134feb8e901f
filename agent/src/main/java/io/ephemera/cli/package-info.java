/**
 * The command line: {@code java -jar ephemera-agent.jar attach|report|doctor|list}.
 *
 * <p>Rules of the package:
 * <ul>
 *   <li>{@link io.ephemera.cli.Main} only dispatches. Each command is one class implementing
 *       {@code Command}; it prints its result on stdout and stops by throwing {@code Failure}, which
 *       {@code Main} turns into one line on stderr ({@code ephemera: ...}) and the exit code: 0
 *       done, 1 failed, 2 bad usage, 3 already loaded ({@code Exit}). Nothing else calls
 *       {@code System.exit}.</li>
 *   <li>Look before attaching: whether the process exists, whose it is, whether it is a JVM
 *       ({@code libjvm.so} mapped) and whether it refuses attach are read from {@code /proc}
 *       first ({@code TargetProcess}). The attach API signals its target, which would kill a
 *       process that is not a JVM, and waits seconds for one that will never answer.</li>
 *   <li>Never load the agent twice: the running agent sets {@code ephemera.agent.version} in its
 *       JVM, read before loading. Options are checked before anything is loaded.</li>
 *   <li>The doctor's content is built once ({@code Diagnosis}, from
 *       {@link io.ephemera.kernel.HostView}) and only formatted by {@code DoctorText} and
 *       {@code DoctorJson}; JSON is written by hand ({@code JsonWriter}), as the agent bundles no
 *       library.</li>
 *   <li>Runs in its own JVM, never inside the application: ordinary allocation and blocking I/O
 *       are fine here; the doctor still reads /proc in time linear in the sockets.</li>
 * </ul>
 */
package io.ephemera.cli;
