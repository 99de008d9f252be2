#!/usr/bin/env bash
# Hostile-input suite: schemathesis sends generated (valid and invalid) requests for every operation of
# the served OpenAPI document (GET /docs/json) to a real stack (Temporal dev server, SQLite, worker, API,
# as `npm start` runs it, with an admin API key) on free ports with a fresh DATA_DIR. It fails on any 5xx
# answer, on any answer the document does not describe (its status, media type, headers and body), and
# on a method a path does not take answered otherwise than 405 with Allow.
#
#   bash scripts/schemathesis.sh            # SCHEMATHESIS_MAX_EXAMPLES=<n> to go deeper (default 10); extra arguments go to `schemathesis run`
#   SCHEMATHESIS_FULL=1 bash scripts/schemathesis.sh       # the coverage phase on every operation (minutes longer)
#   SCHEMATHESIS_CHECKS=all bash scripts/schemathesis.sh   # also data acceptance/rejection, auth and method checks
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

# Runs started by fuzzing fetch whatever address their generated config names (now that the document
# gives every task's config, many are valid). Keep every byte on this machine: the stack and schemathesis
# run in a network namespace of their own with only loopback, where any other address is unreachable.
if [ -z "${NEWLOOM_SCHEMATHESIS_NETNS:-}" ]; then
  if command -v ip >/dev/null && unshare --net true 2>/dev/null; then
    export NEWLOOM_SCHEMATHESIS_NETNS=1
    exec unshare --net bash -c 'ip link set lo up && exec bash "$0" "$@"' "${BASH_SOURCE[0]}" "$@"
  fi
  echo "[schemathesis] warning: cannot make a network namespace (unshare --net); runs may reach outside" >&2
fi

free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }

work="$(mktemp -d "${TMPDIR:-/tmp}/newloom-schemathesis.XXXXXX")"
# Below the kernel's ephemeral range (32768+): the dev server binds random free ports of its own (its
# HTTP API, metrics, services) while the stack starts, and once took an API port picked from that range.
free_low_port() { node -e 'const net=require("net");const t=()=>{const p=20000+Math.floor(Math.random()*12000);const s=net.createServer().once("error",t).listen(p,"127.0.0.1",()=>{console.log(p);s.close()})};t()'; }
API_PORT="$(free_low_port)"
TEMPORAL_PORT="$(free_port)"
TEMPORAL_UI_PORT="$(free_port)"
export API_PORT TEMPORAL_PORT TEMPORAL_UI_PORT
export API_HOST=127.0.0.1 DATA_DIR="$work/data" LOG_LEVEL=warn
unset TEMPORAL_ADDRESS DATABASE_URL
# The API as it is served to others: behind a key (the document declares the bearer scheme).
api_key="$(node -e 'console.log(require("crypto").randomBytes(24).toString("hex"))')"
export API_KEYS="admin:$api_key"

# Compiled, as `npm start` runs it.
node --import tsx scripts/build.ts
node dist/main.mjs >"$work/stack.log" 2>&1 &
stack_pid=$!
stop_stack() {
  kill -TERM "$stack_pid" 2>/dev/null || true
  wait "$stack_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap stop_stack EXIT

base="http://127.0.0.1:$API_PORT"
for _ in $(seq 1 120); do
  if curl -fsS -m 5 "$base/readyz" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$stack_pid" 2>/dev/null; then
    echo "[schemathesis] the stack exited before it was ready:" >&2
    cat "$work/stack.log" >&2
    exit 1
  fi
  sleep 1
done
curl -fsS -m 5 "$base/readyz" >/dev/null || { echo "[schemathesis] the API was not ready within 120 s" >&2; cat "$work/stack.log" >&2; exit 1; }

# No input, however hostile, may make the API fail, and every answer must be one the document describes
# (the document is built from the same zod schemas the routes validate with). Runs started by fuzzing are
# harmless (ad-hoc runs against generated configs on a throwaway stack). The stateful phase chains
# operations (create, then read, patch, delete).
# Run from the throwaway directory: schemathesis keeps its example database in ./.schemathesis.
checks="${SCHEMATHESIS_CHECKS:-not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance,unsupported_method,allow_header_conformance}"
# The coverage phase walks every field of every variant of a body: for the two task bodies (POST /streams,
# POST /runs: one variant per task type) that is thousands of requests, most of the run. By default they
# get the other phases only (their field checks are unit-tested in test/unit/api*.test.ts); SCHEMATHESIS_FULL=1
# covers them too.
config="$work/schemathesis.toml"
if [ -z "${SCHEMATHESIS_FULL:-}" ]; then
  printf '[[operations]]\ninclude-operation-id = ["postStreams", "postRuns"]\nphases.coverage.enabled = false\n' >"$config"
else
  : >"$config"
fi
status=0
# One worker: schemathesis's workers are threads, and hypothesis parses lambda sources with ast.parse,
# which CPython 3.11 before 3.11.8 cannot do from two threads at once (it failed a CI run with
# "SystemError: AST constructor recursion depth mismatch", a crash of the generator, not of the API).
(cd "$work" && "$venv/bin/schemathesis" --config-file "$config" run "$base/docs/json" \
  --header "Authorization: Bearer $api_key" \
  --checks "$checks" \
  --phases "${SCHEMATHESIS_PHASES:-examples,coverage,fuzzing,stateful}" \
  --max-examples "${SCHEMATHESIS_MAX_EXAMPLES:-10}" \
  --workers 1 \
  --request-timeout 20 \
  --seed "${SCHEMATHESIS_SEED:-1}" \
  --suppress-health-check all \
  --warnings off \
  --no-color "$@") || status=$?

if [ "$status" -ne 0 ]; then
  echo "[schemathesis] failures found (server errors or answers the document does not describe); the stack's log (errors only):" >&2
  grep -E '"level":(50|60)' "$work/stack.log" | tail -n 40 >&2 || true
fi
exit "$status"
