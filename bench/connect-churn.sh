#!/usr/bin/env bash
# Connect churn with and without the agent: alternating sets (no agent, agent at its defaults, agent
# with census.interval=500ms), the order rotated each pair, each run a fresh network namespace with
# the client JVM pinned to CPU 0 and the echo server (its own JVM, no agent) on CPU 1.
# usage: bench/connect-churn.sh [threads ("1 2 8")] [pairs (5)] [warmup s (4)] [measured s (6)]
source "$(dirname "$0")/lib.sh"
threads=${1:-"1 2 8"}; pairs=${2:-5}; warmup=${3:-4}; seconds=${4:-6}
build
res=$OUT/connect-churn.txt; : > "$res"
for p in $(seq "$pairs"); do
    for t in $threads; do
        for c in $(rotate "$p" none agent census500ms); do
            line=$(in_netns "${JVM_FLAGS[@]}" $(agent_flags "$c") -cp "$BENCH" io.ephemera.bench.ConnectChurn 127.0.0.1 7000 "$t" "$warmup" "$seconds" 2>>"$OUT/connect-churn.stderr")
            echo "bench=churn pair=$p config=$c group=churn-threads-$t $line" | tee -a "$res"
        done
    done
done
"$JAVA" -cp "$BENCH" io.ephemera.bench.Summary "$res" | tee "$OUT/connect-churn.summary"
