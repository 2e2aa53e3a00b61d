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
app="$out/app"
node scripts/build.mjs "$app/dist"
cp package.json package-lock.json "$app/"
cp -r bin schemas "$app/"
(cd "$app" && npm ci --omit=dev --prefer-offline --no-audit --no-fund --ignore-scripts >"$log" 2>&1) || { cat "$log" >&2; exit 1; }
rm "$app/package-lock.json"

# git, so DSR in its image applies commits (SPEC §2, §10): the host's git, its smart-HTTP helper
# git-remote-http(s), /bin/sh (git runs local transports and ssh through it), the libraries ldd
# lists for each, the CA bundle for https, and a system gitconfig trusting mounted repositories
# owned by another uid (git's "dubious ownership" check would otherwise refuse to read them).
root="$out/rootfs"
command -v git >/dev/null || { echo "build-dsr-image: git is not installed on this host (apt-get install git)" >&2; exit 1; }
git_core=$(git --exec-path)
copy_with_libs() { # <file>: the file (dereferenced) and every library it links, at the same paths
  mkdir -p "$root$(dirname "$1")"
  cp -L "$1" "$root$1"
  for lib in $(ldd "$1" | grep -oE '/[^ ]+'); do
    [ -e "$root$lib" ] || { mkdir -p "$root$(dirname "$lib")"; cp -L "$lib" "$root$lib"; }
  done
}
copy_with_libs "$(readlink -f "$(command -v git)")"
[ "$(readlink -f "$(command -v git)")" = /usr/bin/git ] || { mkdir -p "$root/usr/bin"; ln -sf "$(readlink -f "$(command -v git)")" "$root/usr/bin/git"; }
mkdir -p "$root$git_core"
ln -sf /usr/bin/git "$root$git_core/git"
copy_with_libs "$git_core/git-remote-http"
ln -sf git-remote-http "$root$git_core/git-remote-https"
copy_with_libs "$(readlink -f /bin/sh)"
mkdir -p "$root/bin"
[ "$(readlink -f /bin/sh)" = /bin/sh ] || ln -sf "$(readlink -f /bin/sh)" "$root/bin/sh"
for ca in /etc/ssl/certs/ca-certificates.crt; do
  [ -f "$ca" ] && { mkdir -p "$root$(dirname "$ca")"; cp -L "$ca" "$root$ca"; }
done
mkdir -p "$root/etc"
printf '[safe]\n\tdirectory = *\n' >"$root/etc/gitconfig"
[ "$base" != dsr-test-node:latest ] || docker image inspect "$base" >/dev/null 2>&1 || bash scripts/build-test-images.sh
if ! DOCKER_BUILDKIT=0 docker build -f Dockerfile --target prebuilt --build-arg BASE="$base" -t "$tag" "$out" >"$log" 2>&1; then
  cat "$log" >&2
  echo "build-dsr-image: building $tag failed" >&2
  exit 1
fi
echo "built $tag (offline, on $base) in $(( $(date +%s) - start )) s"
