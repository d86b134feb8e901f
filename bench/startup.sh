#!/usr/bin/env bash
# The start of a hello-world JVM that opens one connection: no agent, ephemera, and the peer agent
# (lib-file-leak-detector 1.21, when ../shared/anchors has it), in interleaved rounds, each child
# JVM pinned to CPU 0; with BEFORE_JAR set, an earlier build of the agent as a fourth arm.
# usage: bench/startup.sh [rounds (10)]
source "$(dirname "$0")/lib.sh"
rounds=${1:-10}
build
"$JAVA" -cp "$BENCH" io.ephemera.bench.Startup "$rounds" 0 "ephemera=$AGENT" "file-leak-detector=$PEER" \
    ${BEFORE_JAR:+"before=$BEFORE_JAR"} \
    -- -Xshare:auto | tee "$OUT/startup.txt"
