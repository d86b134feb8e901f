#!/usr/bin/env bash
# The agent's heap: a steady load (2,000 connections/s over 1,000 call sites and 200 destinations)
# and a storm past every cap (5,000 call sites, 2,000 destinations, 3,200 connections held open
# against connections.max=2000, closes past closes.max), each run with and without the agent; the
# agent's heap is the difference of the heaps after a full GC. Fresh namespace, client on CPU 0.
# usage: bench/footprint.sh [steady seconds (120)] [storm seconds (60)]
source "$(dirname "$0")/lib.sh"
steady=${1:-120}; storm=${2:-60}
build
res=$OUT/footprint.txt; : > "$res"
for c in none agent; do
    echo "# steady config=$c" | tee -a "$res"
    in_netns "${JVM_FLAGS[@]}" $(agent_flags "$c") -cp "$BENCH" io.ephemera.bench.Footprint 7000 2000 "$steady" 1000 200 1 30 4 2>>"$OUT/footprint.stderr" | sed "s/^/steady config=$c /" | tee -a "$res"
done
for c in none agent; do
    flags=(); [ "$c" = agent ] && flags=("-javaagent:$AGENT=connections.max=2000")
    echo "# storm config=$c" | tee -a "$res"
    in_netns "${JVM_FLAGS[@]}" "${flags[@]}" -cp "$BENCH" io.ephemera.bench.Footprint 7000 100000 "$storm" 5000 2000 800 15 4 2>>"$OUT/footprint.stderr" | sed "s/^/storm config=$c /" | tee -a "$res"
done
