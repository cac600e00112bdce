#!/usr/bin/env bash
# Seeds the one base image every image of deploy/docker-compose.yml builds FROM, debian:bookworm-slim, into the
# engine at DOCKER_HOST when it lacks it and no registry can serve it: Debian's own bootstrap (debootstrap
# --variant=minbase bookworm, from Debian's mirror, ~30 s), trimmed like the official slim image (no docs, man pages,
# locales, apt lists), imported with `docker import`. The rootfs tarball is cached in $BLOG_CACHE_DIR (default
# ~/.cache/blog-platform) so it is made once per machine. A host whose engine reaches a registry never runs this:
# its build pulls the official image as usual.
set -euo pipefail
tag=${BASE_IMAGE:-debian:bookworm-slim}
cache=${BLOG_CACHE_DIR:-$HOME/.cache/blog-platform}
tarball="$cache/debian-bookworm-minbase.tar"

if docker image inspect "$tag" >/dev/null 2>&1; then exit 0; fi
if [ ! -s "$tarball" ]; then
  command -v debootstrap >/dev/null 2>&1 || { echo "base-image: debootstrap is missing (tools/setup/docker-engine.sh)" >&2; exit 1; }
  mkdir -p "$cache"
  root=$(mktemp -d "$cache/rootfs.XXXXXX")
  trap 'rm -rf "$root"' EXIT
  echo "base-image: debootstrap --variant=minbase bookworm (once; cached in $tarball)" >&2
  started=$(date +%s)
  debootstrap --variant=minbase bookworm "$root" http://deb.debian.org/debian >"$cache/debootstrap.log" 2>&1 || {
    tail -n 20 "$cache/debootstrap.log" >&2
    exit 1
  }
  # As the official slim image: no docs, man pages or apt lists; the same sources as the official image.
  rm -rf "$root"/usr/share/doc/* "$root"/usr/share/man/* "$root"/usr/share/info/* "$root"/var/lib/apt/lists/* \
    "$root"/var/cache/apt/*.bin "$root"/var/cache/apt/archives/*.deb "$root"/var/log/*.log
  find "$root"/usr/share/locale -mindepth 1 -maxdepth 1 ! -name locale.alias -exec rm -rf {} +
  cat >"$root/etc/dpkg/dpkg.cfg.d/docker-slim" <<'CFG'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
CFG
  cat >"$root/etc/apt/apt.conf.d/docker-clean" <<'CFG'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache ""; Dir::Cache::srcpkgcache "";
CFG
  rm -f "$root/etc/apt/sources.list"
  cat >"$root/etc/apt/sources.list.d/debian.sources" <<'CFG'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
CFG
  tar -C "$root" --numeric-owner -cf "$tarball.tmp" .
  mv "$tarball.tmp" "$tarball"
  echo "base-image: rootfs made in $(($(date +%s) - started)) s" >&2
fi
docker import --change 'CMD ["bash"]' --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  "$tarball" "$tag" >/dev/null
echo "base-image: $tag imported from $tarball ($(docker image inspect -f '{{.Size}}' "$tag" | awk '{printf "%d MB", $1/1e6}'))" >&2
