import { OrganisationStore } from '../audience/organisation-store';
import { AGENCY, fakeOrganisationStore, TX } from '../subscriptions/fakes.testing';
import { EventStore, StoredEvent } from './event-store';
import { EventWakeUps } from './event-wake-ups';
import { ReadEventStreamUseCase } from './read-event-stream.use-case';

const stored = (seq: number, type: string, audience: string): StoredEvent => ({ seq: String(seq), type, audience, body: `{"seq":${seq}}` });

function build(events: StoredEvent[], directory = fakeOrganisationStore()) {
  const store = {
    async head() {
      return events.length ? events[events.length - 1].seq : '0';
    },
    async after(_m: unknown, after: string, limit: number) {
      return events.filter((e) => Number(e.seq) > Number(after)).slice(0, limit);
    },
  };
  let waited = 0;
  const wakeUps = { generation: 0, isClosing: false, async wait() { waited++; } };
  const useCase = new ReadEventStreamUseCase(store as unknown as EventStore, directory as unknown as OrganisationStore, wakeUps as unknown as EventWakeUps);
  return { useCase, waited: () => waited };
}

describe('ReadEventStreamUseCase', () => {
  const history = [
    stored(1, 'gov.vantage.window.window.opened.v1', 'role:agency'),
    stored(2, 'gov.vantage.window.window.opened.v1', 'role:lab'),
    stored(3, 'gov.vantage.vuln.case.opened.v1', 'role:agency'),
    stored(4, 'gov.vantage.window.window.opened.v1', 'role:agency+clearance:top-secret'),
    stored(5, 'gov.vantage.window.window.closed.v1', 'role:agency+clearance:secret'),
  ];

  it('reads the events after the cursor that the caller may see, of the types asked for, and moves the cursor past those it may not', async () => {
    const { useCase } = build(history);
    expect(await useCase.execute({ caller: AGENCY, after: '0', limit: 10, waitMs: 0 }, TX)).toEqual({
      events: [1, 3, 5].map((n) => ({ seq: String(n), type: history[n - 1].type, body: `{"seq":${n}}` })),
      cursor: '5',
    });
    const windows = await useCase.execute({ caller: AGENCY, after: '0', limit: 1, waitMs: 0, types: ['gov.vantage.window.*'] }, TX);
    expect(windows).toEqual({ events: [{ seq: '1', type: history[0].type, body: '{"seq":1}' }], cursor: '1' });
  });

  it("takes the directory's clearance over the caller's, starts at the head without a cursor, and refuses an unknown type pattern", async () => {
    const uncleared = build(history, fakeOrganisationStore([{ id: AGENCY.orgId, kind: 'agency', clearance: null }]));
    expect((await uncleared.useCase.execute({ caller: AGENCY, after: '0', limit: 10, waitMs: 0 }, TX)).events.map((e) => e.seq)).toEqual(['1', '3']);
    const { useCase, waited } = build(history);
    expect(await useCase.execute({ caller: AGENCY, limit: 10, waitMs: 0 }, TX)).toEqual({ events: [], cursor: '5' });
    expect(waited()).toBe(0);
    await expect(useCase.execute({ caller: AGENCY, limit: 10, waitMs: 0, types: ['gov.vantage.nothing.*'] }, TX)).rejects.toThrow(/types\[0\]/);
  });
});
