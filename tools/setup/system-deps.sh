#!/usr/bin/env bash
# Installs the system packages the local stack needs when they are missing (Debian/Ubuntu, as root):
# Java 17+ and Maven for Kafka, Kafka Connect and Debezium (jars from Maven Central), PostgreSQL server binaries
# for the stack's own cluster, redis-server for the gateway's shared rate-limit test, and Debian's chromium for the
# browser tests (the console's, and the e2e suite's screenshot of a trace in Zipkin), driven headless by
# playwright-core, which downloads no browser. Everything else comes from npm (`npm ci`), including Node.js 24 itself.
# Safe to run repeatedly: it does nothing when everything is there.
set -euo pipefail

missing=()
command -v java >/dev/null 2>&1 || missing+=(openjdk-17-jre-headless)
command -v mvn >/dev/null 2>&1 || missing+=(maven)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
[ -x /usr/bin/chromium ] || missing+=(chromium)
if ! command -v initdb >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  missing+=(postgresql)
fi

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "setup: missing ${missing[*]}: install them with your package manager (Java 17+, Maven, PostgreSQL 15+ server, Redis, Chromium)" >&2
  exit 1
fi
echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
