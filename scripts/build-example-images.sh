#!/usr/bin/env bash
# Builds the example service (examples/example-service) as dsr-example:v1, :v2 and :v3-broken
# (answers 500 on 30% of its requests, for the README's automatic rollback).
#
# Base image: node:20-alpine when it is on this host or can be pulled; otherwise (offline, as in
# this project's CI) dsr-test-node:latest, the host's node imported by build-test-images.sh.
# DSR_EXAMPLE_BASE=<image> forces a base.
#
# Idempotent: each image carries a label with a hash of its sources, base and build arguments;
# an image whose label matches is kept, any other is rebuilt. --force rebuilds all three.
set -euo pipefail
cd "$(dirname "$0")/.."

force=0
[ "${1:-}" = "--force" ] && force=1
context=examples/example-service
label=dsr.example.source

if [ -n "${DSR_EXAMPLE_BASE:-}" ]; then
  base=$DSR_EXAMPLE_BASE
elif docker image inspect node:20-alpine >/dev/null 2>&1 || docker pull -q node:20-alpine >/dev/null 2>&1; then
  base=node:20-alpine
else
  base=dsr-test-node:latest
  echo "build-example-images: node:20-alpine cannot be had (offline?); building on $base"
  docker image inspect "$base" >/dev/null 2>&1 || bash scripts/build-test-images.sh
fi
sources=$(cat "$context/Dockerfile" "$context/server.js" "$context/package.json" | sha256sum | cut -c1-16)

build() { # tag version fail-rate
  local tag=$1 version=$2 fail_rate=$3
  local want="$sources-$base-$version-$fail_rate" have
  have=$(docker image inspect -f "{{ index .Config.Labels \"$label\" }}" "$tag" 2>/dev/null || true)
  if [ "$force" = 0 ] && [ "$have" = "$want" ]; then
    echo "kept $tag (up to date)"
    return
  fi
  local log
  log=$(mktemp)
  # The classic builder needs no buildx plugin and uses a local BASE without trying to pull it.
  if ! DOCKER_BUILDKIT=0 docker build -t "$tag" --label "$label=$want" \
      --build-arg BASE="$base" --build-arg VERSION="$version" --build-arg FAIL_RATE="$fail_rate" \
      "$context" >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    echo "build-example-images: building $tag failed" >&2
    exit 1
  fi
  rm -f "$log"
  echo "built $tag (VERSION=$version FAIL_RATE=$fail_rate, on $base)"
}

build dsr-example:v1 v1 0
build dsr-example:v2 v2 0
build dsr-example:v3-broken v3-broken 0.3
