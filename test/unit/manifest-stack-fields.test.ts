// SPEC §8 manifest fields: every semantic check as a named case with its exact place, message
// and path; what valid manifests normalize to; dependsOn across files.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadManifests } from '../../src/manifest/load.js';
import type { LoadOptions } from '../../src/manifest/load.js';
import type { ServiceSpec } from '../../src/manifest/service-spec.js';

/** A YAML text from its lines, so a case's line numbers can be read off its index. */
const y = (...lines: string[]): string => lines.join('\n') + '\n';
// Lines 1-5; spec fields start on line 6.
const HEAD = (name = 'svc'): string[] => ['apiVersion: dsr/v1', 'kind: Service', 'metadata:', `  name: ${name}`, 'spec:'];
// Lines 6-8 with a port, or 6-7 without.
const WEB = ['  port: 8080', '  versions:', '    - { name: v1, image: web:v1 }'];
const WORKER = ['  versions:', '    - { name: v1, image: db:v1 }'];

const ROOTS: LoadOptions = { hostPathRoots: ['/srv', '/data/apps'] };

function load(files: Record<string, string>, options: LoadOptions = ROOTS) {
  return loadManifests(Object.entries(files).map(([path, text]) => ({ path, content: Buffer.from(text) })), options);
}

function only(text: string, options: LoadOptions = ROOTS): ServiceSpec {
  const result = load({ 'svc.yaml': text }, options);
  assert.deepEqual(result.errors, []);
  assert.equal(result.services.length, 1);
  return result.services[0]!;
}

interface BadCase {
  name: string;
  lines: string[];
  options?: LoadOptions;
  /** `line:column`, the field path and a pattern of the message. */
  errors: Array<[string, string, RegExp]>;
}

const bad: BadCase[] = [
  // health kinds
  { name: 'path and exec together', lines: [...WEB, '  health: { path: /h, exec: [x] }'], errors: [['9:29', 'spec.health.exec', /^a health check has exactly one kind, got path and exec: keep one of path \(HTTP\), tcp or exec$/]] },
  { name: 'tcp and exec together', lines: [...WEB, '  health: { tcp: true, exec: [x] }'], errors: [['9:30', 'spec.health.exec', /exactly one kind, got tcp and exec/]] },
  { name: 'path, tcp and exec together', lines: [...WEB, '  health: { path: /h, tcp: true, exec: [x] }'], errors: [['9:28', 'spec.health.tcp', /got path and tcp and exec/]] },
  { name: 'tcp: false', lines: [...WEB, '  health: { tcp: false }'], errors: [['9:18', 'spec.health.tcp', /^must be true \(leave it out for no TCP check\), got false$/]] },
  { name: 'an empty exec', lines: [...WEB, '  health: { exec: [] }'], errors: [['9:19', 'spec.health.exec', /^must be a command as a list of strings/]] },
  { name: 'exec as a string', lines: [...WEB, '  health: { exec: pg_isready }'], errors: [['9:19', 'spec.health.exec', /^must be a command as a list of strings/]] },
  { name: 'an HTTP check without a port', lines: [...WORKER, '  health: { path: /health }'], errors: [['8:19', 'spec.health.path', /^an HTTP check needs spec.port; add the port the container listens on, or use exec/]] },
  { name: 'a TCP check without a port', lines: [...WORKER, '  health: { tcp: true }'], errors: [['8:18', 'spec.health.tcp', /^a TCP check needs spec.port/]] },
  { name: 'a NUL in an exec argument', lines: [...WEB, '  health: { exec: ["a\\0b"] }'], errors: [['9:20', 'spec.health.exec[0]', /^contains a NUL character/]] },
  // strategies
  { name: 'an unknown strategy', lines: [...WEB, '  strategy: BlueGreen'], errors: [['9:13', 'spec.strategy', /^must be Canary, Rolling or Recreate, got "BlueGreen"$/]] },
  { name: 'Canary without a port', lines: [...WORKER, '  strategy: Canary'], errors: [['8:13', 'spec.strategy', /^Canary moves traffic step by step, and a service without a port gets no traffic: add spec.port, or use Rolling or Recreate$/]] },
  {
    name: 'Recreate with a static split',
    lines: ['  port: 8080', '  strategy: Recreate', '  versions:', '    - { name: v1, image: web:v1, weight: 50 }', '    - { name: v2, image: web:v2, weight: 50 }'],
    errors: [['7:13', 'spec.strategy', /^Recreate runs one version at a time, and this service declares 2/]],
  },
  { name: 'rollout steps with Rolling', lines: [...WEB, '  strategy: Rolling', '  rollout: { steps: [] }'], errors: [['10:21', 'spec.rollout.steps', /^only the Canary strategy walks rollout steps, and this service uses Rolling/]] },
  { name: 'rollout analysis on a worker (Rolling by default)', lines: [...WORKER, '  rollout: { analysis: { minRequests: 1 } }'], errors: [['8:24', 'spec.rollout.analysis', /^only the Canary strategy walks rollout analysis, and this service uses Rolling/]] },
  { name: 'gateway settings on a worker', lines: [...WORKER, '  gateway: { sticky: true }'], errors: [['8:12', 'spec.gateway', /^a service without a port has no gateway route: remove spec.gateway, or add spec.port$/]] },
  // volumes
  { name: 'a volume with neither name nor hostPath', lines: [...WEB, '  strategy: Recreate', '  volumes: [{ mountPath: /data }]'], errors: [['10:13', 'spec.volumes[0]', /^a volume has exactly one of name \(a DSR-owned named volume\) or hostPath \(a host folder\)$/]] },
  { name: 'a volume with both name and hostPath', lines: [...WEB, '  volumes: [{ name: d, hostPath: /srv/d, mountPath: /data, readOnly: true }]'], errors: [['9:13', 'spec.volumes[0]', /^a volume has exactly one of/]] },
  { name: 'a volume without mountPath', lines: [...WEB, '  volumes: [{ name: d, readOnly: true }]'], errors: [['9:13', 'spec.volumes[0].mountPath', /^required field is missing$/]] },
  { name: 'a volume name with capitals', lines: [...WEB, '  volumes: [{ name: Data, mountPath: /data, readOnly: true }]'], errors: [['9:21', 'spec.volumes[0].name', /^must be a volume name: 1 to 40 lowercase letters, digits or "-", starting and ending with a letter or digit/]] },
  { name: 'a volume name ending in -', lines: [...WEB, '  volumes: [{ name: data-, mountPath: /data, readOnly: true }]'], errors: [['9:21', 'spec.volumes[0].name', /^must be a volume name/]] },
  {
    name: 'two volumes with one name',
    lines: [...WEB, '  volumes:', '    - { name: data, mountPath: /a, readOnly: true }', '    - { name: data, mountPath: /b, readOnly: true }'],
    errors: [['11:15', 'spec.volumes[1].name', /^duplicate volume name "data" \(also spec.volumes\[0\]\); volume names must be unique within a service$/]],
  },
  {
    name: 'two volumes on one mountPath (trailing slash ignored)',
    lines: [...WEB, '  volumes:', '    - { name: a, mountPath: /data, readOnly: true }', '    - { name: b, mountPath: /data/, readOnly: true }'],
    errors: [['11:29', 'spec.volumes[1].mountPath', /^mountPath \/data is already used by spec.volumes\[0\]; each volume needs its own mountPath$/]],
  },
  { name: 'a relative mountPath', lines: [...WEB, '  volumes: [{ name: d, mountPath: data, readOnly: true }]'], errors: [['9:35', 'spec.volumes[0].mountPath', /^must be an absolute path inside the container \(starting with "\/"\), got "data"$/]] },
  { name: 'a mountPath of /', lines: [...WEB, '  volumes: [{ name: d, mountPath: /, readOnly: true }]'], errors: [['9:35', 'spec.volumes[0].mountPath', /^cannot be "\/": mount the volume on a folder/]] },
  { name: 'a mountPath with ..', lines: [...WEB, '  volumes: [{ name: d, mountPath: /a/../b, readOnly: true }]'], errors: [['9:35', 'spec.volumes[0].mountPath', /^must not contain "." or ".." segments/]] },
  { name: 'a relative hostPath', lines: [...WEB, '  volumes: [{ hostPath: srv/x, mountPath: /x }]'], errors: [['9:25', 'spec.volumes[0].hostPath', /^must be an absolute path \(starting with "\/"\), got "srv\/x"$/]] },
  { name: 'a hostPath outside the allowed roots', lines: [...WEB, '  volumes: [{ hostPath: /etc, mountPath: /x }]'], errors: [['9:25', 'spec.volumes[0].hostPath', /^"\/etc" is not under a folder allowed by DSR_HOST_PATHS \(\/srv, \/data\/apps\); move the data under one of them/]] },
  { name: 'a hostPath escaping its root with ..', lines: [...WEB, '  volumes: [{ hostPath: /srv/app/../../etc, mountPath: /x }]'], errors: [['9:25', 'spec.volumes[0].hostPath', /^"\/srv\/app\/..\/..\/etc" \(\/etc once ".." is resolved\) is not under a folder allowed by DSR_HOST_PATHS/]] },
  { name: 'a hostPath next to a root (prefix is not a parent)', lines: [...WEB, '  volumes: [{ hostPath: /srv-other/x, mountPath: /x }]'], errors: [['9:25', 'spec.volumes[0].hostPath', /is not under a folder allowed by DSR_HOST_PATHS/]] },
  { name: 'any hostPath when DSR_HOST_PATHS is unset', options: {}, lines: [...WEB, '  volumes: [{ hostPath: /srv/static, mountPath: /x }]'], errors: [['9:25', 'spec.volumes[0].hostPath', /^host paths are refused until the operator allows them: set DSR_HOST_PATHS to the folders DSR may mount \(e.g. DSR_HOST_PATHS=\/srv\), or use a named volume/]] },
  { name: 'shared on a hostPath', lines: [...WEB, '  volumes: [{ hostPath: /srv/x, mountPath: /x, shared: true }]'], errors: [['9:56', 'spec.volumes[0].shared', /^shared applies to named volumes only/]] },
  { name: 'a read-write named volume with Canary (the default with a port)', lines: [...WEB, '  volumes: [{ name: data, mountPath: /data }]'], errors: [['9:21', 'spec.volumes[0].name', /^read-write volume "data" would be written by several containers at once \(the Canary strategy runs old and new instances together\): use strategy: Recreate with one replica, set readOnly: true, or set shared: true/]] },
  { name: 'a read-write named volume with Rolling (the default without a port)', lines: [...WORKER, '  volumes: [{ name: data, mountPath: /data }]'], errors: [['8:21', 'spec.volumes[0].name', /\(the Rolling strategy runs old and new instances together\)/]] },
  { name: 'a read-write named volume with Recreate and 2 replicas', lines: ['  strategy: Recreate', '  versions:', '    - { name: v1, image: db:v1, replicas: 2 }', '  volumes: [{ name: data, mountPath: /data }]'], errors: [['9:21', 'spec.volumes[0].name', /\(2 replicas run together\)/]] },
  // resources
  { name: 'memory with a lowercase m', lines: [...WEB, '  resources: { memory: 512m }'], errors: [['9:24', 'spec.resources.memory', /^unknown unit "m" in "512m" \("m" means MiB\/GiB to Docker but milli\/giga to Kubernetes; write Mi\)/]] },
  { name: 'memory below 6Mi', lines: [...WEB, '  resources: { memory: 1Mi }'], errors: [['9:24', 'spec.resources.memory', /^"1Mi" is 1048576 bytes, below Docker's minimum of 6Mi/]] },
  { name: 'memory that is not a quantity', lines: [...WEB, '  resources: { memory: lots }'], errors: [['9:24', 'spec.resources.memory', /^"lots" is not a memory size: write a whole number of bytes/]] },
  { name: 'memory as a fraction of a byte', lines: [...WEB, '  resources: { memory: "10000000.5" }'], errors: [['9:24', 'spec.resources.memory', /has a fraction of a byte/]] },
  { name: 'cpus of 0', lines: [...WEB, '  resources: { cpus: 0 }'], errors: [['9:22', 'spec.resources.cpus', /^must be a number from 0.01 to 1024/]] },
  { name: 'cpus above 1024', lines: [...WEB, '  resources: { cpus: 2000 }'], errors: [['9:22', 'spec.resources.cpus', /^must be a number from 0.01 to 1024/]] },
  { name: 'cpus as a string', lines: [...WEB, '  resources: { cpus: "0.5" }'], errors: [['9:22', 'spec.resources.cpus', /^must be a number from 0.01 to 1024/]] },
  { name: 'pids of 1', lines: [...WEB, '  resources: { pids: 1 }'], errors: [['9:22', 'spec.resources.pids', /^must be an integer from 2 to 4194304/]] },
  { name: 'pids as a fraction', lines: [...WEB, '  resources: { pids: 2.5 }'], errors: [['9:22', 'spec.resources.pids', /^must be an integer from 2 to 4194304/]] },
  { name: 'an unknown resource', lines: [...WEB, '  resources: { gpus: 1 }'], errors: [['9:16', 'spec.resources.gpus', /^unknown field "gpus"/]] },
  // secrets, labels, dependsOn within one manifest
  { name: 'a secret name with a slash', lines: [...WEB, '  secrets: [../etc/passwd]'], errors: [['9:13', 'spec.secrets[0]', /^must be a secret name: 1 to 64 letters, digits, ".", "_" or "-", starting with a letter or digit/]] },
  { name: 'a secret name starting with a dot', lines: [...WEB, '  secrets: [.env]'], errors: [['9:13', 'spec.secrets[0]', /^must be a secret name/]] },
  { name: 'a secret listed twice', lines: [...WEB, '  secrets: [db, db]'], errors: [['9:17', 'spec.secrets[1]', /^secret "db" is listed twice \(also spec.secrets\[0\]\); remove one$/]] },
  { name: 'a reserved dsr. label', lines: [...WEB, '  labels: { dsr.service: other }'], errors: [['9:13', 'spec.labels["dsr.service"]', /^labels starting with "dsr." are reserved for DSR's own labels: rename "dsr.service" \(e.g. "app.service"\)$/]] },
  { name: 'a reserved DSR. label in capitals', lines: [...WEB, '  labels: { DSR.x: y }'], errors: [['9:13', 'spec.labels["DSR.x"]', /^labels starting with "dsr." are reserved/]] },
  { name: 'a label key with a space', lines: [...WEB, '  labels: { "my team": x }'], errors: [['9:13', 'spec.labels["my team"]', /^is not a valid label key/]] },
  { name: 'a label value that is a number', lines: [...WEB, '  labels: { tier: 1 }'], errors: [['9:19', 'spec.labels.tier', /^must be a string of at most 4096 characters/]] },
  { name: 'a service depending on itself', lines: [...WEB, '  dependsOn: [svc]'], errors: [['9:15', 'spec.dependsOn[0]', /^a service cannot depend on itself \("svc"\): remove it$/]] },
  { name: 'a dependency listed twice', lines: [...WEB, '  dependsOn: [db, db]', ], errors: [['9:19', 'spec.dependsOn[1]', /^service "db" is listed twice/]] },
  { name: 'a dependency that is not a service name', lines: [...WEB, '  dependsOn: [Db]'], errors: [['9:15', 'spec.dependsOn[0]', /^must be a service name/]] },
];

describe('SPEC §8 fields: every semantic check names its place and what to do', () => {
  for (const c of bad) {
    it(c.name, () => {
      // `db` is declared too, so dependsOn [db] is known.
      const result = load({ 'svc.yaml': y(...HEAD(), ...c.lines), 'db.yaml': y(...HEAD('db'), ...WORKER) }, c.options ?? ROOTS);
      const got = result.errors.map((e) => [`${e.line}:${e.column}`, e.path, e.message] as const);
      assert.equal(got.length, c.errors.length, got.map((g) => g.join(' ')).join('\n'));
      c.errors.forEach(([at, path, message], i) => {
        assert.equal(got[i]![0], at, `location of: ${got[i]![2]}`);
        assert.equal(got[i]![1], path, `path of: ${got[i]![2]}`);
        assert.match(got[i]![2], message);
      });
      assert.deepEqual(result.services.map((s) => s.name), ['db']);
    });
  }
});

describe('SPEC §8 fields: what valid manifests normalize to', () => {
  it('a manifest without any §8 field: port, HTTP /health, Canary, nothing else', () => {
    const s = only(y(...HEAD(), ...WEB));
    assert.deepEqual(
      { port: s.port, strategy: s.strategy, probe: s.health.probe, volumes: s.volumes, resources: s.resources, secrets: s.secrets, dependsOn: s.dependsOn, labels: s.labels },
      { port: 8080, strategy: 'Canary', probe: { kind: 'http', path: '/health' }, volumes: [], resources: { memoryBytes: null, nanoCpus: null, pids: null }, secrets: [], dependsOn: [], labels: {} },
    );
  });
  it('a worker: no port, Rolling, healthy once running', () => {
    const s = only(y(...HEAD(), ...WORKER));
    assert.deepEqual([s.port, s.strategy, s.health.probe], [null, 'Rolling', { kind: 'running' }]);
  });
  it('a worker with an exec check', () => {
    const s = only(y(...HEAD(), ...WORKER, '  health: { exec: [pg_isready, -q], interval: 2s }'));
    assert.deepEqual([s.health.probe, s.health.intervalMs], [{ kind: 'exec', command: ['pg_isready', '-q'] }, 2000]);
  });
  it('a TCP check with a port', () => {
    assert.deepEqual(only(y(...HEAD(), ...WEB, '  health: { tcp: true }')).health.probe, { kind: 'tcp' });
  });
  it('an exec check on a service with a port keeps Canary', () => {
    const s = only(y(...HEAD(), ...WEB, '  health: { exec: [curl, -f, localhost] }'));
    assert.deepEqual([s.strategy, s.health.probe.kind], ['Canary', 'exec']);
  });
  it('Recreate with a read-write named volume and a host path (read-only by default)', () => {
    const s = only(y(...HEAD(), ...WORKER, '  strategy: Recreate', '  volumes:', '    - { name: data, mountPath: /var/lib/data }', '    - { hostPath: /srv/static/../static, mountPath: /static }'));
    assert.deepEqual(s.volumes, [
      { kind: 'named', name: 'data', mountPath: '/var/lib/data', readOnly: false, shared: false },
      { kind: 'host', hostPath: '/srv/static/../static', mountPath: '/static', readOnly: true },
    ]);
  });
  it('read-write volumes that may run together: shared, or read-only, or a host path', () => {
    const s = only(y(...HEAD(), ...WEB, '  volumes:', '    - { name: cache, mountPath: /cache, shared: true }', '    - { name: assets, mountPath: /assets, readOnly: true }', '    - { hostPath: /data/apps/up, mountPath: /up, readOnly: false }'));
    assert.deepEqual(s.volumes.map((v) => [v.kind, v.readOnly]), [['named', false], ['named', true], ['host', false]]);
  });
  it('Rolling with a static split is allowed (weights as written)', () => {
    const s = only(y(...HEAD(), '  strategy: Rolling', '  versions:', '    - { name: v1, image: w:v1, weight: 70 }', '    - { name: v2, image: w:v2, weight: 30 }'));
    assert.deepEqual(s.versions.map((v) => v.weight), [70, 30]);
  });
  it('resources in engine units', () => {
    const s = only(y(...HEAD(), ...WEB, '  resources: { memory: 256Mi, cpus: 0.5, pids: 512 }'));
    assert.deepEqual(s.resources, { memoryBytes: 268435456, nanoCpus: 500000000, pids: 512 });
  });
  it('memory as a plain number of bytes', () => {
    assert.equal(only(y(...HEAD(), ...WEB, '  resources: { memory: 10000000 }')).resources.memoryBytes, 10_000_000);
  });
  it('secrets, dependsOn and labels as written', () => {
    const s = only(y(...HEAD(), ...WEB, '  secrets: [orders-db, smtp.prod]', '  labels: { team: payments, com.example/tier: "1" }'));
    assert.deepEqual([s.secrets, s.labels], [['orders-db', 'smtp.prod'], { team: 'payments', 'com.example/tier': '1' }]);
  });
  it('a hostPath equal to a root, and any under a root of /', () => {
    only(y(...HEAD(), ...WEB, '  volumes: [{ hostPath: /srv, mountPath: /x }]'));
    only(y(...HEAD(), ...WEB, '  volumes: [{ hostPath: /etc/ssl, mountPath: /x }]'), { hostPathRoots: ['/'] });
  });
});

describe('SPEC §8 dependsOn across files', () => {
  const svc = (name: string, deps: string[]): string => y(...HEAD(name), ...WEB, `  dependsOn: [${deps.join(', ')}]`);
  it('accepts a dependency declared in another file', () => {
    const result = load({ 'web.yaml': svc('web', ['db']), 'db.yaml': y(...HEAD('db'), ...WORKER) });
    assert.deepEqual(result.errors, []);
    assert.deepEqual(result.services.find((s) => s.name === 'web')!.dependsOn, ['db']);
  });
  it('accepts a dependency on a service whose file is broken (it keeps its last valid state)', () => {
    const result = load({ 'web.yaml': svc('web', ['db']), 'db.yaml': y(...HEAD('db'), '  versions: 3') });
    assert.deepEqual(result.failedFiles.map((f) => f.file), ['db.yaml']);
    assert.deepEqual(result.services.map((s) => s.name), ['web']);
  });
  it('rejects an unknown name at its place', () => {
    const result = load({ 'web.yaml': svc('web', ['db', 'cache']), 'db.yaml': y(...HEAD('db'), ...WORKER) });
    assert.deepEqual(result.errors.map((e) => [e.file, e.line, e.column, e.path]), [['web.yaml', 9, 19, 'spec.dependsOn[1]']]);
    assert.match(result.errors[0]!.message, /^no service named "cache" is declared in the manifests folder; add its manifest or remove it from dependsOn$/);
    assert.deepEqual(result.services.map((s) => s.name), ['db']);
  });
  it('rejects every edge of a cycle across files, naming the cycle', () => {
    const result = load({ 'a.yaml': svc('a', ['b']), 'b.yaml': svc('b', ['c']), 'c.yaml': svc('c', ['a']), 'd.yaml': svc('d', ['a']) });
    assert.deepEqual(result.errors.map((e) => `${e.file}:${e.line}:${e.column} ${e.path}`), ['a.yaml:9:15 spec.dependsOn[0]', 'b.yaml:9:15 spec.dependsOn[0]', 'c.yaml:9:15 spec.dependsOn[0]']);
    assert.match(result.errors[0]!.message, /^dependsOn makes a cycle \(a → b → c → a\), so none of these services could ever start: remove one of the dependencies$/);
    // d depends on the cycle but is not part of it: it loads.
    assert.deepEqual(result.services.map((s) => s.name), ['d']);
  });
  it('rejects a two-service cycle within one file', () => {
    const result = load({ 'ab.yaml': `${svc('a', ['b'])}---\n${svc('b', ['a'])}` });
    assert.deepEqual(result.errors.map((e) => `${e.line}:${e.column}`), ['9:15', '19:15']);
    assert.match(result.errors[1]!.message, /cycle \(b → a → b\)/);
  });
});
