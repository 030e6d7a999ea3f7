// OUTBOUND_ALLOWED_HOSTS: the hosts a developer's machine may call over plain http and at internal addresses.
import { BlockList, isIP } from 'node:net';

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
    } else if (/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*\.?$/.test(entry)) {
      names.add(entry.replace(/\.$/, ''));
    } else {
      throw new Error(`"${entry}" is neither a host name, an IP address nor a CIDR`);
    }
  }
  return { names, addresses };
}
