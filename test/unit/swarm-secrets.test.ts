// Secrets on Swarm, the pure parts: secret names, the scripts that carry the variables (checked
// through a real POSIX shell too), the task's wrapper command and who may read the files.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ContainerSpec } from 'dockerode';
import { SWARM_SECRET_NAME_MAX, renderSecretScript, secretFileName, secretLabels, shellQuote, swarmSecretName } from '../../src/swarm/secrets.js';
import { MISSING_SHELL_HINT, execThroughEntry, imageArgv, secretFileAccess, sourcingCommand } from '../../src/swarm/secret-entry.js';
import type { ImageCommand, SecretFileAccess } from '../../src/swarm/secret-entry.js';
import { versionServiceSpec } from '../../src/swarm/service-spec.js';
import { tarFile } from '../../src/swarm/image-probe.js';
import { instanceSpec } from '../contract/runtime.contract.js';

const DIGEST = '0123456789abcdef';
const SWARM_NAME = /^[a-zA-Z0-9]+(?:[a-zA-Z0-9-_.]*[a-zA-Z0-9])?$/; // what Swarm accepts

describe('swarmSecretName', () => {
  const long40 = 'o'.repeat(40);
  const cases: Array<[string, [string, string, string, string], string]> = [
    ['owner, service, secret and 12 hex of the digest', ['default', 'api', 'db', DIGEST], 'dsr-default-api-db-0123456789ab'],
    ['a secret with dots and underscores keeps them', ['t3k9x2', 'web', 'tls.key_v2', DIGEST], 'dsr-t3k9x2-web-tls.key_v2-0123456789ab'],
    ['exactly 64 characters is kept whole', ['o'.repeat(21), 's'.repeat(10), 'x'.repeat(14), DIGEST], `dsr-${'o'.repeat(21)}-${'s'.repeat(10)}-${'x'.repeat(14)}-0123456789ab`],
  ];
  for (const [name, args, want] of cases) it(name, () => assert.equal(swarmSecretName(...args), want));

  it('shortens a long middle to 64 characters, keeping the digest at the end', () => {
    const name = swarmSecretName(long40, 's'.repeat(40), 'k'.repeat(64), DIGEST);
    assert.equal(name.length, SWARM_SECRET_NAME_MAX);
    assert.match(name, /^dsr-o{38}-[0-9a-f]{8}-0123456789ab$/);
    assert.match(name, SWARM_NAME);
  });

  it('gives two long names with the same first 38 characters different names', () => {
    const a = swarmSecretName(long40, 'service-a', 'k'.repeat(40), DIGEST);
    const b = swarmSecretName(long40, 'service-b', 'k'.repeat(40), DIGEST);
    assert.notEqual(a, b);
  });

  it('is deterministic and changes with the content digest', () => {
    assert.equal(swarmSecretName('default', 'api', 'db', DIGEST), swarmSecretName('default', 'api', 'db', DIGEST));
    assert.notEqual(swarmSecretName('default', 'api', 'db', DIGEST), swarmSecretName('default', 'api', 'db', 'fedcba9876543210'));
  });
});

describe('secretLabels and secretFileName', () => {
  it('labels a secret with DSR, its owner, service and secret file', () => {
    assert.deepEqual(secretLabels('t3', 'api', 'db'), { 'dsr.managed-by': 'dsr', 'dsr.owner': 't3', 'dsr.service': 'api', 'dsr.secret': 'db' });
  });
  it('mounts the secret db as dsr-db.sh', () => assert.equal(secretFileName('db'), 'dsr-db.sh'));
});

describe('renderSecretScript', () => {
  const HEADER = '# Written by DSR from a secret file (SPEC §8): sourced before the app starts.\n';
  const cases: Array<[string, Record<string, string>, string]> = [
    ['a plain value', { A: 'b' }, "export A='b'\n"],
    ['a single quote is closed, escaped and reopened', { A: "it's" }, "export A='it'\\''s'\n"],
    ['a dollar, backquote and backslash stay literal', { A: '$HOME `id` \\n' }, "export A='$HOME `id` \\n'\n"],
    ['an empty value', { A: '' }, "export A=''\n"],
    ['a newline stays inside the quotes', { A: 'one\ntwo' }, "export A='one\ntwo'\n"],
    ['unicode passes through', { A: 'päßwörd ✓' }, "export A='päßwörd ✓'\n"],
    ['several variables, in order', { B: '1', A: '2' }, "export B='1'\nexport A='2'\n"],
    ['no variables: the header only', {}, ''],
  ];
  for (const [name, vars, body] of cases) it(name, () => assert.equal(renderSecretScript(vars), HEADER + body));

  it('leaves out the variables it is told to skip', () => {
    assert.equal(renderSecretScript({ DSR_GATEWAY_URL: 'x', A: 'b' }, ['DSR_GATEWAY_URL']), `${HEADER}export A='b'\n`);
  });

  it('refuses a key that is not a variable name (it would be shell code)', () => {
    assert.throws(() => renderSecretScript({ 'A;rm -rf /': 'x' }), /not an environment variable name/);
  });

  it('gives a real shell back exactly the values (dash or busybox sh, whichever /bin/sh is)', () => {
    const values = { QUOTE: "it's", DOLLAR: '$HOME and ${PATH}', BACKSLASH: 'a\\b\\\\c', BACKQUOTE: '`id`', EMPTY: '', NEWLINE: 'one\ntwo', UNICODE: 'päßwörd ✓', GLOB: '* ?', SPACES: '  both ends  ' };
    const dir = mkdtempSync(join(tmpdir(), 'dsr-secret-script-'));
    try {
      const file = join(dir, 'dsr-x.sh');
      writeFileSync(file, renderSecretScript(values));
      const out = execFileSync('/bin/sh', ['-c', '. "$1" && exec "$2" -e "process.stdout.write(JSON.stringify(process.env))"', 'sh', file, process.execPath], { encoding: 'utf8', env: { PATH: '/usr/bin:/bin', HOME: '/root' } });
      const env = JSON.parse(out) as Record<string, string>;
      for (const [key, want] of Object.entries(values)) assert.equal(env[key], want, key);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('shellQuote', () => {
  const cases: Array<[string, string, string]> = [
    ['a word', 'abc', "'abc'"],
    ['two quotes', "a'b'c", "'a'\\''b'\\''c'"],
    ['nothing', '', "''"],
  ];
  for (const [name, value, want] of cases) it(name, () => assert.equal(shellQuote(value), want));
});

describe('sourcingCommand', () => {
  it('sources every secret in order, then execs the arguments', () => {
    assert.deepEqual(sourcingCommand(['db', 'api-key']), ['/bin/sh', '-c', ". '/run/secrets/dsr-db.sh' && . '/run/secrets/dsr-api-key.sh' && exec \"$@\"", 'dsr-secrets']);
  });

  it('runs the program with its arguments untouched, a later secret winning a repeated variable', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dsr-secret-entry-'));
    try {
      // The command as the task runs it, with the secrets folder moved to the test's folder.
      writeFileSync(join(dir, 'dsr-a.sh'), renderSecretScript({ X: 'from a', Y: 'only a' }));
      writeFileSync(join(dir, 'dsr-b.sh'), renderSecretScript({ X: 'from b' }));
      const [shell = '', flag = '', script = '', name = ''] = sourcingCommand(['a', 'b']);
      const argv = [process.execPath, '-e', 'process.stdout.write(JSON.stringify([process.env.X, process.env.Y, process.argv.slice(1)]))', 'an arg', "it's"];
      const out = execFileSync(shell, [flag, script.replaceAll('/run/secrets', dir), name, ...argv], { encoding: 'utf8', env: {} });
      assert.deepEqual(JSON.parse(out), ['from b', 'only a', ['an arg', "it's"]]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('execThroughEntry', () => {
  const wrapper = sourcingCommand(['db']);
  const cases: Array<[string, string[] | null | undefined, string[]]> = [
    ["a task started through DSR's wrapper: the check runs through it too", wrapper, [...wrapper, 'pg_isready', '-q']],
    ['a task without secrets: the check as it is', undefined, ['pg_isready', '-q']],
    ["a service command that only looks alike is not DSR's", ['/bin/sh', '-c', 'x', 'other'], ['pg_isready', '-q']],
  ];
  for (const [name, serviceCommand, want] of cases) it(name, () => assert.deepEqual(execThroughEntry(serviceCommand, ['pg_isready', '-q']), want));
});

describe('imageArgv', () => {
  const cases: Array<[string, ImageCommand, string[] | null, string[]]> = [
    ["the image's Cmd without an Entrypoint", { Entrypoint: null, Cmd: ['/bin/httpd', '-f'] }, null, ['/bin/httpd', '-f']],
    ['Entrypoint then Cmd', { Entrypoint: ['node'], Cmd: ['server.js'] }, null, ['node', 'server.js']],
    ["the manifest's command replaces Cmd, after the Entrypoint", { Entrypoint: ['node'], Cmd: ['server.js'] }, ['worker.js'], ['node', 'worker.js']],
    ["the manifest's command alone", { Cmd: ['x'] }, ['sleep', '60'], ['sleep', '60']],
    ['an Entrypoint alone', { Entrypoint: ['/app'], Cmd: null }, null, ['/app']],
    ['a shell-form string (older engines)', { Cmd: 'echo hi' }, null, ['/bin/sh', '-c', 'echo hi']],
  ];
  for (const [name, config, command, want] of cases) it(name, () => assert.deepEqual(imageArgv('img', config, command), want));

  it('refuses an image with nothing to run, saying to set a command', () => {
    assert.throws(() => imageArgv('img:1', { Entrypoint: null, Cmd: null }, null), /img:1 has no Entrypoint or Cmd .*set spec command/);
  });
});

describe('secretFileAccess', () => {
  const root: SecretFileAccess = { UID: '0', GID: '0', Mode: 0o400 };
  const passwd = 'root:x:0:0:root:/root:/bin/sh\nnode:x:1000:1000::/home/node:/bin/sh\nbroken:x:abc:1::/:/bin/sh\n';
  const cases: Array<[string, string | null | undefined, string | null, SecretFileAccess]> = [
    ['no user: root, 0400', '', null, root],
    ['unset: root, 0400', undefined, null, root],
    ['root by name', 'root', null, root],
    ['root by number', '0', null, root],
    ['a numeric user owns it, 0400', '1000', null, { UID: '1000', GID: '0', Mode: 0o400 }],
    ['numeric user and group', '1000:1001', null, { UID: '1000', GID: '1001', Mode: 0o400 }],
    ['numeric user, named group', '1000:staff', null, { UID: '1000', GID: '0', Mode: 0o400 }],
    ["a named user the image's passwd knows: its uid and group, 0400", 'node', passwd, { UID: '1000', GID: '1000', Mode: 0o400 }],
    ['a known named user with a numeric group: that group', 'node:50', passwd, { UID: '1000', GID: '50', Mode: 0o400 }],
    ['an unknown named user with a numeric group: that group may read', 'app:1000', passwd, { UID: '0', GID: '1000', Mode: 0o440 }],
    ['an unknown named user: everyone in the container may read', 'app', passwd, { UID: '0', GID: '0', Mode: 0o444 }],
    ['a named user without a passwd in the image: everyone may read', 'node', null, { UID: '0', GID: '0', Mode: 0o444 }],
    ['a passwd line with a non-numeric uid is no answer', 'broken', passwd, { UID: '0', GID: '0', Mode: 0o444 }],
  ];
  for (const [name, user, file, want] of cases) it(name, () => assert.deepEqual(secretFileAccess(user, file), want));
});

describe('tarFile', () => {
  /** A one-entry ustar archive, as the Engine's GET /containers/<id>/archive returns. */
  const tar = (content: string, type = '0'): Buffer => {
    const header = Buffer.alloc(512);
    header.write('passwd', 0, 'latin1');
    header.write(`${Buffer.byteLength(content).toString(8).padStart(11, '0')}\0`, 124, 'latin1');
    header.write(type, 156, 'latin1');
    const body = Buffer.alloc(Math.ceil(Buffer.byteLength(content) / 512) * 512);
    body.write(content, 0, 'utf8');
    return Buffer.concat([header, body, Buffer.alloc(1024)]);
  };
  const cases: Array<[string, Buffer, string | null]> = [
    ['the content of a regular file', tar('root:x:0:0::/:/bin/sh\n'), 'root:x:0:0::/:/bin/sh\n'],
    ['an empty file', tar(''), ''],
    ['a symbolic link is no file', tar('', '2'), null],
    ['less than a header', Buffer.alloc(100), null],
  ];
  for (const [name, archive, want] of cases) it(name, () => assert.equal(tarFile(archive), want));
});

describe('MISSING_SHELL_HINT', () => {
  it('says to use an image with a shell or the Docker runtime', () => assert.match(MISSING_SHELL_HINT, /image with a shell.*Docker runtime/));
});

describe('versionServiceSpec with secrets', () => {
  const spec = instanceSpec('web:v1', { service: 'web', command: ['serve'], env: { PLAIN: 'x' }, secrets: [{ name: 'db', digest: DIGEST }] });
  const refs = [{ File: { Name: 'dsr-db.sh', UID: '0', GID: '0', Mode: 0o400 }, SecretID: 'sec1', SecretName: 'dsr-default-web-db-0123456789ab' }];
  const placement = { name: 'dsr-web-v1', network: 'dsr', replicas: 1 };
  const containerOf = (service: ReturnType<typeof versionServiceSpec>): ContainerSpec | undefined => (service.TaskTemplate && 'ContainerSpec' in service.TaskTemplate ? service.TaskTemplate.ContainerSpec : undefined);

  it("starts the task through the wrapper, with the app's argv as Args and the secrets' references", () => {
    const container = containerOf(versionServiceSpec('default', spec, { ...placement, secrets: { Command: sourcingCommand(['db']), Args: ['/entry', 'serve'], Secrets: refs } }));
    assert.deepEqual([container?.Command, container?.Args, container?.Secrets, container?.Env], [sourcingCommand(['db']), ['/entry', 'serve'], refs, ['PLAIN=x']]);
  });

  it("without secrets, keeps the image's entrypoint and the manifest's command as Args", () => {
    const container = containerOf(versionServiceSpec('default', spec, placement));
    assert.deepEqual([container?.Command, container?.Args, container?.Secrets], [undefined, ['serve'], undefined]);
  });
});
