#!/usr/bin/env bash
# Keep-alive traffic with and without the agent, and beside the peer agent when its jar is present
# (CONFIGS="..." to choose): requests over a few long-lived connections, no new connection;
# alternating pairs, order rotated, fresh namespace, client on CPU 0, server on CPU 1.
# usage: bench/keep-alive.sh [connections (4)] [pairs (7)] [warmup s (3)] [measured s (5)]
source "$(dirname "$0")/lib.sh"
conns=${1:-4}; pairs=${2:-7}; warmup=${3:-3}; seconds=${4:-5}
build
read -r -a arms <<< "$(configs ${CONFIGS:-none agent peer})"
res=$OUT/keep-alive.txt; : > "$res"
for p in $(seq "$pairs"); do
    for c in $(rotate "$p" "${arms[@]}"); do
        line=$(in_netns "${JVM_FLAGS[@]}" $(agent_flags "$c") -cp "$BENCH" io.ephemera.bench.KeepAlive 127.0.0.1 7000 "$conns" "$warmup" "$seconds" 2>>"$OUT/keep-alive.stderr")
        echo "bench=keepalive pair=$p config=$c group=keepalive-connections-$conns $line" | tee -a "$res"
    done
done
"$JAVA" -cp "$BENCH" io.ephemera.bench.Summary "$res" | tee "$OUT/keep-alive.summary"
