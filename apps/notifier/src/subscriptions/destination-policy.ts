// Outbound safety: a webhook may not reach private, loopback or link-local addresses (the notifier's own
// network) unless WEBHOOK_ALLOWED_HOSTS admits them. Checked when a subscription is made, and again for every
// request on the address actually connected to, so a DNS answer that changes later cannot slip through.
import { Inject, Injectable } from '@nestjs/common';
import { LookupAddress, lookup as dnsLookup } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { RuleViolationError } from '@vantage/contracts';
import { SERVICE_CONFIG } from '@vantage/runtime';
import type { NotifierConfig } from '../config';

export class DestinationNotAllowedError extends RuleViolationError {
  constructor(detail: string) {
    super('destination_not_allowed', `url ${detail}`, [{ field: 'url', message: detail }]);
  }
}

export interface AllowedHosts {
  names: Set<string>;
  addresses: BlockList;
}

/** Parses `host, 10.1.2.3, 192.168.0.0/16, ::1` into names and address ranges. Throws naming a bad entry. */
export function parseAllowedHosts(setting: string): AllowedHosts {
  const names = new Set<string>();
  const addresses = new BlockList();
  for (const entry of setting.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean)) {
    const [address, bits, extra] = entry.split('/');
    const family = isIP(address);
    if (family && extra === undefined) {
      const type = family === 4 ? 'ipv4' : 'ipv6';
      if (bits === undefined) addresses.addAddress(address, type);
      else {
        const prefix = Number(bits);
        if (!/^\d+$/.test(bits) || prefix > (family === 4 ? 32 : 128)) throw new Error(`"${entry}" is not a CIDR`);
        addresses.addSubnet(address, prefix, type);
      }
    } else if (/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/.test(entry)) {
      names.add(entry);
    } else {
      throw new Error(`"${entry}" is neither a host name, an IP address nor a CIDR`);
    }
  }
  return { names, addresses };
}

/** Addresses that belong to someone's own network rather than the internet. */
const INTERNAL = (() => {
  const list = new BlockList();
  for (const [net, prefix] of [
    ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
    ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4],
  ] as const) list.addSubnet(net, prefix, 'ipv4');
  for (const [net, prefix] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8]] as const) list.addSubnet(net, prefix, 'ipv6');
  return list;
})();

function familyOf(address: string): 'ipv4' | 'ipv6' {
  return isIP(address) === 6 ? 'ipv6' : 'ipv4';
}

/** An IPv4 address written as IPv6 (`::ffff:10.0.0.1`) is judged as the IPv4 address it is. */
function unmapped(address: string): string {
  const dotted = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (dotted) return dotted[1];
  // URL parsing writes the same address in hex: ::ffff:c0a8:101 is 192.168.1.1.
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (!hex) return address;
  const [high, low] = [parseInt(hex[1], 16), parseInt(hex[2], 16)];
  return [high >> 8, high & 255, low >> 8, low & 255].join('.');
}

@Injectable()
export class DestinationPolicy {
  private readonly allowed: AllowedHosts;

  constructor(@Inject(SERVICE_CONFIG) config: NotifierConfig) {
    this.allowed = parseAllowedHosts(config.WEBHOOK_ALLOWED_HOSTS);
  }

  /** Parses a subscription URL: http(s), no credentials in it. Throws a 422 naming `url`. */
  parseUrl(raw: string): URL {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new DestinationNotAllowedError('is not an absolute URL');
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new DestinationNotAllowedError('must be http or https');
    if (url.username || url.password) throw new DestinationNotAllowedError('may not carry credentials');
    return url;
  }

  /** Resolves the URL's host and refuses it if any address it resolves to is internal and not admitted. */
  async check(raw: string): Promise<URL> {
    const url = this.parseUrl(raw);
    const host = hostOf(url);
    if (this.allowed.names.has(host)) return url;
    const addresses = isIP(host) ? [host] : await resolveAll(host);
    for (const address of addresses) this.assertAddress(host, address);
    return url;
  }

  /**
   * A `lookup` for node's http(s) request: the address the request actually connects to is the one checked,
   * so a host whose DNS answer changed since creation is still refused.
   */
  guardedLookup(host: string): (hostname: string, options: object, callback: (...args: any[]) => void) => void {
    return (hostname, options, callback) => {
      dnsLookup(hostname, { ...options, all: true }, (err, results: LookupAddress[]) => {
        if (err) return callback(err);
        try {
          if (!this.allowed.names.has(host)) for (const r of results) this.assertAddress(host, r.address);
        } catch (e) {
          return callback(e);
        }
        if ((options as { all?: boolean }).all) return callback(null, results);
        return callback(null, results[0].address, results[0].family);
      });
    };
  }

  /** For an IP literal (no lookup happens for those). */
  assertHost(url: URL): void {
    const host = hostOf(url);
    if (!this.allowed.names.has(host) && isIP(host)) this.assertAddress(host, host);
  }

  private assertAddress(host: string, address: string): void {
    const a = unmapped(address);
    const family = familyOf(a);
    if (this.allowed.addresses.check(a, family)) return;
    if (INTERNAL.check(a, family)) {
      throw new DestinationNotAllowedError(`host ${host} resolves to a private, loopback or link-local address, which webhooks may not reach`);
    }
  }
}

function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
}

function resolveAll(host: string): Promise<string[]> {
  return new Promise((resolve, reject) =>
    dnsLookup(host, { all: true }, (err, results) => {
      if (err) reject(new DestinationNotAllowedError(`host ${host} does not resolve`));
      else resolve(results.map((r) => r.address));
    }),
  );
}
