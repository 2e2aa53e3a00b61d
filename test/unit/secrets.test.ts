// Secret files (SPEC §8): the env-file format, the keyed digest that stands for a file's content
// in the template, and the folder that resolves names to digests or to problems that hold a service.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SecretFileError, parseEnvFile } from '../../src/secrets/env-file.js';
import { DIGEST_KEY_FILE, digestKey, secretDigest } from '../../src/secrets/digest.js';
import { SecretFolder, secretsDir } from '../../src/secrets/folder.js';
import { containerTemplate } from '../../src/template/container-template.js';
import { specHash } from '../../src/template/spec-hash.js';

describe('parseEnvFile', () => {
  const valid: Array<{ name: string; text: string; env: Record<string, string> }> = [
    { name: 'one KEY=value line', text: 'A=1\n', env: { A: '1' } },
    { name: 'blank lines and # comments are skipped', text: '# db\n\n  # indented\nA=1\n\n', env: { A: '1' } },
    { name: 'an optional export prefix', text: 'export A=1', env: { A: '1' } },
    { name: 'double quotes are removed, nothing inside interpreted', text: 'A="x $B \\n #y"', env: { A: 'x $B \\n #y' } },
    { name: 'single quotes are removed', text: "A='a b'", env: { A: 'a b' } },
    { name: 'a value may contain = and #', text: 'URL=postgres://u:p@h/db?a=b#x', env: { URL: 'postgres://u:p@h/db?a=b#x' } },
    { name: 'an empty value', text: 'A=', env: { A: '' } },
    { name: 'spaces around the name and value are trimmed', text: '  A = 1  ', env: { A: '1' } },
    { name: 'CRLF line ends and a BOM', text: '\uFEFFA=1\r\nB=2\r\n', env: { A: '1', B: '2' } },
    { name: 'a repeated key: the last wins', text: 'A=1\nA=2', env: { A: '2' } },
    { name: 'unmatched quotes inside are kept', text: 'A=it\'s', env: { A: "it's" } },
  ];
  for (const c of valid) it(c.name, () => assert.deepEqual(parseEnvFile(c.text, 'f.env'), c.env));

  const invalid: Array<{ name: string; text: string; error: RegExp }> = [
    { name: 'a line without =', text: 'A=1\nhunter2-password', error: /^f\.env:2: not a KEY=value line/ },
    { name: 'a name starting with a digit', text: '1A=hunter2-password', error: /^f\.env:1: the name before "=" is not a valid/ },
    { name: 'a name with a space', text: 'MY KEY=hunter2-password', error: /^f\.env:1: the name/ },
    { name: 'an empty name', text: '=hunter2-password', error: /^f\.env:1: the name/ },
    { name: 'an unclosed double quote', text: '\n\nA="hunter2-password', error: /^f\.env:3: the value opens a double quote/ },
    { name: 'an unclosed single quote', text: "A='hunter2-password", error: /^f\.env:1: the value opens a single quote/ },
    { name: 'a lone quote', text: 'A="', error: /^f\.env:1: the value opens a double quote/ },
  ];
  for (const c of invalid) {
    it(`rejects ${c.name}, naming file:line and never the value`, () => {
      assert.throws(() => parseEnvFile(c.text, 'f.env'), (error: Error) => {
        assert.ok(error instanceof SecretFileError);
        assert.match(error.message, c.error);
        assert.equal(error.message.includes('hunter2'), false, error.message);
        return true;
      });
    });
  }
});

describe('secretDigest', () => {
  const key = Buffer.alloc(32, 7);
  it('is stable for the same content and key', () => assert.equal(secretDigest(key, 'A=1\n'), secretDigest(key, Buffer.from('A=1\n'))));
  it('changes with the content', () => assert.notEqual(secretDigest(key, 'A=1\n'), secretDigest(key, 'A=2\n')));
  it('changes with the key (another installation)', () => assert.notEqual(secretDigest(key, 'A=1\n'), secretDigest(Buffer.alloc(32, 8), 'A=1\n')));
  it("is not the content's plain sha256 (a short value cannot be found by trying candidates)", () => {
    const plain = createHash('sha256').update('PIN=1234\n').digest('hex');
    assert.equal(plain.startsWith(secretDigest(key, 'PIN=1234\n')), false);
  });
});

describe('SecretFolder', () => {
  const withFolder = async (fn: (dir: string) => Promise<void>): Promise<void> => {
    const dir = await mkdtemp(join(tmpdir(), 'dsr-secrets-'));
    try {
      await fn(dir);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  };

  it('defaults to <data>/secrets, DSR_SECRETS overriding', () => {
    assert.equal(secretsDir({}, '/var/lib/dsr'), '/var/lib/dsr/secrets');
    assert.equal(secretsDir({ DSR_SECRETS: '/etc/dsr/secrets' }, '/var/lib/dsr'), '/etc/dsr/secrets');
  });

  it('creates the digest key once, 0600, and resolves a file to a digest that follows its content', () => withFolder(async (dir) => {
    const folder = new SecretFolder(dir);
    await writeFile(join(dir, 'db.env'), 'PASSWORD=one\n');
    const first = await folder.resolve(['db']);
    assert.ok(first.ok);
    assert.equal((await stat(join(dir, DIGEST_KEY_FILE))).mode & 0o777, 0o600);
    const key = await readFile(join(dir, DIGEST_KEY_FILE));
    assert.equal(key.length, 32);
    assert.deepEqual(await digestKey(dir), key);
    assert.deepEqual(await folder.resolve(['db']), first);
    await writeFile(join(dir, 'db.env'), 'PASSWORD=two\n');
    const second = await folder.resolve(['db']);
    assert.ok(second.ok);
    assert.notEqual(second.digests['db'], first.digests['db']);
  }));

  it('reports every missing or invalid file with the path to fix, never a value', () => withFolder(async (dir) => {
    await writeFile(join(dir, 'bad.env'), 'A=1\nhunter2-password\n');
    const r = await new SecretFolder(dir).resolve(['bad', 'gone']);
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.deepEqual(r.problems.map((p) => [p.kind, p.name, p.path]), [['secret.invalid', 'bad', join(dir, 'bad.env')], ['secret.missing', 'gone', join(dir, 'gone.env')]]);
    assert.match(r.problems[1]!.message, /create .*gone\.env/);
    assert.equal(JSON.stringify(r.problems).includes('hunter2'), false);
  }));

  // A folder where the file should be cannot be read by anyone, root included (CI runs as root,
  // which reads a 0o000 file): the same path through load() as a permission error.
  it('reports an unreadable file (a folder in its place: EISDIR)', () => withFolder(async (dir) => {
    await mkdir(join(dir, 'db.env'));
    const r = await new SecretFolder(dir).resolve(['db']);
    assert.equal(r.ok ? null : r.problems[0]!.kind, 'secret.unreadable');
    assert.match(r.ok ? '' : r.problems[0]!.message, /cannot be read \(EISDIR\): let DSR read .*db\.env/);
  }));

  it('reads the values of several files in list order, a later file winning a repeated key', () => withFolder(async (dir) => {
    await writeFile(join(dir, 'a.env'), 'X=from-a\nY=a\n');
    await writeFile(join(dir, 'b.env'), 'export X="from-b"\n');
    assert.deepEqual(await new SecretFolder(dir).read(['a', 'b']), { X: 'from-b', Y: 'a' });
  }));
});

describe('the template of a service with secrets', () => {
  const service = { port: 80, volumes: [], resources: { memoryBytes: null, nanoCpus: null, pids: null }, labels: {} };
  const version = { image: 'web:v1', env: {}, command: null };
  it('keeps the hash of a service without secrets', () =>
    assert.equal(specHash(containerTemplate({ ...service, secrets: [] }, version)), specHash(containerTemplate({ ...service, secrets: [], secretDigests: {} }, version))));
  it('carries names and digests, and a changed digest changes the hash', () => {
    const one = containerTemplate({ ...service, secrets: ['db'], secretDigests: { db: 'aaaa' } }, version);
    assert.deepEqual(one.secrets, [{ name: 'db', digest: 'aaaa' }]);
    assert.notEqual(specHash(one), specHash(containerTemplate({ ...service, secrets: ['db'], secretDigests: { db: 'bbbb' } }, version)));
  });
});
