import { ManualClock } from '@vantage/clock';
import { CONFIG, fakeWindowStore, SUBMISSION, TX, windowRow } from './fakes.testing';
import { RescheduleWindowUseCase } from './reschedule-window.use-case';
import { WindowStore } from './window-store';

describe('RescheduleWindowUseCase', () => {
  it("moves the window's end with the lab's new release at once", async () => {
    const windows = fakeWindowStore([windowRow()]);
    const useCase = new RescheduleWindowUseCase(windows as unknown as WindowStore, new ManualClock('2026-12-04T10:00:00Z'), CONFIG);
    await useCase.execute({ submissionId: SUBMISSION, plannedReleaseAt: new Date('2026-12-15T00:00:00Z') }, TX);
    const [{ t }] = windows.saved;
    expect(t.window.closesAt.toISOString()).toBe('2026-12-15T00:00:00.000Z');
    expect(t.effects[0]).toMatchObject({ type: 'rescheduled', previousClosesAt: new Date('2026-12-20T00:00:00Z') });
  });

  it('waits (throws, to be retried) for a window not recorded yet', async () => {
    const useCase = new RescheduleWindowUseCase(fakeWindowStore() as unknown as WindowStore, new ManualClock(), CONFIG);
    await expect(useCase.execute({ submissionId: SUBMISSION, plannedReleaseAt: new Date() }, TX)).rejects.toThrow(/not recorded yet/);
  });
});
