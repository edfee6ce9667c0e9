#!/usr/bin/env bash
# `make serve-postgres`: buildup's API on a throw-away PostgreSQL cluster (datasets and saved
# scenarios in PostgreSQL), on loopback. The cluster is stopped and removed when the server
# stops. For a lasting team server, set BUILDUP_DATABASE_URL to your own database instead.
#
#   scripts/serve-postgres.sh PATH/TO/buildup [serve options…]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
buildup=${1:?usage: serve-postgres.sh PATH/TO/buildup [serve options]}
shift
dir=$(mktemp -d /tmp/buildup-pg-serve-XXXXXX)
trap 'bash "$here/postgres.sh" stop "$dir"' EXIT
url=$(bash "$here/postgres.sh" start "$dir")
echo "PostgreSQL at $url" >&2
BUILDUP_DATABASE_URL="$url" "$buildup" serve "$@"
