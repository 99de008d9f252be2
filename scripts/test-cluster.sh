#!/usr/bin/env bash
# `npm run test:cluster`: the integration suite on the production topology (test/cluster). Builds or
# finds the Temporal server first (scripts/ensure-temporal-server.sh, cached in .cache), so the suite's
# own time is the tests'.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
TEMPORAL_SERVER_DIR="$(bash scripts/ensure-temporal-server.sh)"
export TEMPORAL_SERVER_DIR
exec npx vitest run --config vitest.cluster.config.ts "$@"
