#!/usr/bin/env bash
# Builds DSR's image (default tag dsr:latest; DSR_IMAGE=<tag> to change it).
#   bash scripts/build-dsr-image.sh            # docker build: npm ci and tsc inside the build
#   bash scripts/build-dsr-image.sh --offline  # no registry: compile and install the production
#       dependencies on the host (from npm's cache), then build the Dockerfile's `prebuilt` stage
#       on dsr-test-node:latest with that tree as its context. DSR_BASE=<image> picks another base.
#   bash scripts/build-dsr-image.sh --offline --force   # rebuild even when an up-to-date image exists
#
# --offline is idempotent, like the example image scripts: the image carries a label with a hash of
# everything the build reads (src/, bin/, schemas/, package files, tsconfigs, the build scripts, the
# Dockerfile, the base image's id, node's version and the host's git). An image with that label is
# reused: kept when it already has the tag, else tagged (five test files each want DSR's image
# under their own tag; one build of ~15 s serves them all, and CI builds it once in its set-up).
set -euo pipefail
cd "$(dirname "$0")/.."
tag=${DSR_IMAGE:-dsr:latest}

if [ "${1:-}" != "--offline" ]; then
  docker build -t "$tag" .
  exit 0
fi

base=${DSR_BASE:-dsr-test-node:latest}
force=0
[ "${2:-}" = "--force" ] && force=1
start=$(date +%s)
# One build at a time on this machine: a caller that comes while another builds (CI builds in the
# background while the tests start) waits for it, then finds the image up to date below.
if command -v flock >/dev/null; then
  exec 9>"${TMPDIR:-/tmp}/dsr-image-build.lock"
  flock 9
fi
[ "$base" != dsr-test-node:latest ] || docker image inspect "$base" >/dev/null 2>&1 || bash scripts/build-test-images.sh
command -v git >/dev/null || { echo "build-dsr-image: git is not installed on this host (apt-get install git)" >&2; exit 1; }
label=dsr.image.source
sources=$(
  {
    find src bin schemas -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum
    sha256sum package.json package-lock.json tsconfig.json tsconfig.build.json Dockerfile scripts/build.mjs scripts/build-dsr-image.sh
    docker image inspect -f '{{ .Id }}' "$base"
    node --version
    git --version
    readlink -f "$(command -v git)" /bin/sh
  } | sha256sum | cut -c1-16
)
if [ "$force" = 0 ]; then
  have=$(docker image inspect -f "{{ index .Config.Labels \"$label\" }}" "$tag" 2>/dev/null || true)
  if [ "$have" = "$sources" ]; then
    echo "kept $tag (up to date)"
    exit 0
  fi
  same=$(docker images -q --filter "label=$label=$sources")
  same=${same%%$'\n'*}
  if [ -n "$same" ] && docker tag "$same" "$tag"; then
    echo "tagged $tag: the up-to-date image $same"
    exit 0
  fi
fi
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
if ! DOCKER_BUILDKIT=0 docker build -f Dockerfile --target prebuilt --build-arg BASE="$base" --label "$label=$sources" -t "$tag" "$out" >"$log" 2>&1; then
  cat "$log" >&2
  echo "build-dsr-image: building $tag failed" >&2
  exit 1
fi
echo "built $tag (offline, on $base) in $(( $(date +%s) - start )) s"
