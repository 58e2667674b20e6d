import { describe, expect, it } from 'vitest';
import { UpstreamAllowList } from '../src/index.js';

const fakeDns = (answers: Record<string, string[]>) => async (hostname: string) => {
  const addresses = answers[hostname];
  if (!addresses) throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
  return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
};

describe('UpstreamAllowList', () => {
  const list = new UpstreamAllowList([], {
    lookup: fakeDns({
      'api.example.com': ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946'],
      'rebind.example.com': ['93.184.216.34', '192.168.1.10'],
      'metadata.google.internal': ['169.254.169.254'],
      'six.example.com': ['::ffff:10.0.0.1'],
      'nat64.example.com': ['64:ff9b::a00:1'],
    }),
  });

  it('allows public hosts', async () => {
    expect(await list.refusal('https://api.example.com/v1')).toBeUndefined();
    expect(await list.refusal('https://93.184.216.34/v1')).toBeUndefined();
  });

  it('refuses when any resolved address is not public', async () => {
    expect(await list.refusal('https://rebind.example.com')).toMatch(/192\.168\.1\.10, which is a private address/);
    expect(await list.refusal('http://metadata.google.internal/')).toMatch(/cloud metadata/);
    expect(await list.refusal('http://six.example.com/')).toMatch(/private/);
    expect(await list.refusal('http://nat64.example.com/')).toMatch(/private/);
  });

  it('refuses literal addresses of every non-public kind', async () => {
    for (const url of ['http://0.0.0.0/', 'http://[::]/', 'http://224.0.0.1/', 'http://[ff02::1]/', 'http://[fe80::1]/', 'http://172.16.0.1/', 'http://100.64.0.1/', 'http://2130706433/']) {
      expect(await list.refusal(url), url).toBeDefined();
    }
  });

  it('refuses unresolvable hosts and other schemes', async () => {
    expect(await list.refusal('https://nowhere.example.com')).toMatch(/could not be resolved \(ENOTFOUND\)/);
    expect(await list.refusal('ftp://api.example.com')).toMatch(/http or https/);
    expect(await list.refusal('not a url')).toMatch(/absolute/);
  });

  it('honours allowed hosts and ranges', async () => {
    const allowing = new UpstreamAllowList(['10.0.0.0/8', 'internal.svc', '::1'], { lookup: fakeDns({ 'private.example.com': ['10.9.9.9'] }) });
    expect(await allowing.refusal('http://10.1.1.1/')).toBeUndefined();
    expect(await allowing.refusal('http://private.example.com/')).toBeUndefined();
    expect(await allowing.refusal('http://internal.svc:8080/')).toBeUndefined();
    expect(await allowing.refusal('http://[::1]/')).toBeUndefined();
    expect(await allowing.refusal('http://127.0.0.1/')).toMatch(/loopback/);
    expect(() => new UpstreamAllowList(['10.0.0.0/x'])).toThrow(/CIDR/);
  });
});
