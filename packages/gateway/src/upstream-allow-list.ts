import { lookup as dnsLookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import type { ConnectionGuard } from '@reg/core';

/** Resolves a host name to every address it has (node:dns `lookup` with `all: true`). */
export type LookupAll = (hostname: string) => Promise<Array<{ address: string; family: number }>>;

const defaultLookup: LookupAll = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

/** Addresses a request-defined client may not reach, with the reason given back to the caller. */
const REFUSED_V4: Array<[string, number, string]> = [
  ['0.0.0.0', 8, 'an unspecified ("this network") address'],
  ['10.0.0.0', 8, 'a private address'],
  ['100.64.0.0', 10, 'a shared (carrier-grade NAT) address'],
  ['127.0.0.0', 8, 'a loopback address'],
  ['169.254.0.0', 16, 'a link-local address'],
  ['172.16.0.0', 12, 'a private address'],
  ['192.0.0.0', 24, 'an IETF protocol address'],
  ['192.168.0.0', 16, 'a private address'],
  ['198.18.0.0', 15, 'a benchmarking address'],
  ['224.0.0.0', 4, 'a multicast address'],
  ['240.0.0.0', 4, 'a reserved address'],
];
const REFUSED_V6: Array<[string, number, string]> = [
  ['::', 128, 'the unspecified address'],
  ['::1', 128, 'the loopback address'],
  ['fc00::', 7, 'a unique-local (private) address'],
  ['fe80::', 10, 'a link-local address'],
  ['fec0::', 10, 'a site-local address'],
  ['ff00::', 8, 'a multicast address'],
];
/** Cloud metadata services (AWS, GCP, Azure, ... and AWS's IPv6 one): named, since they are the usual target. */
const METADATA = new Set(['169.254.169.254', 'fd00:ec2:0:0:0:0:0:254']);

const REFUSED = new BlockList();
const REASONS: Array<{ list: BlockList; reason: string }> = [];
for (const [address, prefix, reason] of REFUSED_V4) addRange(address, prefix, 'ipv4', reason);
for (const [address, prefix, reason] of REFUSED_V6) addRange(address, prefix, 'ipv6', reason);

function addRange(address: string, prefix: number, family: 'ipv4' | 'ipv6', reason: string): void {
  REFUSED.addSubnet(address, prefix, family);
  const list = new BlockList();
  list.addSubnet(address, prefix, family);
  REASONS.push({ list, reason });
}

/**
 * Decides whether a request-defined client's `base_url` may be reached: http(s) only, and every
 * address its host resolves to must be public, unless the operator allowed the host or a range
 * (`allowUpstreams`: host names, IP addresses, CIDRs such as `10.0.0.0/8` or `fd00::/8`).
 *
 * `refusal` checks a `base_url` when the request's registry is built, so a bad one is a config
 * error with its path. `resolve` is the registry's ConnectionGuard: providers call it for every
 * connection they open (redirect hops included) and connect to the address it returns, so a DNS
 * answer that changes after the check (rebinding) or a redirect to a private address gets nowhere.
 */
export class UpstreamAllowList implements ConnectionGuard {
  readonly #hosts = new Set<string>();
  readonly #ranges = new BlockList();
  readonly #lookup: LookupAll;

  constructor(allow: readonly string[] = [], options: { lookup?: LookupAll } = {}) {
    this.#lookup = options.lookup ?? defaultLookup;
    for (const entry of allow) this.#allow(entry);
  }

  /** Undefined when `url` may be reached, else why not (for a ConfigIssue message). */
  async refusal(url: unknown): Promise<string | undefined> {
    if (typeof url !== 'string') return 'must be a URL string';
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return 'must be an absolute http(s) URL';
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return `must use http or https, not ${parsed.protocol.slice(0, -1)}`;
    // WHATWG URL parsing already turned forms like 0x7f.1 or 2130706433 into dotted IPv4.
    const host = parsed.hostname.replace(/^\[|\]$/g, '').toLowerCase();
    // An allowed host name needs no lookup here; connections still resolve it through `resolve`.
    if (this.#hosts.has(host)) return undefined;
    try {
      await this.resolve(host);
      return undefined;
    } catch (error) {
      if (error instanceof UpstreamRefusedError) return error.reason;
      throw error;
    }
  }

  /** The address to connect to for `hostname`; rejects with UpstreamRefusedError when it may not be reached. */
  async resolve(hostname: string): Promise<{ address: string; family: 4 | 6 }> {
    const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
    const version = isIP(host);
    if (version !== 0) {
      const refusal = this.#hosts.has(host) ? undefined : this.#addressRefusal(host, host);
      if (refusal) throw new UpstreamRefusedError(refusal);
      return { address: host, family: version as 4 | 6 };
    }
    let addresses: Array<{ address: string; family: number }>;
    try {
      addresses = await this.#lookup(host);
    } catch (error) {
      throw new UpstreamRefusedError(`host '${host}' could not be resolved (${(error as NodeJS.ErrnoException).code ?? 'lookup failed'})`);
    }
    const first = addresses[0];
    if (!first) throw new UpstreamRefusedError(`host '${host}' has no addresses`);
    if (!this.#hosts.has(host)) {
      for (const { address } of addresses) {
        const refusal = this.#addressRefusal(address, host);
        if (refusal) throw new UpstreamRefusedError(refusal);
      }
    }
    return { address: first.address, family: first.family === 6 ? 6 : 4 };
  }

  #addressRefusal(address: string, host: string): string | undefined {
    const target = normalize(address);
    if (!target) return `host '${host}' resolved to an address that cannot be checked (${address})`;
    if (this.#ranges.check(target.address, target.family)) return undefined;
    const via = host === address ? `'${address}'` : `host '${host}' resolves to ${address}, which`;
    if (METADATA.has(target.address)) {
      return `${via} is a cloud metadata address; request-defined clients may not reach it`;
    }
    if (!REFUSED.check(target.address, target.family)) return undefined;
    const reason = REASONS.find((range) => range.list.check(target.address, target.family))?.reason ?? 'a non-public address';
    return `${via} is ${reason}; request-defined clients may only reach public hosts (the operator can allow it with allowUpstreams)`;
  }

  #allow(entry: string): void {
    const value = entry.trim().toLowerCase().replace(/^\[|\]$/g, '');
    const slash = value.indexOf('/');
    if (slash > 0) {
      const base = value.slice(0, slash);
      const prefix = Number(value.slice(slash + 1));
      const family = isIP(base) === 4 ? 'ipv4' : isIP(base) === 6 ? 'ipv6' : undefined;
      if (!family || !Number.isInteger(prefix)) throw new TypeError(`allowUpstreams: '${entry}' is not a host name, an IP address or a CIDR`);
      this.#ranges.addSubnet(base, prefix, family);
      return;
    }
    if (isIP(value)) {
      const target = normalize(value)!;
      this.#ranges.addAddress(target.address, target.family);
      // An IP literal in a URL is matched before any lookup.
      this.#hosts.add(value);
      return;
    }
    if (value === '') throw new TypeError('allowUpstreams: empty entry');
    this.#hosts.add(value);
  }
}

/** A connection of a request-defined client that the allow-list refused (at connect time). */
export class UpstreamRefusedError extends Error {
  readonly code = 'REG_UPSTREAM_REFUSED';
  /** Why, as a config issue would say it. */
  readonly reason: string;
  constructor(reason: string) {
    super(`The gateway refused the connection: ${reason}`);
    this.name = 'UpstreamRefusedError';
    this.reason = reason;
  }
}

/**
 * The address to check, with IPv6 forms that embed an IPv4 address (mapped `::ffff:a.b.c.d`,
 * NAT64 `64:ff9b::/96`, 6to4 `2002::/16`, IPv4-compatible `::a.b.c.d`) reduced to that IPv4 address.
 */
function normalize(address: string): { address: string; family: 'ipv4' | 'ipv6' } | undefined {
  const version = isIP(address);
  if (version === 4) return { address, family: 'ipv4' };
  if (version !== 6) return undefined;
  const groups = expandV6(address);
  if (!groups) return undefined;
  const words = groups.map((group) => Number.parseInt(group, 16));
  const v4 = (high: number, low: number) => `${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`;
  const zerosUpTo = (end: number) => words.slice(0, end).every((word) => word === 0);
  if (zerosUpTo(5) && words[5] === 0xffff) return { address: v4(words[6]!, words[7]!), family: 'ipv4' };
  if (words[0] === 0x64 && words[1] === 0xff9b && words.slice(2, 6).every((word) => word === 0)) {
    return { address: v4(words[6]!, words[7]!), family: 'ipv4' };
  }
  if (words[0] === 0x2002) return { address: v4(words[1]!, words[2]!), family: 'ipv4' };
  if (zerosUpTo(6) && (words[6] !== 0 || words[7]! > 1)) return { address: v4(words[6]!, words[7]!), family: 'ipv4' };
  return { address: groups.join(':'), family: 'ipv6' };
}

/** Eight lower-case hex groups without leading zeros, or undefined when `address` is not IPv6. */
function expandV6(address: string): string[] | undefined {
  let text = address.toLowerCase().replace(/%.*$/, '');
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 0) return undefined;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  if (groups.length !== 8 || groups.some((group) => !/^[0-9a-f]{1,4}$/.test(group))) return undefined;
  return groups.map((group) => Number.parseInt(group, 16).toString(16));
}
