import { ManualClock } from '@vantage/clock';
import { AgencyStore } from './agency-store';
import { fakeWindowStore, SUBMISSION, TX, windowRow } from './fakes.testing';
import { OpenWindowUseCase } from './open-window.use-case';
import { WindowStore } from './window-store';

describe('OpenWindowUseCase', () => {
  const at = new Date('2026-12-10T00:00:00Z');
  const agencies = { ids: async () => ['ag-1', 'ag-2'] } as unknown as AgencyStore;

  it("grants the lab's named agencies when it named some, and every agency of the programme when it named none", async () => {
    const named = fakeWindowStore([windowRow({ agencies: ['ag-9'] })]);
    await new OpenWindowUseCase(named as unknown as WindowStore, agencies, new ManualClock(at)).execute({ submissionId: SUBMISSION, at }, TX);
    expect(named.saved[0].t.effects.filter((e) => e.type === 'grant-issued').map((e) => (e as { agencyId: string }).agencyId)).toEqual(['ag-9']);
    const all = fakeWindowStore([windowRow()]);
    await new OpenWindowUseCase(all as unknown as WindowStore, agencies, new ManualClock(at)).execute({ submissionId: SUBMISSION, at }, TX);
    expect(all.saved[0].t.window.state).toBe('open');
    expect(all.saved[0].t.effects.filter((e) => e.type === 'grant-issued').map((e) => (e as { agencyId: string }).agencyId)).toEqual(['ag-1', 'ag-2']);
  });

  it('does nothing when the window is gone', async () => {
    const none = fakeWindowStore();
    await new OpenWindowUseCase(none as unknown as WindowStore, agencies, new ManualClock(at)).execute({ submissionId: SUBMISSION, at }, TX);
    expect(none.saved).toEqual([]);
  });
});
