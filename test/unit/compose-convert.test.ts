// `dsr import-compose`'s converter: named cases of compose services and the manifests and notes
// they give; bad input; and every fixture under test/fixtures/compose/ written out and validated.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ComposeInputError, parseComposeFile } from '../../src/compose/compose-file.js';
import { convertCompose } from '../../src/compose/convert.js';
import { importComposeCommand } from '../../src/cli/import-compose.js';
import { validateCommand } from '../../src/cli/validate.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/compose/', import.meta.url));

function convert(yaml: string, files: Record<string, string> = {}) {
  return convertCompose(parseComposeFile(yaml), { composeDir: '/stack', readFile: (p) => files[p] ?? null });
}
const spec = (yaml: string, files?: Record<string, string>): Record<string, unknown> => convert(yaml, files).services[0]!.manifest['spec'] as Record<string, unknown>;
const version = (yaml: string): Record<string, unknown> => (spec(yaml)['versions'] as Array<Record<string, unknown>>)[0]!;

describe('import-compose converter: what each compose field becomes', () => {
  it('image and tag: the tag names the version', () => assert.deepEqual(version('services: { db: { image: "postgres:16" } }'), { name: '16', image: 'postgres:16' }));
  it('image without a tag (or latest): version v1', () => assert.deepEqual(version('services: { r: { image: redis } }'), { name: 'v1', image: 'redis' }));
  it('build without image: <name>:latest and a note', () => {
    const c = convert('services: { app: { build: . } }');
    assert.equal((c.services[0]!.manifest['spec'] as { versions: Array<{ image: string }> }).versions[0]!.image, 'app:latest');
    assert.match(c.notCarried.join('\n'), /^app\.image: missing; the manifest says app:latest/m);
    assert.match(c.notCarried.join('\n'), /^app\.build: DSR runs images and builds none/m);
  });
  it('command as a string is split like a shell', () => assert.deepEqual(version('services: { a: { image: x, command: "sh -c \'echo a b\'" } }')['command'], ['sh', '-c', 'echo a b']));
  it('command as a list, numbers as strings', () => assert.deepEqual(version('services: { a: { image: x, command: [sleep, 5] } }')['command'], ['sleep', '5']));
  it('entrypoint is not carried, with what to do', () => assert.match(convert('services: { a: { image: x, entrypoint: /cron.sh } }').notCarried[0]!, /^a\.entrypoint: DSR has no entrypoint field and keeps the image's ENTRYPOINT/));
  it('environment as a list and as a map, values as strings, $$ unescaped', () => {
    assert.deepEqual(version('services: { a: { image: x, environment: [A=1, "B=x=y", C=$$5] } }')['env'], { A: '1', B: 'x=y', C: '$5' });
    assert.deepEqual(version('services: { a: { image: x, environment: { A: 1, B: true, C: "" } } }')['env'], { A: '1', B: 'true', C: '' });
  });
  it('environment taken from the shell, or interpolated, is noted', () => {
    const c = convert('services: { a: { image: x, environment: [FROM_SHELL, "URL=${HOST}:80"], } }');
    assert.deepEqual(c.notCarried, ['a.environment.FROM_SHELL: takes its value from the shell running compose; set it in the manifest or a secret', 'a.environment.URL: compose interpolates variables in it and DSR does not; check the value']);
  });
  it('env_file becomes a secret file named after the service', () => {
    const c = convert('services: { api: { image: x, env_file: [a.env, { path: b.env, required: false }] } }', { '/stack/a.env': '# c\nA="1"\nexport B=two\n\n', '/stack/b.env': "C='3'\n" });
    assert.deepEqual(c.services[0]!.secret, { name: 'api', content: 'A=1\nB=two\nC=3\n' });
    assert.deepEqual((c.services[0]!.manifest['spec'] as Record<string, unknown>)['secrets'], ['api']);
  });
  it('a missing env_file is noted, and no secret is declared', () => {
    const c = convert('services: { api: { image: x, env_file: gone.env } }');
    assert.equal(c.services[0]!.secret, null);
    assert.deepEqual(c.notCarried, ["api.env_file[0]: gone.env could not be read (missing, not a regular file in the compose file's folder, or over 1 MiB); create the secret file by hand"]);
  });
  // A compose file from elsewhere must not copy the operator's other files into a secret its image receives.
  const outside: Array<[string, string]> = [
    ['a parent folder', '../other/.env'],
    ['an absolute path', '/proc/self/environ'],
    ['a folder that only starts like it', '/stack2/.env'],
    ['the folder itself', '.'],
  ];
  for (const [name, path] of outside) {
    it(`an env_file outside the compose file's folder is not read: ${name}`, () => {
      const read: string[] = [];
      const c = convertCompose(parseComposeFile(`services: { api: { image: x, env_file: ${JSON.stringify(path)} } }`), { composeDir: '/stack', readFile: (p) => (read.push(p), 'LEAK=1\n') });
      assert.deepEqual(read, []);
      assert.equal(c.services[0]!.secret, null);
      assert.deepEqual(c.notCarried, [`api.env_file[0]: ${path} is outside the compose file's folder and was not read; copy the variables the service needs into its secret file by hand`]);
    });
  }
  it('named, bind and anonymous volumes; a read-write one makes the strategy Recreate', () => {
    const c = convert('services: { db: { image: x, volumes: [pg_data:/data, ./conf:/etc/c:ro, /tmp/x] } }');
    const s = c.services[0]!.manifest['spec'] as Record<string, unknown>;
    assert.equal(s['strategy'], 'Recreate');
    assert.deepEqual(s['volumes'], [{ name: 'pg-data', mountPath: '/data' }, { hostPath: '/stack/conf', mountPath: '/etc/c', readOnly: true }]);
    assert.match(c.notCarried.join('\n'), /db\.volumes\[2\]: anonymous volume at \/tmp\/x/);
  });
  it('read-only volumes only: the default strategy', () => assert.equal(spec('services: { a: { image: x, volumes: ["d:/d:ro"] } }')['strategy'], undefined));
  it('replicas sharing a read-write named volume: shared, noted', () => {
    const c = convert('services: { a: { image: x, deploy: { replicas: 3 }, volumes: [d:/d] } }');
    assert.deepEqual((c.services[0]!.manifest['spec'] as Record<string, unknown>)['volumes'], [{ name: 'd', mountPath: '/d', shared: true }]);
    assert.equal(version('services: { a: { image: x, deploy: { replicas: 3 } } }')['replicas'], 3);
  });
  it('healthcheck CMD → exec, with its timings', () => {
    assert.deepEqual(spec('services: { a: { image: x, healthcheck: { test: [CMD, redis-cli, ping], interval: 1m30s, timeout: 2s, retries: 4, start_period: 0s } } }')['health'],
      { exec: ['redis-cli', 'ping'], interval: '90s', timeout: '2s', startPeriod: '0s', failureThreshold: 4 });
  });
  it('healthcheck CMD-SHELL and a string → sh -c', () => {
    assert.deepEqual(spec('services: { a: { image: x, healthcheck: { test: [CMD-SHELL, "pg_isready -U x"] } } }')['health'], { exec: ['sh', '-c', 'pg_isready -U x'] });
    assert.deepEqual(spec('services: { a: { image: x, healthcheck: { test: "curl -f localhost || exit 1" } } }')['health'], { exec: ['sh', '-c', 'curl -f localhost || exit 1'] });
  });
  it('a plain connect check to the service port → tcp', () => {
    assert.deepEqual(spec('services: { q: { image: x, ports: ["5672:5672"], healthcheck: { test: "nc -z localhost 5672" } } }')['health'], { tcp: true });
    // Another port, or no port at all, stays a command.
    assert.deepEqual(spec('services: { q: { image: x, healthcheck: { test: "nc -z localhost 5672" } } }')['health'], { exec: ['sh', '-c', 'nc -z localhost 5672'] });
  });
  it('no healthcheck with a port: a TCP check rather than GET /health', () => assert.deepEqual(spec('services: { a: { image: x, ports: ["80"] } }')['health'], { tcp: true }));
  it('healthcheck disabled: noted, default check', () => assert.match(convert('services: { a: { image: x, healthcheck: { disable: true } } }').notCarried[0]!, /^a\.healthcheck\.disable/));
  it('ports: the first TCP container port; others noted', () => {
    const c = convert('services: { a: { image: x, ports: ["53:53/udp", "8080:80", "9000:9000"] } }');
    assert.equal((c.services[0]!.manifest['spec'] as Record<string, unknown>)['port'], 80);
    assert.deepEqual(c.notCarried, ["a.ports[0]: udp is not routed; DSR's gateway carries HTTP over TCP", "a.ports[2]: a service has one port in DSR (80, the first); 9000 is reachable by name on DSR's network only"]);
  });
  it('depends_on as a list and as a map with conditions, following renames', () => {
    assert.deepEqual(spec('services: { a: { image: x, depends_on: [my_db] }, my_db: { image: y } }')['dependsOn'], ['my-db']);
    const c = convert('services: { a: { image: x, depends_on: { b: { condition: service_completed_successfully } } }, b: { image: y } }');
    assert.match(c.notCarried.join('\n'), /a\.depends_on\.b: condition service_completed_successfully/);
  });
  it('mem_limit, cpus, pids_limit and deploy limits', () => {
    assert.deepEqual(spec('services: { a: { image: x, mem_limit: 512m, cpus: 0.5, pids_limit: 100 } }')['resources'], { memory: '512Mi', cpus: 0.5, pids: 100 });
    assert.deepEqual(spec('services: { a: { image: x, deploy: { resources: { limits: { memory: 1G, cpus: "2", pids: 64 } } } } }')['resources'], { memory: '1Gi', cpus: 2, pids: 64 });
  });
  it('a memory limit below 6 MiB is noted, not written', () => {
    const c = convert('services: { a: { image: x, mem_limit: 4m } }');
    assert.equal((c.services[0]!.manifest['spec'] as Record<string, unknown>)['resources'], undefined);
    assert.match(c.notCarried[0]!, /^a\.mem_limit: "4m" is not a memory limit of at least 6 MiB$/);
  });
  it('labels as a list and a map; dsr. keys noted', () => {
    const c = convert('services: { a: { image: x, labels: ["team=web", "dsr.owner=x"] } }');
    assert.deepEqual((c.services[0]!.manifest['spec'] as Record<string, unknown>)['labels'], { team: 'web' });
    assert.deepEqual(c.notCarried, ["a.labels.dsr.owner: the dsr. prefix is reserved for DSR's own labels"]);
  });
  it('stop_grace_period', () => assert.equal(spec('services: { a: { image: x, stop_grace_period: 1m30s } }')['stopGracePeriod'], '90s'));
  it('service names made DSR-safe, unique after renaming', () => {
    const c = convert('services: { Web_App: { image: x }, web-app: { image: y } }');
    assert.deepEqual(c.services.map((s) => s.name), ['web-app', 'web-app-2']);
  });
  it('fields without an equivalent are listed with the reason', () => {
    assert.deepEqual(convert('services: { a: { image: x, privileged: true, restart: always, x-note: 1 } }').notCarried, ['a.privileged: privileged mode is not allowed', 'a.restart: DSR replaces failed instances itself, with back-off']);
  });
});

describe('import-compose: bad input is a clear error', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['not YAML', 'services: [unclosed', /^not valid YAML: /],
    ['not a mapping', '- a\n- b\n', /^not a compose file: the top level must be a mapping with a "services:" key$/],
    ['no services', 'volumes: { a: {} }\n', /^no services: a compose file needs a "services:" mapping with at least one service$/],
    ['empty services', 'services: {}\n', /^no services/],
    ['an unknown top-level key', 'services: { a: { image: x } }\nservice: {}\n', /^unknown top-level key "service": a compose file has services, volumes/],
    ['a service that is not a mapping', 'services: { a: nginx }\n', /^service "a" is not a mapping$/],
  ];
  for (const [name, text, message] of cases) {
    it(name, () => assert.throws(() => parseComposeFile(text), (e: unknown) => e instanceof ComposeInputError && message.test(e.message)));
  }
});

describe('import-compose on the real-world-shaped fixtures: written manifests validate with 0 errors', () => {
  let base: string;
  before(async () => {
    base = await mkdtemp(join(tmpdir(), 'dsr-import-'));
  });
  after(async () => {
    await rm(base, { recursive: true, force: true });
  });
  const quiet = (lines: string[]) => ({ stdout: (s: string) => lines.push(s), stderr: (s: string) => lines.push(`ERR ${s}`) });

  it('has at least 5 compose fixtures', async () => {
    assert.ok((await readdir(FIXTURES)).filter((f) => f.endsWith('.compose.yml')).length >= 5);
  });

  for (const fixture of ['shop-stack', 'gitea', 'nextcloud', 'monitoring', 'mail-queue']) {
    it(fixture, async () => {
      const out = join(base, fixture);
      // Bind mounts become hostPath volumes, valid only under DSR_HOST_PATHS (here: the whole host).
      const env = { DSR_HOST_PATHS: '/' };
      const lines: string[] = [];
      const code = await importComposeCommand(join(FIXTURES, `${fixture}.compose.yml`), { out }, quiet(lines), env);
      assert.equal(code, 0, lines.join('\n'));
      assert.deepEqual(lines.filter((l) => l.startsWith('ERR')), []);
      const validated: string[] = [];
      assert.equal(await validateCommand(out, { json: false }, quiet(validated), env), 0, validated.join('\n'));
      const compose = parseComposeFile(await readFile(join(FIXTURES, `${fixture}.compose.yml`), 'utf8'));
      assert.match(validated[0]!, new RegExp(`^${compose.services.size} services? valid`));
    });
  }

  it('writes secret files readable by their owner only, in a folder git ignores', async () => {
    const out = join(base, 'secrets-check');
    assert.equal(await importComposeCommand(join(FIXTURES, 'shop-stack.compose.yml'), { out }, quiet([]), { DSR_HOST_PATHS: '/' }), 0);
    assert.equal((await stat(join(out, 'secrets', 'db.env'))).mode & 0o777, 0o600);
    assert.equal(await readFile(join(out, 'secrets', 'db.env'), 'utf8'), 'POSTGRES_PASSWORD=test-password\n');
    assert.equal(await readFile(join(out, 'secrets', '.gitignore'), 'utf8'), '*\n');
  });

  it('reads no env_file that leads out of the compose folder by a link, is not a regular file or is over 1 MiB', async () => {
    const dir = join(base, 'hostile-env');
    await mkdir(join(dir, 'app'), { recursive: true });
    await writeFile(join(dir, 'outside.env'), 'STOLEN=operator-secret\n');
    await symlink(join(dir, 'outside.env'), join(dir, 'app', 'link.env'));
    await symlink('/proc/self/environ', join(dir, 'app', 'environ.env'));
    await symlink('/dev/zero', join(dir, 'app', 'zero.env'));
    await writeFile(join(dir, 'app', 'big.env'), `BIG=${'x'.repeat(1024 * 1024)}\n`);
    await writeFile(join(dir, 'app', 'ok.env'), 'OK=1\n');
    await writeFile(join(dir, 'app', 'compose.yml'), 'services: { api: { image: x, env_file: [link.env, environ.env, zero.env, big.env, ok.env] } }\n');
    const lines: string[] = [];
    assert.equal(await importComposeCommand(join(dir, 'app', 'compose.yml'), { out: join(dir, 'out') }, quiet(lines), {}), 0, lines.join('\n'));
    assert.equal(await readFile(join(dir, 'out', 'secrets', 'api.env'), 'utf8'), 'OK=1\n');
    assert.equal(lines.filter((l) => /env_file\[[0-3]\]: .* could not be read/.test(l)).length, 4, lines.join('\n'));
  });

  it('exits 1 when what it wrote does not validate (bind mounts without DSR_HOST_PATHS), saying what to set', async () => {
    const lines: string[] = [];
    assert.equal(await importComposeCommand(join(FIXTURES, 'gitea.compose.yml'), { out: join(base, 'no-roots') }, quiet(lines), {}), 1);
    assert.ok(lines.some((l) => /^ERR bind mounts became hostPath volumes: set DSR_HOST_PATHS/.test(l)), lines.join('\n'));
  });

  it('exits 2 and writes nothing when a manifest is already there', async () => {
    const out = join(base, 'twice');
    assert.equal(await importComposeCommand(join(FIXTURES, 'nextcloud.compose.yml'), { out }, quiet([]), {}), 0);
    const lines: string[] = [];
    assert.equal(await importComposeCommand(join(FIXTURES, 'nextcloud.compose.yml'), { out }, quiet(lines), {}), 2);
    assert.match(lines[0]!, /db\.yaml, .*already exist: remove, or choose another --out folder$/);
  });
});
