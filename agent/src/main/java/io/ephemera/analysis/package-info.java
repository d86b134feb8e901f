/**
 * The model: pure functions from what the tracker and the kernel census saw to verdicts —
 * a destination's port budget and forecast ({@link io.ephemera.analysis.PortBudget}), how long a
 * closed port stays held ({@link io.ephemera.analysis.HoldTime}), whether a call site churns
 * ({@link io.ephemera.analysis.ChurnVerdict}). No I/O, no threads, no clocks: unit tests feed
 * them numbers.
 */
package io.ephemera.analysis;
