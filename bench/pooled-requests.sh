#!/usr/bin/env bash
# CPU per pooled request (a shared client, its connection reused) through each client library the
# agent hooks, without and with the agent, alternating, each JVM pinned to one CPU. The server runs
# in the same JVM: its CPU is in both arms alike. Needs `mvn -B verify` (or `mvn -B -DskipITs verify`)
# first: the test classes and the libraries' jars copied under agent/target.
# usage: bench/pooled-requests.sh [rounds (3)] [requests (20000)] [warm-up (10000)]
set -euo pipefail
cd "$(dirname "$0")/../agent"
rounds=${1:-3}; n=${2:-20000}; warm=${3:-10000}
AGENT=target/ephemera-agent.jar
jars() { ls "$1"/*.jar | tr '\n' ':'; }
run() { # name classpath main args...
    local name=$1 cp=$2; shift 2
    for r in $(seq "$rounds"); do
        for arm in none agent; do
            local flag=()
            [ "$arm" = agent ] && flag=(-javaagent:$AGENT)
            local out
            out=$(taskset -c 1 java -Xms256m -Xmx256m -Dsun.net.httpserver.nodelay=true "${flag[@]}" -cp "target/test-classes:$cp" "$@" 2>/dev/null | tail -1)
            echo "bench=pooled client=$name round=$r config=$arm $out"
        done
    done
}
run okhttp4-execute "$(jars target/okhttp/4)" io.ephemera.it.app.OkHttpCpu execute "$warm" "$n"
run okhttp5-execute "$(jars target/okhttp/5)" io.ephemera.it.app.OkHttpCpu execute "$warm" "$n"
run okhttp5-enqueue "$(jars target/okhttp/5)" io.ephemera.it.app.OkHttpCpu enqueue "$warm" "$n"
run jdk-send "" io.ephemera.it.app.PooledRequestCpu jdk-send "$n" "$warm"
run jdk-async "" io.ephemera.it.app.PooledRequestCpu jdk-async "$n" "$warm"
run apache-classic "$(jars target/httpclient5/5.6)" io.ephemera.it.app.PooledRequestCpu apache-classic "$n" "$warm"
run apache-async "$(jars target/httpclient5/5.6)" io.ephemera.it.app.PooledRequestCpu apache-async "$n" "$warm"
RG="$(jars target/reactor-netty/*)$(jars target/grpc/*)" # one main for both: it names both
run reactor-netty "$RG" io.ephemera.it.app.ReactorGrpcRequestCpu reactor "$warm" "$n"
run grpc "$RG" io.ephemera.it.app.ReactorGrpcRequestCpu grpc "$warm" "$n"
