import { ManualClock } from '@vantage/clock';
import { SubmissionReceivedV1 } from '@vantage/contracts';
import { SubmissionStore } from '../submissions/submission-store';
import { CONFIG, fakeWindowStore, LAB_ID, SUBMISSION, TX, windowRow } from './fakes.testing';
import { ScheduleWindowUseCase } from './schedule-window.use-case';
import { WindowStore } from './window-store';

const received: SubmissionReceivedV1 = {
  submissionId: SUBMISSION, labId: LAB_ID, plannedReleaseAt: '2026-12-30T00:00:00.000Z', receivedAt: '2026-12-04T10:00:00.000Z', agencies: ['ag-1'],
} as SubmissionReceivedV1;

function build(rows = [] as ReturnType<typeof windowRow>[]) {
  const windows = fakeWindowStore(rows);
  const recorded: SubmissionReceivedV1[] = [];
  const submissions = { record: async (_tx: unknown, s: SubmissionReceivedV1) => void recorded.push(s) };
  const useCase = new ScheduleWindowUseCase(windows as unknown as WindowStore, submissions as unknown as SubmissionStore, new ManualClock('2026-12-04T10:00:00Z'), CONFIG);
  return { useCase, windows, recorded };
}

describe('ScheduleWindowUseCase', () => {
  it('keeps the submission and writes its new window: at most 30 days before the release, with its timers and agencies', async () => {
    const { useCase, windows, recorded } = build();
    await useCase.execute({ submission: received }, TX);
    expect(recorded).toEqual([received]);
    const [{ row, t, isNew }] = windows.saved;
    expect(isNew).toBe(true);
    expect(row).toMatchObject({ submissionId: SUBMISSION, labId: LAB_ID, agencies: ['ag-1'], earliestAccessAt: null });
    expect(t.window.closesAt.toISOString()).toBe('2026-12-30T00:00:00.000Z');
    expect(t.window.opensAt.toISOString()).toBe('2026-12-04T10:00:00.000Z');
    expect(t.effects).toEqual([{ type: 'scheduled' }]);
    expect(t.timers?.map((x) => x.kind)).toEqual(expect.arrayContaining(['open', 'close']));
  });

  it('leaves a window that is already there as it is', async () => {
    const { useCase, windows } = build([windowRow()]);
    await useCase.execute({ submission: received }, TX);
    expect(windows.saved).toEqual([]);
  });
});
