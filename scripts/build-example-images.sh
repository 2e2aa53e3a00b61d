#!/usr/bin/env bash
# Builds the example service as dsr-example:v1, :v2 and :v3-broken (answers 500 on 30% of
# requests). Uses node:20-alpine when it is present or can be pulled; otherwise (an offline
# machine) builds on dsr-test-node:latest, the host's node imported by build-test-images.sh.
# Idempotent: an existing image is kept unless --force is given.
set -euo pipefail
cd "$(dirname "$0")/.."

force=0
[ "${1:-}" = "--force" ] && force=1
context=examples/example-service
base=${DSR_EXAMPLE_BASE:-node:20-alpine}

if ! docker image inspect "$base" >/dev/null 2>&1 && ! docker pull -q "$base" >/dev/null 2>&1; then
  echo "build-example-images: $base cannot be had (offline?); building on dsr-test-node:latest"
  base=dsr-test-node:latest
  docker image inspect "$base" >/dev/null 2>&1 || bash scripts/build-test-images.sh
fi

build() { # tag version fail-rate
  if [ "$force" = 0 ] && docker image inspect "$1" >/dev/null 2>&1; then
    echo "kept $1"
    return
  fi
  local log
  log=$(mktemp)
  # The classic builder needs no buildx plugin and resolves a local BASE without pulling.
  if ! DOCKER_BUILDKIT=0 docker build -t "$1" --build-arg BASE="$base" --build-arg VERSION="$2" --build-arg FAIL_RATE="$3" "$context" >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    echo "build-example-images: building $1 failed" >&2
    exit 1
  fi
  rm -f "$log"
  echo "built $1 (on $base)"
}

build dsr-example:v1 v1 0
build dsr-example:v2 v2 0
build dsr-example:v3-broken v3-broken 0.3
