// manifests/example.yaml teaches the format, and the README's walkthrough edits it with `sed`:
// after each edit the file must still be valid and teach nothing wrong (issue 10: the sed once
// rewrote the commented static-split example into two versions named v2).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadManifests } from '../../src/manifest/load.js';

const root = new URL('../../', import.meta.url);
const readme = readFileSync(new URL('README.md', root), 'utf8');
const original = readFileSync(new URL('manifests/example.yaml', root), 'utf8');

/** The README's edits of the example, in order: `sed -i '<script>' manifests/example.yaml`. */
const edits = [...readme.matchAll(/^sed -i '([^']+)' manifests\/example\.yaml$/gm)].map((m) => m[1]!);

/** Runs GNU sed's script on `text`, as the README does on the file. */
function sed(script: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'dsr-example-sed-'));
  try {
    const file = join(dir, 'example.yaml');
    writeFileSync(file, text);
    execFileSync('sed', ['-i', script, file]);
    return readFileSync(file, 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function changedLines(before: string, after: string): Array<[string, string]> {
  const a = before.split('\n');
  const b = after.split('\n');
  assert.equal(a.length, b.length, 'a sed edit keeps the line count');
  return a.flatMap((line, i): Array<[string, string]> => (line === b[i] ? [] : [[line, b[i]!]]));
}

describe("the example manifest through the README's walkthrough", () => {
  it('the README edits it twice: v1 to v2, then v2 to v3-broken', () => {
    assert.equal(edits.length, 2, `sed edits found in README.md: ${JSON.stringify(edits)}`);
  });

  const expected = [
    { name: 'v2', image: 'dsr-example:v2' },
    { name: 'v3', image: 'dsr-example:v3-broken' },
  ];
  let text = original;
  edits.forEach((script, i) => {
    const before = text;
    const after = sed(script, before);
    text = after;
    it(`edit ${i + 1} changes only the version's name and image, no comment, and stays valid`, () => {
      const changed = changedLines(before, after);
      assert.equal(changed.length, 2, `changed lines: ${JSON.stringify(changed)}`);
      for (const [, line] of changed) assert.doesNotMatch(line, /^\s*#/, 'a comment was rewritten');
      const result = loadManifests([{ path: 'example.yaml', content: Buffer.from(after) }]);
      assert.deepEqual(result.errors, []);
      const versions = result.services[0]!.versions.map((v) => ({ name: v.name, image: v.image }));
      assert.deepEqual(versions, [expected[i]]);
    });
  });

  it('names no version twice, even in its comments', () => {
    for (const version of ['v1', 'v2', 'v3']) {
      const mentions = text.split('\n').filter((line) => new RegExp(`name: ${version}\\b`).test(line));
      assert.ok(mentions.length <= 1, `"name: ${version}" appears ${mentions.length} times after the walkthrough`);
    }
  });
});
