#!/usr/bin/env bash
# Every benchmark, one after the other, results in bench/target/results/ (see BENCHMARKS.md).
# usage: bench/run.sh          the full run (about 35 minutes; needs root for network namespaces)
#        bench/run.sh --quick  a smoke run of each (about 5 minutes with the build); its figures are not for quoting
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f agent/target/ephemera-agent.jar ] && [ -f bench/target/ephemera-bench.jar ] && [ -d bench/target/lib ] \
    || mvn -B -q -DskipTests package
{ echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), kernel $(uname -r)"
  java -version 2>&1 | head -1; date -u; uptime; } | tee bench/target/machine.txt
if [ "${1:-}" = --quick ]; then
    bench/connect-churn.sh "1 8" 1 3 2
    bench/connect-churn.sh "1 8" 1 3 2 inproc
    bench/keep-alive.sh 4 1 2 2
    bench/jmh.sh -f 1 -wi 1 -i 1 -w 1 -r 1 -p depth=40
    bench/census-cost.sh 1000 | tee bench/target/results/census-cost.txt
    bench/footprint.sh 10 10
    bench/startup.sh 2
else
    bench/connect-churn.sh "1 2 8" 4 8 5
    bench/connect-churn.sh "1 2 8" 3 8 5 inproc
    bench/keep-alive.sh 4 6 4 5
    bench/jmh.sh -f 1 -wi 3 -i 5 -w 1 -r 1
    bench/census-cost.sh 1000 10000 30000 | tee bench/target/results/census-cost.txt
    bench/footprint.sh 120 60
    bench/startup.sh 10
fi
echo "results: bench/target/results/"
