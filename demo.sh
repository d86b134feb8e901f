#!/usr/bin/env bash
# Builds the agent and the sample app, then runs the sample backend with the agent attached:
# HAProxy in front when it is installed, a short load on /pooled, /churn, /leak and /health,
# then what the agent found.
set -euo pipefail
cd "$(dirname "$0")"
mvn -B -q -DskipTests package
exec java -javaagent:agent/target/ephemera-agent.jar=census.interval=1s -jar sample-app/target/ephemera-sample-app.jar demo "$@"
