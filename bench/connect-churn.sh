#!/usr/bin/env bash
# Connect churn with and without the agent, alternating pairs, each run pinned to one CPU in a fresh
# network namespace when permitted. Prints each run and the ratio agent/no-agent of the medians.
# usage: bench/connect-churn.sh [threads] [connects-per-thread] [pairs]
set -euo pipefail
cd "$(dirname "$0")/.."
threads=${1:-1}; connects=${2:-20000}; pairs=${3:-5}
[ -f agent/target/ephemera-agent.jar ] && [ -f bench/target/ephemera-bench.jar ] || mvn -B -q -DskipTests package
wrap=()
if unshare -n true 2>/dev/null; then wrap=(unshare -n sh -c 'ip link set lo up && exec "$@"' sh); fi
pin=(); command -v taskset >/dev/null && pin=(taskset -c 0)
run() { "${wrap[@]}" "${pin[@]}" java "$@" -cp bench/target/ephemera-bench.jar io.ephemera.bench.ConnectChurn "$threads" "$connects"; }
without=(); with=()
for i in $(seq "$pairs"); do
    a=$(run -Xshare:auto); b=$(run -javaagent:agent/target/ephemera-agent.jar 2>/dev/null)
    echo "without: $a"; echo "with:    $b"
    without+=("$(sed -E 's/.*connects_per_s=([0-9]+).*/\1/' <<<"$a")"); with+=("$(sed -E 's/.*connects_per_s=([0-9]+).*/\1/' <<<"$b")")
    wcpu+=("$(sed -E 's/.*cpu_us_per_connect=([0-9.]+).*/\1/' <<<"$a")"); acpu+=("$(sed -E 's/.*cpu_us_per_connect=([0-9.]+).*/\1/' <<<"$b")")
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
mw=$(median "${without[@]}"); ma=$(median "${with[@]}")
cw=$(median "${wcpu[@]}"); ca=$(median "${acpu[@]}")
echo "median connects/s: without $mw, with $ma, ratio $(awk -v a="$ma" -v b="$mw" 'BEGIN {printf "%.3f", a/b}')"
echo "median CPU us/connect: without $cw, with $ca, added $(awk -v a="$ca" -v b="$cw" 'BEGIN {printf "%.2f", a-b}') us"
