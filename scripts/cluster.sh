#!/usr/bin/env bash
# `npm run cluster`: the production topology on this machine without Docker. Installs what a fresh clone
# lacks (node modules; the Temporal server and its schema tool, built once into .cache), then runs
# src/cluster/main.ts: PostgreSQL, the Temporal server on it, the API and CLUSTER_WORKERS workers.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [ ! -d node_modules ]; then
  echo "[cluster] installing node modules (npm ci)…" >&2
  npm ci
fi
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  echo "[cluster] PostgreSQL's server is not installed: apt-get install postgresql" >&2
  exit 1
fi
TEMPORAL_SERVER_DIR="$(bash scripts/ensure-temporal-server.sh)"
export TEMPORAL_SERVER_DIR
exec node --import tsx src/cluster/main.ts
