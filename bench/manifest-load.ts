// How long reading and loading a large manifests folder takes: `count` files, one service each,
// through the same readManifestFolder + loadManifests path as `dsr run` and `dsr validate`.
// Run: npx tsx bench/manifest-load.ts [count]
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadManifests } from '../src/manifest/load.js';
import { readManifestFolder } from '../src/source/read-folder.js';

function manifest(i: number): string {
  return `apiVersion: dsr/v1
kind: Service
metadata:
  name: svc-${i}
spec:
  port: 8080
  health: { path: /health, interval: 5s }
  versions:
    - name: v1
      image: dsr-example:v1
      replicas: 2
      env: { INDEX: "${i}" }
  rollout:
    steps: [ { setWeight: 20 }, { pause: 10s }, { setWeight: 100 } ]
`;
}

/** Writes `count` manifests (in 10 sub-folders) to a temp dir and times reading + loading them. */
export async function benchManifestLoad(count = 1000): Promise<{ files: number; ms: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'dsr-bench-manifests-'));
  try {
    for (let g = 0; g < 10; g++) await mkdir(join(dir, `team-${g}`));
    await Promise.all(Array.from({ length: count }, (_, i) => writeFile(join(dir, `team-${i % 10}`, `svc-${i}.yaml`), manifest(i))));
    const start = performance.now();
    const result = loadManifests(await readManifestFolder(dir));
    const ms = performance.now() - start;
    if (result.errors.length > 0 || result.services.length !== count) {
      throw new Error(`bench manifests did not load cleanly: ${result.errors.length} errors, ${result.services.length}/${count} services`);
    }
    return { files: result.fileCount, ms: Math.round(ms) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { files, ms } = await benchManifestLoad(Number(process.argv[2] ?? 1000));
  console.log(`loaded ${files} manifests in ${ms} ms`);
}
