#!/usr/bin/env bash
# Runs the platform locally: installs prerequisites when missing, builds, starts the apphost in the foreground.
# Data is kept in .xuncha/ between runs. Ctrl+C stops everything.
set -euo pipefail
cd "$(dirname "$0")"
scripts/prereqs.sh
dotnet build Xuncha.Platform.sln -c Release -nologo -v q -clp:ErrorsOnly
exec dotnet apphost/Xuncha.AppHost/bin/Release/net10.0/Xuncha.AppHost.dll --root "$PWD" "$@"
