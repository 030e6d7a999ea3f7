import fc from 'fast-check';
import { Audience, AudienceMember, CLEARANCES, ORG_KINDS } from './audience';

const lab: AudienceMember = { id: 'lab1', kind: 'lab' };
const operator: AudienceMember = { id: 'op', kind: 'operator' };
const secretAgency: AudienceMember = { id: 'ag1', kind: 'agency', clearance: 'secret' };
const cuiAgency: AudienceMember = { id: 'ag2', kind: 'agency', clearance: 'cui' };
const otherSecretAgency: AudienceMember = { id: 'ag3', kind: 'agency', clearance: 'top-secret' };

describe('Audience', () => {
  it('reads encodings from before intersections as it always did, and writes them the same way', () => {
    const encoded = 'org:ag2 org:lab1 role:operator clearance:secret';
    const a = Audience.parse(encoded);
    expect(a.encode()).toBe(encoded);
    expect(Audience.of({ orgs: ['lab1', 'ag2'], roles: ['operator'], minClearance: 'secret' }).encode()).toBe(encoded);
    expect([lab, operator, secretAgency, cuiAgency, otherSecretAgency].map((m) => a.includes(m))).toEqual([true, true, true, true, true]);
    expect(a.includes({ id: 'lab2', kind: 'lab' })).toBe(false);
    expect(a.includes({ id: 'ag4', kind: 'agency', clearance: 'cui' })).toBe(false);
    expect(Audience.operatorsAnd(['lab1']).encode()).toBe('org:lab1 role:operator');
  });

  it('admits a listed organisation under a clearance term only while it is an agency cleared at that level', () => {
    const a = Audience.of({ roles: ['operator'] }).or(Audience.clearedAmong(['ag1', 'ag2', 'lab1'], 'secret'));
    expect(a.encode()).toBe('org:ag1+clearance:secret org:ag2+clearance:secret org:lab1+clearance:secret role:operator');
    expect(a.includes(operator)).toBe(true);
    expect(a.includes(secretAgency)).toBe(true);
    // Listed, but below the level; cleared, but not listed; listed, but a lab has no clearance.
    expect(a.includes(cuiAgency)).toBe(false);
    expect(a.includes(otherSecretAgency)).toBe(false);
    expect(a.includes(lab)).toBe(false);
    // An agency without a recorded clearance is not cleared for anything.
    expect(a.includes({ id: 'ag1', kind: 'agency' })).toBe(false);
  });

  it('refuses terms it does not understand rather than reading them wider', () => {
    for (const bad of ['org:', 'org:a+org:b', 'role:king', 'clearance:cosmic', 'org:a+', '+role:lab', 'org:a++role:lab', 'everyone', 'org:a+b']) {
      expect(() => Audience.parse(bad)).toThrow(/not understood/);
    }
    expect(() => Audience.clearedAmong(['a.b'], 'secret')).toThrow(/not a plain id/);
    expect(Audience.parse('').includes(operator)).toBe(false);
  });

  it('keeps membership through encoding and parsing', () => {
    const member = fc.record({
      id: fc.constantFrom('a', 'b', 'c'),
      kind: fc.constantFrom(...ORG_KINDS),
      clearance: fc.option(fc.constantFrom(...CLEARANCES), { nil: undefined }),
    });
    const term = fc.record(
      { org: fc.constantFrom('a', 'b', 'c'), role: fc.constantFrom(...ORG_KINDS), clearance: fc.constantFrom(...CLEARANCES) },
      { requiredKeys: [] },
    ).filter((t) => Object.keys(t).length > 0);
    fc.assert(
      fc.property(fc.array(term, { maxLength: 5 }), fc.array(member, { minLength: 1, maxLength: 5 }), (terms, members) => {
        const a = Audience.anyOf(terms);
        const again = Audience.parse(a.encode());
        expect(again.encode()).toBe(a.encode());
        for (const m of members) {
          const m2 = m.clearance === undefined ? { id: m.id, kind: m.kind } : (m as AudienceMember);
          const expected = terms.some((t) =>
            (t.org === undefined || t.org === m.id) && (t.role === undefined || t.role === m.kind) &&
            (t.clearance === undefined || (m.kind === 'agency' && m.clearance !== undefined && CLEARANCES.indexOf(m.clearance) >= CLEARANCES.indexOf(t.clearance))));
          expect(again.includes(m2)).toBe(expected);
        }
      }),
    );
  });
});
