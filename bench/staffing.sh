#!/usr/bin/env bash
# Group formation benchmark: the proposal for 60 targets from the 1,300-cadre demo pool (target p50 ≤ 1 s, every hard rule met)
# and its objective against a simple greedy assignment measured in the same run. Args: [--runs N]
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet run -c Release --project bench/staffing -- "$@"
