#!/usr/bin/env bash
# Hostile-input suite: schemathesis sends generated (valid and invalid) requests for every operation of
# the served OpenAPI document to a real stack (Temporal dev server, SQLite, worker, API, as `npm start`
# runs it) on free ports with a fresh DATA_DIR, and fails on any 5xx answer. A bad input is a 4xx.
#
#   bash scripts/schemathesis.sh            # SCHEMATHESIS_MAX_EXAMPLES=<n> to go deeper (default 10); extra arguments go to `schemathesis run`
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

SCHEMATHESIS_VERSION=4.32.5
venv="$PWD/.cache/schemathesis-venv"
if [ ! -x "$venv/bin/schemathesis" ] || ! "$venv/bin/schemathesis" --version 2>/dev/null | grep -q "$SCHEMATHESIS_VERSION"; then
  echo "[schemathesis] installing schemathesis $SCHEMATHESIS_VERSION into $venv" >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi

if [ -z "${TEMPORAL_CLI_PATH:-}" ]; then
  TEMPORAL_CLI_PATH="$(bash scripts/ensure-temporal-cli.sh)"
fi
export TEMPORAL_CLI_PATH

free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }

work="$(mktemp -d "${TMPDIR:-/tmp}/newloom-schemathesis.XXXXXX")"
API_PORT="$(free_port)"
TEMPORAL_PORT="$(free_port)"
TEMPORAL_UI_PORT="$(free_port)"
export API_PORT TEMPORAL_PORT TEMPORAL_UI_PORT
export API_HOST=127.0.0.1 DATA_DIR="$work/data" LOG_LEVEL=warn
unset API_KEYS TEMPORAL_ADDRESS DATABASE_URL

node --import tsx src/main.ts >"$work/stack.log" 2>&1 &
stack_pid=$!
stop_stack() {
  kill -TERM "$stack_pid" 2>/dev/null || true
  wait "$stack_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap stop_stack EXIT

base="http://127.0.0.1:$API_PORT"
for _ in $(seq 1 120); do
  if curl -fsS "$base/readyz" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$stack_pid" 2>/dev/null; then
    echo "[schemathesis] the stack exited before it was ready:" >&2
    cat "$work/stack.log" >&2
    exit 1
  fi
  sleep 1
done
curl -fsS "$base/readyz" >/dev/null || { echo "[schemathesis] the API was not ready within 120 s" >&2; cat "$work/stack.log" >&2; exit 1; }

# not_a_server_error only: the hand-kept document describes the answers loosely, and the point here is
# that no input, however hostile, makes the API fail. Runs started by fuzzing are harmless (ad-hoc
# runs against generated configs on a throwaway stack). The stateful phase chains operations (create, then read, patch, delete).
# Run from the throwaway directory: schemathesis keeps its example database in ./.schemathesis.
status=0
(cd "$work" && "$venv/bin/schemathesis" run "$base/docs" \
  --checks not_a_server_error \
  --phases "${SCHEMATHESIS_PHASES:-examples,coverage,fuzzing,stateful}" \
  --max-examples "${SCHEMATHESIS_MAX_EXAMPLES:-10}" \
  --workers 2 \
  --request-timeout 20 \
  --seed "${SCHEMATHESIS_SEED:-1}" \
  --suppress-health-check all \
  --warnings off \
  --no-color "$@") || status=$?

if [ "$status" -ne 0 ]; then
  echo "[schemathesis] server errors found; the stack's log (errors only):" >&2
  grep -E '"level":(50|60)' "$work/stack.log" | tail -n 40 >&2 || true
fi
exit "$status"
