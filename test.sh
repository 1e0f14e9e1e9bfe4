#!/usr/bin/env bash
# Builds everything and runs every test project against real PostgreSQL and RabbitMQ (each test project starts its own
# private pair). Ends with the plain line "N passed, N failed"; exits non-zero on any failure or build error.
set -uo pipefail
cd "$(dirname "$0")"
start=$(date +%s)
scripts/prereqs.sh || { echo "0 passed, 1 failed"; exit 1; }

if ! dotnet build Xuncha.Platform.sln -c Release -nologo -v q -clp:ErrorsOnly; then
  echo "build failed"
  echo "0 passed, 1 failed"
  exit 1
fi

results=TestResults
rm -rf "$results"; mkdir -p "$results"
passed=0; failed=0
for project in $(find tests -name '*.Tests.csproj' | sort); do
  name=$(basename "$project" .csproj)
  echo "== $name"
  dotnet test "$project" -c Release --no-build -nologo -v q \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=minimal" --results-directory "$results/$name"
  code=$?
  trx=$(find "$results/$name" -name '*.trx' 2>/dev/null | head -1)
  p=0; f=0
  if [ -n "$trx" ]; then
    counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
    p=$(echo "$counters" | grep -o ' passed="[0-9]*"' | grep -o '[0-9]*'); p=${p:-0}
    f=$(echo "$counters" | grep -o ' failed="[0-9]*"' | grep -o '[0-9]*'); f=${f:-0}
    # Tests that never completed (aborted run) count as failures too.
    total=$(echo "$counters" | grep -o ' total="[0-9]*"' | grep -o '[0-9]*'); total=${total:-0}
    [ "$total" -gt $((p + f)) ] && f=$((total - p))
  fi
  # A crashed or empty run is a failure even when no test reported one.
  if [ "$code" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
  if [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then echo "$name ran no test"; f=1; fi
  echo "   $name: $p passed, $f failed"
  passed=$((passed + p)); failed=$((failed + f))
done

echo "suite time: $(( $(date +%s) - start )) s"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
