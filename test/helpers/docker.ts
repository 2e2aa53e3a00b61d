// Docker helpers for integration tests. Each suite gets its own owner, so parallel runs and
// leftovers of killed runs never see each other's containers, and everything is removed after.
//
//   import { before, it } from 'node:test';
//   import { describeDocker } from '../helpers/docker.js';
//
//   describeDocker('reconciler replaces a killed instance', (env) => {
//     const runtime = env.runtime();                 // DockerRuntime, host mode, owner env.owner
//     it('...', async () => { ... await env.docker.getContainer(id).kill(); ... });
//   });
//
// describeDocker skips the suite visibly when no engine answers, or fails it when
// DSR_REQUIRE_DOCKER=1 (CI). Its cleanup runs after the suite's own `after` hooks, so stop your
// controllers there first. Containers you create with plain dockerode must carry
// `testLabels(env.owner)` so cleanup finds them. For a single test instead of a suite:
// `const docker = await requireDocker(t); if (!docker) return;` plus your own cleanupOwner().
import { randomBytes } from 'node:crypto';
import { after, describe, it } from 'node:test';
import type { TestContext } from 'node:test';
import type Dockerode from 'dockerode';
import { DockerRuntime } from '../../src/docker/docker-runtime.js';
import type { DockerRuntimeOptions } from '../../src/docker/docker-runtime.js';
import { defaultDocker, describeEndpoint } from '../../src/docker/endpoint.js';
import { LABELS } from '../../src/docker/labels.js';
import { DEFAULT_OWNER } from '../../src/runtime/names.js';

/** Label put on test-made objects that DSR itself would not label (foreign containers, networks). */
export const TEST_OWNER_LABEL = 'dsr.test-owner';

/** What a describeDocker suite gets. */
export interface DockerTestEnv {
  docker: Dockerode;
  /** Unique per suite; cleaned up after it. */
  owner: string;
  /** A DockerRuntime for this owner (host mode unless overridden). */
  runtime(options?: Partial<DockerRuntimeOptions>): DockerRuntime;
}

/** Outcome of looking for an engine. */
export type DockerProbe = { ok: true; docker: Dockerode } | { ok: false; reason: string };

/**
 * How long a ping may take. A missing engine fails at once (no socket, refused); only a hung one
 * waits this long. Generous because a test file's first seconds are spent compiling its imports
 * on a cold cache: a loop blocked past a short timer lets the timer win over an answer that came.
 */
const PING_TIMEOUT_MS = 30_000;

/** Pings the engine (DOCKER_HOST or the local socket) within PING_TIMEOUT_MS. */
export async function probeDocker(docker: Dockerode = defaultDocker()): Promise<DockerProbe> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${PING_TIMEOUT_MS / 1000} s`)), PING_TIMEOUT_MS);
  });
  try {
    await Promise.race([docker.ping(), timeout]);
    return { ok: true, docker };
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    return { ok: false, reason: `no Docker engine at ${describeEndpoint(docker)} (${why}); run scripts/ensure-docker.sh` };
  } finally {
    clearTimeout(timer);
  }
}

/** Whether this run must fail rather than skip without Docker. */
export function dockerRequired(): boolean {
  return process.env['DSR_REQUIRE_DOCKER'] === '1';
}

/** The engine for one test, or null after marking the test skipped; throws when DSR_REQUIRE_DOCKER=1. */
export async function requireDocker(t: TestContext): Promise<Dockerode | null> {
  const probe = await probeDocker();
  if (probe.ok) return probe.docker;
  if (dockerRequired()) throw new Error(`DSR_REQUIRE_DOCKER=1 but ${probe.reason}`);
  t.skip(probe.reason);
  return null;
}

/** describe() for suites that need Docker: skips (or fails, with DSR_REQUIRE_DOCKER=1) without an engine, cleans up after. */
export function describeDocker(name: string, fn: (env: DockerTestEnv) => void): void {
  describe(name, async () => {
    const probe = await probeDocker();
    if (!probe.ok) {
      if (dockerRequired()) {
        it('has a Docker engine', () => {
          throw new Error(`DSR_REQUIRE_DOCKER=1 but ${probe.reason}`);
        });
      } else {
        it(`needs Docker: ${probe.reason}`, { skip: probe.reason }, () => undefined);
      }
      return;
    }
    const docker = probe.docker;
    const owner = uniqueOwner();
    fn({ docker, owner, runtime: (options) => new DockerRuntime({ docker, owner, mode: 'host', ...options }) });
    // Registered after fn's hooks, and after hooks run in order: the suite stops its own users first.
    after(() => cleanupOwner(owner, docker));
  });
}

/** A fresh owner such as `t3k9x2`: lowercase, valid in container names. */
export function uniqueOwner(prefix = 't'): string {
  return `${prefix}${randomBytes(4).readUInt32BE(0).toString(36).padStart(7, '0').slice(-7)}`;
}

/** Labels for containers or networks a test makes itself, so cleanupOwner(owner) removes them. */
export function testLabels(owner: string): Record<string, string> {
  return { [TEST_OWNER_LABEL]: owner };
}

/**
 * Force-removes every container labelled dsr.owner=owner or dsr.test-owner=owner, then networks
 * with either label. Refuses the default owner: that is a real installation's.
 */
export async function cleanupOwner(owner: string, docker: Dockerode = defaultDocker()): Promise<void> {
  if (!owner || owner === DEFAULT_OWNER) throw new Error(`cleanupOwner refuses owner "${owner}"`);
  const selectors = [`${LABELS.owner}=${owner}`, `${TEST_OWNER_LABEL}=${owner}`];
  for (const label of selectors) {
    const containers = await docker.listContainers({ all: true, filters: { label: [label] } });
    await Promise.all(containers.map((c) => ignoreGone(docker.getContainer(c.Id).remove({ force: true, v: true }))));
  }
  for (const label of selectors) {
    const networks = await docker.listNetworks({ filters: { label: [label] } });
    await Promise.all(networks.map((n) => ignoreGone(docker.getNetwork(n.Id).remove())));
  }
  // Named volumes DSR made for the owner's services (a prune never removes them).
  for (const label of selectors) {
    const volumes = (await docker.listVolumes({ filters: { label: [label] } })).Volumes ?? [];
    await Promise.all(volumes.map((v) => ignoreGone(docker.getVolume(v.Name).remove())));
  }
}

/** GETs `url` until it answers 2xx (for a container whose server is still starting); throws after timeoutMs. */
export async function waitForHttp(url: string, timeoutMs = 5000): Promise<{ status: number; body: string }> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no attempt';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      const body = await res.text();
      if (res.ok) return { status: res.status, body };
      last = `HTTP ${res.status}: ${body.slice(0, 200)}`;
    } catch (err) {
      last = err instanceof Error ? `${err.message}${err.cause instanceof Error ? ` (${err.cause.message})` : ''}` : String(err);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`GET ${url} did not answer 2xx within ${timeoutMs} ms; last: ${last}`);
}

async function ignoreGone(p: Promise<unknown>): Promise<void> {
  try {
    await p;
  } catch (err) {
    const status = (err as { statusCode?: unknown }).statusCode;
    // 404: already gone; 409: removal already in progress.
    if (status !== 404 && status !== 409) throw err;
  }
}
