#!/usr/bin/env bash
# Restore a backup made by scripts/db-backup.sh into the database DATABASE_URL names.
#
#   DATABASE_URL=postgresql://user:password@host:5432/pilot scripts/db-restore.sh FILE [--clean]
#
# The target must be empty (a new database) unless --clean is given, which first drops the
# objects the backup contains. Everything is restored in one transaction: it all lands, or
# nothing does. Data is loaded before the triggers and constraints are created (pg_restore's
# order), so the audit trail's append-only triggers come back intact; `npm run audit:verify`
# afterwards proves the hash chain survived. Objects are owned by the connecting user.
set -euo pipefail

usage() { sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-2}"; }
FILE="" CLEAN=false
for arg in "$@"; do
  case "$arg" in
    --clean) CLEAN=true ;;
    -h|--help) usage 0 ;;
    -*) echo "db-restore: unknown option $arg" >&2; usage ;;
    *) [ -z "$FILE" ] || usage; FILE="$arg" ;;
  esac
done
[ -n "$FILE" ] || usage
[ -f "$FILE" ] || { echo "db-restore: $FILE does not exist" >&2; exit 1; }

libpq_url() {
  local url="$1" base query kept="" param
  base="${url%%\?*}"
  [ "$base" = "$url" ] && { printf '%s' "$url"; return; }
  query="${url#*\?}"
  local IFS='&'
  for param in $query; do
    case "${param%%=*}" in
      host|hostaddr|port|dbname|user|password|passfile|channel_binding|connect_timeout|client_encoding|options|application_name|fallback_application_name|keepalives|keepalives_idle|keepalives_interval|keepalives_count|tcp_user_timeout|sslmode|sslcompression|sslcert|sslkey|sslpassword|sslrootcert|sslcrl|sslcrldir|sslsni|requirepeer|ssl_min_protocol_version|ssl_max_protocol_version|gssencmode|krbsrvname|gsslib|service|target_session_attrs)
        kept="${kept:+$kept&}$param" ;;
    esac
  done
  printf '%s' "${base}${kept:+?$kept}"
}
redact() { sed -E 's#(://[^:/@]*):[^@]*@#\1:***@#'; }

URL="$(libpq_url "${DATABASE_URL:?DATABASE_URL must name the database to restore into}")"

if [ -f "$FILE.sha256" ]; then
  (cd "$(dirname "$FILE")" && sha256sum --check --quiet "$(basename "$FILE").sha256") \
    || { echo "db-restore: $FILE does not match $FILE.sha256" >&2; exit 1; }
fi
pg_restore --list "$FILE" >/dev/null

tables=$(psql --no-psqlrc --no-password --tuples-only --no-align --dbname="$URL" \
  -c "select count(*) from pg_tables where schemaname = 'public'")
if [ "$tables" != "0" ] && [ "$CLEAN" != true ]; then
  echo "db-restore: the target already has $tables tables; restore into a new database, or pass --clean to replace them" >&2
  exit 1
fi

started=$(date +%s)
restore=(pg_restore --exit-on-error --single-transaction --no-owner --no-privileges --no-password --dbname="$URL")
if [ "$CLEAN" = true ]; then restore+=(--clean --if-exists); fi
"${restore[@]}" "$FILE"
psql --no-psqlrc --no-password --quiet --dbname="$URL" -c "analyze" >/dev/null

echo "db-restore: $FILE → $(printf '%s' "$URL" | redact) in $(( $(date +%s) - started )) s; now run: npm run audit:verify"
