// The one destination policy for every call Vantage makes to a URL someone gave it (a lab's model endpoint, a
// webhook): https only, no credentials in the URL, and never an address of someone's own network (loopback,
// private, link-local, carrier-grade NAT, multicast, unspecified…). Judged when the URL is given, and again for
// every connection on the address actually connected to, so that a DNS answer that changes later (rebinding)
// cannot slip through. Hosts on OUTBOUND_ALLOWED_HOSTS, meant for development, may use plain http and internal
// addresses.
import { LookupAddress, LookupOptions, lookup as systemLookup } from 'node:dns';
import { isIP, LookupFunction } from 'node:net';
import { FieldProblem, RuleViolationError } from '@vantage/contracts';
import { AllowedHosts, parseAllowedHosts } from './allowed-hosts';
import { specialPurpose } from './special-addresses';

/** A destination Vantage will not call. `reason` names neither the host nor an address: safe to show a third party. */
export class DestinationRefusedError extends Error {
  constructor(
    readonly reason: string,
    host?: string,
  ) {
    super(host ? `host ${host} ${reason}` : reason);
    this.name = 'DestinationRefusedError';
  }
}

/** A refused URL in a request: 422 naming the field, before anything is written. */
export class DestinationNotAllowedError extends RuleViolationError {
  constructor(field: string, message: string) {
    super('destination_not_allowed', `${field} ${message}`, [{ field, message }]);
  }
}

export interface DestinationPolicyOptions {
  /** OUTBOUND_ALLOWED_HOSTS: names, addresses and CIDRs, comma-separated. */
  allowedHosts: string;
  /** Where host names are resolved; the system's resolver unless a test gives one whose answer changes. */
  lookup?: LookupFunction;
}

/** How long a URL given to Vantage may take to resolve before it counts as not resolving. */
const RESOLVE_TIMEOUT_MS = 5_000;

export class DestinationPolicy {
  private readonly allowed: AllowedHosts;
  private readonly resolver: LookupFunction;

  constructor(options: DestinationPolicyOptions) {
    this.allowed = parseAllowedHosts(options.allowedHosts);
    this.resolver = options.lookup ?? (systemLookup as LookupFunction);
  }

  /**
   * What can be judged without resolving: an absolute https URL (http only for an allow-listed host), with no
   * credentials, whose host is not an internal IP address. Throws DestinationRefusedError.
   */
  target(raw: string): URL {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new DestinationRefusedError('is not an absolute URL');
    }
    const host = hostOf(url);
    if (url.protocol === 'http:') {
      if (!this.admits(host)) {
        throw new DestinationRefusedError('must use https: plain http is only for hosts on the development allow-list (OUTBOUND_ALLOWED_HOSTS)');
      }
    } else if (url.protocol !== 'https:') {
      throw new DestinationRefusedError('must be an https URL');
    }
    if (url.username || url.password) throw new DestinationRefusedError('may not carry credentials (a user or password in the URL)');
    // Node connects to an IP literal without a lookup, so it is judged here.
    if (isIP(host)) this.assertAddress(host, host, 'is');
    return url;
  }

  /** `target`, and the host resolved now: refused if it does not resolve or any of its addresses is internal. */
  async check(raw: string): Promise<URL> {
    const url = this.target(raw);
    const host = hostOf(url);
    if (isIP(host) || this.allowed.names.has(host)) return url;
    for (const { address } of await this.resolve(host)) this.assertAddress(host, address, 'resolves to');
    return url;
  }

  /** `check` for a field of a request: the problem to report, or undefined when the URL may be called. */
  async problem(raw: string, field: string): Promise<FieldProblem | undefined> {
    try {
      await this.check(raw);
      return undefined;
    } catch (e) {
      if (e instanceof DestinationRefusedError) return { field, message: e.message };
      throw e;
    }
  }

  /** `check` for a field of a request, refused as a 422 naming it. */
  async assertAllowed(raw: string, field: string): Promise<URL> {
    const problem = await this.problem(raw, field);
    if (problem) throw new DestinationNotAllowedError(field, problem.message);
    return new URL(raw);
  }

  /**
   * The `lookup` of every outbound connection: the addresses about to be connected to are judged as they are
   * resolved, so no packet goes to an internal address a host name has come to point at.
   */
  readonly connectLookup: LookupFunction = (hostname, options, callback) => {
    const host = hostname.replace(/\.$/, '').toLowerCase();
    this.resolver(hostname, { ...options, all: true }, (err, results) => {
      if (err) return callback(err, '', 0);
      const addresses = results as unknown as LookupAddress[];
      try {
        if (!this.allowed.names.has(host)) for (const r of addresses) this.assertAddress(host, r.address, 'resolves to');
      } catch (e) {
        return callback(e as NodeJS.ErrnoException, '', 0);
      }
      if ((options as LookupOptions).all) return (callback as (e: null, a: LookupAddress[]) => void)(null, addresses);
      return callback(null, addresses[0].address, addresses[0].family);
    });
  };

  /** An allow-listed host: by name, or an IP literal inside an allow-listed address or range. */
  private admits(host: string): boolean {
    const family = isIP(host);
    return this.allowed.names.has(host) || (family !== 0 && this.allowed.addresses.check(host, family === 4 ? 'ipv4' : 'ipv6'));
  }

  private assertAddress(host: string, address: string, verb: 'is' | 'resolves to'): void {
    const family = isIP(address);
    if (family && this.allowed.addresses.check(address, family === 4 ? 'ipv4' : 'ipv6')) return;
    const kind = specialPurpose(address);
    if (kind) throw new DestinationRefusedError(`${verb} ${/^[aeiou]/.test(kind) ? 'an' : 'a'} ${kind} address, which Vantage does not call`, host);
  }

  private resolve(host: string): Promise<LookupAddress[]> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new DestinationRefusedError(`does not resolve (no answer within ${RESOLVE_TIMEOUT_MS / 1000} s)`, host)), RESOLVE_TIMEOUT_MS);
      this.resolver(host, { all: true }, (err, results) => {
        clearTimeout(timer);
        const addresses = results as unknown as LookupAddress[];
        if (err || !addresses?.length) reject(new DestinationRefusedError('does not resolve', host));
        else resolve(addresses);
      });
    });
  }
}

/** The URL's host as it is looked up: brackets of an IPv6 literal and a trailing root dot removed, lower case. */
function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '').toLowerCase();
}
