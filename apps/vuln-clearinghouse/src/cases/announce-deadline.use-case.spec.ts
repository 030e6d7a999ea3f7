import { CaseDeadlineApproaching, CaseDeadlineReached } from '@vantage/contracts';
import { AnnounceDeadlineUseCase } from './announce-deadline.use-case';
import { CaseStore } from './case-store';
import { aCase, CASE_ID, recordingStore, TX } from './fakes.testing';

describe('AnnounceDeadlineUseCase', () => {
  it('announces a reminder with the time left while the embargo runs', async () => {
    const { store, called } = recordingStore<CaseStore>({ head: () => aCase() });
    await new AnnounceDeadlineUseCase(store).execute({ caseId: CASE_ID, reached: false, remaining: '7d' }, TX);
    expect(called('announce')).toEqual([[CaseDeadlineApproaching, CASE_ID, {
      caseId: CASE_ID, title: aCase().title, state: 'triaged', deadlineAt: aCase().deadlineAt.toISOString(), reached: false, remaining: '7d',
    }]]);
  });

  it('announces the deadline itself', async () => {
    const { store, called } = recordingStore<CaseStore>({ head: () => aCase({ state: 'vendor-notified' }) });
    await new AnnounceDeadlineUseCase(store).execute({ caseId: CASE_ID, reached: true }, TX);
    expect(called('announce')).toEqual([[CaseDeadlineReached, CASE_ID, {
      caseId: CASE_ID, title: aCase().title, state: 'vendor-notified', deadlineAt: aCase().deadlineAt.toISOString(), reached: true,
    }]]);
  });

  it('says nothing of a closed case, or one that is gone', async () => {
    for (const c of [aCase({ state: 'disclosed' }), aCase({ state: 'rejected' }), aCase({ state: 'duplicate' }), undefined]) {
      const { store, called } = recordingStore<CaseStore>({ head: () => c });
      await new AnnounceDeadlineUseCase(store).execute({ caseId: CASE_ID, reached: true }, TX);
      expect(called('announce')).toEqual([]);
    }
  });
});
