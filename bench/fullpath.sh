#!/usr/bin/env bash
# Full-path write throughput of the running platform (gateway → audit linkage + outbox → RabbitMQ → fieldwork inbox)
# against pgbench on the same PostgreSQL cluster, same run; then every event counted at the consumer (none lost, none
# applied twice). Env: FULLPATH_BENCH_SECONDS (20), FULLPATH_BENCH_CONCURRENCY (16). Exits non-zero when a target is missed.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/prereqs.sh >/dev/null
command -v pgbench >/dev/null || { echo "pgbench is missing (it comes with postgresql-contrib / the postgresql package)"; exit 1; }
dotnet build Xuncha.Platform.sln -c Release -nologo -v q -clp:ErrorsOnly -nodeReuse:false -p:UseSharedCompilation=false >/dev/null
dotnet build bench/fullpath -c Release -nologo -v q -clp:ErrorsOnly -nodeReuse:false -p:UseSharedCompilation=false >/dev/null
exec dotnet bench/fullpath/bin/Release/net10.0/FullPathBench.dll "${FULLPATH_BENCH_SECONDS:-20}" "${FULLPATH_BENCH_CONCURRENCY:-16}"
