# Shared by the benchmark scripts: build once, run a client JVM pinned to CPU 0 beside the
# EchoServer JVM (no agent) pinned to CPU 1, both in a fresh network namespace, so every run starts
# with an empty socket table and its own port range. Needs root for unshare -n.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
AGENT=$ROOT/agent/target/ephemera-agent.jar
BENCH=$ROOT/bench/target/ephemera-bench.jar
OUT=${BENCH_OUT:-$ROOT/bench/target/results}
mkdir -p "$OUT"
JAVA=${JAVA:-java}
# the peer agent, a third arm where a benchmark offers one (../shared/anchors/README.md)
PEER=${PEER_JAR:-$ROOT/../shared/anchors/file-leak-detector-1.21.jar}
JVM_FLAGS=(-Xms256m -Xmx256m -XX:+UseG1GC)

build() {
    if [ ! -f "$AGENT" ] || [ ! -f "$BENCH" ] || [ ! -d "$ROOT/bench/target/lib" ]; then
        mvn -B -q -DskipTests package
    fi
}

# agent_flags CONFIG: the JVM flags of one configuration
agent_flags() {
    case "$1" in
        none) ;;
        agent) echo "-javaagent:$AGENT" ;;
        census500ms) echo "-javaagent:$AGENT=census.interval=500ms" ;;
        peer) echo "-javaagent:$PEER" ;;
        before) echo "-javaagent:${BEFORE_JAR:?before: set BEFORE_JAR to an earlier build of the agent}" ;;
        *) echo "unknown config $1" >&2; return 1 ;;
    esac
}

# in_netns CLIENT-ARGS...: runs the EchoServer on CPU 1 and `java CLIENT-ARGS` on CPU 0 in a fresh
# network namespace; prints the client's stdout.
in_netns() {
    unshare -n bash -c '
        ip link set lo up
        taskset -c 1 "$0" -Xms256m -Xmx256m -cp "$1" io.ephemera.bench.EchoServer 7000 32 >/dev/null 2>&1 &
        srv=$!
        shift
        set +e
        taskset -c 0 "$@"
        rc=$?
        kill $srv 2>/dev/null; wait $srv 2>/dev/null
        exit $rc' "$JAVA" "$BENCH" "$JAVA" "$@"
}

# alone JAVA-ARGS...: runs `java JAVA-ARGS` on CPU 0 alone in a fresh network namespace (a client
# whose server is in the same JVM); prints its stdout.
alone() {
    unshare -n bash -c 'ip link set lo up; exec taskset -c 0 "$@"' bash "$JAVA" "$@"
}

# configs CONFIGS...: the configurations to run (none, agent, census500ms, peer, and before: the
# agent jar BEFORE_JAR, an earlier build, to see what a change bought), without `peer` (and one
# line saying so) when its jar is absent
configs() {
    local out=()
    for c in "$@"; do
        if [ "$c" = peer ] && [ ! -f "$PEER" ]; then
            echo "peer arm skipped: $PEER is absent" >&2
            continue
        fi
        out+=("$c")
    done
    echo "${out[@]}"
}

# rotate N CONFIGS...: the configs rotated by N, so no config always runs first in a pair
rotate() {
    local n=$1; shift
    local a=("$@")
    n=$(( n % ${#a[@]} ))
    echo "${a[@]:n}" "${a[@]:0:n}"
}
