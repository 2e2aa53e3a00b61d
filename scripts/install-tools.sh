#!/usr/bin/env bash
# Installs, from Debian packages, every external program the test suite spawns (and, with --bench,
# the benchmarks), each only when it is missing: `apt-get update` once, then one `apt-get install`.
# CI runs it first (.ci/run), so a fresh machine needs only bash, apt and Node.js >= 20.19.
#
#   bash scripts/install-tools.sh            # the suite's programs
#   bash scripts/install-tools.sh --bench    # also nginx and wrk (bench/gateway*.ts)
#   bash scripts/install-tools.sh --list     # print "command package" for every entry, install nothing
#   DSR_TOOLS_ASSUME_MISSING=1 bash scripts/install-tools.sh --dry-run
#                                            # what a machine with none of them would install
#                                            # (apt-get --simulate: checks the package names, changes nothing)
#
# One row per program: the command, the Debian package that provides it, who spawns it. A row
# whose check is not `command -v` says so in its fourth field (a shell test).
set -euo pipefail

suite=(
  'dockerd|docker.io|the engine: scripts/ensure-docker.sh starts it; test/integration/docker-restart.test.ts restarts it'
  'docker|docker.io|the CLI: tests, scripts/build-*.sh, bench/'
  'docker-compose|docker-compose|test/integration/compose.test.ts, bench/converge.ts (or the compose v2 plugin)|docker compose version >/dev/null 2>&1 || command -v docker-compose >/dev/null 2>&1'
  'busybox|busybox-static|scripts/build-test-images.sh: a static busybox inside the test images'
  'git|git|DSR itself (the git manifest source), test/helpers/git-repo.ts, the quick start test'
  'git daemon|git|tests serving a repository over git:// and HTTP (git daemon, git http-backend)|command -v git >/dev/null 2>&1 && [ -x "$(git --exec-path)/git-daemon" ] && [ -x "$(git --exec-path)/git-http-backend" ]'
  'curl|curl|the README quick start (test/e2e/quickstart.test.ts runs its commands)'
  'chromium|chromium|test/e2e/dashboard.test.ts (headless, /usr/bin/chromium)|[ -x /usr/bin/chromium ]'
  'pkill|procps|test/integration/docker-restart.test.ts'
  'sed|sed|the README quick start'
  'tar|tar|scripts/build-test-images.sh (docker import)'
  'ldd|libc-bin|scripts/build-test-images.sh (the libraries node links)'
  'ip|iproute2|test/helpers/second-engine.ts: the bridge of the second dockerd (the swarm tests, bench/soak.ts)'
  'umount|mount|test/helpers/second-engine.ts: unmounts what a second dockerd leaves behind'
  'mkfifo|coreutils|test/unit/manifest-read-folder.test.ts; also mkdir, sha256sum, cut in scripts'
)
bench=(
  'nginx|nginx-light|bench/gateway.ts, bench/gateway-wrk.ts: the reference proxy|[ -x /usr/sbin/nginx ]'
  'wrk|wrk|bench/gateway-wrk.ts: the load generator'
)

rows=("${suite[@]}")
mode=install
for arg in "$@"; do
  case $arg in
    --bench) rows+=("${bench[@]}") ;;
    --list) mode=list; rows=("${suite[@]}" "${bench[@]}") ;;
    --dry-run) mode=dry-run ;;
    *) echo "install-tools: unknown argument $arg (see the header of $0)" >&2; exit 2 ;;
  esac
done

need=()
for row in "${rows[@]}"; do
  IFS='|' read -r command package _why check <<<"$row"
  if [ "$mode" = list ]; then
    printf '%-15s %s\n' "$command" "$package"
    continue
  fi
  if [ "${DSR_TOOLS_ASSUME_MISSING:-}" != 1 ]; then
    if [ -n "$check" ]; then bash -c "$check" && continue; else command -v "$command" >/dev/null 2>&1 && continue; fi
  fi
  [[ " ${need[*]} " == *" $package "* ]] || need+=("$package")
done
[ "$mode" = list ] && exit 0

# Node.js is not installed here: Debian 12's nodejs is 18, and DSR needs >= 20.19.
if ! node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)' 2>/dev/null; then
  echo "install-tools: Node.js >= 20.19 is needed (found: $(node --version 2>/dev/null || echo none)); install it from nodejs.org or NodeSource, then run again" >&2
  [ "$mode" = dry-run ] || exit 1
fi

if [ ${#need[@]} -eq 0 ]; then
  echo "install-tools: every program is installed"
  exit 0
fi
if [ "$mode" = dry-run ]; then
  echo "install-tools: would install ${need[*]}"
  apt-get install --simulate -qq "${need[@]}" >/dev/null
  echo "install-tools: apt-get --simulate accepts every package name"
  exit 0
fi
echo "install-tools: installing ${need[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
echo "install-tools: installed ${need[*]}"
