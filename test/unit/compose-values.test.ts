// The compose value parsers behind `dsr import-compose`, as tables of named cases.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { composeMount, containerPort, dockerBytes, dsrDuration, dsrMemory, dsrName, durationMsOf, splitCommand } from '../../src/compose/values.js';

const table = <I, O>(title: string, fn: (input: I) => O, cases: Array<[string, I, O]>): void => {
  describe(title, () => {
    for (const [name, input, want] of cases) it(name, () => assert.deepEqual(fn(input), want));
  });
};

table('dsrName', (n: string) => dsrName(n), [
  ['keeps a valid name', 'web', 'web'],
  ['lower-cases and turns _ and . into -', 'My_App.v2', 'my-app-v2'],
  ['collapses and trims dashes', '--a__b--', 'a-b'],
  ['prefixes a leading digit', '2fa', 's-2fa'],
  ['cuts at 40 without a trailing dash', `${'a'.repeat(39)}-b`, 'a'.repeat(39)],
  ['gives null when nothing is left', '___', null],
]);

table('splitCommand', splitCommand, [
  ['splits on spaces', 'redis-server --appendonly yes', ['redis-server', '--appendonly', 'yes']],
  ['keeps double-quoted words whole', 'sh -c "echo hello world"', ['sh', '-c', 'echo hello world']],
  ['keeps single quotes literal', "sh -c 'echo $HOME \"x\"'", ['sh', '-c', 'echo $HOME "x"']],
  ['nests single quotes in double quotes', `sh -c "echo 'a b'"`, ['sh', '-c', "echo 'a b'"]],
  ['escapes with a backslash', 'echo a\\ b', ['echo', 'a b']],
  ['keeps an empty quoted word', 'echo ""', ['echo', '']],
  ['squeezes repeated whitespace and newlines', '  a \n\t b  ', ['a', 'b']],
  ['an empty string is no words', '', []],
]);

table('durationMsOf', durationMsOf, [
  ['seconds', '10s', 10_000],
  ['minutes and seconds', '1m30s', 90_000],
  ['milliseconds', '500ms', 500],
  ['a fraction', '2.5s', 2_500],
  ['hours', '1h', 3_600_000],
  ['a bare number is seconds', '15', 15_000],
  ['a YAML number is seconds', 3, 3_000],
  ['not a duration', '10 seconds', null],
  ['negative', -1, null],
]);

table('dsrDuration', dsrDuration, [
  ['whole hours', 7_200_000, '2h'],
  ['whole minutes', 90_000 * 2, '3m'],
  ['seconds', 90_000, '90s'],
  ['milliseconds', 1_500, '1500ms'],
  ['zero', 0, '0s'],
]);

table('dockerBytes (binary, as Docker reads them)', dockerBytes, [
  ['m is MiB', '512m', 536_870_912],
  ['M is MiB too', '512M', 536_870_912],
  ['g is GiB', '1g', 1_073_741_824],
  ['a fraction', '1.5G', 1_610_612_736],
  ['kb', '1024kb', 1_048_576],
  ['bytes as a number', 10_000_000, 10_000_000],
  ['bytes with b', '100b', 100],
  ['not a size', 'lots', null],
]);

table('dsrMemory', dsrMemory, [
  ['exact GiB', 1_073_741_824, '1Gi'],
  ['exact MiB', 536_870_912, '512Mi'],
  ['exact KiB', 7_168_000, '7000Ki'],
  ['anything else in bytes', 10_000_001, 10_000_001],
]);

table('containerPort', containerPort, [
  ['host:container', '8080:80', { port: 80, protocol: 'tcp' }],
  ['container only', '80', { port: 80, protocol: 'tcp' }],
  ['ip:host:container/protocol', '127.0.0.1:9093:9093/tcp', { port: 9093, protocol: 'tcp' }],
  ['udp', '53:53/udp', { port: 53, protocol: 'udp' }],
  ['a range takes its first port', '8000-8001:8000-8001', { port: 8000, protocol: 'tcp' }],
  ['a YAML number', 3000, { port: 3000, protocol: 'tcp' }],
  ['the long syntax', { target: 80, published: 8080, protocol: 'tcp' }, { port: 80, protocol: 'tcp' }],
  ['an environment variable', '${PORT}:80x', null],
  ['out of range', '70000', null],
]);

table('composeMount', composeMount, [
  ['a named volume', 'pgdata:/var/lib/postgresql/data', { type: 'named', source: 'pgdata', target: '/var/lib/postgresql/data', readOnly: false }],
  ['a read-only named volume', 'cfg:/etc/x:ro', { type: 'named', source: 'cfg', target: '/etc/x', readOnly: true }],
  ['a relative bind', './conf:/etc/conf', { type: 'bind', source: './conf', target: '/etc/conf', readOnly: false }],
  ['an absolute bind with options', '/:/host:ro,rslave', { type: 'bind', source: '/', target: '/host', readOnly: true }],
  ['an anonymous volume', '/tmp/spool', { type: 'anonymous', target: '/tmp/spool' }],
  ['the long syntax, volume', { type: 'volume', source: 'data', target: '/data', read_only: true }, { type: 'named', source: 'data', target: '/data', readOnly: true }],
  ['the long syntax, bind', { type: 'bind', source: '/srv', target: '/srv' }, { type: 'bind', source: '/srv', target: '/srv', readOnly: false }],
  ['the long syntax, tmpfs', { type: 'tmpfs', target: '/run' }, { type: 'other', kind: 'tmpfs', target: '/run' }],
  ['not a volume', 42, null],
]);
