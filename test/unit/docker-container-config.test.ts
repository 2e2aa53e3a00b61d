import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { containerCreateOptions } from '../../src/docker/container-config.js';
import type { Placement } from '../../src/docker/container-config.js';
import type { InstanceSpec } from '../../src/runtime/runtime.js';
import { ADDED_DEFAULTS } from '../../src/template/container-template.js';

const spec: InstanceSpec = {
  service: 'web',
  version: 'v2',
  index: 1,
  template: { image: 'web:v2', env: { ZED: 'last', ALPHA: 'a=b' }, command: ['node', 'server.js'], port: 8080, ...ADDED_DEFAULTS },
  specHash: 'abcdef012345',
};

describe('containerCreateOptions', () => {
  const placements: Array<{ name: string; placement: Placement }> = [
    { name: 'host mode', placement: { mode: 'host', network: 'dsr' } },
    { name: 'network mode', placement: { mode: 'network', network: 'dsr' } },
  ];
  for (const { name, placement } of placements) {
    it(`never widens what the instance may do on the host (${name})`, () => {
      const host = containerCreateOptions('default', spec, placement).HostConfig ?? {};
      for (const field of ['Privileged', 'Binds', 'Mounts', 'CapAdd', 'Devices', 'PidMode', 'IpcMode', 'VolumesFrom'] as const) {
        assert.equal(host[field], undefined, `${field} is not set`);
      }
      assert.notEqual(host.NetworkMode, 'host');
      assert.deepEqual(host.RestartPolicy, { Name: 'no' });
      assert.deepEqual(host.LogConfig, { Type: 'json-file', Config: { 'max-size': '10m', 'max-file': '3' } });
    });

    it(`runs an init as PID 1 so SIGTERM reaches the app (${name})`, () => {
      assert.equal(containerCreateOptions('default', spec, placement).HostConfig?.Init, true);
    });
  }

  it('publishes the port on 127.0.0.1 only, on a free host port, in host mode', () => {
    const options = containerCreateOptions('default', spec, { mode: 'host', network: 'dsr' });
    assert.deepEqual(options.HostConfig?.PortBindings, { '8080/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }] });
    assert.deepEqual(options.ExposedPorts, { '8080/tcp': {} });
    assert.equal(options.NetworkingConfig, undefined);
  });

  it('joins the shared network and publishes nothing in network mode', () => {
    const options = containerCreateOptions('t1', spec, { mode: 'network', network: 'dsr-t1' });
    assert.equal(options.HostConfig?.PortBindings, undefined);
    assert.equal(options.HostConfig?.NetworkMode, 'dsr-t1');
    assert.deepEqual(options.NetworkingConfig, { EndpointsConfig: { 'dsr-t1': { Aliases: ['dsr-t1-web-v2-1'] } } });
  });

  it('names, labels and configures the container from the spec', () => {
    const options = containerCreateOptions('default', spec, { mode: 'host', network: 'dsr' });
    assert.equal(options.name, 'dsr-web-v2-1');
    assert.equal(options.Image, 'web:v2');
    assert.deepEqual(options.Env, ['ALPHA=a=b', 'ZED=last']);
    assert.deepEqual(options.Cmd, ['node', 'server.js']);
    assert.equal(options.Labels?.['dsr.spec-hash'], 'abcdef012345');
    assert.equal(options.Labels?.['dsr.port'], '8080');
  });

  it("keeps the image's own command when the spec has none", () => {
    const options = containerCreateOptions('default', { ...spec, template: { ...spec.template, command: null } }, { mode: 'host', network: 'dsr' });
    assert.equal('Cmd' in options, false);
  });

  it('writes no Mounts, limits or user labels for a template at its defaults', () => {
    const options = containerCreateOptions('default', spec, { mode: 'host', network: 'dsr' });
    for (const key of ['Mounts', 'Memory', 'NanoCpus', 'PidsLimit']) assert.equal(key in (options.HostConfig ?? {}), false, key);
    assert.deepEqual(Object.keys(options.Labels ?? {}).filter((k) => !k.startsWith('dsr.')), []);
  });

  it("mounts a named volume under DSR's name for it, and a host path as a bind, each with its read-only flag", () => {
    const template = { ...spec.template, volumes: [
      { kind: 'named' as const, name: 'data', mountPath: '/var/lib/data', readOnly: false },
      { kind: 'host' as const, hostPath: '/srv/dsr/conf', mountPath: '/conf', readOnly: true },
    ] };
    const options = containerCreateOptions('t1', { ...spec, template }, { mode: 'host', network: 'dsr' });
    assert.deepEqual(options.HostConfig?.Mounts, [
      { Type: 'volume', Source: 'dsr-t1-web-data', Target: '/var/lib/data', ReadOnly: false },
      { Type: 'bind', Source: '/srv/dsr/conf', Target: '/conf', ReadOnly: true },
    ]);
  });

  it('applies memory, CPU and pids limits', () => {
    const template = { ...spec.template, resources: { memoryBytes: 268_435_456, nanoCpus: 500_000_000, pids: 64 } };
    const h = containerCreateOptions('default', { ...spec, template }, { mode: 'host', network: 'dsr' }).HostConfig;
    assert.deepEqual([h?.Memory, h?.NanoCpus, h?.PidsLimit], [268_435_456, 500_000_000, 64]);
  });

  it('puts secret variables in Env only: over the manifest env, under DSR_GATEWAY_URL, never in labels', () => {
    const template = { ...spec.template, secrets: [{ name: 'db', digest: '0123456789abcdef' }] };
    const options = containerCreateOptions('default', { ...spec, template }, { mode: 'host', network: 'dsr', gatewayUrl: 'http://gw' }, { ZED: 'from-secret', PASSWORD: 's3cr3t-value', DSR_GATEWAY_URL: 'no' });
    assert.deepEqual(options.Env, ['ALPHA=a=b', 'DSR_GATEWAY_URL=http://gw', 'PASSWORD=s3cr3t-value', 'ZED=from-secret']);
    assert.equal(JSON.stringify(options.Labels).includes('s3cr3t-value'), false);
  });

  it("puts user labels on the container, DSR's own labels winning", () => {
    const template = { ...spec.template, labels: { team: 'web', 'dsr.service': 'not-this' } };
    const labels = containerCreateOptions('default', { ...spec, template }, { mode: 'host', network: 'dsr' }).Labels;
    assert.equal(labels?.team, 'web');
    assert.equal(labels?.['dsr.service'], 'web');
  });

  for (const mode of ['host', 'network'] as const) {
    it(`publishes and exposes nothing for a worker (no port), and labels it with an empty port (${mode} mode)`, () => {
      const options = containerCreateOptions('default', { ...spec, template: { ...spec.template, port: null } }, { mode, network: 'dsr' });
      assert.equal('ExposedPorts' in options, false);
      assert.equal(options.HostConfig?.PortBindings, undefined);
      assert.equal(options.Labels?.['dsr.port'], '');
    });
  }
});
