import { ManualClock } from '@vantage/clock';
import { EndWindowUseCase } from './end-window.use-case';
import { CONFIG, fakeWindowStore, grantRow, SUBMISSION, TX, windowRow } from './fakes.testing';
import { WindowStore } from './window-store';

describe('EndWindowUseCase', () => {
  const clock = new ManualClock('2026-12-12T00:00:00Z');

  it("ends an open window now on the lab's release, revoking every grant", async () => {
    const windows = fakeWindowStore([windowRow({ state: 'open' })], [grantRow('ag-1')]);
    await new EndWindowUseCase(windows as unknown as WindowStore, clock, CONFIG).execute({ submissionId: SUBMISSION, reason: 'released' }, TX);
    const [{ t }] = windows.saved;
    expect(t.window).toMatchObject({ state: 'closed', closedReason: 'released', closedAt: clock.now() });
    expect(t.effects).toEqual(expect.arrayContaining([{ type: 'grant-revoked', agencyId: 'ag-1', reason: 'released', at: clock.now() }]));
  });

  it("ends it at the close timer's due time, and does nothing when the timer's window is gone", async () => {
    const due = new Date('2026-12-20T00:00:00Z');
    const windows = fakeWindowStore([windowRow({ state: 'open' })]);
    const useCase = new EndWindowUseCase(windows as unknown as WindowStore, clock, CONFIG);
    await useCase.execute({ submissionId: SUBMISSION, reason: 'scheduled-end', at: due }, TX);
    expect(windows.saved[0].t.window).toMatchObject({ state: 'closed', closedReason: 'scheduled-end', closedAt: due });
    const none = fakeWindowStore();
    await new EndWindowUseCase(none as unknown as WindowStore, clock, CONFIG).execute({ submissionId: SUBMISSION, reason: 'scheduled-end', at: due }, TX);
    expect(none.saved).toEqual([]);
    await expect(new EndWindowUseCase(none as unknown as WindowStore, clock, CONFIG).execute({ submissionId: SUBMISSION, reason: 'withdrawn' }, TX)).rejects.toThrow(/not recorded yet/);
  });
});
