#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for the tests and for trying the team-server set-up.
#
#   scripts/postgres.sh ensure        install Debian's postgresql if its binaries are missing (root)
#   scripts/postgres.sh start DIR     initdb a cluster in DIR, start it on a Unix socket in DIR,
#                                     print its URL (postgresql://…) on stdout
#   scripts/postgres.sh stop DIR      stop the cluster in DIR and remove DIR
#
# initdb and pg_ctl refuse to run as root: as root the cluster runs as the `postgres` user
# (runuser), otherwise as the calling user. The server listens on no TCP port, only on the
# socket in DIR, so two clusters never collide and nothing is reachable from outside.
set -euo pipefail

bindir() {
    local found
    found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    if [[ -z "$found" || ! -x "$found/initdb" ]]; then
        return 1
    fi
    echo "$found"
}

as_owner() {
    if [[ $(id -u) -eq 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

cmd_ensure() {
    if bindir >/dev/null; then
        return 0
    fi
    if [[ $(id -u) -ne 0 ]]; then
        echo "postgres.sh: PostgreSQL is not installed; run as root or: apt-get install postgresql" >&2
        exit 1
    fi
    echo "postgres.sh: installing Debian's postgresql" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends postgresql >/dev/null
    bindir >/dev/null || { echo "postgres.sh: postgresql installed but initdb not found" >&2; exit 1; }
}

cmd_start() {
    local dir=${1:?usage: postgres.sh start DIR}
    local bin
    bin=$(bindir) || { echo "postgres.sh: PostgreSQL is not installed (scripts/postgres.sh ensure)" >&2; exit 1; }
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    if [[ $(id -u) -eq 0 ]]; then
        chown postgres: "$dir"
        runuser -u postgres -- test -w "$dir" || {
            echo "postgres.sh: the postgres user cannot write $dir; choose a folder under /tmp" >&2
            exit 1
        }
    fi
    chmod 700 "$dir"
    as_owner "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-sync >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-k $dir -c listen_addresses= -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100" \
        start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
    echo "postgresql://postgres@/postgres?host=$dir"
}

cmd_stop() {
    local dir=${1:?usage: postgres.sh stop DIR}
    local bin
    bin=$(bindir) || exit 0
    if [[ -f "$dir/data/postmaster.pid" ]]; then
        as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
    fi
    rm -rf "$dir"
}

case "${1:-}" in
    ensure) cmd_ensure ;;
    start) shift; cmd_start "$@" ;;
    stop) shift; cmd_stop "$@" ;;
    *) echo "usage: scripts/postgres.sh ensure | start DIR | stop DIR" >&2; exit 2 ;;
esac
