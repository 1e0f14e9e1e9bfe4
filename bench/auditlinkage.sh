#!/usr/bin/env bash
# Audit-linkage benchmark on a private PostgreSQL (and RabbitMQ for the service's bus):
#  1. import of N subsidy rows through the service (CSV streamed, validated, hashed, binary COPY) vs a raw COPY of the
#     same file into an untyped-checks table, same run; target >= 0.7x the raw speed;
#  2. the deceased-recipient rule over N subsidy x M death rows vs the equivalent hand-written join; target <= 1.2x.
# Args: [--rows N] [--deaths M] [--repeat R] [--rule-repeat R] [--explain (prints both plans)]   (defaults 1000000, 100000, 5 import rounds, 9 rule rounds; each round alternates which side goes first)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/prereqs.sh
dotnet run -c Release --project bench/auditlinkage -- "$@"
