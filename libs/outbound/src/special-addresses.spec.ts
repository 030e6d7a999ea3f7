import { embeddedIpv4, ipv6Bytes, specialPurpose } from './special-addresses';

describe('special-purpose addresses', () => {
  it.each([
    ['127.0.0.1', 'loopback'], ['127.255.0.9', 'loopback'], ['::1', 'loopback'],
    ['10.1.2.3', 'private'], ['172.31.255.255', 'private'], ['192.168.1.1', 'private'], ['fd12:3456::1', 'private'],
    ['169.254.169.254', 'link-local'], ['fe80::1', 'link-local'],
    ['100.64.0.1', 'shared (carrier-grade NAT)'], ['224.0.0.251', 'multicast'], ['ff02::1', 'multicast'],
    ['0.0.0.0', 'unspecified'], ['::', 'unspecified'], ['255.255.255.255', 'reserved'], ['192.0.2.10', 'documentation'],
    ['2001:db8::1', 'documentation'], ['198.18.0.1', 'benchmarking'], ['2001::1', 'reserved'],
  ])('judges %s as %s', (address, kind) => {
    expect(specialPurpose(address)).toBe(kind);
  });

  it.each(['::ffff:127.0.0.1', '::ffff:7f00:1', '64:ff9b::7f00:1', '2002:7f00:1::1', '::ffff:10.0.0.1'])(
    'judges the IPv4 address %s carries, not the IPv6 one',
    (address) => {
      expect(specialPurpose(address)).toMatch(/loopback|private/);
    },
  );

  it.each(['93.184.215.14', '8.8.8.8', '2606:4700::6810:85e5', '::ffff:8.8.8.8', '64:ff9b::808:808', '172.32.0.1', '100.128.0.1'])(
    'leaves %s, an address on the public internet, alone',
    (address) => {
      expect(specialPurpose(address)).toBeUndefined();
    },
  );

  it('reads IPv6 in every textual form', () => {
    expect(ipv6Bytes('::1')).toEqual([...Array(15).fill(0), 1]);
    expect(ipv6Bytes('1:2::')).toEqual([0, 1, 0, 2, ...Array(12).fill(0)]);
    expect(embeddedIpv4('::ffff:192.168.1.1')).toBe('192.168.1.1');
    expect(embeddedIpv4('::ffff:c0a8:101')).toBe('192.168.1.1');
    expect(embeddedIpv4('2001:db8::1')).toBeUndefined();
    expect(ipv6Bytes('10.0.0.1')).toBeUndefined();
  });
});
