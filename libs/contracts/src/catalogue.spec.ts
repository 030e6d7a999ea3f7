import { getMetadataStorage } from 'class-validator';
import { EVENT_CATALOGUE, RPC_CATALOGUE } from './catalogue';
import { CLOSED_REASONS } from './events/window.events';

describe('the catalogue of events and request-reply subjects', () => {
  it('has one definition per type, each a past-tense fact under gov.vantage.<domain>.<entity>.<event>.v<N>', () => {
    const types = EVENT_CATALOGUE.map((d) => d.type);
    expect(new Set(types).size).toBe(types.length);
    for (const t of types) expect(t).toMatch(/^gov\.vantage\.(intake|window|bench|vuln|notify)\.[a-z-]+\.[a-z-]+\.v\d+$/);
  });

  it('holds nothing that approves, delays, holds or blocks a release: the programme is voluntary', () => {
    const words = /approv|delay|hold|block|gate|veto|reject|deny/i;
    for (const d of EVENT_CATALOGUE) {
      expect(d.type).not.toMatch(words);
      const fields = getMetadataStorage().getTargetValidationMetadatas(d.payload, '', true, false).map((m) => m.propertyName);
      expect(fields.length).toBeGreaterThan(0);
      expect(fields.join(' ')).not.toMatch(words);
    }
    for (const r of RPC_CATALOGUE) expect(r.verb).not.toMatch(words);
    expect(CLOSED_REASONS.join(' ')).not.toMatch(words);
  });
});
