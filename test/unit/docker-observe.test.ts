import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseExitCode, toContainerState, toObserved } from '../../src/docker/observe.js';
import type { AddressMode, ContainerListEntry } from '../../src/docker/observe.js';
import type { ObservedContainer } from '../../src/runtime/runtime.js';

const labels = {
  'dsr.managed-by': 'dsr',
  'dsr.owner': 'default',
  'dsr.service': 'web',
  'dsr.version': 'v1',
  'dsr.spec-hash': 'abcdef012345',
  'dsr.instance': '2',
  'dsr.port': '80',
};

function entry(overrides: Partial<ContainerListEntry> = {}): ContainerListEntry {
  return {
    Id: 'c0ffee',
    Names: ['/dsr-web-v1-2'],
    Image: 'web:v1',
    Created: 1_700_000_000,
    State: 'running',
    Status: 'Up 3 minutes',
    Labels: labels,
    Ports: [
      { PrivatePort: 80, Type: 'tcp' },
      { IP: '127.0.0.1', PrivatePort: 80, PublicPort: 49153, Type: 'tcp' },
    ],
    ...overrides,
  };
}

const running: ObservedContainer = {
  id: 'c0ffee',
  name: 'dsr-web-v1-2',
  service: 'web',
  version: 'v1',
  index: 2,
  specHash: 'abcdef012345',
  state: 'running',
  createdAt: '2023-11-14T22:13:20.000Z',
  exitCode: null,
  address: { host: '127.0.0.1', port: 49153 },
  image: 'web:v1',
};

describe('toObserved', () => {
  const cases: Array<{ name: string; entry: ContainerListEntry; mode: AddressMode; want: ObservedContainer | null }> = [
    { name: 'reads a running instance and its published port', entry: entry(), mode: 'host', want: running },
    {
      name: 'addresses by name and container port in network mode',
      entry: entry({ Ports: [] }),
      mode: 'network',
      want: { ...running, address: { host: 'dsr-web-v1-2', port: 80 } },
    },
    {
      name: 'ignores ports published on other interfaces',
      entry: entry({ Ports: [{ IP: '0.0.0.0', PrivatePort: 80, PublicPort: 8080, Type: 'tcp' }] }),
      mode: 'host',
      want: { ...running, address: null },
    },
    {
      name: 'ignores udp and other container ports',
      entry: entry({ Ports: [{ IP: '127.0.0.1', PrivatePort: 80, PublicPort: 1, Type: 'udp' }, { IP: '127.0.0.1', PrivatePort: 81, PublicPort: 2, Type: 'tcp' }] }),
      mode: 'host',
      want: { ...running, address: null },
    },
    {
      name: 'gives an exited instance its exit code and no address',
      entry: entry({ State: 'exited', Status: 'Exited (137) 5 seconds ago', Ports: [] }),
      mode: 'host',
      want: { ...running, state: 'exited', exitCode: 137, address: null },
    },
    {
      name: 'gives a created instance no address in network mode',
      entry: entry({ State: 'created', Status: 'Created' }),
      mode: 'network',
      want: { ...running, state: 'created', address: null },
    },
    { name: 'skips a container without a service label', entry: entry({ Labels: { ...labels, 'dsr.service': '' } }), mode: 'host', want: null },
    { name: 'skips a container with a non-numeric instance', entry: entry({ Labels: { ...labels, 'dsr.instance': 'x' } }), mode: 'host', want: null },
    { name: 'skips a container without a port label', entry: entry({ Labels: { ...labels, 'dsr.port': undefined as unknown as string } }), mode: 'host', want: null },
    { name: 'skips a container with a malformed port label', entry: entry({ Labels: { ...labels, 'dsr.port': 'x' } }), mode: 'host', want: null },
    { name: 'reads an empty port label as a worker: running, no address', entry: entry({ Labels: { ...labels, 'dsr.port': '' } }), mode: 'network', want: { ...running, address: null } },
    { name: 'skips a container with no labels at all', entry: entry({ Labels: null }), mode: 'host', want: null },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(toObserved(c.entry, c.mode), c.want));
});

describe('toContainerState', () => {
  const cases: Array<[string, string, string]> = [
    ['keeps a known state', 'running', 'running'],
    ['lower-cases', 'Exited', 'exited'],
    ['keeps removing', 'removing', 'removing'],
    ['treats an unknown state as dead so it gets replaced', 'hibernating', 'dead'],
  ];
  for (const [name, input, want] of cases) it(name, () => assert.equal(toContainerState(input), want));
});

describe('parseExitCode', () => {
  const cases: Array<[string, string, number | null]> = [
    ['reads a crash', 'Exited (1) 2 seconds ago', 1],
    ['reads a kill', 'Exited (137) About a minute ago', 137],
    ['reads zero', 'Exited (0) 1 hour ago', 0],
    ['has none while running', 'Up 5 seconds', null],
    ['has none when never started', 'Created', null],
  ];
  for (const [name, input, want] of cases) it(name, () => assert.equal(parseExitCode(input), want));
});
