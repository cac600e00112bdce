#!/usr/bin/env bash
# Installs what `npm run compose:up` needs to run a private Docker engine on a Debian 12 host without one
# (as root): Debian's engine (docker.io: dockerd, containerd, runc, docker-proxy), Compose v2 and buildx (CLI
# plugins taken from Debian trixie's packages, Go binaries that need only libc: bookworm has neither), and
# debootstrap (the Debian base image, made without an image registry: tools/compose/base-image.sh).
# Nothing is started here and no system setting or apt source changes: trixie's two packages are downloaded
# through a private sources list and unpacked into /usr/local/lib/docker/cli-plugins.
# Safe to run repeatedly: it does nothing when everything is there. `--plugins-only`: only compose v2 and buildx (for
# a host whose own Docker daemon is used).
set -euo pipefail

plugins=/usr/local/lib/docker/cli-plugins
missing=()
if [ "${1:-}" != --plugins-only ]; then
  command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
  command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
  command -v iptables >/dev/null 2>&1 || missing+=(iptables)
fi
need_plugins=false
docker compose version >/dev/null 2>&1 || need_plugins=true
docker buildx version >/dev/null 2>&1 || need_plugins=true

if [ ${#missing[@]} -eq 0 ] && [ "$need_plugins" = false ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "setup: cannot install ${missing[*]} ${need_plugins:+compose/buildx plugins}: needs root and apt-get (Debian 12)" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  apt-get update -qq
  # The package does not start the daemon here (no systemd); tools/compose/engine.sh starts a private one.
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ "$need_plugins" = true ]; then
  echo "setup: installing docker compose v2 and buildx (Debian trixie's docker-compose, docker-buildx) into $plugins"
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  mkdir -p "$work/lists/partial" "$work/archives/partial" "$work/debs"
  echo "deb http://deb.debian.org/debian trixie main" >"$work/sources.list"
  apt_opts=(
    -o "Dir::Etc::SourceList=$work/sources.list" -o "Dir::Etc::SourceParts=$work/none"
    -o "Dir::State::Lists=$work/lists" -o "Dir::Cache=$work" -o "Dir::Cache::archives=$work/archives"
    -o "Dir::State::status=$work/status" -o "APT::Get::List-Cleanup=false"
  )
  touch "$work/status"
  mkdir -p "$work/none"
  apt-get "${apt_opts[@]}" update -qq 2>&1 | grep -v "unsandboxed" || true
  (cd "$work/debs" && apt-get "${apt_opts[@]}" download docker-compose docker-buildx 2>&1 | grep -v "unsandboxed" || true)
  mkdir -p "$plugins"
  for deb in "$work"/debs/*.deb; do
    dpkg-deb -x "$deb" "$work/root"
  done
  for plugin in docker-compose docker-buildx; do
    found=$(find "$work/root" -path "*/cli-plugins/$plugin" \( -type f -o -type l \) | head -n 1)
    [ -n "$found" ] || { echo "setup: $plugin not found in trixie's package" >&2; exit 1; }
    install -m 0755 "$(readlink -f "$found")" "$plugins/$plugin"
  done
  docker compose version
  docker buildx version
fi
