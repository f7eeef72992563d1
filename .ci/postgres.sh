#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster on 127.0.0.1 for tests (Debian's postgresql package).
#
#   eval "$(.ci/postgres.sh)"        # installs if needed, starts, exports TEST_POSTGRES_URL and TEST_POSTGRES_DIR
#   .ci/postgres.sh stop             # stops the cluster named by TEST_POSTGRES_DIR and removes its folder
#
# Progress goes to stderr; stdout carries only the export lines, so eval is safe.
set -euo pipefail

log() { echo "postgres.sh: $*" >&2; }

as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

find_bin() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

if [ "${1:-}" = stop ]; then
  dir="${TEST_POSTGRES_DIR:?TEST_POSTGRES_DIR is not set}"
  bin="$(find_bin)"
  as_postgres "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >&2 || true
  rm -rf "$dir"
  exit 0
fi

bin="$(find_bin)"
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  log "installing postgresql with apt-get"
  if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >&2
  bin="$(find_bin)"
fi
[ -x "$bin/initdb" ] || { log "no initdb found under /usr/lib/postgresql"; exit 1; }

# A free loopback port, chosen by the kernel.
port="$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"
dir="$(mktemp -d /tmp/test-postgres.XXXXXX)"
chmod 755 "$dir"
if [ "$(id -u)" = 0 ]; then chown postgres: "$dir"; fi

# C locale and UTC, the settings PGlite runs with, so the same query prints the same text on both.
as_postgres "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 \
  || { cat "$dir/initdb.log" >&2; exit 1; }
as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c timezone=UTC -c fsync=off -c max_connections=100" start >&2 \
  || { cat "$dir/server.log" >&2; exit 1; }

url="postgresql://postgres@127.0.0.1:$port/postgres"
log "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') ready at $url (folder $dir)"
echo "export TEST_POSTGRES_URL='$url'"
echo "export TEST_POSTGRES_DIR='$dir'"
