import { fingerprintOf } from './fingerprint';

describe('fingerprint', () => {
  it('is the same for the same package, weakness and place, however the path is written', () => {
    const a = fingerprintOf('pkg:npm/acme', 'CWE-89', { file: './src/search.ts', function: 'find' });
    expect(fingerprintOf('pkg:npm/acme', 'CWE-89', { file: ' src/search.ts ', function: ' find ' })).toBe(a);
    expect(fingerprintOf('pkg:npm/acme', 'CWE-89', { file: '/src/search.ts', function: 'find' })).toBe(a);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
  });

  it('differs when the package, the weakness or the place differs', () => {
    const a = fingerprintOf('pkg:npm/acme', 'CWE-89', { file: 'src/search.ts', function: 'find' });
    expect(fingerprintOf('pkg:npm/other', 'CWE-89', { file: 'src/search.ts', function: 'find' })).not.toBe(a);
    expect(fingerprintOf('pkg:npm/acme', 'CWE-79', { file: 'src/search.ts', function: 'find' })).not.toBe(a);
    expect(fingerprintOf('pkg:npm/acme', 'CWE-89', { file: 'src/index.ts', function: 'find' })).not.toBe(a);
    expect(fingerprintOf('pkg:npm/acme', 'CWE-89', { file: 'src/search.ts' })).not.toBe(a);
  });

  it('treats a missing weakness or location as empty', () => {
    expect(fingerprintOf('pkg:npm/acme', undefined, undefined)).toBe(fingerprintOf('pkg:npm/acme', undefined, {}));
  });
});
