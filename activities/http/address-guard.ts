import { lookup } from 'node:dns/promises';
import { isIPv6 } from 'node:net';
import { addressBytes, refusalRule, sameAddress } from './private-address.js';

/** Thrown (or passed to a connect callback) when a host may not be reached; `message` names host and rule. */
export class AddressRefusedError extends Error {
  override readonly name = 'AddressRefusedError';
  constructor(
    readonly host: string,
    readonly address: string,
    readonly rule: string,
  ) {
    super(host === address ? `${host} is ${rule}` : `${host} resolves to ${address}, ${rule}`);
  }
}

/** Thrown for a URL whose scheme is not http or https (data:, file:, ftp:...). */
export class SchemeRefusedError extends Error {
  override readonly name = 'SchemeRefusedError';
  constructor(readonly scheme: string) {
    super(`only http and https URLs are fetched, not ${scheme}`);
  }
}

/** One `HTTP_ALLOWED_PRIVATE_HOSTS` entry: a host as written in URLs, any port unless one is given. */
export interface AllowedHost {
  host: string;
  port: number | null;
  /** Set when the entry is an IP literal: a name resolving to this address is allowed too. */
  address: Uint8Array | null;
}

/** Reads `host`, `host:port`, `[v6]`, `[v6]:port` or a bare IPv6 literal; throws on anything else. */
export function parseAllowedHost(entry: string): AllowedHost {
  const text = entry.trim().toLowerCase();
  // A bare IPv6 literal has colons of its own: it can carry a port only in brackets.
  if (isIPv6(text)) return { host: text, port: null, address: addressBytes(text) };
  const match = text.match(/^(?:\[([^\]]+)\]|([\w.-]+))(?::(\d{1,5}))?$/);
  const host = match?.[1] ?? match?.[2];
  const port = match?.[3] ? Number(match[3]) : null;
  if (!host || (match?.[1] !== undefined && !isIPv6(host)) || (port !== null && (port < 1 || port > 65535))) {
    throw new Error(`"${entry.trim()}" is not a host or host:port`);
  }
  return { host, port, address: addressBytes(host) };
}

export type LookupAll = (hostname: string) => Promise<Array<{ address: string; family: number }>>;

const lookupAll: LookupAll = (hostname) => lookup(hostname, { all: true, verbatim: true });

/**
 * The private-address guard every fetch of strangers' URLs goes through: the HTTP client's connections
 * and the browser's requests. It decides on the address actually dialled (after DNS), so a public name
 * that resolves to 10.0.0.5 is refused; `allowed` (HTTP_ALLOWED_PRIVATE_HOSTS) lets local fixtures and
 * intranet feeds through.
 */
export class AddressGuard {
  private readonly allowed: AllowedHost[];

  constructor(
    allowedHosts: readonly string[] = [],
    private readonly resolve: LookupAll = lookupAll,
  ) {
    this.allowed = allowedHosts.map(parseAllowedHost);
  }

  /** Throws SchemeRefusedError unless `url` is http(s). */
  assertScheme(url: URL): void {
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new SchemeRefusedError(url.protocol);
  }

  /**
   * What can be decided without DNS: the scheme, and a host that is an IP literal. Throws the refusal;
   * a name passes here and is judged by `addressToDial` when the connection opens.
   */
  assertUrlWithoutLookup(url: URL): void {
    this.assertScheme(url);
    const host = bareHost(url.hostname);
    if (!addressBytes(host)) return;
    const port = effectivePort(url);
    if (this.allowsName(host, port) || this.allowsAddress(host, port)) return;
    const rule = refusalRule(host);
    if (rule) throw new AddressRefusedError(host, host, rule);
  }

  /** The scheme, then the host after DNS; for work that cannot dial through `addressToDial` (a browser). */
  async assertUrl(url: URL): Promise<void> {
    this.assertScheme(url);
    await this.addressToDial(url.hostname, effectivePort(url));
  }

  /**
   * The address a connection to `hostname:port` must use, after resolving it and refusing private
   * answers; null when the host is allow-listed by name (dial it as usual). Every resolved address is
   * checked: a name with one private answer among public ones is refused, not raced.
   */
  async addressToDial(hostname: string, port: number): Promise<string | null> {
    const host = bareHost(hostname);
    if (this.allowsName(host, port)) return null;
    const answers = addressBytes(host) ? [{ address: host }] : await this.resolve(host);
    for (const { address } of answers) {
      if (this.allowsAddress(address, port)) continue;
      const rule = refusalRule(address);
      if (rule) throw new AddressRefusedError(host, address, rule);
    }
    const first = answers[0];
    if (!first) throw new Error(`${host}: DNS gave no address`);
    return first.address;
  }

  private allowsName(host: string, port: number): boolean {
    return this.allowed.some((entry) => entry.host === host && (entry.port === null || entry.port === port));
  }

  private allowsAddress(address: string, port: number): boolean {
    const bytes = addressBytes(address);
    return (
      bytes !== null &&
      this.allowed.some(
        (entry) =>
          entry.address !== null && sameAddress(entry.address, bytes) && (entry.port === null || entry.port === port),
      )
    );
  }
}

function bareHost(hostname: string): string {
  return hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1');
}

function effectivePort(url: URL): number {
  return Number(url.port) || (url.protocol === 'https:' ? 443 : 80);
}
