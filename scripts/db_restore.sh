#!/bin/sh
# Restore a backup made by db_backup.sh into an EMPTY database: scripts/db_restore.sh DATABASE_URL FILE
# Create it first (createdb, or a new compose volume); restoring over live data is refused, so a
# wrong URL cannot overwrite production. docs/operations.md.
set -eu
if [ "$#" -ne 2 ]; then
  echo "usage: $0 DATABASE_URL FILE" >&2
  exit 2
fi
tables=$(psql --no-psqlrc --tuples-only --no-align --dbname="$1" \
  --command="SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
if [ "$tables" != "0" ]; then
  echo "refusing: the target database already has $tables tables" >&2
  exit 1
fi
pg_restore --no-owner --no-privileges --exit-on-error --single-transaction --dbname="$1" "$2"
echo "restored $2"
