#!/usr/bin/env bash
# Start-up time of the whole platform (issue 4's target: warm start — already built, data present — to all healthy
# ≤ 30 s). Runs the apphost twice on a throwaway data folder and free ports: the first (cold) run creates the
# clusters, databases and demo data; the second is the warm run. Prints both times and the warm time against the target.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/prereqs.sh >/dev/null
dotnet build Xuncha.Platform.sln -c Release -nologo -v q -clp:ErrorsOnly -nodeReuse:false >/dev/null
data=$(mktemp -d /tmp/xuncha-startup-XXXX); chmod 755 "$data"   # PostgreSQL runs as "postgres" and must reach its folder
trap 'rm -rf "$data"' EXIT
export XUNCHA_GATEWAY_PORT=$((20000 + RANDOM % 2000)) XUNCHA_DASHBOARD_PORT=$((22000 + RANDOM % 500))
export XUNCHA_SERVICE_PORT=$((24000 + RANDOM % 1000)) XUNCHA_PG_PORT=$((26000 + RANDOM % 1000))
export XUNCHA_AMQP_PORT=$((21000 + RANDOM % 1000)) XUNCHA_RABBITMQ_MGMT_PORT=$((28000 + RANDOM % 1000))

run_once() { # prints the seconds the apphost reported, then stops it
  local log=$data/apphost-$1.log
  dotnet apphost/Xuncha.AppHost/bin/Release/net10.0/Xuncha.AppHost.dll --root "$PWD" --data "$data/state" >"$log" 2>&1 &
  local pid=$!
  for _ in $(seq 1 600); do
    grep -q "is up" "$log" && break
    kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; exit 1; }
    sleep 0.2
  done
  grep -q "is up" "$log" || { echo "not up in 120 s" >&2; tail -40 "$log" >&2; kill "$pid"; exit 1; }
  local seconds
  seconds=$(grep -o 'healthy in [0-9.]* s' "$log" | grep -o '[0-9.]*')
  kill -TERM "$pid"; wait "$pid" || true
  echo "$seconds"
}

cold=$(run_once cold)
warm=$(run_once warm)
resources=$(grep -o 'all [0-9]* resources' "$data/apphost-warm.log" | grep -o '[0-9]*')
printf "%-28s | %8s\n" "run ($resources resources, $(nproc) CPUs)" "seconds"
printf -- "-----------------------------+---------\n"
printf "%-28s | %8s\n" "cold (new data, demo seed)" "$cold"
printf "%-28s | %8s\n" "warm (data present)" "$warm"
ratio=$(awk -v w="$warm" 'BEGIN { printf "%.2f", w / 30 }')
if awk -v w="$warm" 'BEGIN { exit !(w <= 30) }'; then echo "target: warm start ≤ 30 s: PASS (${warm} s, ${ratio}× the budget)"; else echo "target: warm start ≤ 30 s: FAIL (${warm} s, ${ratio}× the budget)"; exit 1; fi
