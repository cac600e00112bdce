#!/usr/bin/env bash
# A Docker engine for the compose stack: `engine.sh up` prints the DOCKER_HOST to use, `engine.sh down` undoes
# what `up` made. Sourced by tools/compose/compose.sh; usable alone.
#
#   up    a daemon that already answers (DOCKER_HOST, or the default socket) is used as it is and never stopped.
#         Otherwise, as root on Debian, tools/setup/docker-engine.sh installs what is missing (engine, compose v2,
#         buildx, debootstrap) and a PRIVATE dockerd starts with everything under $BLOG_DOCKER_DIR: its socket,
#         data root (overlay2), exec root, log. It adds nothing to the host's network but the compose project's own
#         bridge: no docker0 (--bridge=none), no iptables rules (--iptables=false; published ports go through
#         docker-proxy on 127.0.0.1, image builds use the host's network). Then the Debian base image is seeded
#         when missing (tools/compose/base-image.sh: debootstrap once, cached; nothing is pulled).
#   down  only for the private daemon: removes every container and network, stops dockerd (and its containerd),
#         removes its data; the base image's tarball cache stays.
#   status  says which engine would be used.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
dir=${BLOG_DOCKER_DIR:-/var/tmp/blog-docker}
sock="$dir/docker.sock"
private_host="unix://$sock"

say() { echo "compose-engine: $*" >&2; }

answers() { DOCKER_HOST="$1" timeout 10 docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }

existing_host() {
  if [ -n "${DOCKER_HOST:-}" ] && [ "${DOCKER_HOST}" != "$private_host" ] && answers "$DOCKER_HOST"; then
    echo "$DOCKER_HOST"
  elif [ -S /var/run/docker.sock ] && answers unix:///var/run/docker.sock; then
    echo unix:///var/run/docker.sock
  fi
}

private_running() { [ -f "$dir/dockerd.pid" ] && kill -0 "$(cat "$dir/dockerd.pid")" 2>/dev/null; }

# why_not prints why no engine can be had here (empty when one can).
why_not() {
  if [ -n "$(existing_host)" ] || private_running; then return 0; fi
  if [ "$(id -u)" -ne 0 ]; then echo "no Docker daemon answers and starting a private one needs root"; return 0; fi
  if ! command -v dockerd >/dev/null 2>&1 && ! command -v apt-get >/dev/null 2>&1; then
    echo "no Docker daemon answers, dockerd is not installed and there is no apt-get to install it"
    return 0
  fi
  if ! grep -qw overlay /proc/filesystems && ! modprobe -n overlay 2>/dev/null; then
    echo "no Docker daemon answers and this kernel has no overlay filesystem for a private one"
  fi
}

up() {
  local host
  host=$(existing_host)
  if [ -n "$host" ]; then
    say "using the Docker daemon at $host"
    bash "$repo/tools/setup/docker-engine.sh" --plugins-only >&2
    echo "$host"
    return
  fi
  if private_running && answers "$private_host"; then
    say "private daemon already running ($private_host)"
    echo "$private_host"
    return
  fi
  local reason
  reason=$(why_not)
  if [ -n "$reason" ]; then say "$reason"; return 3; fi
  bash "$repo/tools/setup/docker-engine.sh" >&2
  mkdir -p "$dir/data" "$dir/exec"
  echo '{}' >"$dir/daemon.json"
  say "starting a private dockerd ($private_host, data in $dir)"
  # setsid: the daemon outlives this script (and the npm step that ran it) until `engine.sh down`.
  setsid dockerd \
    --config-file "$dir/daemon.json" \
    --host "$private_host" \
    --data-root "$dir/data" \
    --exec-root "$dir/exec" \
    --pidfile "$dir/dockerd.pid" \
    --storage-driver overlay2 \
    --bridge none \
    --iptables=false --ip6tables=false --ip-masq=false \
    --log-level warn \
    </dev/null >"$dir/dockerd.log" 2>&1 &
  local i
  for i in $(seq 1 120); do
    if answers "$private_host"; then break; fi
    if [ "$i" -eq 120 ]; then say "dockerd did not answer in 60 s; its log:"; tail -n 30 "$dir/dockerd.log" >&2; return 1; fi
    sleep 0.5
  done
  touch "$dir/ours"
  DOCKER_HOST="$private_host" bash "$here/base-image.sh" >&2
  echo "$private_host"
}

down() {
  if [ ! -f "$dir/ours" ]; then
    say "no private daemon of this project (nothing to stop)"
    return 0
  fi
  if private_running; then
    export DOCKER_HOST="$private_host"
    local ids
    ids=$(docker ps -aq 2>/dev/null || true)
    [ -z "$ids" ] || docker rm -f -v $ids >/dev/null 2>&1 || true
    docker network ls -q --no-trunc --filter driver=bridge 2>/dev/null | cut -c1-12 | sed 's/^/br-/' >"$dir/bridges" || true
    docker network prune -f >/dev/null 2>&1 || true
    docker volume prune -f >/dev/null 2>&1 || true
    local pid
    pid=$(cat "$dir/dockerd.pid")
    say "stopping the private dockerd (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    local i
    for i in $(seq 1 60); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.5
    done
    if kill -0 "$pid" 2>/dev/null; then say "dockerd still running after 30 s: SIGKILL"; kill -KILL "$pid" || true; fi
  fi
  # Whatever the daemon left: its containerd (started under the exec root), mounts under the data root, the
  # compose project's bridges (br-<network id>, created by this daemon only: no other daemon ran here).
  local pidfile
  for pidfile in "$dir"/exec/containerd/containerd.pid; do
    [ -f "$pidfile" ] && kill -TERM "$(cat "$pidfile")" 2>/dev/null || true
  done
  { grep -o " $dir/[^ ]*" /proc/mounts || true; } | sort -r | while read -r mount; do umount -l "$mount" 2>/dev/null || true; done
  if [ -f "$dir/bridges" ]; then
    while read -r bridge; do ip link delete "$bridge" 2>/dev/null || true; done <"$dir/bridges"
  fi
  rm -rf "$dir"
  say "private daemon stopped, its data removed"
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  why-not) why_not ;;
  status)
    host=$(existing_host)
    if [ -n "$host" ]; then echo "daemon at $host"
    elif private_running; then echo "private daemon at $private_host"
    else reason=$(why_not); echo "no daemon running; ${reason:-a private one can be started}"; fi
    ;;
  *) echo "usage: engine.sh up|down|status|why-not" >&2; exit 2 ;;
esac
