import { describe, expect, it } from 'vitest';
import {
  AddressGuard,
  AddressRefusedError,
  parseAllowedHost,
  SchemeRefusedError,
  type LookupAll,
} from '../../activities/http/address-guard.js';
import { addressBytes, refusalRule } from '../../activities/http/private-address.js';

describe('refusalRule', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['10.0.0.5', 'RFC 1918, 10.0.0.0/8'],
    ['172.16.0.1', 'RFC 1918, 172.16.0.0/12'],
    ['172.31.255.255', 'RFC 1918, 172.16.0.0/12'],
    ['192.168.1.1', 'RFC 1918, 192.168.0.0/16'],
    ['169.254.169.254', 'link-local (metadata)'],
    ['169.254.1.1', 'link-local (169.254.0.0/16)'],
    ['100.64.0.1', 'CGNAT'],
    ['100.127.255.255', 'CGNAT'],
    ['0.0.0.0', '0.0.0.0/8'],
    ['0.1.2.3', '0.0.0.0/8'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['192.0.0.192', '192.0.0.0/24'],
    ['::', 'unspecified'],
    ['::1', 'loopback (::1)'],
    ['[::1]', 'loopback (::1)'],
    ['0:0:0:0:0:0:0:1', 'loopback (::1)'],
    ['fc00::1', 'unique local'],
    ['fd12:3456:789a::1', 'unique local'],
    ['fe80::1', 'IPv6 link-local'],
    ['fe80::1%eth0', 'IPv6 link-local'],
    ['febf::1', 'IPv6 link-local'],
    ['ff02::1', 'IPv6 multicast'],
    ['::ffff:127.0.0.1', 'IPv4-mapped IPv6 (::ffff:0:0/96) of 127.0.0.1, loopback'],
    ['::ffff:7f00:1', 'IPv4-mapped IPv6 (::ffff:0:0/96) of 127.0.0.1, loopback'],
    ['::ffff:a9fe:a9fe', 'of 169.254.169.254, link-local (metadata)'],
    ['::ffff:8.8.8.8', 'IPv4-mapped IPv6'],
    ['::127.0.0.1', 'IPv4-compatible'],
    ['64:ff9b::10.0.0.1', 'NAT64 (64:ff9b::/96) of 10.0.0.1'],
    ['2002:7f00:1::', '6to4 (2002::/16) of 127.0.0.1'],
  ])('refuses %s (%s)', (address, rule) => {
    expect(refusalRule(address)).toContain(rule);
  });

  it.each([
    '8.8.8.8',
    '1.1.1.1',
    '100.63.255.255',
    '100.128.0.0',
    '172.15.255.255',
    '172.32.0.0',
    '169.253.255.255',
    '192.169.0.1',
    '223.255.255.255',
    '2606:4700::1111',
    '2001:4860:4860::8888',
    '64:ff9b::8.8.8.8',
    '2002:808:808::',
  ])('lets the public address %s through', (address) => {
    expect(refusalRule(address)).toBeNull();
  });

  it('reads every spelling of an address to the same bytes, and no bytes for a name', () => {
    expect(addressBytes('::ffff:127.0.0.1')).toEqual(addressBytes('::ffff:7f00:1'));
    expect(addressBytes('[0::1]')).toEqual(addressBytes('::1'));
    expect(addressBytes('1:2:3:4:5:6:7:8')).toHaveLength(16);
    expect(addressBytes('example.com')).toBeNull();
    expect(refusalRule('example.com')).toBeNull();
  });
});

describe('parseAllowedHost', () => {
  it('reads host, host:port, IPv4 and IPv6 literals with and without a port', () => {
    expect(parseAllowedHost('Intranet.Example')).toMatchObject({ host: 'intranet.example', port: null, address: null });
    expect(parseAllowedHost(' localhost:3000 ')).toMatchObject({ host: 'localhost', port: 3000, address: null });
    expect(parseAllowedHost('127.0.0.1:8080')).toMatchObject({ host: '127.0.0.1', port: 8080 });
    expect(parseAllowedHost('::1')).toMatchObject({ host: '::1', port: null });
    expect(parseAllowedHost('[::1]:8080')).toMatchObject({ host: '::1', port: 8080 });
  });

  it.each(['http://host', 'host:0', 'host:99999', 'a:b:c', '[not-v6]:80', 'host/path', ''])('refuses "%s"', (entry) => {
    expect(() => parseAllowedHost(entry)).toThrow(/not a host or host:port/);
  });
});

/** DNS as the test says it is. */
const fakeDns =
  (answers: Record<string, string[]>): LookupAll =>
  async (hostname) => {
    const addresses = answers[hostname];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };

const refusalOf = async (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (error: unknown) => error,
  );

describe('AddressGuard', () => {
  const dns = fakeDns({
    'news.example': ['93.184.216.34'],
    'evil.example': ['10.0.0.5'],
    'mixed.example': ['93.184.216.34', '127.0.0.1'],
    localhost: ['127.0.0.1', '::1'],
    'intranet.example': ['192.168.1.10'],
  });

  it('dials the address it checked for a public name, and refuses a name that resolves to a private address', async () => {
    const guard = new AddressGuard([], dns);
    expect(await guard.addressToDial('news.example', 443)).toBe('93.184.216.34');
    const refusal = await refusalOf(guard.addressToDial('evil.example', 80));
    expect(refusal).toBeInstanceOf(AddressRefusedError);
    expect((refusal as Error).message).toBe('evil.example resolves to 10.0.0.5, private (RFC 1918, 10.0.0.0/8)');
    expect(await refusalOf(guard.addressToDial('mixed.example', 80))).toMatchObject({
      address: '127.0.0.1',
      rule: 'loopback (127.0.0.0/8)',
    });
  });

  it('refuses IP-literal hosts without asking DNS, and names the rule', async () => {
    const guard = new AddressGuard([], () => Promise.reject(new Error('DNS must not be asked')));
    expect(await refusalOf(guard.addressToDial('169.254.169.254', 80))).toMatchObject({
      message: '169.254.169.254 is link-local (metadata)',
    });
    expect(await refusalOf(guard.addressToDial('[::ffff:127.0.0.1]', 80))).toBeInstanceOf(AddressRefusedError);
    expect(() => guard.assertUrlWithoutLookup(new URL('http://10.1.2.3/feed'))).toThrow(AddressRefusedError);
    expect(() => guard.assertUrlWithoutLookup(new URL('http://[fd00::1]/'))).toThrow(/unique local/);
    // A decimal spelling is normalised by the URL parser before the guard sees it.
    expect(() => guard.assertUrlWithoutLookup(new URL('http://2130706433/'))).toThrow(/127\.0\.0\.1 is loopback/);
    expect(() => guard.assertUrlWithoutLookup(new URL('http://news.example/'))).not.toThrow();
  });

  it('allows only http and https', async () => {
    const guard = new AddressGuard([], dns);
    for (const url of ['data:text/html,hi', 'file:///etc/passwd', 'ftp://news.example/', 'gopher://news.example/']) {
      expect(() => guard.assertUrlWithoutLookup(new URL(url)), url).toThrow(SchemeRefusedError);
      expect(await refusalOf(guard.assertUrl(new URL(url)))).toBeInstanceOf(SchemeRefusedError);
    }
    await expect(guard.assertUrl(new URL('https://news.example/'))).resolves.toBeUndefined();
  });

  it('lets an allow-listed host through by the name as written, on any port unless the entry names one', async () => {
    const guard = new AddressGuard(['intranet.example', 'localhost:3000'], dns);
    expect(await guard.addressToDial('intranet.example', 8443)).toBeNull();
    expect(await guard.addressToDial('localhost', 3000)).toBeNull();
    expect(await refusalOf(guard.addressToDial('localhost', 3001))).toMatchObject({
      host: 'localhost',
      address: '127.0.0.1',
    });
    expect(await refusalOf(guard.addressToDial('evil.example', 80))).toBeInstanceOf(AddressRefusedError);
  });

  it('lets an allow-listed IP literal through as a URL host and as the address a name resolves to', async () => {
    const guard = new AddressGuard(['127.0.0.1:8080', '::1', '192.168.1.10'], dns);
    expect(await guard.addressToDial('127.0.0.1', 8080)).toBeNull();
    expect(() => guard.assertUrlWithoutLookup(new URL('http://127.0.0.1:8080/'))).not.toThrow();
    expect(() => guard.assertUrlWithoutLookup(new URL('http://127.0.0.1:8081/'))).toThrow(/loopback/);
    expect(await guard.addressToDial('[::1]', 9999)).toBeNull();
    // intranet.example → 192.168.1.10, which the list names.
    expect(await guard.addressToDial('intranet.example', 80)).toBe('192.168.1.10');
    // localhost → 127.0.0.1 (allowed on 8080 only) and ::1 (allowed on any port).
    expect(await guard.addressToDial('localhost', 8080)).toBe('127.0.0.1');
    expect(await refusalOf(guard.addressToDial('localhost', 80))).toMatchObject({ address: '127.0.0.1' });
    // The allow-list does not open 127.0.0.2.
    expect(await refusalOf(guard.addressToDial('127.0.0.2', 8080))).toBeInstanceOf(AddressRefusedError);
  });
});

describe('HTTP_ALLOWED_PRIVATE_HOSTS', () => {
  it('is empty by default and reads a comma list into the HTTP settings', async () => {
    const { httpSettings, loadConfig } = await import('../../src/config.js');
    expect(httpSettings(loadConfig({})).allowedPrivateHosts).toEqual([]);
    expect(
      httpSettings(loadConfig({ HTTP_ALLOWED_PRIVATE_HOSTS: ' intranet.example, 127.0.0.1:8080 ,,[::1]:3000' }))
        .allowedPrivateHosts,
    ).toEqual(['intranet.example', '127.0.0.1:8080', '[::1]:3000']);
  });

  it('stops the start on an entry that is not a host or host:port, naming the variable', async () => {
    const { loadConfig } = await import('../../src/config.js');
    expect(() => loadConfig({ HTTP_ALLOWED_PRIVATE_HOSTS: 'ok.example,http://bad/' })).toThrow(
      /HTTP_ALLOWED_PRIVATE_HOSTS: "http:\/\/bad\/" is not a host or host:port/,
    );
  });
});
