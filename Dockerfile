# DSR's own image: the controller, gateway, API and dashboard, driving the host's engine through
# the mounted Docker socket (docker-compose.yml shows the whole setup).
#
#   docker build -t dsr .                          # the usual: stage `build` runs npm ci, compiles
#                                                  # TypeScript and prunes the dev dependencies
#   bash scripts/build-dsr-image.sh --offline      # no registry: dist/ and the production
#                                                  # node_modules are made on the host, then copied
#                                                  # in by stage `prebuilt` on dsr-test-node:latest
#
# The runtime holds only production node_modules, dist/ (with the dashboard's page), schemas/
# (read at run time), bin/ and package.json. Both variants share `runtime-base`: same user,
# environment, health check and stop signal. Every RUN is in exec form with node, because the
# offline base (the host's node, imported) has no shell.
ARG BASE=node:20-slim

FROM ${BASE} AS runtime-base
# A `dsr` user with a fixed uid/gid 10001, so a host folder mounted on /data can be handed to it
# (`chown 10001 data`); the Docker socket's group is added at run time (compose: group_add).
# Written with node because the offline base has no useradd.
RUN ["node", "-e", "const fs = require('fs'); fs.mkdirSync('/etc', { recursive: true }); fs.appendFileSync('/etc/passwd', 'dsr:x:10001:10001:DSR:/app:/sbin/nologin\\n'); fs.appendFileSync('/etc/group', 'dsr:x:10001:\\n'); for (const dir of ['/data', '/manifests']) { fs.mkdirSync(dir, { recursive: true }); fs.chownSync(dir, 10001, 10001); }"]
WORKDIR /app
# DSR_IN_DOCKER=1: instances join the shared network `dsr` and DSR reaches them by name.
ENV NODE_ENV=production \
    DSR_IN_DOCKER=1 \
    DSR_HOST=0.0.0.0 \
    DSR_PORT=8000 \
    DSR_MANIFESTS=/manifests \
    DSR_DATA=/data
EXPOSE 8000
# Not 7701: the internal listener behind instances' DSR_GATEWAY_URL (DSR_INTERNAL_PORT) is reached
# over the shared network, which needs no EXPOSE, and must never be published.
# SIGTERM: DSR stops accepting, lets in-flight gateway requests finish (up to 20 s), flushes the
# event log and exits 0, leaving the service containers running for the next start to adopt.
# Give it the time: `docker stop -t 30` (docker-compose.yml: stop_grace_period: 30s).
STOPSIGNAL SIGTERM
# Liveness with node itself: slim images have no curl.
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.DSR_PORT || 8000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
USER dsr
# `docker run dsr validate /manifests` works too.
ENTRYPOINT ["node", "/app/bin/dsr.js"]
CMD ["run"]

# Offline: the build context holds the runtime tree in app/ and the host's git (with the libraries
# it links, /bin/sh and /etc/gitconfig) in rootfs/ (scripts/build-dsr-image.sh --offline prepares
# both). It comes before `build` because the classic builder runs every stage up to the target:
# `--target prebuilt` must not reach npm. The files stay root-owned: readable, not writable.
FROM runtime-base AS prebuilt
COPY rootfs/ /
COPY app/ /app/

FROM ${BASE} AS build
WORKDIR /build
# npm ci runs the `prepare` script, which skips building while src/ is not there yet.
COPY package.json package-lock.json ./
COPY scripts/prepare.mjs scripts/build.mjs scripts/
RUN ["npm", "ci", "--no-audit", "--no-fund"]
COPY tsconfig.json tsconfig.build.json ./
COPY src src
# tsc, the dashboard's page and the CLI bundle (scripts/build.mjs).
RUN ["npm", "run", "build"]
RUN ["npm", "prune", "--omit=dev", "--no-audit", "--no-fund"]

# The default target.
FROM runtime-base AS runtime
# git applies commits (a mounted repository with .git, or DSR_REPO); ssh for ssh:// remotes.
# safe.directory: a mounted repository is owned by the host's user, not by dsr.
USER root
RUN ["sh", "-c", "apt-get update && apt-get install -y --no-install-recommends git openssh-client ca-certificates && rm -rf /var/lib/apt/lists/* && git config --system --add safe.directory '*'"]
USER dsr
COPY package.json ./
COPY bin bin
COPY schemas schemas
COPY --from=build /build/node_modules node_modules
COPY --from=build /build/dist dist
