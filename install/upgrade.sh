#!/usr/bin/env bash
# Usage: upgrade.sh [options]
#
# Moves Yardstick to a new version without losing data:
#   1. backs up (backup.sh --label pre-upgrade);
#   2. gets the new version: Docker: loads the --offline bundle, pulls --image, or builds
#      this checkout (--build); native: the checkout given with --release (dependencies and
#      the web build are made when missing);
#   3. stops Yardstick and applies the new version's migrations (under PostgreSQL's advisory
#      lock, so no other process can migrate at the same time);
#   4. starts the new version and waits until /api/v1/health answers.
# If step 3 or 4 fails, it goes back: the previous image or release, the database restored from
# the backup of step 1, the old version started and checked; then it exits with status 1.
#
# Options:
#   --mode docker|native  how Yardstick is installed (default: detected)
#   --dir DIR             the install (see install.sh)
#   --offline BUNDLE      docker: the new version's offline bundle (bundle.sh)
#   --image IMAGE         docker: the new image, e.g. registry.example.com/yardstick/crm:0.2.0
#   --build               docker: build the image from the checkout holding this script
#   --release DIR         native: the new release
#   -h, --help            this text
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
# shellcheck source=install/lib.sh
. "$SCRIPT_DIR/lib.sh"

YS_MODE_ARG='' YS_DIR_ARG='' offline='' new_image='' build=0 release=''
while [ $# -gt 0 ]; do
  case $1 in
    -h | --help) ys_usage "$0"; exit 0 ;;
    --mode | --mode=*) ys_optarg --mode "$@"; YS_MODE_ARG=$YS_OPTARG; shift "$YS_SHIFT" ;;
    --dir | --dir=*) ys_optarg --dir "$@"; YS_DIR_ARG=$YS_OPTARG; shift "$YS_SHIFT" ;;
    --offline | --offline=*) ys_optarg --offline "$@"; offline=$YS_OPTARG; shift "$YS_SHIFT" ;;
    --image | --image=*) ys_optarg --image "$@"; new_image=$YS_OPTARG; shift "$YS_SHIFT" ;;
    --build) build=1; shift ;;
    --release | --release=*) ys_optarg --release "$@"; release=$YS_OPTARG; shift "$YS_SHIFT" ;;
    *) ys_die "unknown argument: $1 (see --help)" ;;
  esac
done
if [ -n "$offline" ] || [ -n "$new_image" ] || [ "$build" = 1 ]; then YS_MODE_ARG=${YS_MODE_ARG:-docker}; fi
if [ -n "$release" ]; then YS_MODE_ARG=${YS_MODE_ARG:-native}; fi
ys_resolve_mode_and_dir "$SCRIPT_DIR"
[ -f "$YS_ENV_FILE" ] || ys_die "no $YS_ENV_FILE: install first (install.sh)"

backup=''
failed_step=''

take_backup() {
  ys_step "Backing up first"
  backup=$("$SCRIPT_DIR/backup.sh" --mode "$YS_MODE" --dir "$YS_DIR" --label pre-upgrade | tail -n1)
  [ -f "$backup" ] || ys_die "the backup failed; nothing was changed"
  ys_ok "$backup"
}

restore_backup() {
  "$SCRIPT_DIR/restore.sh" --mode "$YS_MODE" --dir "$YS_DIR" --yes --db-only --no-start --no-safety-backup "$backup" | sed 's/^/    /'
}

# ================================================================ native
native_upgrade() {
  [ -n "$release" ] || ys_die "a native upgrade needs --release DIR: the new version's checkout"
  [ -d "$release" ] || ys_die "no such release directory: $release"
  release=$(ys_abspath "$release")
  [ -e "$YS_DIR/current" ] || ys_die "$YS_DIR/current is missing: install first (install.sh --mode native)"
  local old old_version new_version base
  old=$(readlink -f "$YS_DIR/current")
  if [ "$old" = "$release" ]; then ys_ok "already running $release"; exit 0; fi
  ys_step "Upgrading Yardstick from $old to $release"
  ys_require_node
  ys_native_prepare_release "$release"
  old_version=$(ys_release_version "$old")
  new_version=$(ys_release_version "$release")
  ys_ok "$old_version -> $new_version"
  base=$(ys_native_base_url)

  take_backup

  rollback() {
    ys_warn "the upgrade failed at: $failed_step; going back to $old_version"
    ys_native_stop
    ln -sfn "$old" "$YS_DIR/current"
    if [ "$failed_step" != stop ]; then
      ys_step "Restoring the database from $backup"
      restore_backup || ys_die "ROLLBACK INCOMPLETE: restoring $backup failed; run: $SCRIPT_DIR/restore.sh --yes $backup"
    fi
    ys_native_start
    ys_wait_healthy "$base" "${YARDSTICK_HEALTH_TIMEOUT:-120}" ys_native_running ||
      ys_die "ROLLBACK INCOMPLETE: $old_version did not become healthy; see $YS_DIR/logs or journalctl -u yardstick"
    ys_die "upgrade failed at: $failed_step. Rolled back: $old_version is running again with the database of $backup (healthy at $base)"
  }

  ys_step "Stopping $old_version"
  failed_step=stop
  ys_native_stop || rollback

  ys_step "Applying the migrations of $new_version"
  failed_step=migrate
  ys_native_exec "$release" src/cli/migrate.ts 2>&1 | sed 's/^/    /' || rollback

  ys_step "Starting $new_version"
  failed_step=start
  ln -sfn "$release" "$YS_DIR/current"
  ys_native_start || rollback
  ys_wait_healthy "$base" "${YARDSTICK_HEALTH_TIMEOUT:-120}" ys_native_running || rollback
  ys_ok "healthy: version $(ys_running_version "$base")"
  ys_step "Upgraded to $new_version. Backup taken before: $backup"
  ys_info "the previous release stays in $old for a manual way back (restore.sh with that backup, then point current at it)"
}

# ================================================================ Docker
docker_upgrade() {
  ys_require_docker
  local prev_image prev_id new_id base
  prev_image=$(ys_app_image)
  prev_id=$(docker image inspect -f '{{.Id}}' "$prev_image" 2>/dev/null) || ys_die "the current image $prev_image is not on this host"
  base=$(ys_docker_base_url)

  ys_step "Getting the new version"
  if [ -n "$offline" ]; then
    ys_bundle_unpack "$offline" "$YS_DIR"
    ys_bundle_load_images
    new_image="$YS_DEFAULT_IMAGE_REPO:$(cat "$YS_BUNDLE_TOP/VERSION")"
  elif [ -n "$new_image" ]; then
    docker image inspect "$new_image" >/dev/null 2>&1 || docker pull "$new_image" || ys_die "cannot pull $new_image"
  elif [ "$build" = 1 ]; then
    local src version
    src=$(ys_source_root "$SCRIPT_DIR") || ys_die "--build needs the source checkout (this script is not in one)"
    version=$(sed -n 's/.*"version": *"\([^"]*\)".*/\1/p' "$src/apps/api/package.json" | head -n1)
    new_image="$YS_DEFAULT_IMAGE_REPO:$version"
    [ "$new_image" != "$prev_image" ] || new_image="$YS_DEFAULT_IMAGE_REPO:$version-$(ys_timestamp | tr 'TZ' 'tz')"
    docker build -f "$src/docker/Dockerfile" -t "$new_image" "$src" || ys_die "the image build failed; nothing was changed"
  else
    ys_die "say where the new version comes from: --offline BUNDLE, --image IMAGE or --build"
  fi
  new_id=$(docker image inspect -f '{{.Id}}' "$new_image")
  if [ "$new_id" = "$prev_id" ]; then ys_ok "already running $new_image"; exit 0; fi
  ys_ok "$prev_image -> $new_image"

  take_backup
  # Keep the old image and compose file whatever happens to their tags and files.
  docker tag "$prev_id" "$YS_DEFAULT_IMAGE_REPO:rollback"
  cp "$YS_DIR/compose.yaml" "$YS_DIR/compose.yaml.before-upgrade"

  rollback() {
    ys_warn "the upgrade failed at: $failed_step; going back to $prev_image"
    cp "$YS_DIR/compose.yaml.before-upgrade" "$YS_DIR/compose.yaml"
    docker tag "$prev_id" "$prev_image"
    ys_env_set "$YS_ENV_FILE" YARDSTICK_IMAGE "$prev_image"
    mapfile -t running < <(ys_dc ps --services --status running | grep '^api' || true)
    [ ${#running[@]} -eq 0 ] || ys_dc stop "${running[@]}"
    ys_step "Restoring the database from $backup"
    restore_backup || ys_die "ROLLBACK INCOMPLETE: restoring $backup failed; run: $SCRIPT_DIR/restore.sh --yes $backup"
    if ! ys_dc up -d --wait --wait-timeout "${YARDSTICK_HEALTH_TIMEOUT:-300}" >/dev/null || ! ys_wait_healthy "$base" 60; then
      ys_die "ROLLBACK INCOMPLETE: $prev_image did not become healthy: docker compose logs api"
    fi
    ys_die "upgrade failed at: $failed_step. Rolled back: $prev_image is running again with the database of $backup"
  }

  if [ -n "$offline" ]; then
    # The new bundle's compose file, scripts and docs; never .env.
    (cd "$YS_BUNDLE_TOP" && tar --exclude=./images -cf - .) | tar -C "$YS_DIR" -xf -
  fi
  ys_env_set "$YS_ENV_FILE" YARDSTICK_IMAGE "$new_image"

  ys_step "Stopping the API"
  failed_step=stop
  mapfile -t running < <(ys_dc ps --services --status running | grep '^api' || true)
  if [ ${#running[@]} -gt 0 ]; then ys_dc stop "${running[@]}" || rollback; fi

  ys_step "Applying the migrations of $new_image"
  failed_step=migrate
  ys_dc run --rm --no-deps -T api node --import tsx src/cli/migrate.ts | sed 's/^/    /' || rollback

  ys_step "Starting $new_image"
  failed_step=start
  ys_dc up -d --wait --wait-timeout "${YARDSTICK_HEALTH_TIMEOUT:-300}" || rollback
  ys_wait_healthy "$base" 60 || rollback
  ys_ok "healthy: version $(ys_running_version "$base")"
  ys_step "Upgraded to $new_image. Backup taken before: $backup"
  ys_info "the previous image is kept as $YS_DEFAULT_IMAGE_REPO:rollback; remove it with docker image rm once you are happy"
}

if [ "$YS_MODE" = docker ]; then docker_upgrade; else native_upgrade; fi
