#!/usr/bin/env bash
# `npm start`: builds the example images when they are missing or stale (scripts/build-example-images.sh,
# which works offline and keeps images that are up to date in well under a second), then runs DSR
# on manifests/ from the sources. Extra arguments go to `dsr run` (`npm start -- --port 9000`).
set -euo pipefail
cd "$(dirname "$0")/.."

if docker info >/dev/null 2>&1; then
  bash scripts/build-example-images.sh
else
  echo "npm start: the Docker engine does not answer, so the example images cannot be built; DSR starts anyway and reports it (start Docker, then restart: npm start)" >&2
fi
# exec: DSR receives Ctrl-C and SIGTERM itself and shuts down gracefully.
exec node_modules/.bin/tsx src/cli/main.ts run --manifests manifests --data data "$@"
