#!/usr/bin/env bash
# Every benchmark of the wave, one after another, then one table of their targets: verdict, figure and run time.
# Each benchmark measures its own baseline in the same run, so a ratio stays meaningful, but absolute figures are only
# comparable on an idle machine: run this with nothing else running.
# Args: names to run a subset (default: all), e.g. bench/run.sh gateway fullpath
# Each benchmark's whole output is kept in bench/results/<name>-<stamp>.txt; the table in bench/results/run-<stamp>.md.
set -uo pipefail
cd "$(dirname "$0")/.."

all=(gateway event-latency fullpath auditlinkage staffing planning fieldwork startup)
if [ $# -gt 0 ]; then selected=("$@"); else selected=("${all[@]}"); fi
for name in "${selected[@]}"; do
  [ -x "bench/$name.sh" ] || { echo "no benchmark bench/$name.sh (have: ${all[*]})"; exit 2; }
done

stamp=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p bench/results
table=bench/results/run-$stamp.md
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')
memory=$(awk '/MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo)
{
  echo "machine: $(nproc) × $cpu, $memory RAM, $(. /etc/os-release && echo "$PRETTY_NAME"), .NET $(dotnet --version)"
  echo "started: $stamp; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  echo "| benchmark | target | verdict | figure | run time |"
  echo "|---|---|---|---|---|"
} >"$table"

passed=0; failed=0
for name in "${selected[@]}"; do
  log=bench/results/$name-$stamp.txt
  echo "== $name (output: $log)"
  start=$(date +%s)
  "bench/$name.sh" >"$log" 2>&1
  code=$?
  took="$(( $(date +%s) - start )) s"
  # Every benchmark prints its verdicts as "target: <what>: PASS|FAIL (<figure>)".
  lines=$(grep -E '^target: .*: (PASS|FAIL)' "$log" || true)
  if [ -z "$lines" ]; then
    echo "| $name | (no verdict printed) | FAIL | exit code $code, see $log | $took |" >>"$table"
    failed=$((failed + 1))
    continue
  fi
  while IFS= read -r line; do
    what=$(echo "$line" | sed -E 's/^target: (.*): (PASS|FAIL).*/\1/')
    verdict=$(echo "$line" | sed -E 's/^target: .*: (PASS|FAIL).*/\1/')
    figure=$(echo "$line" | sed -E 's/^target: .*: (PASS|FAIL) ?\(?([^)]*)\)?$/\2/')
    echo "| $name | $what | $verdict | $figure | $took |" >>"$table"
    if [ "$verdict" = PASS ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
  done <<<"$lines"
done

echo >>"$table"
echo "$passed targets met, $failed missed" >>"$table"
echo
cat "$table"
[ "$failed" -eq 0 ]
