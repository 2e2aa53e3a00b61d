#!/usr/bin/env bash
# Makes sure a Docker engine answers on /var/run/docker.sock: installs docker.io and
# busybox-static from Debian when missing, starts dockerd in the background when it is not
# running, and waits for it. Exits non-zero (and says why) when the engine cannot be had.
set -euo pipefail

log=${DOCKERD_LOG:-/tmp/dockerd.log}
need=()
command -v dockerd >/dev/null 2>&1 || need+=(docker.io)
command -v busybox >/dev/null 2>&1 || need+=(busybox-static)
if [ ${#need[@]} -gt 0 ]; then
  echo "ensure-docker: installing ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

if docker info >/dev/null 2>&1; then
  echo "ensure-docker: engine already running"
  exit 0
fi

echo "ensure-docker: starting dockerd (log: $log)"
# --live-restore keeps containers running while the engine restarts (SPEC §3: a Docker restart
# must not tear services down); it is what we recommend for production hosts too.
setsid dockerd --live-restore >"$log" 2>&1 </dev/null &
for _ in $(seq 1 60); do
  if [ -S /var/run/docker.sock ] && docker info >/dev/null 2>&1; then
    echo "ensure-docker: engine ready ($(docker version --format '{{.Server.Version}}'))"
    exit 0
  fi
  sleep 1
done
echo "ensure-docker: dockerd did not come up within 60 s; last lines of $log:" >&2
tail -n 20 "$log" >&2 || true
exit 1
