#!/usr/bin/env bash
# usage: scripts/add-migration.sh <project-dir> <MigrationName>
# Generates an EF Core migration for a service (design-time references only while this runs; see Directory.Build.targets).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
project=${1:?project dir}; name=${2:?migration name}
[ -x "$root/.tools/dotnet-ef" ] || dotnet tool install dotnet-ef --version 10.0.14 --tool-path "$root/.tools" >/dev/null
# The design-time host builds the app but never connects; it only needs the settings to be present.
export EfDesign=true
for db in identitydb planningdb staffingdb fieldworkdb cluesdb auditdb rectificationdb testhostdb; do
  export "ConnectionStrings__$db=Host=127.0.0.1;Database=$db"
done
export ConnectionStrings__eventbus=amqp://guest:guest@127.0.0.1:5672/
"$root/.tools/dotnet-ef" migrations add "$name" --project "$project" --output-dir Data/Migrations
