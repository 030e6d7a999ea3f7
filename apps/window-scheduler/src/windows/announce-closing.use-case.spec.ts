import { ManualClock } from '@vantage/clock';
import { AnnounceClosingUseCase } from './announce-closing.use-case';
import { fakeWindowStore, SUBMISSION, TX, windowRow } from './fakes.testing';
import { WindowStore } from './window-store';

describe('AnnounceClosingUseCase', () => {
  it('says an open window closes soon, and does nothing for a window that is gone', async () => {
    const windows = fakeWindowStore([windowRow({ state: 'open' })]);
    await new AnnounceClosingUseCase(windows as unknown as WindowStore, new ManualClock('2026-12-19T00:00:00Z')).execute({ submissionId: SUBMISSION }, TX);
    expect(windows.saved[0].t.effects).toEqual([{ type: 'closing-soon' }]);
    const none = fakeWindowStore();
    await new AnnounceClosingUseCase(none as unknown as WindowStore, new ManualClock()).execute({ submissionId: SUBMISSION }, TX);
    expect(none.saved).toEqual([]);
  });
});
