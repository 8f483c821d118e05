#!/usr/bin/env bash
# Usage: restore.sh [options] [ARCHIVE]
#
# Restores a backup made by backup.sh (ARCHIVE, default: the newest in the install's backups/)
# into this install, fresh or in use, after asking for confirmation:
#   1. checks the archive's checksums;
#   2. saves the current database to backups/ (unless --no-safety-backup);
#   3. stops Yardstick and replaces the database in ONE transaction: if anything fails, the
#      database is left exactly as it was;
#   4. checks that every table has the row count recorded in the backup;
#   5. puts back the data directory (uploaded files); keeps the current .env unless --with-env
#      or there is none (the backup's copy is left beside it as .env.from-backup-<time>);
#   6. starts Yardstick, waits for /api/v1/health and asks GET /api/v1/admin/rollups/verify
#      whether the campaign revenue roll-ups match the orders (skipped on versions without it).
# The verify call logs in with YARDSTICK_API_TOKEN (an admin API token, from the environment or
# .env) or else CRM_ADMIN_EMAIL / CRM_ADMIN_PASSWORD from .env.
#
# Options:
#   --mode docker|native  how Yardstick is installed (default: detected; native when DATABASE_URL is set)
#   --dir DIR             the install (see backup.sh)
#   -y, --yes             do not ask for confirmation (needed when not run from a terminal)
#   --with-env            also replace .env with the backup's copy
#   --db-only             restore only the database (not the data directory or .env)
#   --no-start            leave Yardstick stopped afterwards (skips the health and verify checks)
#   --no-safety-backup    do not back up the current database first
#   -h, --help            this text
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
# shellcheck source=install/lib.sh
. "$SCRIPT_DIR/lib.sh"

YS_MODE_ARG='' YS_DIR_ARG='' archive='' yes=0 with_env=0 db_only=0 start=1 safety=1
while [ $# -gt 0 ]; do
  case $1 in
    -h | --help) ys_usage "$0"; exit 0 ;;
    --mode | --mode=*) ys_optarg --mode "$@"; YS_MODE_ARG=$YS_OPTARG; shift "$YS_SHIFT" ;;
    --dir | --dir=*) ys_optarg --dir "$@"; YS_DIR_ARG=$YS_OPTARG; shift "$YS_SHIFT" ;;
    -y | --yes) yes=1; shift ;;
    --with-env) with_env=1; shift ;;
    --db-only) db_only=1; shift ;;
    --no-start) start=0; shift ;;
    --no-safety-backup) safety=0; shift ;;
    -*) ys_die "unknown option: $1 (see --help)" ;;
    *) [ -z "$archive" ] || ys_die "only one archive, please"; archive=$1; shift ;;
  esac
done

ys_resolve_mode_and_dir "$SCRIPT_DIR"
backups=${YARDSTICK_BACKUP_DIR:-$YS_DIR/backups}
if [ -z "$archive" ] || [ "$archive" = latest ]; then
  archive=$(ys_latest_backup "$backups")
  [ -n "$archive" ] || ys_die "no backup archive given and none in $backups"
fi
[ -f "$archive" ] || ys_die "no such backup: $archive"
archive=$(ys_abspath "$archive")

umask 077
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

ys_step "Checking $archive"
tar -C "$work" -xf "$archive" || ys_die "$archive is not a readable tar archive"
if [ ! -f "$work/manifest" ] || [ ! -f "$work/database.dump" ]; then ys_die "$archive is not a Yardstick backup (no manifest or database.dump)"; fi
(cd "$work" && sha256sum --quiet -c SHA256SUMS) || ys_die "$archive is damaged: checksums do not match"
created=$(ys_env_get "$work/manifest" created_at || echo unknown)
from_version=$(ys_env_get "$work/manifest" yardstick_version || echo unknown)
ys_ok "backup of $created, Yardstick $from_version, $(grep -c '^rows\.' "$work/manifest") tables"

if [ ! -f "$YS_ENV_FILE" ]; then
  [ "$YS_MODE" = docker ] || ys_die "no $YS_ENV_FILE: install Yardstick first (install.sh), then restore into it"
  ys_die "no $YS_ENV_FILE: run install.sh first (it starts an empty stack), then restore into it"
fi

# ---------------------------------------------------------------- confirmation
if [ "$YS_MODE" = native ]; then
  url=${DATABASE_URL:-$(ys_env_get "$YS_ENV_FILE" DATABASE_URL || true)}
  [ -n "$url" ] || ys_die "DATABASE_URL is not set in $YS_ENV_FILE"
  target="the database $(ys_redact_url "$url")"
else
  pg_user=$(ys_env_get "$YS_ENV_FILE" POSTGRES_USER || echo yardstick)
  pg_db=$(ys_env_get "$YS_ENV_FILE" POSTGRES_DB || echo yardstick)
  target="the database \"$pg_db\" of the Docker stack in $YS_DIR"
fi
if [ "$yes" = 0 ]; then
  [ -t 0 ] || ys_die "restore replaces all data; not run from a terminal, so confirm with --yes"
  printf '\nThis replaces ALL Yardstick data in %s\nwith the backup taken %s. ' "$target" "$created"
  if [ "$safety" = 1 ]; then printf 'The current data is saved to %s first.' "$backups"; fi
  printf '\nType yes to continue: '
  read -r answer
  [ "$answer" = yes ] || ys_die "not restored"
fi

# ---------------------------------------------------------------- the database
if [ "$YS_MODE" = native ]; then
  ys_pg_check "$url"
  # Dropping the schema needs its owner (the database owner, as the admin guide sets it up).
  can=$(ys_psql -At -d "$url" -c "SELECT coalesce((SELECT rolsuper FROM pg_roles WHERE rolname = current_user), false)
      OR coalesce((SELECT pg_has_role(current_user, nspowner, 'MEMBER') FROM pg_namespace WHERE nspname = 'public'), true)")
  [ "$can" = t ] || ys_die "the user in DATABASE_URL does not own the database's public schema; as a superuser run: ALTER DATABASE <db> OWNER TO <user>; ALTER SCHEMA public OWNER TO <user>;"
else
  ys_require_docker
  ys_dc up -d --wait postgres >/dev/null || ys_die "the postgres service did not become healthy: docker compose logs postgres"
fi

if [ "$safety" = 1 ]; then
  ys_step "Saving the current data first"
  "$SCRIPT_DIR/backup.sh" --mode "$YS_MODE" --dir "$YS_DIR" --out "$backups" --keep 0 --label pre-restore | tail -n1 | sed 's/^/    saved: /'
fi

ys_step "Stopping Yardstick"
if [ "$YS_MODE" = native ]; then
  ys_native_stop
else
  mapfile -t app_services < <(ys_dc ps --services --status running | grep '^api' || true)
  [ ${#app_services[@]} -eq 0 ] || ys_dc stop "${app_services[@]}"
fi

ys_step "Restoring the database (one transaction)"
# Drop and recreate the schema so tables added after the backup (by a newer version) go too;
# --clean --if-exists copes with dumps that carry the public schema themselves.
wipe='SET client_min_messages TO warning; DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;'
restore_opts=(--no-owner --no-acl --clean --if-exists --file=-)
if [ "$YS_MODE" = native ]; then
  { echo "$wipe"; ys_pg pg_restore "${restore_opts[@]}" "$work/database.dump"; } |
    ys_psql --single-transaction -d "$url" -f - >/dev/null || ys_die "the restore failed and was rolled back: the database is as it was"
  count() { ys_psql -At -F ' ' -d "$url" -c "$1"; }
else
  { echo "$wipe"; ys_dc exec -T postgres pg_restore "${restore_opts[@]}" <"$work/database.dump"; } |
    ys_dc exec -T postgres psql -X -q -v ON_ERROR_STOP=1 --single-transaction -U "$pg_user" -d "$pg_db" -f - >/dev/null ||
    ys_die "the restore failed and was rolled back: the database is as it was"
  count() { ys_dc exec -T postgres psql -X -At -F ' ' -U "$pg_user" -d "$pg_db" -c "$1"; }
fi

# Every table must hold exactly the rows the dump held.
sql=''
while IFS='=' read -r key expected; do
  table=${key#rows.}
  sql+="${sql:+ UNION ALL }SELECT '$table', count(*) FROM public.\"$table\""
done < <(grep '^rows\.' "$work/manifest")
mismatches=0
if [ -n "$sql" ]; then
  while read -r table actual; do
    expected=$(ys_env_get "$work/manifest" "rows.$table" || echo 0)
    if [ "$actual" != "$expected" ]; then
      ys_warn "table $table has $actual rows, the backup had $expected"
      mismatches=$((mismatches + 1))
    fi
  done < <(count "$sql")
fi
[ "$mismatches" = 0 ] || ys_die "$mismatches table(s) differ from the backup"
ys_ok "row counts match the backup in all $(grep -c '^rows\.' "$work/manifest") tables"

# ---------------------------------------------------------------- files
if [ "$db_only" = 0 ]; then
  if [ -f "$work/data.tar.gz" ]; then
    ys_step "Restoring the data directory"
    if [ "$YS_MODE" = native ]; then
      data_dir=$(ys_env_get "$YS_ENV_FILE" CRM_DATA_DIR || echo "$YS_DIR/data")
      mkdir -p "$data_dir"
      find "$data_dir" -mindepth 1 -maxdepth 1 ! -name pg ! -name pg-credentials.json -exec rm -rf {} +
      tar -C "$data_dir" -xzf "$work/data.tar.gz"
      if [ "$(ys_native_supervisor)" = systemd ] && id yardstick >/dev/null 2>&1; then chown -R yardstick: "$data_dir"; fi
    else
      ys_dc run --rm --no-deps -T --entrypoint sh api -c 'find /data -mindepth 1 -maxdepth 1 -exec rm -rf {} + && tar -C /data -xzf -' <"$work/data.tar.gz"
    fi
    ys_ok "data directory restored"
  fi
  if [ "$with_env" = 1 ]; then
    cp "$YS_ENV_FILE" "$YS_ENV_FILE.before-restore-$(ys_timestamp)"
    install -m 600 "$work/env" "$YS_ENV_FILE"
    ys_ok ".env replaced by the backup's (the previous one is beside it as .env.before-restore-*)"
  elif ! cmp -s "$work/env" "$YS_ENV_FILE"; then
    saved="$YS_ENV_FILE.from-backup-$(ys_timestamp)"
    install -m 600 "$work/env" "$saved"
    ys_info "kept the current .env; the backup's differs and is saved as $saved"
  fi
fi

[ "$start" = 1 ] || { ys_step "Restored; Yardstick is left stopped (--no-start)"; exit 0; }

# ---------------------------------------------------------------- start and verify
ys_step "Starting Yardstick"
if [ "$YS_MODE" = native ]; then
  ys_native_start
  base=$(ys_native_base_url)
  alive=ys_native_running
else
  ys_dc up -d >/dev/null
  base=$(ys_docker_base_url)
  alive=''
fi
ys_wait_healthy "$base" "${YARDSTICK_HEALTH_TIMEOUT:-180}" "$alive" || ys_die "Yardstick did not become healthy at $base; see its log (docs/admin-guide.md, Troubleshooting)"
ys_ok "healthy: $base (version $(ys_running_version "$base"))"

ys_step "Verifying the campaign revenue roll-ups"
token=${YARDSTICK_API_TOKEN:-$(ys_env_get "$YS_ENV_FILE" YARDSTICK_API_TOKEN || true)}
refresh=''
if [ -z "$token" ]; then
  email=$(ys_env_get "$YS_ENV_FILE" CRM_ADMIN_EMAIL || echo admin@localhost)
  password=$(ys_env_get "$YS_ENV_FILE" CRM_ADMIN_PASSWORD || true)
  if [ -n "$password" ]; then
    ys_http POST "$base/api/v1/auth/login" "{\"email\":\"$(ys_json_escape "$email")\",\"password\":\"$(ys_json_escape "$password")\"}"
    if [ "$YS_HTTP_STATUS" = 200 ]; then
      token=$(ys_json_field "$YS_HTTP_BODY" accessToken)
      refresh=$(ys_json_field "$YS_HTTP_BODY" refreshToken)
    fi
  fi
fi
if [ -z "$token" ]; then
  ys_warn "roll-up check skipped: no admin credentials (set YARDSTICK_API_TOKEN to an admin API token, or keep CRM_ADMIN_PASSWORD in .env current)"
else
  ys_http GET "$base/api/v1/admin/rollups/verify" '' "$token"
  case $YS_HTTP_STATUS in
    200)
      if [[ $YS_HTTP_BODY == *'"ok":true'* ]]; then
        ys_ok "roll-ups match the orders"
      else
        ys_die "roll-ups drift from the orders: POST /api/v1/admin/rollups/rebuild (as an admin) recomputes them; details: $YS_HTTP_BODY"
      fi
      ;;
    404) ys_info "roll-up check skipped: this version has no /api/v1/admin/rollups/verify" ;;
    *) ys_warn "roll-up check skipped: the verify call answered $YS_HTTP_STATUS" ;;
  esac
  # End the session this check opened.
  if [ -n "$refresh" ]; then ys_http POST "$base/api/v1/auth/logout" "{\"refreshToken\":\"$refresh\"}"; fi
fi

ys_step "Restore complete: $archive"
