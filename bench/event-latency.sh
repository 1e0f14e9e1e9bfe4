#!/usr/bin/env bash
# Event latency benchmark: transactional outbox vs. raw publish, on private PostgreSQL and RabbitMQ. Args: [--events N]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/prereqs.sh
dotnet run -c Release --project bench/EventLatency -- "$@"
