# Shared by the test scripts, the demo and bench/refresh_bench.sh: paths, the postgres user,
# deps, the loopback fault server.
# shellcheck shell=bash
SPOJ_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# The PostgreSQL major the tests use: PG_MAJOR, else the one in PG_BIN's path, else the one the
# release's "postgresql" package depends on (15 on Debian 12, 17 on 13, 18 on sid; test/matrix).
if [ -z "${PG_MAJOR:-}" ]; then
  if [[ ${PG_BIN:-} =~ /postgresql/([0-9]+)/bin/?$ ]]; then PG_MAJOR=${BASH_REMATCH[1]}
  else PG_MAJOR=$(apt-cache depends postgresql 2>/dev/null | sed -nE 's/^ *Depends: postgresql-([0-9]+)$/\1/p' | head -1)
  fi
  PG_MAJOR=${PG_MAJOR:-15}
fi
PG_BIN=${PG_BIN:-/usr/lib/postgresql/$PG_MAJOR/bin}
SPOJ_TEST_DIR=${SPOJ_TEST_DIR:-/tmp/spojscore-test}
SPOJ_TEST_PORT=${SPOJ_TEST_PORT:-54329}

# The LLVM major PGXS compiles bitcode with (its Makefile.global's CLANG; before the server
# headers are installed, what postgresql-server-dev-N depends on). The fuzzers use the same clang.
llvm_major() {
  local mk v
  mk=$(dirname "$("$PG_BIN/pg_config" --pgxs 2>/dev/null || echo /nonexistent/x)")/../Makefile.global
  v=$(sed -nE 's|^CLANG[[:space:]]*=.*clang-([0-9]+)$|\1|p' "$mk" 2>/dev/null | head -1)
  [ -n "$v" ] || v=$(apt-cache depends "postgresql-server-dev-$PG_MAJOR" 2>/dev/null |
                       sed -nE 's/^ *Depends: clang-([0-9]+)$/\1/p' | head -1)
  echo "${v:-14}"
}
LLVM_MAJOR=${LLVM_MAJOR:-$(llvm_major)}

APT_PACKAGES=("postgresql-$PG_MAJOR" "postgresql-server-dev-$PG_MAJOR" "postgresql-$PG_MAJOR-cron"
  libcurl4-openssl-dev libxml2-dev libgtest-dev libbenchmark-dev cmake g++ make "clang-$LLVM_MAJOR"
  "llvm-$LLVM_MAJOR" "libclang-rt-$LLVM_MAJOR-dev" libipc-run-perl python3)

log() { printf '\n==> %s\n' "$*"; }

# Installs whatever of the named packages (default: APT_PACKAGES) is missing (root only;
# otherwise says what to install).
ensure_packages() {
  local missing=() p
  [ $# -gt 0 ] || set -- "${APT_PACKAGES[@]}"
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "missing packages: ${missing[*]} (run as root, or apt-get install them)" >&2
    return 1
  fi
  log "installing ${missing[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

# Runs a command as the cluster's owner: postgres when we are root, else ourselves.
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# Starts the loopback SPOJ stand-in (test/fixture/spojfix.py) in the background, run as the
# caller: start_spojfix DIR [IDLE_EXIT_SECONDS]. Writes DIR/spojfix.port and DIR/spojfix.log,
# sets SPOJFIX_PID and SPOJFIX_URL (http://127.0.0.1:PORT); prints the log and returns 1 when
# the server has not started within 10 s.
start_spojfix() {
  local dir=$1 idle=${2:-900} _
  rm -f "$dir/spojfix.port"
  /usr/bin/python3 -B "$SPOJ_ROOT/test/fixture/spojfix.py" --port-file "$dir/spojfix.port" \
    --idle-exit "$idle" >"$dir/spojfix.log" 2>&1 &
  SPOJFIX_PID=$!
  for _ in $(seq 100); do [ -s "$dir/spojfix.port" ] && break; sleep 0.1; done
  if [ ! -s "$dir/spojfix.port" ]; then
    cat "$dir/spojfix.log"; echo "the fault server did not start"
    return 1
  fi
  SPOJFIX_URL="http://127.0.0.1:$(tr -d '[:space:]' <"$dir/spojfix.port")"
}

# Safe under set -e (the killed server's status is not an error) and when nothing runs.
stop_spojfix() {
  if [ -n "${SPOJFIX_PID:-}" ]; then
    kill "$SPOJFIX_PID" 2>/dev/null || true
    wait "$SPOJFIX_PID" 2>/dev/null || true
  fi
  SPOJFIX_PID=
}
