#!/usr/bin/env bash
# `npm run proto:breaking`: buf breaking (rules FILE, proto/buf.yaml) of proto/ against the base branch's committed
# proto, read from this clone's own git objects: no network, no registry, works in a fresh clone.
#   PROTO_BASE_REF   what to compare with (a branch, remote branch or commit); default: main, else origin/main
set -euo pipefail
cd "$(dirname "$0")/../.."

ref=${PROTO_BASE_REF:-}
if [ -z "$ref" ]; then
  for candidate in main origin/main; do
    if git rev-parse --verify --quiet "$candidate^{commit}" >/dev/null; then
      ref=$candidate
      break
    fi
  done
fi
if [ -z "$ref" ]; then
  echo "proto:breaking: this clone has neither main nor origin/main; set PROTO_BASE_REF" >&2
  exit 1
fi

# The repository's own .git directory (in a worktree, the shared one), as buf's git input.
git_dir=$(cd "$(git rev-parse --git-common-dir)" && pwd)
echo "proto:breaking: proto/ against ${ref} ($(git rev-parse --short "$ref^{commit}"))" >&2
exec npx --no-install buf breaking proto --against "${git_dir}#ref=${ref},subdir=proto"
