#!/usr/bin/env bash
# The census's cost at 1,000, 10,000 and 30,000 sockets beside cat of the same files, in a fresh
# network namespace with the port range widened so 30,000 TIME_WAIT sockets fit. Needs root.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f bench/target/ephemera-bench.jar ] || mvn -B -q -DskipTests package
cp=bench/target/ephemera-bench.jar:agent/target/classes
exec unshare -n sh -c 'ip link set lo up && sysctl -qw "net.ipv4.ip_local_port_range=1024 65535" && sysctl -qw net.ipv4.tcp_tw_reuse=0 && exec "$@"' sh \
    taskset -c 0 java -cp "$cp" io.ephemera.bench.CensusCost "$@"
