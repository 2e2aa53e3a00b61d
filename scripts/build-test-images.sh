#!/usr/bin/env bash
# Builds the images the tests and benchmarks use, offline, with `docker import` from files on this
# machine (there is no registry to pull from). Idempotent: an image that exists is kept unless
# --force is given.
#
#   dsr-test-web:v1, :v2   busybox httpd on port 80: /health -> {"status":"healthy"},
#                          /version -> "v1"/"v2", /cgi-bin/whoami -> "<version> <hostname>"
#   dsr-test-web:broken    healthy, but /cgi-bin/whoami answers 500 on ~40% of requests
#   dsr-test-web:crash     exits 1 at once (a crash-looping image)
#   dsr-test-web:sick      serves /health with {"status":"unhealthy"}
#   dsr-test-node:latest   the host's node binary and the libraries it links, for Node.js services
set -euo pipefail

force=0
[ "${1:-}" = "--force" ] && force=1

have() { [ "$force" = 0 ] && docker image inspect "$1" >/dev/null 2>&1; }

busybox_bin=$(command -v busybox || true)
if [ -z "$busybox_bin" ] || ! file_out=$(ldd "$busybox_bin" 2>&1) || ! grep -q 'not a dynamic' <<<"$file_out"; then
  for candidate in /bin/busybox /usr/bin/busybox; do
    if [ -x "$candidate" ] && ldd "$candidate" 2>&1 | grep -q 'not a dynamic'; then busybox_bin=$candidate; fi
  done
fi
[ -n "$busybox_bin" ] || { echo "build-test-images: a static busybox is needed: apt-get install -y busybox-static" >&2; exit 1; }

web_image() { # tag version health-json cmd-json [error-percent]
  local tag=$1 version=$2 health=$3 cmd=$4 errors=${5:-0}
  if have "$tag"; then echo "kept $tag"; return; fi
  local dir
  dir=$(mktemp -d)
  mkdir -p "$dir/bin" "$dir/www/cgi-bin" "$dir/tmp" "$dir/etc"
  cp "$busybox_bin" "$dir/bin/busybox"
  for applet in $("$busybox_bin" --list); do
    [ "$applet" = busybox ] || ln -sf busybox "$dir/bin/$applet"
  done
  printf '%s' "$health" >"$dir/www/health"
  printf '%s' "$version" >"$dir/www/version"
  printf 'hello from %s\n' "$version" >"$dir/www/index.html"
  cat >"$dir/www/cgi-bin/whoami" <<CGI
#!/bin/sh
if [ \$((RANDOM % 100)) -lt $errors ]; then
  printf 'Status: 500 Internal Server Error\r\nContent-Type: text/plain\r\n\r\n%s broken\n' "$version"
  exit 0
fi
printf 'Content-Type: text/plain\r\n\r\n'
printf '%s %s\n' "$version" "\$(hostname)"
CGI
  chmod +x "$dir/www/cgi-bin/whoami"
  echo 'root:x:0:0:root:/:/bin/sh' >"$dir/etc/passwd"
  tar -C "$dir" -c . | docker import \
    -c "CMD $cmd" -c 'EXPOSE 80' -c 'ENV PATH=/bin' \
    -m "dsr test image $tag" - "$tag" >/dev/null
  rm -rf "$dir"
  echo "built $tag"
}

httpd='["/bin/httpd","-f","-p","80","-h","/www"]'
web_image dsr-test-web:v1 v1 '{"status":"healthy"}' "$httpd"
web_image dsr-test-web:v2 v2 '{"status":"healthy"}' "$httpd"
web_image dsr-test-web:broken broken '{"status":"healthy"}' "$httpd" 40
web_image dsr-test-web:sick sick '{"status":"unhealthy"}' "$httpd"
web_image dsr-test-web:crash crash '{"status":"healthy"}' '["/bin/sh","-c","echo crashing >&2; exit 1"]'

if have dsr-test-node:latest; then
  echo "kept dsr-test-node:latest"
else
  dir=$(mktemp -d)
  mkdir -p "$dir/usr/bin" "$dir/tmp" "$dir/app"
  cp "$(readlink -f "$(command -v node)")" "$dir/usr/bin/node"
  for lib in $(ldd "$(command -v node)" | grep -oE '/[^ ]+'); do
    mkdir -p "$dir$(dirname "$lib")"
    cp -L "$lib" "$dir$lib"
  done
  tar -C "$dir" -c . | docker import -c 'ENV PATH=/usr/bin' -c 'WORKDIR /app' \
    -m "dsr test image: host node $(node --version)" - dsr-test-node:latest >/dev/null
  rm -rf "$dir"
  echo "built dsr-test-node:latest"
fi
