#!/usr/bin/env bash
# Usage: backup.sh [options]
#
# Backs up Yardstick into one timestamped archive, BACKUPS/yardstick-<UTC time>.tar (mode 600,
# it holds the secrets), then deletes all but the newest --keep archives. The archive holds:
#   database.dump   pg_dump in custom format: one consistent snapshot, taken while Yardstick runs
#   env             the install's .env (JWT_SECRET, database password, ...)
#   data.tar.gz     the data directory (uploaded files)
#   manifest        version, time and the row count of every table in the dump
#   SHA256SUMS      checksums of the above
# The last line printed is the archive's path.
#
# Options:
#   --mode docker|native  how Yardstick is installed (default: detected; native when DATABASE_URL is set)
#   --dir DIR             the install: the folder with compose.yaml and .env (docker) or /opt/yardstick (native)
#   --out DIR             where archives go (default: DIR/backups, or YARDSTICK_BACKUP_DIR)
#   --keep N              archives to keep, newest first (default 14, or YARDSTICK_BACKUP_KEEP; 0 keeps all)
#   --label WORD          added to the name, e.g. pre-upgrade
#   -h, --help            this text
#
# Nightly at 02:30 (crontab -e, as root):
#   30 2 * * * /opt/yardstick/install/backup.sh --keep 14 >>/var/log/yardstick-backup.log 2>&1
#
# Copy the archives off the server as well: a backup on the same disk dies with that disk.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
# shellcheck source=install/lib.sh
. "$SCRIPT_DIR/lib.sh"

YS_MODE_ARG='' YS_DIR_ARG='' out='' keep=${YARDSTICK_BACKUP_KEEP:-14} label=''
while [ $# -gt 0 ]; do
  case $1 in
    -h | --help) ys_usage "$0"; exit 0 ;;
    --mode | --mode=*) ys_optarg --mode "$@"; YS_MODE_ARG=$YS_OPTARG; shift "$YS_SHIFT" ;;
    --dir | --dir=*) ys_optarg --dir "$@"; YS_DIR_ARG=$YS_OPTARG; shift "$YS_SHIFT" ;;
    --out | --out=*) ys_optarg --out "$@"; out=$YS_OPTARG; shift "$YS_SHIFT" ;;
    --keep | --keep=*) ys_optarg --keep "$@"; keep=$YS_OPTARG; shift "$YS_SHIFT" ;;
    --label | --label=*) ys_optarg --label "$@"; label=$YS_OPTARG; shift "$YS_SHIFT" ;;
    *) ys_die "unknown argument: $1 (see --help)" ;;
  esac
done
[[ $keep =~ ^[0-9]+$ ]] || ys_die "--keep must be a whole number (got \"$keep\")"
[[ -z $label || $label =~ ^[a-z0-9-]+$ ]] || ys_die "--label may hold only a-z, 0-9 and - (got \"$label\")"

ys_resolve_mode_and_dir "$SCRIPT_DIR"
[ -f "$YS_ENV_FILE" ] || ys_die "no $YS_ENV_FILE: is Yardstick installed in $YS_DIR? (--dir)"
out=${out:-${YARDSTICK_BACKUP_DIR:-$YS_DIR/backups}}
mkdir -p "$out"
chmod 700 "$out"

umask 077
work=$(mktemp -d "$out/.backup.XXXXXX")
trap 'rm -rf "$work"' EXIT

# Names sort by time, which retention relies on: two backups within one second (a cron job and
# an upgrade) get different seconds rather than a suffix.
stamp=$(ys_timestamp)
while compgen -G "$out/yardstick-$stamp*.tar" >/dev/null; do
  sleep 1
  stamp=$(ys_timestamp)
done
name="yardstick-$stamp${label:+-$label}"

ys_step "Backing up Yardstick ($YS_MODE install in $YS_DIR) to $out/$name.tar"

if [ "$YS_MODE" = native ]; then
  url=${DATABASE_URL:-$(ys_env_get "$YS_ENV_FILE" DATABASE_URL || true)}
  [ -n "$url" ] || ys_die "DATABASE_URL is not set in $YS_ENV_FILE"
  ys_pg_check "$url"
  ys_pg pg_dump --format=custom --file="$work/database.dump" --dbname="$url" || ys_die "pg_dump failed"
  ys_pg pg_restore --data-only --file=- "$work/database.dump" | ys_dump_row_counts >"$work/rows"
  data_dir=$(ys_env_get "$YS_ENV_FILE" CRM_DATA_DIR || echo "$YS_DIR/data")
  if [ -d "$data_dir" ]; then
    # The embedded PostgreSQL (unused with DATABASE_URL) is never part of a file backup.
    tar -C "$data_dir" --exclude=./pg --exclude=./pg-credentials.json -czf "$work/data.tar.gz" .
  fi
  version=$(ys_running_version "$(ys_native_base_url)")
  if [ "$version" = unknown ] && [ -e "$YS_DIR/current" ]; then version=$(ys_release_version "$YS_DIR/current"); fi
  server=$(ys_psql -At -d "$url" -c 'SHOW server_version')
else
  ys_require_docker
  pg_user=$(ys_env_get "$YS_ENV_FILE" POSTGRES_USER || echo yardstick)
  pg_db=$(ys_env_get "$YS_ENV_FILE" POSTGRES_DB || echo yardstick)
  ys_dc exec -T postgres pg_isready -q -U "$pg_user" -d "$pg_db" || ys_die "the postgres service is not running: docker compose up -d postgres"
  ys_dc exec -T postgres pg_dump --format=custom --username="$pg_user" --dbname="$pg_db" >"$work/database.dump" || ys_die "pg_dump failed"
  ys_dc exec -T postgres pg_restore --data-only --file=- <"$work/database.dump" | ys_dump_row_counts >"$work/rows"
  if [ -n "$(ys_dc ps -q api 2>/dev/null)" ]; then
    ys_dc exec -T api tar -C /data -czf - . >"$work/data.tar.gz"
  else
    ys_dc run --rm --no-deps -T --entrypoint tar api -C /data -czf - . >"$work/data.tar.gz"
  fi
  version=$(ys_running_version "$(ys_docker_base_url)")
  server=$(ys_dc exec -T postgres psql -X -At -U "$pg_user" -d "$pg_db" -c 'SHOW server_version')
fi

[ -s "$work/database.dump" ] || ys_die "pg_dump wrote nothing"
cp "$YS_ENV_FILE" "$work/env"
{
  echo "format=1"
  echo "created_at=$stamp"
  echo "mode=$YS_MODE"
  echo "yardstick_version=$version"
  echo "postgres_server=$server"
  while read -r table count; do echo "rows.$table=$count"; done <"$work/rows"
} >"$work/manifest"
rm -f "$work/rows"
(cd "$work" && sha256sum -- * >SHA256SUMS)

tar -C "$work" -cf "$out/.$name.tar.partial" .
mv "$out/.$name.tar.partial" "$out/$name.tar"
chmod 600 "$out/$name.tar"
tables=$(grep -c '^rows\.' "$work/manifest" || true)
ys_ok "$(du -h "$out/$name.tar" | cut -f1) written: database ($tables tables), .env$([ -f "$work/data.tar.gz" ] && echo ', data directory')"

if [ "$keep" -gt 0 ]; then
  find "$out" -maxdepth 1 -type f -name 'yardstick-*.tar' | sort | head -n "-$keep" | while IFS= read -r old; do
    rm -f -- "$old"
    ys_info "removed old backup $(basename "$old") (keeping the newest $keep)"
  done
fi

printf '%s\n' "$out/$name.tar"
