// The spec hashes of today's manifests must never change: a container's `dsr.spec-hash` label is
// what tells DSR it may keep that container, so a DSR upgrade that changed the hash of a manifest
// it already runs would start a canary (or replace instances) for every service on the host.
// The expected values below were computed by the release before the ContainerTemplate refactor
// (commit 6cc0cdd, sha256 of JSON.stringify([image, sortedEnvPairs, command, port]), 12 hex) and
// are hard-coded on purpose: never update them to make this test pass.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadManifests } from '../../src/manifest/load.js';
import { containerTemplate } from '../../src/template/container-template.js';
import { specHash } from '../../src/template/spec-hash.js';

/** A manifest with one or more versions, in the YAML users write. */
function yaml(spec: string): string {
  return `apiVersion: dsr/v1\nkind: Service\nmetadata:\n  name: svc\nspec:\n${spec}`;
}

const CASES: Array<{ name: string; manifest: string; hashes: Record<string, string> }> = [
  {
    name: 'an image and a port only',
    manifest: yaml('  port: 80\n  versions:\n    - { name: v1, image: "nginx:1.25" }\n'),
    hashes: { v1: 'b0f87627913c' },
  },
  {
    name: 'the example service (port 8080, two replicas)',
    manifest: yaml('  port: 8080\n  versions:\n    - { name: v1, image: "dsr-example:v1", replicas: 2 }\n'),
    hashes: { v1: 'c5c47a96e4ff' },
  },
  {
    name: 'env written out of order',
    manifest: yaml('  port: 3000\n  versions:\n    - name: v2\n      image: registry.example.com/team/api:2.4.1\n      env: { ZED: "last", ALPHA: "first", MIDDLE: "" }\n'),
    hashes: { v2: '8b14446ebf64' },
  },
  {
    name: 'a command',
    manifest: yaml('  port: 8080\n  versions:\n    - name: v1\n      image: dsr-test-node:latest\n      command: ["node", "-e", "require(\'http\').createServer((q, s) => s.end(\'ok\')).listen(8080)"]\n'),
    hashes: { v1: '03e347d9153a' },
  },
  {
    name: 'env and a command together',
    manifest: yaml('  port: 5000\n  versions:\n    - name: stable\n      image: app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n      env: { GREETING: "héllo wörld", QUOTE: "say \\"hi\\"", WORKERS: "4" }\n      command: ["sh", "-c", "exec app --workers $WORKERS"]\n'),
    hashes: { stable: '40513020a68e' },
  },
  {
    name: 'a static split of two versions',
    manifest: yaml('  port: 80\n  versions:\n    - { name: blue, image: "my-app:1.4", replicas: 2, weight: 90 }\n    - { name: green, image: "my-app:1.5", replicas: 1, weight: 10, env: { FEATURE_X: "on" } }\n'),
    hashes: { blue: '0c2bb8f5a0b3', green: 'ebfac564c1d7' },
  },
  {
    name: 'replicas, health, rollout and gateway settings are not part of the hash',
    manifest: yaml('  port: 80\n  health: { path: /ready, interval: 2s }\n  stopGracePeriod: 30s\n  gateway: { sticky: true }\n  rollout:\n    steps: [{ setWeight: 50 }, { pause: {} }]\n  versions:\n    - { name: v1, image: "nginx:1.25", replicas: 7 }\n'),
    hashes: { v1: 'b0f87627913c' },
  },
];

describe('spec hashes of manifests that use no new field are those of the previous release', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const loaded = loadManifests([{ path: 'svc.yaml', content: Buffer.from(c.manifest) }]);
      assert.deepEqual(loaded.errors, []);
      const spec = loaded.services[0]!;
      const actual = Object.fromEntries(spec.versions.map((v) => [v.name, specHash(containerTemplate(spec, v))]));
      assert.deepEqual(actual, c.hashes);
    });
  }
});
