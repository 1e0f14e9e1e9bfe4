#!/usr/bin/env bash
# 码上巡察 public intake throughput: accepted submissions/s through the gateway (and straight to the service) while one
# address floods, against a bare INSERT of the same rows at the same concurrency, measured in the same run on private
# PostgreSQL and RabbitMQ. Checks: gateway ≥ 500/s, none lost (rows counted, every receipt found), flooder limited.
# Env: FIELDWORK_BENCH_SECONDS (15), FIELDWORK_BENCH_CONCURRENCY (32). Exits non-zero when a target is missed.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/prereqs.sh >/dev/null
build() { dotnet build "$1" -c Release -nologo -v q -clp:ErrorsOnly -nodeReuse:false -p:UseSharedCompilation=false >/dev/null; }
build services/fieldwork/Xuncha.Fieldwork.csproj
build gateway/Xuncha.Gateway/Xuncha.Gateway.csproj
build bench/fieldwork/FieldworkBench
cd bench/fieldwork/FieldworkBench/bin/Release/net10.0
exec dotnet FieldworkBench.dll "$OLDPWD" "${FIELDWORK_BENCH_SECONDS:-15}" "${FIELDWORK_BENCH_CONCURRENCY:-32}"
