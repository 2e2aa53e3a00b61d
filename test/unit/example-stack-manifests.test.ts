// The README's real stack (examples/stack/manifests) must stay valid as the schema moves:
// `dsr validate` over it, in-process (the Docker run is test/e2e/example-stack.test.ts).
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { validateCommand } from '../../src/cli/validate.js';

const manifests = fileURLToPath(new URL('../../examples/stack/manifests', import.meta.url));

it('dsr validate accepts examples/stack/manifests: store, api and worker', async () => {
  const lines: string[] = [];
  const code = await validateCommand(manifests, { json: true }, { stdout: (s) => lines.push(s), stderr: (s) => lines.push(s) }, {});
  assert.equal(code, 0, lines.join('\n'));
  const report = JSON.parse(lines.join('')) as { ok: boolean; services: string[] };
  assert.equal(report.ok, true);
  assert.deepEqual([...report.services].sort(), ['api', 'store', 'worker']);
});
