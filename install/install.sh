#!/usr/bin/env bash
# Usage: install.sh [options]
#        install.sh --offline yardstick-<version>.tar.gz [options]
#
# Installs Yardstick, or checks and completes an install: running it again changes nothing
# and loses nothing (secrets, settings and data are kept; a healthy server is left running).
#
# With Docker (the default when a Docker engine answers):
#   checks Docker, Compose v2, the port and the disk; writes .env from .env.example with a
#   generated JWT_SECRET, database password and first-admin password (mode 600, first run
#   only); loads (--offline), builds (in a source checkout) or pulls the images; starts the
#   stack; waits until it is healthy; prints the URL and the admin login.
# Without Docker (--mode native, or when DATABASE_URL is set):
#   needs Node.js 20.19+ and a PostgreSQL database (DATABASE_URL); the install dir gets .env,
#   current -> the release, data/, backups/ and logs/; systemd runs it as yardstick.service
#   when the host has systemd (else a pid file in run/).
#
# Options:
#   --mode docker|native  how to install (default: detected)
#   --dir DIR             docker: the folder for compose.yaml and .env (default: this bundle's
#                         folder, or docker/ in a source checkout; /opt/yardstick with --offline)
#                         native: the install dir (default /opt/yardstick)
#   --offline BUNDLE      install from an offline bundle made by bundle.sh, with no network
#   --port N              the port staff connect to (docker default 8080, native 3000; first run)
#   --admin-email EMAIL   the first admin's login (default admin@localhost; first run)
#   --database-url URL    native: the PostgreSQL database (or DATABASE_URL; first run)
#   --release DIR         native: the built checkout to run (default: the one holding this script)
#   --no-start            prepare everything, start nothing
#   -h, --help            this text
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
# shellcheck source=install/lib.sh
. "$SCRIPT_DIR/lib.sh"

YS_MODE_ARG='' YS_DIR_ARG='' offline='' port='' admin_email='' database_url='' release='' start=1
while [ $# -gt 0 ]; do
  case $1 in
    -h | --help) ys_usage "$0"; exit 0 ;;
    --mode | --mode=*) ys_optarg --mode "$@"; YS_MODE_ARG=$YS_OPTARG; shift "$YS_SHIFT" ;;
    --dir | --dir=*) ys_optarg --dir "$@"; YS_DIR_ARG=$YS_OPTARG; shift "$YS_SHIFT" ;;
    --offline | --offline=*) ys_optarg --offline "$@"; offline=$YS_OPTARG; shift "$YS_SHIFT" ;;
    --port | --port=*) ys_optarg --port "$@"; port=$YS_OPTARG; shift "$YS_SHIFT" ;;
    --admin-email | --admin-email=*) ys_optarg --admin-email "$@"; admin_email=$YS_OPTARG; shift "$YS_SHIFT" ;;
    --database-url | --database-url=*) ys_optarg --database-url "$@"; database_url=$YS_OPTARG; shift "$YS_SHIFT" ;;
    --release | --release=*) ys_optarg --release "$@"; release=$YS_OPTARG; shift "$YS_SHIFT" ;;
    --no-start) start=0; shift ;;
    *) ys_die "unknown argument: $1 (see --help)" ;;
  esac
done
[[ -z $port || ($port =~ ^[0-9]+$ && $port -ge 1 && $port -le 65535) ]] || ys_die "--port must be a port number (got \"$port\")"
[[ -z $admin_email || $admin_email =~ ^[^[:space:]@]+@[^[:space:]@]+$ ]] || ys_die "--admin-email is not an email address (got \"$admin_email\")"

if [ -n "$offline" ]; then
  [ "${YS_MODE_ARG:-docker}" = docker ] || ys_die "--offline installs the Docker bundle; a native install takes --release"
  YS_MODE_ARG=docker
  YS_DIR_ARG=${YS_DIR_ARG:-/opt/yardstick}
fi
[ -z "$database_url" ] || export DATABASE_URL="$database_url"
ys_resolve_mode_and_dir "$SCRIPT_DIR"

generated_password=''

# First-run secrets: written once, never replaced, so a re-run keeps every session and the database.
ensure_secrets() {
  if ys_env_ensure "$YS_ENV_FILE" JWT_SECRET "$(ys_rand_hex 32)"; then ys_ok "generated JWT_SECRET"; fi
  ys_env_get "$YS_ENV_FILE" CRM_ADMIN_EMAIL >/dev/null || ys_env_set "$YS_ENV_FILE" CRM_ADMIN_EMAIL "${admin_email:-admin@localhost}"
  local pw
  pw=$(ys_rand_hex 8)
  if ys_env_ensure "$YS_ENV_FILE" CRM_ADMIN_PASSWORD "$pw"; then generated_password=$pw; ys_ok "generated the first admin's password"; fi
  if [ -n "$admin_email" ] && [ "$(ys_env_get "$YS_ENV_FILE" CRM_ADMIN_EMAIL)" != "$admin_email" ]; then
    ys_warn "--admin-email ignored: .env already names $(ys_env_get "$YS_ENV_FILE" CRM_ADMIN_EMAIL) (the admin is created once)"
  fi
  chmod 600 "$YS_ENV_FILE"
}

print_summary() {
  local port=$1 host_ip email
  host_ip=$(hostname -I 2>/dev/null | awk '{print $1}')
  email=$(ys_env_get "$YS_ENV_FILE" CRM_ADMIN_EMAIL || echo admin@localhost)
  echo
  ys_step "Yardstick is running"
  ys_info "URL:          http://${host_ip:-localhost}:$port   (on this server: http://localhost:$port)"
  ys_info "Admin login:  $email"
  if [ -n "$generated_password" ]; then
    ys_info "Password:     $generated_password   (change it after the first login)"
  else
    ys_info "Password:     CRM_ADMIN_PASSWORD in $YS_ENV_FILE, unless it was changed after the first login"
  fi
  ys_info "Settings:     $YS_ENV_FILE"
  ys_info "Backups:      $SCRIPT_DIR/backup.sh (nightly cron line: $SCRIPT_DIR/backup.sh --help)"
}

# ================================================================ Docker
docker_install() {
  if [ -n "$offline" ]; then
    mkdir -p "$YS_DIR"
    ys_bundle_unpack "$offline" "$YS_DIR"
  fi

  ys_step "Checking prerequisites"
  ys_require_docker
  local root
  root=$(docker info -f '{{.DockerRootDir}}' 2>/dev/null || true)
  ys_require_free_space "${root:-/var/lib/docker}" "${YARDSTICK_MIN_FREE_MB:-3072}"

  if [ -n "$offline" ]; then
    # Everything but the images goes into the install dir; .env is never in a bundle.
    (cd "$YS_BUNDLE_TOP" && tar --exclude=./images -cf - .) | tar -C "$YS_DIR" -xf -
    ys_ok "bundle unpacked into $YS_DIR"
  fi
  [ -f "$YS_DIR/compose.yaml" ] || ys_die "no compose.yaml in $YS_DIR (--dir)"

  ys_step "Settings ($YS_ENV_FILE)"
  if [ ! -f "$YS_ENV_FILE" ]; then
    [ -f "$YS_DIR/.env.example" ] || ys_die "no .env.example in $YS_DIR"
    install -m 600 "$YS_DIR/.env.example" "$YS_ENV_FILE"
    ys_ok "created from .env.example"
    [ -z "$port" ] || ys_env_set "$YS_ENV_FILE" YARDSTICK_PORT "$port"
  elif [ -n "$port" ] && [ "$(ys_env_get "$YS_ENV_FILE" YARDSTICK_PORT || echo 8080)" != "$port" ]; then
    ys_warn "--port ignored: .env sets YARDSTICK_PORT (edit it there to change the port)"
  fi
  ys_env_ensure "$YS_ENV_FILE" YARDSTICK_MODE docker || true
  if ys_env_ensure "$YS_ENV_FILE" POSTGRES_PASSWORD "$(ys_rand_hex 24)"; then ys_ok "generated POSTGRES_PASSWORD"; fi
  ensure_secrets
  local version image
  version=$(cat "$YS_DIR/VERSION" 2>/dev/null || true)
  if [ -z "$version" ] && src=$(ys_source_root "$SCRIPT_DIR"); then
    version=$(sed -n 's/.*"version": *"\([^"]*\)".*/\1/p' "$src/apps/api/package.json" | head -n1)
  fi
  ys_env_ensure "$YS_ENV_FILE" YARDSTICK_IMAGE "$YS_DEFAULT_IMAGE_REPO:${version:-latest}" || true
  image=$(ys_app_image)
  local host_port
  host_port=$(ys_env_get "$YS_ENV_FILE" YARDSTICK_PORT || echo 8080)
  if [ -z "$(ys_dc ps -q api 2>/dev/null)" ] && ys_port_in_use "$host_port"; then
    ys_die "port $host_port is already in use on this host: set YARDSTICK_PORT in $YS_ENV_FILE to a free one"
  fi
  ys_ok "port $host_port"

  ys_step "Images"
  if [ -n "$offline" ]; then ys_bundle_load_images; fi
  if docker image inspect "$image" >/dev/null 2>&1; then
    ys_ok "$image present"
  elif src=$(ys_source_root "$SCRIPT_DIR"); then
    ys_info "building $image from $src (a few minutes the first time) …"
    docker build -f "$src/docker/Dockerfile" -t "$image" "$src" || ys_die "the image build failed"
  else
    ys_dc pull api || ys_die "cannot get $image: load an offline bundle (--offline) or set YARDSTICK_IMAGE in .env to an image your registry has"
  fi

  [ "$start" = 1 ] || { ys_step "Ready; not started (--no-start). Start with: docker compose --project-directory $YS_DIR up -d"; return; }
  ys_step "Starting"
  ys_dc up -d --wait --wait-timeout "${YARDSTICK_HEALTH_TIMEOUT:-300}" ||
    ys_die "the stack did not become healthy; see: docker compose --project-directory $YS_DIR logs --tail 100"
  ys_wait_healthy "$(ys_docker_base_url)" 60 || ys_die "$(ys_docker_base_url)$YS_HEALTH_PATH does not answer from this host: is a firewall in the way?"
  ys_ok "healthy"
  print_summary "$host_port"
}

# ================================================================ native
write_native_env() {
  local url=$1 port=$2
  (
    umask 077
    cat >"$YS_ENV_FILE" <<EOF
# Yardstick settings (native install), written by install.sh on $(date -u +%Y-%m-%d).
# Mode 600: it holds secrets. Every variable is described in README.md (Configuration);
# restart after a change: systemctl restart yardstick
EOF
  )
  ys_env_set "$YS_ENV_FILE" YARDSTICK_MODE native
  ys_env_set "$YS_ENV_FILE" NODE_ENV production
  ys_env_set "$YS_ENV_FILE" HOST 0.0.0.0
  ys_env_set "$YS_ENV_FILE" PORT "$port"
  ys_env_set "$YS_ENV_FILE" DATABASE_URL "$url"
  ys_env_set "$YS_ENV_FILE" CRM_DATA_DIR "$YS_DIR/data"
  ys_env_set "$YS_ENV_FILE" LOG_LEVEL info
}

install_systemd_unit() {
  local node unit=/etc/systemd/system/yardstick.service rendered
  node=$(command -v node)
  id yardstick >/dev/null 2>&1 || useradd --system --home-dir "$YS_DIR" --no-create-home --shell /usr/sbin/nologin yardstick
  chown -R yardstick: "$YS_DIR/data" "$YS_DIR/logs"
  rendered=$(sed -e "s#/opt/yardstick#$YS_DIR#g" -e "s#/usr/bin/node#$node#g" "$SCRIPT_DIR/systemd/yardstick.service")
  if [ ! -f "$unit" ] || [ "$(cat "$unit")" != "$rendered" ]; then
    printf '%s\n' "$rendered" >"$unit"
    systemctl daemon-reload
    ys_ok "installed $unit"
  fi
  systemctl enable --quiet yardstick
}

native_install() {
  ys_step "Checking prerequisites"
  ys_require_node
  mkdir -p "$YS_DIR"/{data,backups,logs,run}
  chmod 700 "$YS_DIR/backups"
  ys_require_free_space "$YS_DIR" "${YARDSTICK_MIN_FREE_MB:-1024}"

  ys_step "Settings ($YS_ENV_FILE)"
  local url
  if [ ! -f "$YS_ENV_FILE" ]; then
    url=${DATABASE_URL:-}
    [ -n "$url" ] || ys_die "a native install needs a PostgreSQL database: create one (docs/admin-guide.md, Without Docker) and pass --database-url postgres://yardstick:PASSWORD@localhost:5432/yardstick"
    write_native_env "$url" "${port:-3000}"
    ys_ok "created"
  else
    url=$(ys_env_get "$YS_ENV_FILE" DATABASE_URL) || ys_die "$YS_ENV_FILE has no DATABASE_URL"
    if [ -n "${DATABASE_URL:-}" ] && [ "$DATABASE_URL" != "$url" ]; then ys_warn "DATABASE_URL from the environment ignored: $YS_ENV_FILE already sets it"; fi
    if [ -n "$port" ] && [ "$(ys_env_get "$YS_ENV_FILE" PORT || echo 3000)" != "$port" ]; then ys_warn "--port ignored: .env sets PORT (edit it there)"; fi
    ys_ok "kept (secrets and settings unchanged)"
  fi
  ensure_secrets

  if command -v psql >/dev/null 2>&1 || [ -n "${YARDSTICK_PG_BINDIR:-}" ]; then
    ys_pg_check "$url"
    ys_ok "PostgreSQL $YS_PG_SERVER_MAJOR at $(ys_redact_url "$url")"
  else
    ys_warn "psql and pg_dump are not installed: Yardstick runs, but backup.sh and restore.sh need them (apt-get install postgresql-client)"
  fi

  ys_step "Release"
  local current=''
  [ -e "$YS_DIR/current" ] && current=$(readlink -f "$YS_DIR/current")
  if [ -n "$release" ]; then
    [ -d "$release" ] || ys_die "no such release directory: $release"
    release=$(ys_abspath "$release")
    if [ -n "$current" ] && [ "$current" != "$release" ]; then
      ys_die "$YS_DIR runs $current; to move to $release use upgrade.sh --release $release (it backs up first and can roll back)"
    fi
  elif [ -n "$current" ]; then
    release=$current
  else
    release=$(ys_source_root "$SCRIPT_DIR") || ys_die "pass --release DIR: the Yardstick checkout to run"
  fi
  ys_native_prepare_release "$release"
  [ "$current" = "$release" ] || ln -sfn "$release" "$YS_DIR/current"
  ys_ok "$YS_DIR/current -> $release (version $(ys_release_version "$release"))"

  local supervisor http_port
  supervisor=$(ys_native_supervisor)
  http_port=$(ys_env_get "$YS_ENV_FILE" PORT || echo 3000)
  if [ "$supervisor" = systemd ]; then install_systemd_unit; fi

  [ "$start" = 1 ] || { ys_step "Ready; not started (--no-start)"; return; }
  ys_step "Starting ($supervisor)"
  if ys_native_running; then
    ys_ok "already running"
  else
    if ys_port_in_use "$http_port"; then ys_die "port $http_port is already in use: set PORT in $YS_ENV_FILE to a free one"; fi
    ys_native_start
  fi
  if ! ys_wait_healthy "$(ys_native_base_url)" "${YARDSTICK_HEALTH_TIMEOUT:-120}" ys_native_running; then
    if [ "$supervisor" = systemd ]; then journalctl -u yardstick -n 30 --no-pager >&2 || true; else tail -n 30 "$YS_DIR/logs/yardstick.log" >&2 || true; fi
    ys_die "Yardstick did not become healthy at $(ys_native_base_url)"
  fi
  ys_ok "healthy (version $(ys_running_version "$(ys_native_base_url)"))"
  print_summary "$http_port"
}

if [ "$YS_MODE" = docker ]; then docker_install; else native_install; fi
