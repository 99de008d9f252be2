#!/usr/bin/env bash
# `npm start`: installs what a fresh clone lacks (node modules, the Temporal CLI), then runs the whole
# stack in one process: Temporal dev server, SQLite, worker and API. Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [ ! -d node_modules ]; then
  echo "[start] installing node modules (npm ci)…" >&2
  npm ci
fi

# With TEMPORAL_ADDRESS set, NewLoom uses that server and needs no CLI.
if [ -z "${TEMPORAL_ADDRESS:-}" ]; then
  TEMPORAL_CLI_PATH="$(bash scripts/ensure-temporal-cli.sh)"
  export TEMPORAL_CLI_PATH
fi

# The long-running process runs compiled JavaScript (about a second to build), not the sources through
# tsx: it holds less memory for as long as it runs.
node --import tsx scripts/build.ts
# The heap cap of a process that runs activities (ACTIVITY_PROCESS_OLD_SPACE_MB in
# src/process/compiled-entry-points.ts says why).
exec node --max-old-space-size=384 dist/main.mjs
