#!/usr/bin/env bash
# Connect churn with and without the agent, and beside the peer agent: alternating sets (no agent,
# the agent at its defaults, lib-file-leak-detector when its jar is present; CONFIGS="..." to
# choose, e.g. adding census500ms), the order rotated each pair, each run a fresh network
# namespace with the client JVM pinned to CPU 0.
#   server=jvm     the echo server is its own JVM, no agent, on CPU 1: the connect side alone.
#   server=inproc  the echo server runs in the client's JVM, on the same CPU: connect and accept.
# usage: bench/connect-churn.sh [threads ("1 2 8")] [pairs (5)] [warmup s (4)] [measured s (6)] [server (jvm)]
source "$(dirname "$0")/lib.sh"
threads=${1:-"1 2 8"}; pairs=${2:-5}; warmup=${3:-4}; seconds=${4:-6}; server=${5:-jvm}
build
read -r -a arms <<< "$(configs ${CONFIGS:-none agent peer})"
res=$OUT/connect-churn-$server.txt; : > "$res"
for p in $(seq "$pairs"); do
    for t in $threads; do
        for c in $(rotate "$p" "${arms[@]}"); do
            if [ "$server" = inproc ]; then
                line=$(alone "${JVM_FLAGS[@]}" $(agent_flags "$c") -cp "$BENCH" io.ephemera.bench.ConnectChurn inproc 7000 "$t" "$warmup" "$seconds" 2>>"$OUT/connect-churn.stderr")
            else
                line=$(in_netns "${JVM_FLAGS[@]}" $(agent_flags "$c") -cp "$BENCH" io.ephemera.bench.ConnectChurn 127.0.0.1 7000 "$t" "$warmup" "$seconds" 2>>"$OUT/connect-churn.stderr")
            fi
            echo "bench=churn-$server pair=$p config=$c group=churn-$server-threads-$t $line" | tee -a "$res"
        done
    done
done
"$JAVA" -cp "$BENCH" io.ephemera.bench.Summary "$res" | tee "$OUT/connect-churn-$server.summary"
