#!/bin/sh
# Back up the PostgreSQL database to one file: scripts/db_backup.sh DATABASE_URL FILE
# A custom-format dump (compressed; pg_restore can restore all of it or single tables), without
# ownership, so it restores under whichever role runs the restore. docs/operations.md.
set -eu
if [ "$#" -ne 2 ]; then
  echo "usage: $0 DATABASE_URL FILE" >&2
  exit 2
fi
pg_dump --format=custom --no-owner --no-privileges --file="$2" "$1"
# A dump that cannot be listed is no backup: fail now, not on the day it is needed.
pg_restore --list "$2" >/dev/null
echo "backed up to $2 ($(wc -c <"$2") bytes)"
