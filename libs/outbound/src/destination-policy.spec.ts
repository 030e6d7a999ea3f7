import { LookupFunction } from 'node:net';
import { DestinationNotAllowedError, DestinationPolicy, DestinationRefusedError } from './destination-policy';

/** A resolver answering from a table, the way a test sets DNS; an unknown name does not resolve. */
function resolver(table: Record<string, string[]>): LookupFunction {
  return (hostname, options, callback) => {
    const addresses = table[hostname];
    if (!addresses) return callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), '', 0);
    const all = addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
    if (options.all) return (callback as any)(null, all);
    return callback(null, all[0].address, all[0].family);
  };
}

const table = { 'api.lab.example': ['93.184.215.14'], 'inside.lab.example': ['93.184.215.14', '10.0.0.7'], 'dev.local': ['192.168.5.5'] };

describe('DestinationPolicy', () => {
  const policy = new DestinationPolicy({ allowedHosts: 'dev.local, 127.0.0.1, 172.20.0.0/16', lookup: resolver(table) });

  it('admits an https URL whose host resolves to public addresses only', async () => {
    await expect(policy.check('https://api.lab.example/v1')).resolves.toBeInstanceOf(URL);
  });

  it.each([
    ['http://api.lab.example/v1', /must use https/],
    ['ftp://api.lab.example/v1', /must be an https URL/],
    ['https://user:pw@api.lab.example/v1', /may not carry credentials/],
    ['https://127.0.0.2/v1', /host 127.0.0.2 is a loopback address/],
    ['https://[::ffff:169.254.169.254]/latest', /is a link-local address/],
    ['https://2130706434/v1', /host 127.0.0.2 is a loopback address/],
    ['https://inside.lab.example/v1', /host inside.lab.example resolves to a private address/],
    ['https://nowhere.lab.example/v1', /host nowhere.lab.example does not resolve/],
    ['not a url', /is not an absolute URL/],
  ])('refuses %s', async (url, message) => {
    await expect(policy.check(url)).rejects.toThrow(message);
  });

  it('lets allow-listed hosts use plain http and internal addresses, and nothing else', async () => {
    await expect(policy.check('http://dev.local:3010/v1')).resolves.toBeInstanceOf(URL);
    await expect(policy.check('http://127.0.0.1:3010/v1')).resolves.toBeInstanceOf(URL);
    await expect(policy.check('http://172.20.1.1/v1')).resolves.toBeInstanceOf(URL);
    await expect(policy.check('http://127.0.0.2/v1')).rejects.toThrow(/must use https/);
  });

  it('reports a refused field as a 422 naming it', async () => {
    const refused = await policy.assertAllowed('https://10.0.0.1/v1', 'endpoint.baseUrl').catch((e) => e);
    expect(refused).toBeInstanceOf(DestinationNotAllowedError);
    expect(refused).toMatchObject({ status: 422, code: 'destination_not_allowed', errors: [{ field: 'endpoint.baseUrl', message: 'host 10.0.0.1 is a private address, which Vantage does not call' }] });
    expect(await policy.problem('https://api.lab.example/v1', 'endpoint.baseUrl')).toBeUndefined();
  });

  it('judges the addresses a connection is about to use, so a changed DNS answer is refused', async () => {
    const answers = ['93.184.215.14', '127.0.0.1'];
    const rebinding: LookupFunction = (_h, options, callback) => {
      const address = answers.shift()!;
      return options.all ? (callback as any)(null, [{ address, family: 4 }]) : callback(null, address, 4);
    };
    const p = new DestinationPolicy({ allowedHosts: '', lookup: rebinding });
    await p.check('https://lab.example/v1');
    const connected = await new Promise((resolve) => p.connectLookup('lab.example', { all: false }, (err, address) => resolve(err ?? address)));
    expect(connected).toBeInstanceOf(DestinationRefusedError);
    expect((connected as DestinationRefusedError).reason).toBe('resolves to a loopback address, which Vantage does not call');
  });
});
