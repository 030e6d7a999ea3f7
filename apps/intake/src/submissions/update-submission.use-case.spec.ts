import { EntityManager } from 'typeorm';
import { ManualClock } from '@vantage/clock';
import { CallerIdentity, NotFoundError } from '@vantage/contracts';
import { SecretBox } from '@vantage/crypto';
import { DestinationPolicy } from '@vantage/outbound';
import { SubmissionEffect } from './submission';
import { Submission } from './submission.entity';
import { SubmissionStore } from './submission-store';
import { UpdateSubmissionUseCase } from './update-submission.use-case';

const tx = {} as EntityManager;
const lab: CallerIdentity = { orgId: 'lab-1', kind: 'lab' };
const current = {
  id: 's1', labId: 'lab-1', status: 'active', plannedReleaseAt: new Date('2026-12-20T00:00:00Z'), earliestAccessAt: null,
  endpointBaseUrl: 'https://lab.example/v1', endpointModelId: 'm', endpointApiKeySealed: 'old',
} as unknown as Submission;

function setUp(refused = false) {
  const steps: string[] = [];
  const saved: { s: Submission; effects: SubmissionEffect[] }[] = [];
  const submissions = {
    requireVisible: async (_tx: EntityManager, id: string, caller: CallerIdentity, opts: { forUpdate?: boolean }) => {
      steps.push(`load ${id} ${opts.forUpdate ? 'for update' : ''}`);
      if (id !== current.id || caller.orgId !== current.labId) throw new NotFoundError('submission');
      return current;
    },
    save: async (_tx: EntityManager, s: Submission, effects: SubmissionEffect[]) => void saved.push({ s, effects }),
  };
  const destinations = {
    assertAllowed: async (url: string) => {
      steps.push(`judge ${url}`);
      if (refused) throw new Error('refused');
    },
  };
  const useCase = new UpdateSubmissionUseCase(
    submissions as unknown as SubmissionStore,
    new ManualClock('2026-11-26T12:00:00Z'),
    { seal: (v: string, c: string) => `sealed(${v},${c})` } as unknown as SecretBox,
    destinations as unknown as DestinationPolicy,
  );
  return { useCase, steps, saved };
}

describe('UpdateSubmissionUseCase', () => {
  it('refuses an update that changes nothing before reading anything', async () => {
    const { useCase, steps } = setUp();
    await expect(useCase.execute({ caller: lab, id: 's1', endpoint: {} }, tx)).rejects.toMatchObject({ code: 'nothing_to_change' });
    expect(steps).toEqual([]);
  });

  it('judges a new endpoint before it loads the submission, and stops there when it is refused', async () => {
    const { useCase, steps, saved } = setUp(true);
    await expect(useCase.execute({ caller: lab, id: 's1', endpoint: { baseUrl: 'https://x.example' } }, tx)).rejects.toThrow('refused');
    expect(steps).toEqual(['judge https://x.example']);
    expect(saved).toEqual([]);
  });

  it('reschedules and rotates the credential, sealed under the submission id, in one save', async () => {
    const { useCase, steps, saved } = setUp();
    const s = await useCase.execute({ caller: lab, id: 's1', plannedReleaseAt: new Date('2027-01-05T00:00:00Z'), endpoint: { apiKey: 'new' } }, tx);
    expect(steps).toEqual(['load s1 for update']);
    expect(s).toMatchObject({ plannedReleaseAt: new Date('2027-01-05T00:00:00Z'), endpointApiKeySealed: 'sealed(new,s1)', updatedAt: new Date('2026-11-26T12:00:00Z') });
    expect(saved).toEqual([{ s, effects: [{ type: 'rescheduled', previousPlannedReleaseAt: current.plannedReleaseAt }, { type: 'credential-rotated', endpointChanged: false }] }]);
  });

  it("does not find another lab's submission", async () => {
    const { useCase } = setUp();
    await expect(useCase.execute({ caller: { orgId: 'lab-2', kind: 'lab' }, id: 's1', plannedReleaseAt: new Date('2027-01-05T00:00:00Z') }, tx)).rejects.toMatchObject({ status: 404 });
  });
});
