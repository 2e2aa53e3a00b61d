import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { debounce } from '../../src/source/debounce.js';
import { isManifestPath } from '../../src/source/git.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('debounce', () => {
  it('calls once after a burst', async () => {
    let calls = 0;
    const d = debounce(() => calls++, 30, 1000);
    for (let i = 0; i < 20; i++) d.poke();
    await sleep(80);
    assert.equal(calls, 1);
  });
  it('calls no later than maxWait during an endless trickle', async () => {
    let calls = 0;
    const d = debounce(() => calls++, 40, 100);
    const end = Date.now() + 170;
    while (Date.now() < end) {
      d.poke();
      await sleep(10);
    }
    assert.ok(calls >= 1, `calls: ${calls}`);
    d.cancel();
  });
  it('cancel drops a pending call', async () => {
    let calls = 0;
    const d = debounce(() => calls++, 20, 100);
    d.poke();
    d.cancel();
    await sleep(50);
    assert.equal(calls, 0);
  });
});

describe('isManifestPath (git mode uses the folder reader\'s rules)', () => {
  const cases: Array<[string, boolean]> = [
    ['web.yaml', true], ['nested/api.yml', true], ['.hidden.yaml', false], ['.drafts/web.yaml', false],
    ['node_modules/x/web.yaml', false], ['notes.txt', false], ['web.yaml.bak', false],
  ];
  for (const [path, want] of cases) it(`${path} -> ${want}`, () => assert.equal(isManifestPath(path), want));
});
