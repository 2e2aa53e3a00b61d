// Every kind of bad manifest named in SPEC §1 "Bad input": each case asserts the exact place
// (file:line:column and field path) of every error, a message a person can act on, and that no
// service of a failed file reaches the desired state.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadManifests } from '../../src/manifest/load.js';
import type { ManifestFile } from '../../src/manifest/load.js';
import type { LoadResult } from '../../src/manifest/service-spec.js';

/** A YAML text from its lines, so a case's line numbers can be read off its index. */
const y = (...lines: string[]): string => lines.join('\n') + '\n';

// Lines 1-5; spec fields start on line 6.
const HEAD = ['apiVersion: dsr/v1', 'kind: Service', 'metadata:', '  name: web', 'spec:'];
// Lines 6-10: a valid spec body.
const BODY = ['  port: 8080', '  versions:', '    - name: v1', '      image: web:v1', '      replicas: 2'];
const VALID = y(...HEAD, ...BODY);

interface Expected {
  /** `file:line:column`, or just `file` for errors about the whole file. */
  at: string;
  path: string;
  message: RegExp;
}

interface Case {
  name: string;
  files: Record<string, string | Buffer>;
  errors: Expected[];
}

const cases: Case[] = [
  // --- YAML syntax ---
  {
    name: 'broken YAML: an unclosed flow sequence',
    files: { 'web.yaml': y(...HEAD, '  port: [8080', '  versions: []') },
    errors: [{ at: 'web.yaml:7:3', path: '', message: /^invalid YAML: Flow sequence .* must be sufficiently indented and end with a \]$/ }],
  },
  {
    name: 'a tab in indentation',
    files: { 'web.yaml': y(...HEAD, '\tport: 8080', ...BODY.slice(1)) },
    errors: [{ at: 'web.yaml:6:1', path: '', message: /tab character in indentation: YAML indents with spaces only/ }],
  },
  {
    name: 'the same key twice in a mapping',
    files: { 'web.yaml': y(...HEAD, ...BODY, '  port: 9090') },
    errors: [{ at: 'web.yaml:11:3', path: '', message: /^duplicate key "port": it already appears on line 6 of the same mapping$/ }],
  },
  {
    name: 'a document that is a list, not a mapping',
    files: { 'web.yaml': y('- apiVersion: dsr/v1', '- kind: Service') },
    errors: [{ at: 'web.yaml:1:1', path: '', message: /must be a mapping with apiVersion, kind, metadata and spec, got a list/ }],
  },
  {
    name: 'a document that is a plain string',
    files: { 'web.yaml': y('hello world') },
    errors: [{ at: 'web.yaml:1:1', path: '', message: /must be a mapping .*got "hello world"/ }],
  },
  // --- resource guards ---
  {
    name: 'a billion-laughs alias bomb',
    // a..d expand to about 9,200 values in all; the first *d (line 5) crosses 10,000.
    files: {
      'bomb.yaml': y(
        'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
        'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
        'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
        'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
        'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
        'f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]',
        'g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]',
        'h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]',
        'i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]',
      ),
    },
    errors: [{ at: 'bomb.yaml:5:8', path: '', message: /expands to more than 10000 values/ }],
  },
  {
    name: 'flow collections nested 100 deep',
    files: { 'deep.yaml': y('spec: ' + '['.repeat(100) + ']'.repeat(100)) },
    errors: [{ at: 'deep.yaml:1:71', path: '', message: /nests lists and mappings more than 64 levels deep/ }],
  },
  {
    name: 'block sequences nested 100 deep',
    files: { 'deep.yaml': y('spec:', '  ' + '- '.repeat(100) + 'x') },
    errors: [{ at: 'deep.yaml:2:131', path: '', message: /more than 64 levels deep/ }],
  },
  {
    name: 'block sequences nested 70 deep by indentation',
    files: { 'deep.yaml': y(...Array.from({ length: 70 }, (_, i) => ' '.repeat(i) + '-')) },
    errors: [{ at: 'deep.yaml:65:65', path: '', message: /more than 64 levels deep/ }],
  },
  {
    name: 'aliases chained to nest 70 deep once expanded',
    files: {
      'deep.yaml': y(
        'a: &a [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[x]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]',
        'b: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[*a]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]',
      ),
    },
    errors: [{ at: 'deep.yaml:2:34', path: '', message: /more than 64 levels deep/ }],
  },
  // --- bytes that are not YAML text ---
  { name: 'an empty file', files: { 'web.yaml': '' }, errors: [{ at: 'web.yaml', path: '', message: /^declares no service; add a manifest or delete the file$/ }] },
  {
    name: 'a file with only comments and a document marker',
    files: { 'web.yaml': y('# web was here', '---', '# and left') },
    errors: [{ at: 'web.yaml', path: '', message: /^declares no service/ }],
  },
  {
    name: 'a file over 1 MiB',
    files: { 'big.yaml': VALID + '#'.repeat(1024 * 1024) },
    errors: [{ at: 'big.yaml', path: '', message: /over the 1048576-byte \(1 MiB\) limit/ }],
  },
  {
    name: 'binary garbage (NUL bytes)',
    files: { 'bin.yaml': Buffer.from([0x61, 0x3a, 0x20, 0x62, 0x0a, 0x63, 0x00, 0xff, 0x13]) },
    errors: [{ at: 'bin.yaml:2:2', path: '', message: /contains a NUL byte: it is binary or corrupted/ }],
  },
  {
    name: 'invalid UTF-8 (a Latin-1 é)',
    files: { 'web.yaml': Buffer.concat([Buffer.from([...HEAD, '  port: 8080', '  # caf'].join('\n')), Buffer.from([0xe9, 0x0a])]) },
    errors: [{ at: 'web.yaml:7:8', path: '', message: /not valid UTF-8 \(byte 0xe9\); save it as UTF-8/ }],
  },
  {
    name: 'a UTF-16 file',
    files: { 'web.yaml': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a: b\n', 'utf16le')]) },
    errors: [{ at: 'web.yaml:1:1', path: '', message: /UTF-16/ }],
  },
  // --- header ---
  {
    name: 'apiVersion is not dsr/v1',
    files: { 'web.yaml': y('apiVersion: dsr/v2', ...HEAD.slice(1), ...BODY) },
    errors: [{ at: 'web.yaml:1:13', path: 'apiVersion', message: /^must be "dsr\/v1", got "dsr\/v2"$/ }],
  },
  {
    name: 'kind is not Service',
    files: { 'web.yaml': y(HEAD[0]!, 'kind: Deployment', ...HEAD.slice(2), ...BODY) },
    errors: [{ at: 'web.yaml:2:7', path: 'kind', message: /^must be "Service", got "Deployment"$/ }],
  },
  // --- missing required fields ---
  {
    name: 'missing metadata.name',
    files: { 'web.yaml': y(...HEAD.slice(0, 3), '  labels: {}', ...HEAD.slice(4), ...BODY) },
    errors: [
      { at: 'web.yaml:4:3', path: 'metadata.labels', message: /^unknown field "labels"; allowed here: name$/ },
      { at: 'web.yaml:4:3', path: 'metadata.name', message: /^required field is missing$/ },
    ],
  },
  {
    // Since SPEC §8 a service without a port is a worker; what it cannot have is an HTTP check.
    name: 'an HTTP health check without spec.port',
    files: { 'web.yaml': y(...HEAD, ...BODY.slice(1), '  health: { path: /health }') },
    errors: [{ at: 'web.yaml:10:19', path: 'spec.health.path', message: /^an HTTP check needs spec.port; add the port/ },],
  },
  {
    name: 'missing a version image',
    files: { 'web.yaml': y(...HEAD, ...BODY.slice(0, 3), ...BODY.slice(4)) },
    errors: [{ at: 'web.yaml:8:7', path: 'spec.versions[0].image', message: /^required field is missing$/ }],
  },
  {
    name: 'missing spec entirely',
    files: { 'web.yaml': y(...HEAD.slice(0, 4)) },
    errors: [{ at: 'web.yaml:1:1', path: 'spec', message: /^required field is missing$/ }],
  },
  // --- names ---
  {
    name: 'a service name with capitals and an underscore',
    files: { 'web.yaml': y(...HEAD.slice(0, 3), '  name: Web_1', ...HEAD.slice(4), ...BODY) },
    errors: [{ at: 'web.yaml:4:9', path: 'metadata.name', message: /^must be 1 to 40 lowercase letters, digits or "-", starting with a letter .*got "Web_1"$/ }],
  },
  {
    name: 'a service name of 41 characters',
    files: { 'web.yaml': y(...HEAD.slice(0, 3), `  name: ${'a'.repeat(41)}`, ...HEAD.slice(4), ...BODY) },
    errors: [{ at: 'web.yaml:4:9', path: 'metadata.name', message: /^must be 1 to 40 lowercase letters/ }],
  },
  {
    name: 'a version name with capitals',
    files: { 'web.yaml': y(...HEAD, ...BODY.slice(0, 2), '    - name: V1', ...BODY.slice(3)) },
    errors: [{ at: 'web.yaml:8:13', path: 'spec.versions[0].name', message: /^must be 1 to 40 lowercase letters, digits, "\." or "-".*got "V1"$/ }],
  },
  // --- wrong types and ranges ---
  {
    name: 'replicas written as a word',
    files: { 'web.yaml': y(...HEAD, ...BODY.slice(0, 4), '      replicas: two') },
    errors: [{ at: 'web.yaml:10:17', path: 'spec.versions[0].replicas', message: /^must be an integer from 0 to 100, got "two"$/ }],
  },
  {
    name: 'negative replicas',
    files: { 'web.yaml': y(...HEAD, ...BODY.slice(0, 4), '      replicas: -1') },
    errors: [{ at: 'web.yaml:10:17', path: 'spec.versions[0].replicas', message: /^must be an integer from 0 to 100, got -1$/ }],
  },
  {
    name: 'absurd replicas',
    files: { 'web.yaml': y(...HEAD, ...BODY.slice(0, 4), '      replicas: 100000') },
    errors: [{ at: 'web.yaml:10:17', path: 'spec.versions[0].replicas', message: /^must be an integer from 0 to 100, got 100000$/ }],
  },
  {
    name: 'fractional replicas',
    files: { 'web.yaml': y(...HEAD, ...BODY.slice(0, 4), '      replicas: 1.5') },
    errors: [{ at: 'web.yaml:10:17', path: 'spec.versions[0].replicas', message: /^must be an integer from 0 to 100, got 1.5$/ }],
  },
  {
    name: 'port 0',
    files: { 'web.yaml': y(...HEAD, '  port: 0', ...BODY.slice(1)) },
    errors: [{ at: 'web.yaml:6:9', path: 'spec.port', message: /^must be an integer from 1 to 65535, got 0$/ }],
  },
  {
    name: 'port 70000',
    files: { 'web.yaml': y(...HEAD, '  port: 70000', ...BODY.slice(1)) },
    errors: [{ at: 'web.yaml:6:9', path: 'spec.port', message: /^must be an integer from 1 to 65535, got 70000$/ }],
  },
  {
    name: 'port as a string',
    files: { 'web.yaml': y(...HEAD, '  port: http', ...BODY.slice(1)) },
    errors: [{ at: 'web.yaml:6:9', path: 'spec.port', message: /^must be an integer from 1 to 65535, got "http"$/ }],
  },
  {
    name: 'sticky written as yes (a string in YAML 1.2)',
    files: { 'web.yaml': y(...HEAD, ...BODY, '  gateway:', '    sticky: yes') },
    errors: [{ at: 'web.yaml:12:13', path: 'spec.gateway.sticky', message: /^must be true or false, got "yes"$/ }],
  },
  {
    name: 'an env value that is a number',
    files: { 'web.yaml': y(...HEAD, ...BODY, '      env:', '        WORKERS: 4') },
    errors: [{ at: 'web.yaml:12:18', path: 'spec.versions[0].env.WORKERS', message: /^must be a string \(quote numbers and booleans.*got 4$/ }],
  },
  {
    name: 'an env name that is not a variable name',
    files: { 'web.yaml': y(...HEAD, ...BODY, '      env:', '        my-var: x') },
    errors: [{ at: 'web.yaml:12:9', path: 'spec.versions[0].env["my-var"]', message: /^is not a valid environment variable name/ }],
  },
  {
    name: 'an env value containing NUL (the engine refuses to start it)',
    files: { 'web.yaml': y(...HEAD, ...BODY, '      env:', '        GREETING: "hi\\0there"') },
    errors: [{ at: 'web.yaml:12:19', path: 'spec.versions[0].env.GREETING', message: /^contains a NUL character \(written "\\0" or "\\x00" in YAML\) at character 3: the Docker engine refuses/ }],
  },
  {
    name: 'a command argument containing NUL',
    files: { 'web.yaml': y(...HEAD, ...BODY, '      command: ["node", "server\\x00.js"]') },
    errors: [{ at: 'web.yaml:11:25', path: 'spec.versions[0].command[1]', message: /^contains a NUL character .* at character 7: .*remove it$/ }],
  },
  {
    name: 'a command that is a string, not a list',
    files: { 'web.yaml': y(...HEAD, ...BODY, '      command: node server.js') },
    errors: [{ at: 'web.yaml:11:16', path: 'spec.versions[0].command', message: /^must be a list, got "node server.js"$/ }],
  },
  {
    name: 'an empty versions list',
    files: { 'web.yaml': y(...HEAD, '  port: 8080', '  versions: []') },
    errors: [{ at: 'web.yaml:7:13', path: 'spec.versions', message: /^must be a list of at least one version, got an empty list$/ }],
  },
  {
    name: 'an error rate above 1',
    files: { 'web.yaml': y(...HEAD, ...BODY, '  rollout:', '    analysis: { maxErrorRate: 5 }') },
    errors: [{ at: 'web.yaml:12:31', path: 'spec.rollout.analysis.maxErrorRate', message: /^must be a number from 0 to 1, got 5$/ }],
  },
  // --- unknown fields at every level ---
  {
    name: 'an unknown top-level field',
    files: { 'web.yaml': y(...HEAD.slice(0, 2), 'labels: { team: a }', ...HEAD.slice(2), ...BODY) },
    errors: [{ at: 'web.yaml:3:1', path: 'labels', message: /^unknown field "labels"; allowed here: apiVersion, kind, metadata, spec$/ }],
  },
  {
    name: 'an unknown metadata field',
    files: { 'web.yaml': y(...HEAD.slice(0, 4), '  namespace: prod', ...HEAD.slice(4), ...BODY) },
    errors: [{ at: 'web.yaml:5:3', path: 'metadata.namespace', message: /^unknown field "namespace"; allowed here: name$/ }],
  },
  {
    name: 'an unknown spec field, close to a real one',
    files: { 'web.yaml': y(...HEAD, ...BODY, '  helth: { path: /h }') },
    errors: [{ at: 'web.yaml:11:3', path: 'spec.helth', message: /^unknown field "helth" \(did you mean "health"\?\)$/ }],
  },
  {
    name: 'an unknown health field',
    files: { 'web.yaml': y(...HEAD, ...BODY, '  health:', '    retries: 3') },
    errors: [{ at: 'web.yaml:12:5', path: 'spec.health.retries', message: /^unknown field "retries"; allowed here: path, tcp, exec, interval, timeout/ }],
  },
  {
    name: 'an unknown version field (a typo)',
    files: { 'web.yaml': y(...HEAD, ...BODY.slice(0, 4), '      replica: 2') },
    errors: [{ at: 'web.yaml:10:7', path: 'spec.versions[0].replica', message: /^unknown field "replica" \(did you mean "replicas"\?\)$/ }],
  },
  {
    name: 'an unknown rollout field',
    files: { 'web.yaml': y(...HEAD, ...BODY, '  rollout:', '    strategy: canary') },
    errors: [{ at: 'web.yaml:12:5', path: 'spec.rollout.strategy', message: /^unknown field "strategy"; allowed here: steps, analysis, progressDeadline$/ }],
  },
  {
    name: 'an unknown step field (wrong case)',
    files: { 'web.yaml': y(...HEAD, ...BODY, '  rollout:', '    steps:', '      - setweight: 10') },
    errors: [{ at: 'web.yaml:13:9', path: 'spec.rollout.steps[0].setweight', message: /^unknown field "setweight" \(did you mean "setWeight"\?\)$/ }],
  },
  {
    name: 'an unknown analysis field',
    files: { 'web.yaml': y(...HEAD, ...BODY, '  rollout:', '    analysis:', '      maxErrors: 3') },
    errors: [{ at: 'web.yaml:13:7', path: 'spec.rollout.analysis.maxErrors', message: /^unknown field "maxErrors"; allowed here: interval, minRequests/ }],
  },
  {
    name: 'an unknown gateway field',
    files: { 'web.yaml': y(...HEAD, ...BODY, '  gateway: { cookie: dsr }') },
    errors: [{ at: 'web.yaml:11:14', path: 'spec.gateway.cookie', message: /^unknown field "cookie"; allowed here: sticky, upstreamKeepAlive$/ }],
  },
  {
    name: 'a __proto__ key does not slip past the schema',
    files: { 'web.yaml': y(...HEAD, ...BODY, '      __proto__: { privileged: true }') },
    errors: [{ at: 'web.yaml:11:7', path: 'spec.versions[0].__proto__', message: /^unknown field "__proto__"/ }],
  },
  // --- rollout steps ---
  {
    name: 'a step with both setWeight and pause',
    files: { 'web.yaml': y(...HEAD, ...BODY, '  rollout:', '    steps:', '      - { setWeight: 10, pause: 5s }') },
    errors: [{ at: 'web.yaml:13:9', path: 'spec.rollout.steps[0]', message: /^must have exactly one of setWeight or pause/ }],
  },
  {
    name: 'a pause that is neither a duration nor {}',
    files: { 'web.yaml': y(...HEAD, ...BODY, '  rollout:', '    steps:', '      - pause: { until: promote }') },
    errors: [{ at: 'web.yaml:13:16', path: 'spec.rollout.steps[0].pause', message: /^must be a duration such as "30s" or "2m", or \{\} to wait for `dsr promote`$/ }],
  },
  {
    name: 'setWeight above 100',
    files: { 'web.yaml': y(...HEAD, ...BODY, '  rollout:', '    steps:', '      - setWeight: 150') },
    errors: [{ at: 'web.yaml:13:20', path: 'spec.rollout.steps[0].setWeight', message: /^must be an integer from 0 to 100, got 150$/ }],
  },
  // --- durations ---
  {
    name: 'a duration written in words',
    files: { 'web.yaml': y(...HEAD, ...BODY, '  health:', '    interval: 5 seconds') },
    errors: [{ at: 'web.yaml:12:15', path: 'spec.health.interval', message: /^must be a duration greater than zero such as "500ms", "5s".*got "5 seconds"$/ }],
  },
  {
    name: 'a negative duration',
    files: { 'web.yaml': y(...HEAD, ...BODY, '  health:', '    startPeriod: -1s') },
    errors: [{ at: 'web.yaml:12:18', path: 'spec.health.startPeriod', message: /^must be a duration such as "500ms".*got "-1s"$/ }],
  },
  {
    name: 'a duration without a unit',
    files: { 'web.yaml': y(...HEAD, ...BODY, '  rollout:', '    progressDeadline: 5') },
    errors: [{ at: 'web.yaml:12:23', path: 'spec.rollout.progressDeadline', message: /^must be a duration greater than zero .*got 5$/ }],
  },
  {
    name: 'a zero health interval',
    files: { 'web.yaml': y(...HEAD, ...BODY, '  health: { interval: 0s }') },
    errors: [{ at: 'web.yaml:11:23', path: 'spec.health.interval', message: /^must be a duration greater than zero/ }],
  },
  {
    name: 'a duration beyond 24h',
    files: { 'web.yaml': y(...HEAD, ...BODY, '  rollout:', '    steps: [ { pause: 48h } ]') },
    errors: [{ at: 'web.yaml:12:23', path: 'spec.rollout.steps[0].pause', message: /^must be at most 24h, got "48h"$/ }],
  },
  // --- weights and versions ---
  {
    name: 'weights that sum to 90',
    files: {
      'web.yaml': y(...HEAD, '  port: 8080', '  versions:', '    - { name: v1, image: web:v1, weight: 60 }', '    - { name: v2, image: web:v2, weight: 30 }'),
    },
    errors: [{ at: 'web.yaml:8:5', path: 'spec.versions', message: /^weights must sum to 100, got 90 \(v1: 60, v2: 30\)$/ }],
  },
  {
    name: 'a single version with weight 50',
    files: { 'web.yaml': y(...HEAD, ...BODY, '      weight: 50') },
    errors: [{ at: 'web.yaml:11:15', path: 'spec.versions[0].weight', message: /^a single version takes all traffic: leave weight out or set it to 100, got 50$/ }],
  },
  {
    name: 'several versions, one without a weight',
    files: {
      'web.yaml': y(...HEAD, '  port: 8080', '  versions:', '    - { name: v1, image: web:v1, weight: 100 }', '    - { name: v2, image: web:v2 }'),
    },
    errors: [{ at: 'web.yaml:9:7', path: 'spec.versions[1].weight', message: /^required when a service has several versions/ }],
  },
  {
    name: 'two versions with the same name',
    files: {
      'web.yaml': y(...HEAD, '  port: 8080', '  versions:', '    - { name: v1, image: web:v1, weight: 50 }', '    - { name: v1, image: web:v2, weight: 50 }'),
    },
    errors: [{ at: 'web.yaml:9:15', path: 'spec.versions[1].name', message: /^duplicate version name "v1" \(also spec.versions\[0\]\)/ }],
  },
  // --- refused on purpose ---
  {
    name: 'privileged: true under a version',
    files: { 'web.yaml': y(...HEAD, ...BODY, '      privileged: true') },
    errors: [{ at: 'web.yaml:11:7', path: 'spec.versions[0].privileged', message: /^privileged mode is not allowed: DSR never runs privileged containers$/ }],
  },
  {
    name: 'hostNetwork under spec',
    files: { 'web.yaml': y(...HEAD, ...BODY, '  hostNetwork: true') },
    errors: [{ at: 'web.yaml:11:3', path: 'spec.hostNetwork', message: /^host networking is not allowed/ }],
  },
  {
    name: 'volumes under a version',
    files: { 'web.yaml': y(...HEAD, ...BODY, '      volumes: ["/:/host"]') },
    errors: [{ at: 'web.yaml:11:7', path: 'spec.versions[0].volumes', message: /^volumes belong to the whole service: declare them in spec.volumes/ }],
  },
  {
    name: 'capAdd under a version',
    files: { 'web.yaml': y(...HEAD, ...BODY, '      capAdd: [SYS_ADMIN]') },
    errors: [{ at: 'web.yaml:11:7', path: 'spec.versions[0].capAdd', message: /^added capabilities are not allowed/ }],
  },
  {
    name: 'devices under a version',
    files: { 'web.yaml': y(...HEAD, ...BODY, '      devices: [/dev/kmsg]') },
    errors: [{ at: 'web.yaml:11:7', path: 'spec.versions[0].devices', message: /^devices are not allowed: DSR never passes host devices into containers$/ }],
  },
  {
    name: '1,001 documents in one file, separated by ---',
    files: { 'many.yaml': Array.from({ length: 1001 }, (_, i) => y('apiVersion: dsr/v1', 'kind: Service', `metadata: { name: s${i} }`, 'spec: { port: 8080, versions: [{ name: v1, image: web:v1 }] }')).join('---\n') },
    // Document 1,001 starts with the `---` on line 5 * 1000.
    errors: [{ at: 'many.yaml:5000:1', path: '', message: /^more than 1000 YAML documents in one file; DSR reads at most 1000 per file: split it into several files$/ }],
  },
  {
    name: '100,000 tiny documents (under 1 MiB)',
    files: { 'many.yaml': '---\na: 1\n'.repeat(100_000) },
    // The 1,001st `---`, on line 2 * 1000 + 1: rejected before the YAML parser runs.
    errors: [{ at: 'many.yaml:2001:1', path: '', message: /^more than 1000 YAML documents in one file/ }],
  },
  // --- duplicates ---
  {
    name: 'the same service twice in one file',
    files: { 'web.yaml': VALID + '---\n' + VALID },
    errors: [
      { at: 'web.yaml:4:9', path: 'metadata.name', message: /^duplicate service name "web", also declared at web.yaml:15:9; service names must be unique/ },
      { at: 'web.yaml:15:9', path: 'metadata.name', message: /^duplicate service name "web", also declared at web.yaml:4:9/ },
    ],
  },
  {
    name: 'the same service in two files',
    files: { 'a.yaml': VALID, 'team/b.yaml': VALID },
    errors: [
      { at: 'a.yaml:4:9', path: 'metadata.name', message: /^duplicate service name "web", also declared at team\/b.yaml:4:9/ },
      { at: 'team/b.yaml:4:9', path: 'metadata.name', message: /^duplicate service name "web", also declared at a.yaml:4:9/ },
    ],
  },
  {
    name: 'one bad document fails its whole file, the good one too',
    files: { 'web.yaml': y(...HEAD, ...BODY, '---', 'apiVersion: dsr/v1', 'kind: Service', 'metadata: { name: api }', 'spec: { port: 1 }') },
    errors: [{ at: 'web.yaml:15:7', path: 'spec.versions', message: /^required field is missing$/ }],
  },
  // --- the reader's verdicts ---
  {
    name: 'a problem the folder reader already found (symlink outside)',
    files: {},
    errors: [{ at: 'link.yaml', path: '', message: /^is a symlink to \/etc\/passwd/ }],
  },
];

function toFiles(c: Case): ManifestFile[] {
  const files: ManifestFile[] = Object.entries(c.files).map(([path, text]) => ({ path, content: Buffer.isBuffer(text) ? text : Buffer.from(text) }));
  if (Object.keys(c.files).length === 0) files.push({ path: 'link.yaml', problem: 'is a symlink to /etc/passwd, outside the manifests folder' });
  return files;
}

function located(result: LoadResult): Array<{ at: string; path: string; message: string }> {
  return result.errors.map((e) => ({ at: e.line > 0 ? `${e.file}:${e.line}:${e.column}` : e.file, path: e.path, message: e.message }));
}

describe('loadManifests rejects bad manifests with the exact place and a clear message', () => {
  it('has at least 35 distinct bad-manifest cases', () => {
    assert.ok(cases.length >= 35, `${cases.length} cases`);
    assert.equal(new Set(cases.map((c) => c.name)).size, cases.length);
  });

  for (const c of cases) {
    it(c.name, () => {
      const files = toFiles(c);
      const result = loadManifests(files);
      const got = located(result);
      assert.equal(got.length, c.errors.length, `errors:\n${got.map((g) => `${g.at} ${g.path}: ${g.message}`).join('\n')}`);
      c.errors.forEach((want, i) => {
        const e = got[i]!;
        assert.equal(e.at, want.at, `error ${i} location (${e.message})`);
        assert.equal(e.path, want.path, `error ${i} path (${e.message})`);
        assert.match(e.message, want.message);
      });
      // A failed file contributes nothing; upstream keeps its services' last valid state.
      assert.deepEqual(result.services, []);
      assert.deepEqual(result.failedFiles.map((f) => f.file).sort(), files.map((f) => f.path).sort());
    });
  }

  it('a billion-laughs bomb fails fast', () => {
    const bomb = cases.find((c) => c.name.startsWith('a billion-laughs'))!;
    const start = performance.now();
    loadManifests(toFiles(bomb));
    assert.ok(performance.now() - start < 500, 'took longer than 500 ms');
  });

  it('100,000 tiny documents fail fast, before any document is parsed', () => {
    const many = cases.find((c) => c.name.startsWith('100,000 tiny documents'))!;
    const start = performance.now();
    loadManifests(toFiles(many));
    assert.ok(performance.now() - start < 500, 'took longer than 500 ms');
  });

  it('accepts 1,000 services in one file, the limit', () => {
    const text = Array.from({ length: 1000 }, (_, i) => y('---', 'apiVersion: dsr/v1', 'kind: Service', `metadata: { name: s${i} }`, 'spec: { port: 8080, versions: [{ name: v1, image: web:v1 }] }')).join('');
    const result = loadManifests([{ path: 'many.yaml', content: Buffer.from(text) }]);
    assert.deepEqual(result.errors, []);
    assert.equal(result.services.length, 1000);
  });

  for (const [what, text] of [['"["', '['.repeat(1024 * 1024 - 1)], ['"- "', '- '.repeat(512 * 1024 - 1)]] as const) {
    it(`a megabyte of ${what} fails fast and does not crash`, () => {
      const start = performance.now();
      const result = loadManifests([{ path: 'x.yaml', content: Buffer.from(text) }]);
      assert.match(result.errors[0]!.message, /more than 64 levels deep/);
      assert.ok(performance.now() - start < 500, 'took longer than 500 ms');
    });
  }

  it('records the names a failed file appeared to declare, even invalid ones', () => {
    const text = y(...HEAD, '  port: 0', ...BODY.slice(1), '---', 'apiVersion: dsr/v1', 'kind: Service', 'metadata: { name: Api }', 'spec: {}');
    const result = loadManifests([{ path: 'two.yaml', content: Buffer.from(text) }]);
    assert.deepEqual(result.failedFiles, [{ file: 'two.yaml', serviceNames: ['web', 'Api'] }]);
  });

  it('records the names of a file with broken YAML when they can be read', () => {
    const text = y(...HEAD, '  port: [8080', '  versions: []');
    const result = loadManifests([{ path: 'web.yaml', content: Buffer.from(text) }]);
    assert.deepEqual(result.failedFiles, [{ file: 'web.yaml', serviceNames: ['web'] }]);
  });

  it('reports 50 of 20,000 unknown fields, with a count of the rest, without slowing down', () => {
    const fields = Array.from({ length: 20_000 }, (_, i) => `  f${i}: 1`);
    const start = performance.now();
    const result = loadManifests([{ path: 'web.yaml', content: Buffer.from(y(...HEAD, ...BODY, ...fields)) }]);
    // Generous for a loaded CI box; the quadratic version this guards against took minutes.
    assert.ok(performance.now() - start < 10_000, 'took longer than 10 s');
    assert.equal(result.errors.length, 51);
    assert.equal(result.errors[50]!.message, '19950 more errors not shown; fix the ones above first');
  });

  it('names at most three other places of a duplicated service', () => {
    const files = ['a', 'b', 'c', 'd', 'e'].map((f) => ({ path: `${f}.yaml`, content: Buffer.from(VALID) }));
    const result = loadManifests(files);
    assert.equal(result.errors.length, 5);
    assert.match(result.errors[0]!.message, /^duplicate service name "web", also declared at b.yaml:4:9, c.yaml:4:9, d.yaml:4:9 and 1 more;/);
  });

  it('caps the errors of one file and says how many were left out', () => {
    const fields = Array.from({ length: 80 }, (_, i) => `  extra${i}: 1`);
    const result = loadManifests([{ path: 'web.yaml', content: Buffer.from(y(...HEAD, ...BODY, ...fields)) }]);
    assert.equal(result.errors.length, 51);
    assert.match(result.errors[50]!.message, /^30 more errors not shown/);
  });
});
