# Shared by test/run-all, test/pg-cluster and the demo: paths, the postgres user, deps.
# shellcheck shell=bash
SPOJ_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
SPOJ_TEST_DIR=${SPOJ_TEST_DIR:-/tmp/spojscore-test}
SPOJ_TEST_PORT=${SPOJ_TEST_PORT:-54329}

APT_PACKAGES=(postgresql-15 postgresql-server-dev-15 postgresql-15-cron libcurl4-openssl-dev
  libxml2-dev libgtest-dev libbenchmark-dev cmake g++ make clang-14 llvm-14 libclang-rt-14-dev
  libipc-run-perl python3)

log() { printf '\n==> %s\n' "$*"; }

# Installs whatever of APT_PACKAGES is missing (root only; otherwise says what to install).
ensure_packages() {
  local missing=() p
  for p in "${APT_PACKAGES[@]}"; do
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
