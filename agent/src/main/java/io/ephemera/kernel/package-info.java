/**
 * What the Linux kernel says about TCP sockets and the ephemeral port budget, read from
 * {@code /proc}: {@link io.ephemera.kernel.ProcNetTcpParser} for {@code /proc/net/tcp} and
 * {@code /proc/net/tcp6}, {@link io.ephemera.kernel.Sysctls} for the port range and TIME_WAIT
 * knobs, {@link io.ephemera.kernel.SockStat} for the cheap counters, and
 * {@link io.ephemera.kernel.SocketInodes} for the sockets this process owns.
 *
 * <p>Rules of the package:
 * <ul>
 *   <li>Pure parsing. Every class takes a proc root (a {@link java.nio.file.Path}, normally
 *       {@code /proc}) or bytes, so tests feed recorded fixtures; nothing reads a global.</li>
 *   <li>No threads, no locks, no static mutable state. Parsers and buffers are owned by one
 *       caller at a time; results are immutable.</li>
 *   <li>Allocation: the socket table is parsed from bytes into primitives. A caller using
 *       {@link io.ephemera.kernel.ProcNetTcpParser.Visitor} allocates nothing per socket, only
 *       the open file and the result per scan. Memory is bounded whatever the input: files
 *       are streamed through a fixed buffer and lines are capped. The small files (sysctls,
 *       counters) are read whole into strings: they are few, short and read rarely.</li>
 *   <li>Never throws on content. The kernel's text is trusted for its format, not for its
 *       completeness: a malformed, truncated or over-long line is skipped and counted, a
 *       missing or garbled value is reported as absent, a missing or unreadable file as
 *       unavailable.</li>
 *   <li>The byte order of the kernel's address words is decided in one place,
 *       {@code ProcNetTcpLine#littleEndianWords}.</li>
 * </ul>
 */
package io.ephemera.kernel;
