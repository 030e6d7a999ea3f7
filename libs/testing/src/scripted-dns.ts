// DNS as a test sets it, for a service's `lookup`: the names a test scripts are answered from its table (which it
// may change between calls, as a rebinding attacker changes a record); every other name goes to the system's resolver.
import { lookup as systemLookup, LookupAddress } from 'node:dns';
import { isIP, LookupFunction } from 'node:net';

export class ScriptedDns {
  private readonly table = new Map<string, string[]>();

  /** From now on `name` resolves to these addresses. */
  answer(name: string, ...addresses: string[]): this {
    this.table.set(name.toLowerCase(), addresses);
    return this;
  }

  /** From now on `name` goes to the system's resolver again. */
  forget(name: string): this {
    this.table.delete(name.toLowerCase());
    return this;
  }

  readonly lookup: LookupFunction = (hostname, options, callback) => {
    const scripted = this.table.get(hostname.toLowerCase());
    if (!scripted) return (systemLookup as LookupFunction)(hostname, options, callback);
    const all: LookupAddress[] = scripted.map((address) => ({ address, family: isIP(address) }));
    if (options.all) return (callback as (err: null, addresses: LookupAddress[]) => void)(null, all);
    return callback(null, all[0].address, all[0].family);
  };
}
