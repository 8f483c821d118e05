# shellcheck shell=bash
# shellcheck disable=SC2034 # the YS_ variables set here are read by the scripts that source this file
# Helpers shared by install.sh, backup.sh, restore.sh, upgrade.sh and bundle.sh.
# Sourced, never run. Every function is prefixed ys_ so a script's own names never collide.
#
# Two modes:
#   docker  the stack in compose.yaml; the install dir is the folder holding compose.yaml and .env
#   native  Node.js under systemd (or a pid file) on this host against DATABASE_URL; the install
#           dir holds .env, current -> the running release, data/, backups/, logs/ and run/

YS_DEFAULT_NATIVE_DIR=/opt/yardstick
YS_DEFAULT_IMAGE_REPO=yardstick/crm
YS_HEALTH_PATH=/api/v1/health
YS_MIN_NODE=20.19.0

# ---------------------------------------------------------------- output

if [ -t 1 ] && [ -z "${NO_COLOR:-}" ]; then
  YS_BOLD=$'\033[1m' YS_RED=$'\033[31m' YS_YELLOW=$'\033[33m' YS_GREEN=$'\033[32m' YS_RESET=$'\033[0m'
else
  YS_BOLD='' YS_RED='' YS_YELLOW='' YS_GREEN='' YS_RESET=''
fi

ys_step() { printf '%s==>%s %s\n' "$YS_BOLD" "$YS_RESET" "$*"; }
ys_info() { printf '    %s\n' "$*"; }
ys_ok() { printf '    %sok%s %s\n' "$YS_GREEN" "$YS_RESET" "$*"; }
ys_warn() { printf '%swarning:%s %s\n' "$YS_YELLOW" "$YS_RESET" "$*" >&2; }
ys_die() {
  printf '%serror:%s %s\n' "$YS_RED" "$YS_RESET" "$*" >&2
  exit 1
}

# Prints a script's leading comment block (after the shebang) as its --help.
ys_usage() {
  awk 'NR == 1 { next } /^#/ { sub(/^# ?/, ""); print; next } { exit }' "$1"
}

# Reads the value of an option given as --name=value or --name value; sets YS_OPTARG and
# YS_SHIFT (how many arguments to shift).
ys_optarg() {
  local name=$1 arg=$2 next=${3-}
  if [[ $arg == *=* ]]; then
    YS_OPTARG=${arg#*=}
    YS_SHIFT=1
  else
    [ $# -ge 3 ] || ys_die "$name needs a value (see --help)"
    YS_OPTARG=$next
    YS_SHIFT=2
  fi
}

ys_timestamp() { date -u +%Y%m%dT%H%M%SZ; }

# Absolute path of an existing directory or file.
ys_abspath() {
  if [ -d "$1" ]; then (cd "$1" && pwd -P); else printf '%s/%s\n' "$(cd "$(dirname "$1")" && pwd -P)" "$(basename "$1")"; fi
}

# ---------------------------------------------------------------- secrets and .env

# N random bytes as hex. od reads exactly N bytes, so there is no SIGPIPE under pipefail.
ys_rand_hex() { od -An -N"$1" -tx1 /dev/urandom | tr -d ' \n'; }

# The value of KEY in an env file (the last assignment wins, as in docker compose); quotes are
# stripped. Returns 1 when KEY is not set to a non-empty value.
ys_env_get() {
  local file=$1 key=$2 line value=''
  [ -f "$file" ] || return 1
  while IFS= read -r line || [ -n "$line" ]; do
    line=${line%$'\r'}
    case $line in
      "$key="*) value=${line#*=} ;;
      "export $key="*) value=${line#*=} ;;
    esac
  done <"$file"
  value=${value%\"}; value=${value#\"}
  value=${value%\'}; value=${value#\'}
  [ -n "$value" ] || return 1
  printf '%s\n' "$value"
}

# Sets KEY=VALUE in an env file: replaces an existing (even empty) assignment in place, else
# appends. The file stays mode 600.
ys_env_set() {
  local file=$1 key=$2 value=$3 tmp
  tmp=$(umask 077 && mktemp "$file.XXXXXX")
  if [ -f "$file" ] && grep -q "^$key=" "$file"; then
    KEY=$key VALUE=$value awk 'BEGIN { k = ENVIRON["KEY"]; v = ENVIRON["VALUE"] }
      index($0, k "=") == 1 && !done { print k "=" v; done = 1; next } { print }' "$file" >"$tmp"
  else
    { [ -f "$file" ] && cat "$file"; printf '%s=%s\n' "$key" "$value"; } >"$tmp"
  fi
  chmod 600 "$tmp"
  mv "$tmp" "$file"
}

# Sets KEY only when the file has no non-empty value for it: what makes a re-run keep secrets.
# Prints nothing; returns 0 when it wrote a value, 1 when one was already there.
ys_env_ensure() {
  local file=$1 key=$2 value=$3
  ys_env_get "$file" "$key" >/dev/null && return 1
  ys_env_set "$file" "$key" "$value"
}

# Exports every KEY=VALUE of an env file into this shell without evaluating it (no command
# substitution, no globbing): values are taken literally, as docker compose and systemd do.
ys_env_load() {
  local file=$1 line key value
  while IFS= read -r line || [ -n "$line" ]; do
    line=${line%$'\r'}
    line=${line#export }
    case $line in '' | '#'*) continue ;; esac
    [[ $line == *=* ]] || continue
    key=${line%%=*}
    [[ $key =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || continue
    value=${line#*=}
    if [[ $value == \"*\" ]]; then value=${value:1:${#value}-2}; elif [[ $value == \'*\' ]]; then value=${value:1:${#value}-2}; fi
    export "$key=$value"
  done <"$file"
}

# ---------------------------------------------------------------- mode and install dir

# Sets YS_MODE (docker|native) and YS_DIR from what the caller parsed (YS_MODE_ARG, YS_DIR_ARG)
# and what is on this host, first match wins: --mode or YARDSTICK_MODE; the YARDSTICK_MODE in
# the .env of --dir; native when DATABASE_URL is set; docker when this bundle or checkout has
# been installed (a .env beside its compose.yaml); the YARDSTICK_MODE of /opt/yardstick/.env;
# docker when a Docker engine answers; else native.
ys_resolve_mode_and_dir() {
  local script_dir=$1 mode=${YS_MODE_ARG:-${YARDSTICK_MODE:-}} dir=${YS_DIR_ARG:-${YARDSTICK_DIR:-}} docker_dir
  docker_dir=$(ys_default_docker_dir "$script_dir")
  if [ -z "$mode" ] && [ -n "$dir" ] && [ -f "$dir/.env" ]; then mode=$(ys_env_get "$dir/.env" YARDSTICK_MODE || true); fi
  if [ -z "$mode" ]; then
    if [ -n "${DATABASE_URL:-}" ]; then
      mode=native
    elif [ -z "$dir" ] && [ -f "$docker_dir/.env" ]; then
      mode=docker
    elif [ -z "$dir" ] && [ -f "$YS_DEFAULT_NATIVE_DIR/.env" ] && ys_env_get "$YS_DEFAULT_NATIVE_DIR/.env" YARDSTICK_MODE >/dev/null; then
      mode=$(ys_env_get "$YS_DEFAULT_NATIVE_DIR/.env" YARDSTICK_MODE)
    elif command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; then
      mode=docker
    else
      mode=native
    fi
  fi
  case $mode in docker | native) ;; *) ys_die "--mode must be docker or native (got \"$mode\")" ;; esac
  if [ -z "$dir" ]; then
    if [ "$mode" = docker ] && [ "$docker_dir" != "$YS_DEFAULT_NATIVE_DIR" ] && [ ! -f "$docker_dir/compose.yaml" ]; then
      dir=$YS_DEFAULT_NATIVE_DIR
    elif [ "$mode" = docker ]; then
      dir=$docker_dir
    else
      dir=$YS_DEFAULT_NATIVE_DIR
    fi
  fi
  YS_MODE=$mode
  YS_DIR=$dir
  YS_ENV_FILE=$dir/.env
}

# The folder with compose.yaml: the bundle's top level (install/ beside compose.yaml) or, in a
# source checkout, the docker/ folder beside install/.
ys_default_docker_dir() {
  local root
  root=$(cd "$1/.." && pwd -P)
  if [ -f "$root/compose.yaml" ]; then printf '%s\n' "$root"; else printf '%s\n' "$root/docker"; fi
}

# The source checkout the scripts belong to, if they are in one (apps/api beside install/).
ys_source_root() {
  local root
  root=$(cd "$1/.." && pwd -P)
  [ -f "$root/apps/api/src/main.ts" ] && printf '%s\n' "$root"
}

# ---------------------------------------------------------------- HTTP

# ys_http METHOD URL [JSON_BODY] [BEARER_TOKEN]: sets YS_HTTP_STATUS (000 when nothing answered)
# and YS_HTTP_BODY. Uses curl, else wget, else node (a slim host has at least one of them).
ys_http() {
  local method=$1 url=$2 body=${3-} token=${4-} out status
  out=$(mktemp)
  if command -v curl >/dev/null 2>&1; then
    local args=(-sS -o "$out" -w '%{http_code}' --max-time 10 -X "$method" -H 'accept: application/json')
    [ -n "$body" ] && args+=(-H 'content-type: application/json' --data "$body")
    [ -n "$token" ] && args+=(-H "authorization: Bearer $token")
    status=$(curl "${args[@]}" "$url" 2>/dev/null) || status=${status:-000}
  elif command -v node >/dev/null 2>&1; then
    # shellcheck disable=SC2016 # JavaScript, not shell, expands these
    status=$(YS_M=$method YS_U=$url YS_B=$body YS_T=$token YS_O=$out node -e '
      const { YS_M: method, YS_U: url, YS_B: body, YS_T: token, YS_O: out } = process.env
      const headers = { accept: "application/json" }
      if (body) headers["content-type"] = "application/json"
      if (token) headers.authorization = `Bearer ${token}`
      fetch(url, { method, headers, body: body || undefined, signal: AbortSignal.timeout(10000) })
        .then(async (r) => { require("fs").writeFileSync(out, await r.text()); console.log(r.status) })
        .catch(() => console.log("000"))' 2>/dev/null) || status=000
  elif command -v wget >/dev/null 2>&1 && [ "$method" = GET ] && [ -z "$token" ]; then
    if wget -q -T 10 -O "$out" "$url" 2>/dev/null; then status=200; else status=000; fi
  else
    rm -f "$out"
    ys_die "curl, wget or node is needed to talk to Yardstick over HTTP"
  fi
  YS_HTTP_STATUS=${status:-000}
  YS_HTTP_BODY=$(cat "$out" 2>/dev/null || true)
  rm -f "$out"
}

# Polls GET /api/v1/health until it answers {"status":"ok"}; returns 1 after TIMEOUT seconds.
# CHECK_ALIVE (optional) is a command that fails when the server process is gone, to stop early.
ys_wait_healthy() {
  local base=$1 timeout=${2:-120} check_alive=${3-} deadline
  deadline=$((SECONDS + timeout))
  while [ "$SECONDS" -lt "$deadline" ]; do
    ys_http GET "$base$YS_HEALTH_PATH"
    if [ "$YS_HTTP_STATUS" = 200 ] && [[ $YS_HTTP_BODY == *'"status":"ok"'* ]]; then return 0; fi
    if [ -n "$check_alive" ] && ! $check_alive; then return 1; fi
    sleep 0.5
  done
  return 1
}

# The version the running server reports, or "unknown".
ys_running_version() {
  ys_http GET "$1$YS_HEALTH_PATH"
  local v
  v=$(printf '%s' "$YS_HTTP_BODY" | sed -n 's/.*"version":"\([^"]*\)".*/\1/p')
  printf '%s\n' "${v:-unknown}"
}

ys_json_escape() {
  local s=${1//\\/\\\\}
  printf '%s' "${s//\"/\\\"}"
}

# A JSON string field from a flat JSON body (tokens and versions carry no quotes or escapes).
ys_json_field() { printf '%s' "$1" | sed -n "s/.*\"$2\":\"\([^\"]*\)\".*/\1/p"; }

# ---------------------------------------------------------------- checks

# 0 when something listens on TCP PORT on this host.
ys_port_in_use() {
  local port=$1
  if command -v ss >/dev/null 2>&1; then
    [ -n "$(ss -Hltn "sport = :$port" 2>/dev/null)" ]
  else
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null
  fi
}

# Free space in MiB on the filesystem holding PATH (or its nearest existing parent).
ys_free_mib() {
  local path=$1
  while [ ! -e "$path" ]; do path=$(dirname "$path"); done
  df -Pk "$path" | awk 'NR == 2 { print int($4 / 1024) }'
}

ys_require_free_space() {
  local path=$1 need_mib=$2 free
  free=$(ys_free_mib "$path")
  [ "$free" -ge "$need_mib" ] || ys_die "only ${free} MiB free under $path; at least ${need_mib} MiB are needed (free some space or choose another --dir)"
  ys_ok "disk: ${free} MiB free under $path"
}

# 0 when version A >= version B (dotted numbers).
ys_version_ge() {
  [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" = "$2" ]
}

ys_require_node() {
  command -v node >/dev/null 2>&1 || ys_die "Node.js $YS_MIN_NODE or newer is needed (https://nodejs.org, or your distribution's nodejs package)"
  local v
  v=$(node -p 'process.versions.node')
  ys_version_ge "$v" "$YS_MIN_NODE" || ys_die "Node.js $v is too old; Yardstick needs $YS_MIN_NODE or newer"
  ys_ok "Node.js $v"
}

# ---------------------------------------------------------------- PostgreSQL client tools (native)

# The directory to take pg_dump, pg_restore and psql from: YARDSTICK_PG_BINDIR, else the
# packaged tools matching the server's major version, else whatever is on PATH.
ys_pg_bindir() {
  if [ -n "${YARDSTICK_PG_BINDIR:-}" ]; then printf '%s\n' "$YARDSTICK_PG_BINDIR"; return; fi
  local major=${YS_PG_SERVER_MAJOR:-} dir
  if [ -n "$major" ]; then
    for dir in "/usr/lib/postgresql/$major/bin" "/usr/pgsql-$major/bin" "/opt/homebrew/opt/postgresql@$major/bin" "/usr/local/opt/postgresql@$major/bin"; do
      if [ -x "$dir/pg_dump" ]; then printf '%s\n' "$dir"; return; fi
    done
  fi
  dir=$(command -v pg_dump 2>/dev/null) || ys_die "pg_dump and psql are needed (Debian/Ubuntu: apt-get install postgresql-client; RHEL: dnf install postgresql), or set YARDSTICK_PG_BINDIR"
  dirname "$dir"
}

ys_pg() {
  local tool=$1
  shift
  "$(ys_pg_bindir)/$tool" "$@"
}

ys_psql() { ys_pg psql -X -q -v ON_ERROR_STOP=1 "$@"; }

# Checks that DATABASE_URL answers and that this pg_dump can dump its server
# (pg_dump refuses servers of a newer major version). Sets YS_PG_SERVER_MAJOR.
ys_pg_check() {
  local url=$1 num dump_major
  [ -x "$(ys_pg_bindir)/psql" ] || ys_die "psql not found in $(ys_pg_bindir)"
  num=$(ys_psql -At -d "$url" -c 'SHOW server_version_num' 2>&1) || ys_die "cannot connect to DATABASE_URL: $num"
  YS_PG_SERVER_MAJOR=$((num / 10000))
  dump_major=$(ys_pg pg_dump --version | sed -n 's/.* \([0-9][0-9]*\)\..*/\1/p' | head -n1)
  if [ -n "$dump_major" ] && [ "$dump_major" -lt "$YS_PG_SERVER_MAJOR" ]; then
    ys_die "pg_dump $dump_major cannot back up PostgreSQL $YS_PG_SERVER_MAJOR; install the version $YS_PG_SERVER_MAJOR client tools (e.g. postgresql-client-$YS_PG_SERVER_MAJOR) or point YARDSTICK_PG_BINDIR at them"
  fi
}

# A URL that is safe to print: the password is replaced.
ys_redact_url() { printf '%s\n' "$1" | sed 's#\(://[^:/@]*:\)[^@]*@#\1***@#'; }

# ---------------------------------------------------------------- docker compose

ys_dc() { docker compose --project-directory "$YS_DIR" -f "$YS_DIR/compose.yaml" "$@"; }

ys_require_docker() {
  command -v docker >/dev/null 2>&1 || ys_die "Docker is not installed: see https://docs.docker.com/engine/install/ (or install without Docker: --mode native, docs/admin-guide.md)"
  docker info >/dev/null 2>&1 || ys_die "the Docker engine does not answer: start it (systemctl start docker) and make sure this user may use it (root, or the docker group)"
  local v
  v=$(docker compose version --short 2>/dev/null) || ys_die "Docker Compose v2 is missing: install the docker-compose-plugin package (\"docker compose\", not \"docker-compose\")"
  ys_version_ge "${v#v}" 2.20.0 || ys_die "Docker Compose $v is too old; 2.20 or newer is needed"
  ys_ok "Docker $(docker version -f '{{.Server.Version}}' 2>/dev/null), Compose $v"
}

# The app image the install runs (YARDSTICK_IMAGE in .env).
ys_app_image() { ys_env_get "$YS_ENV_FILE" YARDSTICK_IMAGE || printf '%s:latest\n' "$YS_DEFAULT_IMAGE_REPO"; }

# The URL of the API from this host: the published port of the api service.
ys_docker_base_url() { printf 'http://127.0.0.1:%s\n' "$(ys_env_get "$YS_ENV_FILE" YARDSTICK_PORT || echo 8080)"; }

# ---------------------------------------------------------------- native service

# systemd when this host runs it and we are root; else a pid file (what the tests use).
ys_native_supervisor() {
  if [ -n "${YARDSTICK_SUPERVISOR:-}" ]; then printf '%s\n' "$YARDSTICK_SUPERVISOR"; return; fi
  if [ "$(id -u)" = 0 ] && [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then echo systemd; else echo pidfile; fi
}

ys_native_pid() {
  local pidfile=$YS_DIR/run/yardstick.pid pid
  [ -f "$pidfile" ] || return 1
  pid=$(cat "$pidfile")
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && printf '%s\n' "$pid"
}

ys_native_running() {
  if [ "$(ys_native_supervisor)" = systemd ]; then systemctl is-active --quiet yardstick; else ys_native_pid >/dev/null; fi
}

ys_native_base_url() { printf 'http://127.0.0.1:%s\n' "$(ys_env_get "$YS_ENV_FILE" PORT || echo 3000)"; }

# Runs a command of the release in DIR (cwd apps/api) with the install's .env, as the service
# does. INIT_CWD is dropped: set by npm/pnpm, it would make the app read another folder's .env.
ys_native_exec() {
  local release=$1
  shift
  (
    unset INIT_CWD
    ys_env_load "$YS_ENV_FILE"
    cd "$release/apps/api" || exit 1
    exec node --import tsx "$@"
  )
}

ys_native_start() {
  if [ "$(ys_native_supervisor)" = systemd ]; then
    systemctl start yardstick
    return
  fi
  ys_native_pid >/dev/null && return 0
  mkdir -p "$YS_DIR/run" "$YS_DIR/logs"
  (
    unset INIT_CWD
    ys_env_load "$YS_ENV_FILE"
    cd "$YS_DIR/current/apps/api" || exit 1
    # setsid + nohup: the server outlives this script and its terminal.
    setsid nohup node --import tsx src/main.ts >>"$YS_DIR/logs/yardstick.log" 2>&1 </dev/null &
    echo $! >"$YS_DIR/run/yardstick.pid"
  )
}

ys_native_stop() {
  if [ "$(ys_native_supervisor)" = systemd ]; then
    systemctl stop yardstick
    return
  fi
  local pid tries=0
  pid=$(ys_native_pid) || { rm -f "$YS_DIR/run/yardstick.pid"; return 0; }
  kill -TERM "$pid" 2>/dev/null || true
  # main.ts closes the server and the pool within its 10 s grace period.
  while kill -0 "$pid" 2>/dev/null && [ "$tries" -lt 200 ]; do
    sleep 0.1
    tries=$((tries + 1))
  done
  if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
  rm -f "$YS_DIR/run/yardstick.pid"
}

# Gives the release the dependencies and the built web app it needs, when it lacks them.
ys_native_prepare_release() {
  local release=$1 pnpm_version
  [ -f "$release/apps/api/src/main.ts" ] || ys_die "$release is not a Yardstick release (no apps/api/src/main.ts)"
  pnpm_version=$(sed -n 's/.*"packageManager": *"pnpm@\([^"]*\)".*/\1/p' "$release/package.json")
  # tsx runs the TypeScript sources: a root dev dependency, or one of the API's own.
  if [ ! -e "$release/apps/api/node_modules/fastify" ] || { [ ! -e "$release/node_modules/tsx" ] && [ ! -e "$release/apps/api/node_modules/tsx" ]; }; then
    ys_info "installing dependencies in $release (pnpm $pnpm_version) …"
    (cd "$release" && npx -y "pnpm@${pnpm_version:-10}" install --frozen-lockfile) || ys_die "dependency install failed in $release"
  fi
  if [ ! -f "$release/apps/web/dist/index.html" ]; then
    ys_info "building the web app in $release …"
    (cd "$release" && npx -y "pnpm@${pnpm_version:-10}" --filter @yardstick/web build) || ys_die "web build failed in $release"
  fi
}

ys_release_version() { node -p "require('$1/apps/api/package.json').version" 2>/dev/null || echo unknown; }

# ---------------------------------------------------------------- offline bundle

# Checks and unpacks an offline bundle (bundle.sh) into a new folder under PARENT: the
# sidecar BUNDLE.sha256 when it is there, then the SHA256SUMS inside. Sets YS_BUNDLE_TOP (the
# bundle's top folder) and YS_BUNDLE_STAGE, which an EXIT trap set here removes.
ys_bundle_unpack() {
  local bundle=$1 parent=$2
  [ -f "$bundle" ] || ys_die "no such bundle: $bundle"
  ys_step "Checking the offline bundle $bundle"
  if [ -f "$bundle.sha256" ]; then
    (cd "$(dirname "$bundle")" && sha256sum --quiet -c "$(basename "$bundle").sha256") || ys_die "$bundle does not match $bundle.sha256: copy it again"
  fi
  YS_BUNDLE_STAGE=$(mktemp -d "$parent/.bundle.XXXXXX")
  trap 'rm -rf "$YS_BUNDLE_STAGE"' EXIT
  tar -C "$YS_BUNDLE_STAGE" -xzf "$bundle" || ys_die "$bundle is not a readable .tar.gz"
  YS_BUNDLE_TOP=$(find "$YS_BUNDLE_STAGE" -mindepth 1 -maxdepth 1 -type d | head -n1)
  if [ -z "$YS_BUNDLE_TOP" ] || [ ! -f "$YS_BUNDLE_TOP/SHA256SUMS" ]; then ys_die "$bundle is not a Yardstick bundle (no SHA256SUMS)"; fi
  (cd "$YS_BUNDLE_TOP" && sha256sum --quiet -c SHA256SUMS) || ys_die "$bundle is damaged: its checksums do not match (copy it again)"
  ys_ok "checksums match ($(wc -l <"$YS_BUNDLE_TOP/SHA256SUMS") files), version $(cat "$YS_BUNDLE_TOP/VERSION" 2>/dev/null || echo unknown)"
}

# Loads the images of an unpacked bundle into Docker.
ys_bundle_load_images() {
  local tarball
  for tarball in "$YS_BUNDLE_TOP"/images/*.tar; do
    [ -f "$tarball" ] || continue
    docker load -i "$tarball" | sed 's/^/    /'
  done
}

# ---------------------------------------------------------------- backups

# Newest backup archive in DIR (names sort by their UTC timestamp).
ys_latest_backup() {
  find "$1" -maxdepth 1 -name 'yardstick-*.tar' -type f 2>/dev/null | sort | tail -n1
}

# Row counts per table of a custom-format dump: counted from its COPY blocks, so they are the
# counts of the dump's snapshot, whatever was written while it ran. Prints "table count" lines.
ys_dump_row_counts() {
  awk '
    /^COPY / { split($2, name, "."); table = name[2]; gsub(/"/, "", table); n = 0; copying = 1; next }
    copying && $0 == "\\." { print table, n; copying = 0; next }
    copying { n++ }'
}
