import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { hostAllowed, hostName, hostPolicy } from '../../src/api/host-check.js';

describe('Host check (DNS-rebinding protection)', () => {
  const names: Array<[string, string | null]> = [
    ['localhost:8000', 'localhost'],
    ['LocalHost', 'localhost'],
    ['localhost.:8000', 'localhost'],
    ['127.0.0.1:8000', '127.0.0.1'],
    ['[::1]:8000', '::1'],
    ['[::1]', '::1'],
    ['dsr.example.com', 'dsr.example.com'],
    ['[not-ipv6]:80', null],
    ['evil.com/path', null],
    ['a b', null],
    ['', null],
  ];
  for (const [header, want] of names) {
    it(`reads the host name of ${JSON.stringify(header)} as ${JSON.stringify(want)}`, () => assert.equal(hostName(header), want));
  }

  const loopbackOnly = hostPolicy('127.0.0.1', undefined);
  const cases: Array<{ name: string; bind?: string; allowed?: string; host: string | undefined; want: boolean }> = [
    { name: 'localhost with a port', host: 'localhost:8000', want: true },
    { name: 'a subdomain of localhost', host: 'dsr.localhost:8000', want: true },
    { name: '127.0.0.1', host: '127.0.0.1:8000', want: true },
    { name: 'another 127/8 address', host: '127.1.2.3', want: true },
    { name: 'IPv6 loopback', host: '[::1]:8000', want: true },
    { name: 'no Host header (not a browser)', host: undefined, want: true },
    { name: 'a rebinding name', host: 'attacker.example:8000', want: false },
    { name: 'a name ending in localhost that is not a subdomain of it', host: 'evillocalhost', want: false },
    { name: 'localhost as a subdomain of another name', host: 'localhost.attacker.example', want: false },
    { name: 'a LAN address DSR does not listen on', host: '192.168.1.5:8000', want: false },
    { name: 'garbage', host: 'a b', want: false },
    { name: 'the bind address', bind: '192.168.1.5', host: '192.168.1.5:8000', want: true },
    { name: 'a bind name', bind: 'dsr.lan', host: 'DSR.lan:8000', want: true },
    { name: 'an IPv6 bind address', bind: 'fd00::5', host: '[fd00::5]:8000', want: true },
    { name: '0.0.0.0 is not a name anyone sends', bind: '0.0.0.0', host: '0.0.0.0:8000', want: false },
    { name: 'a name in DSR_ALLOWED_HOSTS', bind: '0.0.0.0', allowed: 'dsr.example.com, other:9000', host: 'dsr.example.com:8000', want: true },
    { name: 'DSR_ALLOWED_HOSTS entries ignore their port', allowed: 'other:9000', host: 'other:8000', want: true },
    { name: 'a leading dot allows the domain', allowed: '.corp.example', host: 'corp.example', want: true },
    { name: 'a leading dot allows subdomains', allowed: '.corp.example', host: 'dsr.corp.example:8000', want: true },
    { name: 'a leading dot does not allow look-alikes', allowed: '.corp.example', host: 'evilcorp.example', want: false },
    { name: '* allows any Host', allowed: '*', host: 'attacker.example', want: true },
  ];
  for (const c of cases) {
    it(`${c.want ? 'answers' : 'refuses'} ${c.name}`, () => {
      const policy = c.bind === undefined && c.allowed === undefined ? loopbackOnly : hostPolicy(c.bind ?? '127.0.0.1', c.allowed);
      assert.equal(hostAllowed(c.host, policy), c.want);
    });
  }

  it('refuses a DSR_ALLOWED_HOSTS entry that is not a host name, saying what to give', () => {
    assert.throws(() => hostPolicy('127.0.0.1', 'ok.example, http://bad/'), /DSR_ALLOWED_HOSTS: "http:\/\/bad\/" is not a host name; give names like/);
  });
});
