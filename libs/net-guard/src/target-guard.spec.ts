import { describe, expect, it } from 'vitest';
import { forbiddenKind, ipv6Words } from './address-policy.ts';
import { checkTarget, TargetRefused, type ResolveAll } from './target-guard.ts';

const production = { allowPrivateNetworks: false };
const development = { allowPrivateNetworks: true };
const resolvesTo =
  (...addresses: string[]): ResolveAll =>
  async () =>
    addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

describe('address policy', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['::1', 'loopback'],
    ['10.0.0.1', 'private'],
    ['10.255.255.255', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.1', 'private'],
    ['192.168.1.1', 'private'],
    ['fc00::1', 'private'],
    ['fd12:3456::1', 'private'],
    ['169.254.10.1', 'link-local'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['100.64.0.1', 'shared'],
    ['100.127.255.254', 'shared'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['ff02::1', 'multicast'],
    ['169.254.169.254', 'metadata'],
    ['fd00:ec2::254', 'metadata'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:10.1.2.3', 'private'],
    ['::ffff:169.254.169.254', 'metadata'],
    ['::ffff:a9fe:a9fe', 'metadata'],
    ['::10.0.0.1', 'private'],
    ['64:ff9b::a00:1', 'private'],
    ['2002:a00:1::', 'private'],
    ['not-an-ip', 'reserved'],
  ])('refuses %s (%s)', (address, kind) => {
    expect(forbiddenKind(address)).toBe(kind);
  });

  it.each(['93.184.216.34', '8.8.8.8', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8', '64:ff9b::808:808'])('allows %s', (address) => {
    expect(forbiddenKind(address)).toBeUndefined();
  });

  it('expands IPv6 literals', () => {
    expect(ipv6Words('::ffff:1.2.3.4')).toEqual([0, 0, 0, 0, 0, 0xffff, 0x0102, 0x0304]);
    expect(ipv6Words('1::')).toEqual([1, 0, 0, 0, 0, 0, 0, 0]);
    expect(ipv6Words('1:2:3:4:5:6:7:8')).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(ipv6Words('1::2::3')).toBeUndefined();
  });
});

describe('checkTarget', () => {
  it('pins the public address it checked', async () => {
    const target = await checkTarget('https://hooks.example.com/in', production, resolvesTo('93.184.216.34'));
    expect(target).toMatchObject({ address: '93.184.216.34', family: 4 });
  });

  it.each(['https://127.0.0.1/', 'https://10.0.0.8/x', 'https://169.254.169.254/latest/meta-data', 'https://[::1]/', 'https://[::ffff:10.0.0.1]/'])(
    'refuses %s in production',
    async (url) => {
      await expect(checkTarget(url, production, resolvesTo())).rejects.toBeInstanceOf(TargetRefused);
    },
  );

  it('refuses a name when ANY of its addresses is private (localhost, rebinding sets)', async () => {
    await expect(checkTarget('https://localhost/', production)).rejects.toThrow(/loopback/);
    await expect(checkTarget('https://mixed.example/', production, resolvesTo('93.184.216.34', '10.0.0.1'))).rejects.toThrow(/10\.0\.0\.1/);
  });

  it('refuses http in production and allows it, and private targets, in development', async () => {
    await expect(checkTarget('http://hooks.example.com/', production, resolvesTo('93.184.216.34'))).rejects.toThrow(/https/);
    await expect(checkTarget('http://127.0.0.1:8080/', development)).resolves.toMatchObject({ address: '127.0.0.1' });
    await expect(checkTarget('http://localhost:8080/', development)).resolves.toBeDefined();
  });

  it('refuses cloud metadata even in development', async () => {
    await expect(checkTarget('http://169.254.169.254/', development)).rejects.toThrow(/metadata/);
  });

  it('refuses a host that does not resolve', async () => {
    const fails: ResolveAll = async () => {
      throw new Error('ENOTFOUND');
    };
    await expect(checkTarget('https://nowhere.invalid/', production, fails)).rejects.toThrow(/does not resolve/);
  });
});

describe('checkTarget with a resolver that hangs', () => {
  it('gives up after the timeout', async () => {
    const hangs: ResolveAll = () => new Promise(() => {});
    await expect(checkTarget('https://slow.example/', production, hangs, 50)).rejects.toThrow(/did not resolve within 0.05 s/);
  });
});
