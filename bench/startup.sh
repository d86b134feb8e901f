#!/usr/bin/env bash
# Time to main with and without the agent: alternating pairs, each child JVM pinned to CPU 0.
# usage: bench/startup.sh [pairs (10)]
source "$(dirname "$0")/lib.sh"
pairs=${1:-10}
build
"$JAVA" -cp "$BENCH" io.ephemera.bench.Startup "$pairs" 0 "$AGENT" -Xshare:auto | tee "$OUT/startup.txt"
