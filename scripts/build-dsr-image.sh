#!/usr/bin/env bash
# Builds DSR's image (default tag dsr:latest; DSR_IMAGE=<tag> to change it).
#   bash scripts/build-dsr-image.sh            # docker build: npm ci and tsc inside the build
#   bash scripts/build-dsr-image.sh --offline  # no registry: compile and install the production
#       dependencies on the host (from npm's cache), then build the Dockerfile's `prebuilt` stage
#       on dsr-test-node:latest with that tree as its context. DSR_BASE=<image> picks another base.
set -euo pipefail
cd "$(dirname "$0")/.."
tag=${DSR_IMAGE:-dsr:latest}

if [ "${1:-}" != "--offline" ]; then
  docker build -t "$tag" .
  exit 0
fi

base=${DSR_BASE:-dsr-test-node:latest}
start=$(date +%s)
out=$(mktemp -d)
log=$(mktemp)
trap 'rm -rf "$out" "$log"' EXIT
node scripts/build.mjs "$out/dist"
cp package.json package-lock.json "$out/"
cp -r bin schemas "$out/"
(cd "$out" && npm ci --omit=dev --prefer-offline --no-audit --no-fund --ignore-scripts >"$log" 2>&1) || { cat "$log" >&2; exit 1; }
rm "$out/package-lock.json"
[ "$base" != dsr-test-node:latest ] || docker image inspect "$base" >/dev/null 2>&1 || bash scripts/build-test-images.sh
if ! DOCKER_BUILDKIT=0 docker build -f Dockerfile --target prebuilt --build-arg BASE="$base" -t "$tag" "$out" >"$log" 2>&1; then
  cat "$log" >&2
  echo "build-dsr-image: building $tag failed" >&2
  exit 1
fi
echo "built $tag (offline, on $base) in $(( $(date +%s) - start )) s"
