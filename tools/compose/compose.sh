#!/usr/bin/env bash
# The compose stack (deploy/docker-compose.yml) for people and for tests, on whatever Docker engine can be had
# (tools/compose/engine.sh: the running daemon, else a private one started here and removed afterwards).
#
#   npm run compose:up      build every image, start the stack, wait until every service is healthy
#   npm run compose:down    stop the stack, drop its volumes; stop the private daemon and remove what it made
#   npm run compose:status  which engine, which containers
#   npm run test:compose    (part of `npm test`) the e2e suite with E2E_ENV=compose, then everything torn down;
#                           without any engine to be had it prints ONE line saying so and why, and exits 0
#
# Host ports: the compose file's variables (GATEWAY_PORT, PG_PORT, KAFKA_PORT, CONNECT_PORT). `test` moves them off
# the local stack's defaults (18080, 16432, 19092, 18083) so it never meets a local stack on the same host.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
compose_file="$repo/deploy/docker-compose.yml"
project=${COMPOSE_PROJECT_NAME:-blog}

say() { echo "compose: $*" >&2; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

engine_up() {
  local host
  host=$(bash "$here/engine.sh" up) || return $?
  export DOCKER_HOST="$host"
}

dc() { docker compose -p "$project" -f "$compose_file" "$@"; }

# The image builds download from npm and Maven Central over HTTPS. A host that trusts CAs of its own (an
# intercepting proxy's: NODE_EXTRA_CA_CERTS, or certificates in /usr/local/share/ca-certificates) hands its bundle to
# the builds as the secret build_extra_ca (deploy/docker-compose.yml); BUILD_EXTRA_CA_FILE set by hand wins.
if [ -z "${BUILD_EXTRA_CA_FILE:-}" ]; then
  if [ -n "${NODE_EXTRA_CA_CERTS:-}" ] && [ -s "${NODE_EXTRA_CA_CERTS}" ]; then
    export BUILD_EXTRA_CA_FILE=$NODE_EXTRA_CA_CERTS
  elif ls /usr/local/share/ca-certificates/*.crt >/dev/null 2>&1 && [ -s /etc/ssl/certs/ca-certificates.crt ]; then
    export BUILD_EXTRA_CA_FILE=/etc/ssl/certs/ca-certificates.crt
  fi
fi

up() {
  engine_up
  local t0
  t0=$(now)
  say "building the images (docker compose build)"
  dc build
  say "images built in $(since "$t0") s"
  local t1
  t1=$(now)
  dc up -d --wait
  say "stack up in $(since "$t1") s: gateway http://127.0.0.1:${GATEWAY_PORT:-8080} (DOCKER_HOST=$DOCKER_HOST)"
}

down() {
  local host
  host=$(bash "$here/engine.sh" status)
  case "$host" in
    "daemon at "*) export DOCKER_HOST=${host#daemon at } ;;
    "private daemon at "*) export DOCKER_HOST=${host#private daemon at } ;;
    *) say "no Docker daemon running: nothing to take down"; bash "$here/engine.sh" down; return 0 ;;
  esac
  dc down -v --remove-orphans || true
  bash "$here/engine.sh" down
}

status() {
  bash "$here/engine.sh" status
  local host
  host=$(bash "$here/engine.sh" status)
  case "$host" in
    "daemon at "*) DOCKER_HOST=${host#daemon at } dc ps ;;
    "private daemon at "*) DOCKER_HOST=${host#private daemon at } dc ps ;;
  esac
}

# test: the e2e suite against the compose stack, on ports away from the local stack's; the suite builds, starts and
# removes project blog-e2e itself (testcontainers' DockerComposeEnvironment); this removes the engine it started.
test_compose() {
  local reason
  reason=$(bash "$here/engine.sh" why-not)
  if [ -n "$reason" ]; then
    echo "compose e2e: NOT RUN (no Docker engine can be had here: $reason). This is not a pass." >&2
    return 0
  fi
  export GATEWAY_PORT=${GATEWAY_PORT:-18080} PG_PORT=${PG_PORT:-16432} KAFKA_PORT=${KAFKA_PORT:-19092}
  export CONNECT_PORT=${CONNECT_PORT:-18083}
  local started_private=false
  [ -n "$(bash "$here/engine.sh" status | grep '^no daemon running' || true)" ] && started_private=true
  # shellcheck disable=SC2064
  trap "cleanup_test $started_private" EXIT
  local t0
  t0=$(now)
  engine_up
  say "engine ready in $(since "$t0") s ($DOCKER_HOST)"
  # The suite builds the images itself (withBuild): they are built here first to measure the build apart.
  local t1
  t1=$(now)
  dc build
  say "images built in $(since "$t1") s"
  local t2 rc=0
  t2=$(now)
  # No Ryuk (its image cannot be pulled here): the suite removes its project itself, cleanup_test is the fallback.
  # The host override: this host may itself be a container (/.dockerenv), where testcontainers would look for the
  # default bridge's gateway, which a private daemon does not have; the published ports are on 127.0.0.1.
  E2E_ENV=compose E2E_COMPOSE_REQUIRED=1 TESTCONTAINERS_RYUK_DISABLED=true TESTCONTAINERS_HOST_OVERRIDE=127.0.0.1 \
    npx nx run e2e:e2e --outputStyle=stream || rc=$?
  say "e2e under compose: exit $rc after $(since "$t2") s"
  return $rc
}

cleanup_test() {
  local started_private=$1
  # The suite removes its project; this is the fallback when it could not (a crash, a failed start).
  if docker compose -p blog-e2e -f "$compose_file" ps -aq 2>/dev/null | grep -q .; then
    say "removing what the suite left of project blog-e2e"
    docker compose -p blog-e2e -f "$compose_file" down -v --remove-orphans >/dev/null 2>&1 || true
  fi
  if [ "$started_private" = true ]; then bash "$here/engine.sh" down; fi
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  test) test_compose ;;
  *) echo "usage: compose.sh up|down|status|test" >&2; exit 2 ;;
esac
