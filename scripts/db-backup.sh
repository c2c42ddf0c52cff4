#!/usr/bin/env bash
# Back up the Pilot-in-a-Box database with pg_dump's custom format (-Fc: compressed, complete —
# schema, data, sequences, the audit trail's triggers — and restorable with scripts/db-restore.sh).
#
#   DATABASE_URL=postgresql://user:password@host:5432/pilot scripts/db-backup.sh [FILE]
#
# FILE defaults to backups/pilot-<UTC time>.dump; FILE.sha256 is written beside it. The dump is
# written to a temporary name and only renamed once pg_restore can read its table of contents, so
# a FILE that exists is a complete backup. pg_dump's major version must be at least the server's.
# Backups hold password hashes and all data: they are created readable by their owner only.
set -euo pipefail

usage() { sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-2}"; }
case "${1:-}" in -h|--help) usage 0 ;; esac
[ $# -le 1 ] || usage

# libpq refuses query parameters it does not know (Prisma's schema=, connection_limit=, …).
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

URL="$(libpq_url "${DATABASE_URL:?DATABASE_URL must name the database to back up}")"
OUT="${1:-backups/pilot-$(date -u +%Y%m%dT%H%M%SZ).dump}"
umask 077
mkdir -p "$(dirname "$OUT")"
TMP="$OUT.partial.$$"
trap 'rm -f "$TMP"' EXIT

started=$(date +%s)
pg_dump --format=custom --compress=6 --no-password --file="$TMP" --dbname="$URL"
pg_restore --list "$TMP" >/dev/null
mv "$TMP" "$OUT"
trap - EXIT
(cd "$(dirname "$OUT")" && sha256sum "$(basename "$OUT")" > "$(basename "$OUT").sha256")

bytes=$(wc -c < "$OUT")
echo "db-backup: $(printf '%s' "$URL" | redact) → $OUT ($bytes bytes, $(( $(date +%s) - started )) s, $(pg_dump --version))"
