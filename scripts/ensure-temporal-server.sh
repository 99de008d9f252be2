#!/usr/bin/env bash
# Finds or builds the Temporal server and its SQL schema tool, pinned, and prints the folder that holds
#   temporal-server, temporal-sql-tool and schema/postgresql/v12/{temporal,visibility}
# on STDOUT (nothing else goes there). Messages go to stderr, prefixed [temporal-server].
#
# Routes, in order:
#   1. $TEMPORAL_SERVER_DIR, if set (fails when it lacks a working server: the user asked for it)
#   2. the project cache ${TEMPORAL_SERVER_CACHE_DIR:-<repo>/.cache/temporal-server}/<version>/
#   3. `go install go.temporal.io/server/cmd/server@v<version>` and `.../cmd/tools/sql@v<version>` through
#      the Go module proxy (minutes with cold Go caches, seconds warm); the schemas are copied from the
#      module's own source in the Go module cache.
# Installs go into the cache under a lock, so concurrent callers wait for one build.
#
# Env: TEMPORAL_SERVER_DIR, TEMPORAL_SERVER_VERSION (default 1.29.1), TEMPORAL_SERVER_CACHE_DIR.
set -euo pipefail
exec 3>&1 1>&2

readonly VERSION="${TEMPORAL_SERVER_VERSION:-1.29.1}"
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd -P)"
readonly CACHE_DIR="${TEMPORAL_SERVER_CACHE_DIR:-$REPO_ROOT/.cache/temporal-server}/$VERSION"
readonly MODULE="go.temporal.io/server"

log() { printf '[temporal-server] %s\n' "$*" >&2; }

complete() {
  local dir=$1
  [ -x "$dir/temporal-server" ] && [ -x "$dir/temporal-sql-tool" ] \
    && [ -f "$dir/schema/postgresql/v12/temporal/schema.sql" ] && [ -d "$dir/schema/postgresql/v12/visibility/versioned" ] \
    && "$dir/temporal-server" --help >/dev/null 2>&1 </dev/null
}

accept() {
  log "using $1 (route: $2)"
  printf '%s\n' "$1" >&3
  exit 0
}

if [ -n "${TEMPORAL_SERVER_DIR:-}" ]; then
  complete "$TEMPORAL_SERVER_DIR" || { log "ERROR: TEMPORAL_SERVER_DIR=$TEMPORAL_SERVER_DIR lacks temporal-server, temporal-sql-tool or schema/postgresql/v12"; exit 1; }
  accept "$(cd "$TEMPORAL_SERVER_DIR" && pwd -P)" TEMPORAL_SERVER_DIR
fi
if complete "$CACHE_DIR"; then accept "$CACHE_DIR" cache; fi

command -v go >/dev/null 2>&1 || {
  log "ERROR: no Temporal server v$VERSION in $CACHE_DIR and no Go toolchain to build it."
  log "Fix: install Go (https://go.dev/dl) and re-run, or set TEMPORAL_SERVER_DIR to a folder with"
  log "     temporal-server, temporal-sql-tool and the server's schema/ folder."
  exit 1
}

mkdir -p "$CACHE_DIR"
exec 9>"$CACHE_DIR/.lock"
if command -v flock >/dev/null 2>&1 && ! flock -n 9; then
  log "another process is building the server into $CACHE_DIR; waiting for it..."
  flock -w 3600 9 || { log "ERROR: gave up waiting for $CACHE_DIR/.lock"; exit 1; }
fi
if complete "$CACHE_DIR"; then accept "$CACHE_DIR" cache; fi

WORK="$(mktemp -d "$CACHE_DIR/.work.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
started=$SECONDS
log "building $MODULE v$VERSION with go install (a few minutes on a cold Go cache)..."
GOBIN="$WORK/bin" GOFLAGS=-mod=mod go install "$MODULE/cmd/server@v$VERSION" "$MODULE/cmd/tools/sql@v$VERSION" 9>&-
module_dir="$(go env GOMODCACHE)/$MODULE@v$VERSION"
[ -d "$module_dir/schema/postgresql/v12" ] || { log "ERROR: $module_dir/schema/postgresql/v12 not found after go install"; exit 1; }
mkdir -p "$WORK/out/schema/postgresql"
cp -R "$module_dir/schema/postgresql/v12" "$WORK/out/schema/postgresql/"
chmod -R u+w "$WORK/out/schema"
mv "$WORK/bin/server" "$WORK/out/temporal-server"
mv "$WORK/bin/sql" "$WORK/out/temporal-sql-tool"
for entry in temporal-server temporal-sql-tool schema; do rm -rf "${CACHE_DIR:?}/$entry"; mv "$WORK/out/$entry" "$CACHE_DIR/"; done
log "built in $((SECONDS - started))s"
complete "$CACHE_DIR" || { log "ERROR: the build in $CACHE_DIR does not run"; exit 1; }
accept "$CACHE_DIR" "go install"
