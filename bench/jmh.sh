#!/usr/bin/env bash
# Call-site capture and the tracker's bookkeeping in isolation (JMH, -prof gc for bytes per
# operation), pinned to CPU 0. Extra arguments go to JMH, e.g. bench/jmh.sh -f 1 -i 3.
source "$(dirname "$0")/lib.sh"
build
taskset -c 0 "$JAVA" -cp "$BENCH:$ROOT/bench/target/lib/*" org.openjdk.jmh.Main "CallSiteBench|BookkeepingBench" -prof gc "$@" \
    | tee "$OUT/jmh.txt" | grep -E '^(Benchmark|CallSiteBench|BookkeepingBench)' | grep -v -E 'gc\.(count|time)|alloc\.rate ' | tee "$OUT/jmh.summary"
