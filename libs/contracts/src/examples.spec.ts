import { EVENT_CATALOGUE, RPC_CATALOGUE } from './catalogue';
import { parseEvent } from './envelope';
import { EVENT_EXAMPLES, exampleEnvelope, RPC_EXAMPLES } from './examples';
import { validatePayload } from './validation';

describe('the documentation examples', () => {
  it('give every event type and every request-reply subject exactly one example', () => {
    expect(EVENT_CATALOGUE.filter((d) => EVENT_EXAMPLES.filter((e) => e.definition === d).length !== 1).map((d) => d.type)).toEqual([]);
    expect(RPC_CATALOGUE.filter((d) => RPC_EXAMPLES.filter((e) => e.definition === d).length !== 1).map((d) => d.verb)).toEqual([]);
    expect(EVENT_EXAMPLES.filter((e) => !EVENT_CATALOGUE.includes(e.definition)).map((e) => e.definition.type)).toEqual([]);
  });

  it.each(EVENT_EXAMPLES.map((e) => [e.definition.type, e] as const))('%s: a CloudEvent a consumer accepts, data valid against its contract class', (_type, example) => {
    // parseEvent is what every consumer runs on what comes off the bus: CloudEvents rules, audience, payload class.
    const envelope = JSON.parse(JSON.stringify(exampleEnvelope(example)));
    expect(() => parseEvent(example.definition, envelope)).not.toThrow();
    expect(envelope.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(parseInt(envelope.id.replace(/-/g, '').slice(0, 12), 16)).toBe(Date.parse(example.time));
  });

  it.each(RPC_EXAMPLES.map((e) => [e.definition.verb, e] as const))('%s: a request its answering service accepts', (_verb, example) => {
    expect(() => validatePayload(example.definition.request, JSON.parse(JSON.stringify(example.data)))).not.toThrow();
  });
});
