#!/usr/bin/env bash
# Builds the README's real stack (examples/stack/app): dsr-stack-store:v1 and :v2, dsr-stack-api:v1
# and :v2, dsr-stack-worker:v1. Same base choice and idempotence as build-example-images.sh:
# node:20-alpine when it is here or can be pulled, else (offline) dsr-test-node:latest;
# DSR_EXAMPLE_BASE=<image> forces a base. Each image carries a label with a hash of the sources,
# base and build arguments; a matching image is kept, any other rebuilt. --force rebuilds all.
set -euo pipefail
cd "$(dirname "$0")/.."

force=0
[ "${1:-}" = "--force" ] && force=1
context=examples/stack/app
label=dsr.example.source

if [ -n "${DSR_EXAMPLE_BASE:-}" ]; then
  base=$DSR_EXAMPLE_BASE
elif docker image inspect node:20-alpine >/dev/null 2>&1 || docker pull -q node:20-alpine >/dev/null 2>&1; then
  base=node:20-alpine
else
  base=dsr-test-node:latest
  echo "build-stack-images: node:20-alpine cannot be had (offline?); building on $base"
  docker image inspect "$base" >/dev/null 2>&1 || bash scripts/build-test-images.sh
fi
sources=$(cd "$context" && cat Dockerfile package.json main.js store.js api.js worker.js health.js volume-root/README | sha256sum | cut -c1-16)

build() { # app version
  local app=$1 version=$2
  local tag="dsr-stack-$app:$version" want="$sources-$base-$1-$2" have
  have=$(docker image inspect -f "{{ index .Config.Labels \"$label\" }}" "$tag" 2>/dev/null || true)
  if [ "$force" = 0 ] && [ "$have" = "$want" ]; then
    echo "kept $tag (up to date)"
    return
  fi
  local log
  log=$(mktemp)
  # The classic builder needs no buildx plugin and uses a local BASE without trying to pull it.
  if ! DOCKER_BUILDKIT=0 docker build -t "$tag" --label "$label=$want" \
      --build-arg BASE="$base" --build-arg APP="$app" --build-arg VERSION="$version" \
      "$context" >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    echo "build-stack-images: building $tag failed" >&2
    exit 1
  fi
  rm -f "$log"
  echo "built $tag (on $base)"
}

build store v1
build store v2
build api v1
build api v2
build worker v1
