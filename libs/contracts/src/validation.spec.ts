import { IsString } from 'class-validator';
import { IsRfc3339, validatePayload } from './validation';

class Timed {
  @IsRfc3339() at: string;
}

class Named {
  @IsString() name: string;
}

describe('IsRfc3339', () => {
  it.each(['2026-12-20T00:00:00Z', '2028-02-29T23:59:59.999Z', '2026-12-20T00:00:00+14:00', '2026-12-20T00:00:00-09:30'])('accepts %s', (at) => {
    expect(validatePayload(Timed, { at }).at).toBe(at);
  });

  it.each(['2026-02-30T00:00:00Z', '2027-02-29T00:00:00Z', '2026-04-31T00:00:00Z', '2026-13-01T00:00:00Z', '2026-12-20T24:00:00Z', '2026-12-20T00:60:00Z', '2026-12-20T00:00:00+25:00', '2026-12-20'])(
    'refuses %s, a time that does not exist or has no zone, instead of rolling it over',
    (at) => {
      expect(() => validatePayload(Timed, { at })).toThrow(/at must be an RFC 3339 date-time/);
    },
  );
});

describe('field problems', () => {
  it('names an unknown field whose name is full of pattern characters', () => {
    expect(() => validatePayload(Named, { name: 'x', 'a(b[c*': 1 })).toThrow(/a\(b\[c\* property a\(b\[c\* should not exist/);
  });
});
