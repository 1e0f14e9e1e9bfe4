#!/usr/bin/env bash
# Planning at province size (20,000 targets, 500 rounds): coverage and statistics p95 and bulk import, each against a
# baseline measured in the same run. Args: [--samples N] (requests per endpoint, default 200)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/prereqs.sh
dotnet run -c Release --project bench/planning/PlanningBench.csproj -- "$@"
