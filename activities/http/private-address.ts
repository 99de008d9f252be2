import { isIPv4, isIPv6 } from 'node:net';

/**
 * Which addresses a fetch of strangers' URLs must never reach: the worker's own machine, its network,
 * the cloud's metadata service. Classified on the bytes of the address, so every spelling of one
 * (`::ffff:7f00:1`, `::ffff:127.0.0.1`, `0:0::1`) lands in the same rule.
 */
interface Range {
  prefix: number[];
  bits: number;
  rule: string;
}

const V4_RANGES: Range[] = [
  { prefix: [0], bits: 8, rule: '"this network" (0.0.0.0/8)' },
  { prefix: [10], bits: 8, rule: 'private (RFC 1918, 10.0.0.0/8)' },
  { prefix: [100, 64], bits: 10, rule: 'shared address space (CGNAT, 100.64.0.0/10)' },
  { prefix: [127], bits: 8, rule: 'loopback (127.0.0.0/8)' },
  { prefix: [169, 254, 169, 254], bits: 32, rule: 'link-local (metadata)' },
  { prefix: [169, 254], bits: 16, rule: 'link-local (169.254.0.0/16)' },
  { prefix: [172, 16], bits: 12, rule: 'private (RFC 1918, 172.16.0.0/12)' },
  // Protocol assignments: 192.0.0.192 is Oracle Cloud's metadata service.
  { prefix: [192, 0, 0], bits: 24, rule: 'reserved (IETF protocol assignments, 192.0.0.0/24)' },
  { prefix: [192, 168], bits: 16, rule: 'private (RFC 1918, 192.168.0.0/16)' },
  { prefix: [198, 18], bits: 15, rule: 'reserved (benchmarking, 198.18.0.0/15)' },
  { prefix: [224], bits: 4, rule: 'multicast (224.0.0.0/4)' },
  { prefix: [240], bits: 4, rule: 'reserved (240.0.0.0/4, broadcast included)' },
];

const V6_RANGES: Range[] = [
  { prefix: [], bits: 128, rule: 'unspecified (::)' },
  { prefix: [...zeros(15), 1], bits: 128, rule: 'loopback (::1)' },
  { prefix: [], bits: 96, rule: 'IPv4-compatible IPv6 (::/96, deprecated)' },
  { prefix: [0x00, 0x64, 0xff, 0x9b, 0x00, 0x01], bits: 48, rule: 'local-use NAT64 (64:ff9b:1::/48)' },
  { prefix: [0xfc], bits: 7, rule: 'IPv6 unique local (fc00::/7)' },
  { prefix: [0xfe, 0x80], bits: 10, rule: 'IPv6 link-local (fe80::/10)' },
  { prefix: [0xfe, 0xc0], bits: 10, rule: 'IPv6 site-local (fec0::/10, deprecated)' },
  { prefix: [0xff], bits: 8, rule: 'IPv6 multicast (ff00::/8)' },
];

/** IPv6 prefixes that carry an IPv4 address inside: the inner address decides (offset = its first byte). */
const V4_CARRIERS = [
  { prefix: [0x00, 0x64, 0xff, 0x9b], bits: 96, offset: 12, name: 'NAT64 (64:ff9b::/96)' },
  { prefix: [0x20, 0x02], bits: 16, offset: 2, name: '6to4 (2002::/16)' },
];

/**
 * The rule that refuses `address` (an IPv4 or IPv6 literal, brackets and zone allowed), or null when it
 * is a public address. Not an address at all: null too (the caller resolves names first).
 */
export function refusalRule(address: string): string | null {
  const bytes = addressBytes(address);
  if (!bytes) return null;
  if (bytes.length === 4) return matchRule(bytes, V4_RANGES);
  if (isV4Mapped(bytes)) {
    const inner = bytes.subarray(12).join('.');
    const innerRule = matchRule(bytes.subarray(12), V4_RANGES);
    return `IPv4-mapped IPv6 (::ffff:0:0/96) of ${inner}${innerRule ? `, ${innerRule}` : ''}`;
  }
  const rule = matchRule(bytes, V6_RANGES);
  if (rule) return rule;
  for (const carrier of V4_CARRIERS) {
    if (!inPrefix(bytes, carrier.prefix, carrier.bits)) continue;
    const inner = bytes.subarray(carrier.offset, carrier.offset + 4);
    const innerRule = matchRule(inner, V4_RANGES);
    if (innerRule) return `${carrier.name} of ${inner.join('.')}, ${innerRule}`;
  }
  return null;
}

/** The address as 4 or 16 bytes; null when `text` is not an IP literal. */
export function addressBytes(text: string): Uint8Array | null {
  const address = text.replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, '');
  if (isIPv4(address)) return Uint8Array.from(address.split('.').map(Number));
  if (!isIPv6(address)) return null;
  let groups = address;
  const bytes: number[] = [];
  // A trailing dotted quad (::ffff:127.0.0.1) stands for the last two groups.
  const dotted = groups.match(/(\d+\.\d+\.\d+\.\d+)$/);
  let tail: number[] = [];
  if (dotted?.[1]) {
    tail = dotted[1].split('.').map(Number);
    groups = groups.slice(0, -dotted[1].length);
    if (!groups.endsWith('::')) groups = groups.slice(0, -1);
  }
  const [head = '', rest] = groups.split('::');
  const headGroups = head ? head.split(':') : [];
  const restGroups = rest ? rest.split(':') : [];
  const missing = 8 - tail.length / 2 - headGroups.length - restGroups.length;
  const all = [...headGroups, ...(rest === undefined ? [] : Array<string>(missing).fill('0')), ...restGroups];
  for (const group of all) {
    const value = parseInt(group, 16);
    bytes.push(value >> 8, value & 0xff);
  }
  bytes.push(...tail);
  return bytes.length === 16 ? Uint8Array.from(bytes) : null;
}

export function sameAddress(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, index) => byte === b[index]);
}

function isV4Mapped(bytes: Uint8Array): boolean {
  return inPrefix(bytes, [...zeros(10), 0xff, 0xff], 96);
}

function matchRule(bytes: Uint8Array, ranges: Range[]): string | null {
  return ranges.find((range) => inPrefix(bytes, range.prefix, range.bits))?.rule ?? null;
}

/** Whether the first `bits` bits of `bytes` equal those of `prefix` (missing prefix bytes are zero). */
function inPrefix(bytes: Uint8Array, prefix: number[], bits: number): boolean {
  for (let bit = 0; bit < bits; bit += 8) {
    const width = Math.min(8, bits - bit);
    const mask = (0xff << (8 - width)) & 0xff;
    const index = bit / 8;
    if (((bytes[index] ?? 0) & mask) !== ((prefix[index] ?? 0) & mask)) return false;
  }
  return true;
}

function zeros(count: number): number[] {
  return Array<number>(count).fill(0);
}
