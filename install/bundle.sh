#!/usr/bin/env bash
# Usage: bundle.sh [options]
#
# Builds the offline bundle for an air-gapped server, on a machine with Docker and network,
# in a source checkout:
#   OUT/yardstick-<version>.tar.gz          the bundle
#   OUT/yardstick-<version>.tar.gz.sha256   its checksum, to check the copy on the server
# The bundle holds the saved images (the app, and the postgres and caddy images compose.yaml
# names), compose.yaml, Caddyfile, .env.example, the install scripts, the docs, VERSION and
# SHA256SUMS of every file. On the server:
#   tar -xzf yardstick-<version>.tar.gz
#   sudo ./yardstick-<version>/install/install.sh --offline yardstick-<version>.tar.gz
# which checks the checksums, installs into /opt/yardstick (--dir) and loads the images: no network.
#
# Options:
#   --out DIR        where to write (default: dist/ in the checkout)
#   --image IMAGE    the app image to save (default: yardstick/crm:<version>, built when missing)
#   --no-images      scripts, compose file and docs only (for servers that pull from a registry)
#   -h, --help       this text
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
# shellcheck source=install/lib.sh
. "$SCRIPT_DIR/lib.sh"

out='' image='' images=1
while [ $# -gt 0 ]; do
  case $1 in
    -h | --help) ys_usage "$0"; exit 0 ;;
    --out | --out=*) ys_optarg --out "$@"; out=$YS_OPTARG; shift "$YS_SHIFT" ;;
    --image | --image=*) ys_optarg --image "$@"; image=$YS_OPTARG; shift "$YS_SHIFT" ;;
    --no-images) images=0; shift ;;
    *) ys_die "unknown argument: $1 (see --help)" ;;
  esac
done

src=$(ys_source_root "$SCRIPT_DIR") || ys_die "bundle.sh runs in a source checkout (apps/api beside install/)"
version=$(sed -n 's/.*"version": *"\([^"]*\)".*/\1/p' "$src/apps/api/package.json" | head -n1)
[ -n "$version" ] || ys_die "no version in $src/apps/api/package.json"
image=${image:-$YS_DEFAULT_IMAGE_REPO:$version}
out=${out:-$src/dist}
mkdir -p "$out"
out=$(ys_abspath "$out")
name="yardstick-$version"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
top="$work/$name"
mkdir -p "$top/install/systemd" "$top/docs" "$top/images"

ys_step "Bundling Yardstick $version into $out/$name.tar.gz"
printf '%s\n' "$version" >"$top/VERSION"
cp "$src/docker/compose.yaml" "$src/docker/Caddyfile" "$src/docker/.env.example" "$top/"
cp "$SCRIPT_DIR"/*.sh "$SCRIPT_DIR/README.md" "$top/install/"
cp "$SCRIPT_DIR/systemd/yardstick.service" "$top/install/systemd/"
for doc in admin-guide.md admin-guide.zh-CN.md operations.md; do
  cp "$src/docs/$doc" "$top/docs/" || ys_die "docs/$doc is missing"
done
chmod 755 "$top"/install/*.sh

if [ "$images" = 1 ]; then
  ys_require_docker
  if ! docker image inspect "$image" >/dev/null 2>&1; then
    ys_info "building $image …"
    docker build -f "$src/docker/Dockerfile" -t "$image" "$src" || ys_die "the image build failed"
  fi
  # The other images are the ones compose.yaml pins (postgres, caddy).
  mapfile -t others < <(sed -n 's/^ *image: *\([^$"'"'"' ]*\) *$/\1/p' "$src/docker/compose.yaml" | sort -u)
  for img in "$image" "${others[@]}"; do
    docker image inspect "$img" >/dev/null 2>&1 || docker pull "$img" || ys_die "cannot pull $img"
    file="$top/images/$(printf '%s' "$img" | tr '/:' '__').tar"
    docker save -o "$file" "$img"
    ys_ok "$img ($(du -h "$file" | cut -f1))"
  done
  # install.sh writes this tag into .env (YARDSTICK_IMAGE) from VERSION.
  [ "$image" = "$YS_DEFAULT_IMAGE_REPO:$version" ] || ys_warn "the app image is $image; install.sh will expect $YS_DEFAULT_IMAGE_REPO:$version (tag it so before bundling)"
else
  rmdir "$top/images"
  ys_info "no images (--no-images): the server pulls them from its registry"
fi

(cd "$top" && find . -type f -print0 | sort -z | xargs -0 sha256sum >"$work/SHA256SUMS")
mv "$work/SHA256SUMS" "$top/SHA256SUMS"
tar -C "$work" -czf "$out/$name.tar.gz" "$name"
(cd "$out" && sha256sum "$name.tar.gz" >"$name.tar.gz.sha256")
ys_ok "$(du -h "$out/$name.tar.gz" | cut -f1) $out/$name.tar.gz"
ys_info "checksum: $out/$name.tar.gz.sha256"
printf '%s\n' "$out/$name.tar.gz"
