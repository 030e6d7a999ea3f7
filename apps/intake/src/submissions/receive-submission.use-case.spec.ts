import { EntityManager } from 'typeorm';
import { ManualClock } from '@vantage/clock';
import { SecretBox } from '@vantage/crypto';
import { DestinationPolicy } from '@vantage/outbound';
import { OrganisationStore } from '../orgs/organisation-store';
import { ReceiveSubmissionCommand, ReceiveSubmissionUseCase } from './receive-submission.use-case';
import { Submission } from './submission.entity';
import { SubmissionStore } from './submission-store';

const tx = {} as EntityManager;

function setUp(opts: { endpointProblem?: { field: string; message: string }; agencies?: string[] } = {}) {
  const inserted: Submission[] = [];
  const submissions = { insert: async (_tx: EntityManager, s: Submission) => void inserted.push(s) };
  const organisations = { agenciesAmong: async (_tx: EntityManager, ids: string[]) => new Set(ids.filter((id) => (opts.agencies ?? []).includes(id))) };
  const secrets = { seal: (value: string, context: string) => `sealed(${value},${context})` };
  const destinations = { problem: async () => opts.endpointProblem };
  const useCase = new ReceiveSubmissionUseCase(
    submissions as unknown as SubmissionStore,
    organisations as unknown as OrganisationStore,
    new ManualClock('2026-11-26T12:00:00Z'),
    secrets as unknown as SecretBox,
    destinations as unknown as DestinationPolicy,
  );
  return { useCase, inserted };
}

const command: ReceiveSubmissionCommand = {
  caller: { orgId: 'lab-1', kind: 'lab' },
  model: { name: 'acme', version: '1' },
  plannedReleaseAt: new Date('2026-12-20T00:00:00Z'),
  endpoint: { baseUrl: 'https://lab.example/v1', modelId: 'acme-1', apiKey: 'sk-secret' },
  agencies: ['agency-1'],
};

describe('ReceiveSubmissionUseCase', () => {
  it('stores the lab\'s submission, active, its credential sealed under its id', async () => {
    const { useCase, inserted } = setUp({ agencies: ['agency-1'] });
    const s = await useCase.execute(command, tx);
    expect(inserted).toEqual([s]);
    expect(s).toMatchObject({
      labId: 'lab-1', modelName: 'acme', modelVersion: '1', status: 'active', agencies: ['agency-1'], earliestAccessAt: null, declaredTrainingFlop: null,
      endpointBaseUrl: 'https://lab.example/v1', endpointModelId: 'acme-1', endpointApiKeySealed: `sealed(sk-secret,${s.id})`,
      createdAt: new Date('2026-11-26T12:00:00Z'), updatedAt: new Date('2026-11-26T12:00:00Z'),
    });
  });

  it('stores nothing and names every problem when the submission is refused', async () => {
    const { useCase, inserted } = setUp({ endpointProblem: { field: 'endpoint.baseUrl', message: 'is refused' } });
    await expect(useCase.execute({ ...command, plannedReleaseAt: new Date('2026-01-01T00:00:00Z') }, tx)).rejects.toMatchObject({
      code: 'submission_rejected',
      status: 422,
      errors: [
        { field: 'plannedReleaseAt', message: 'must be in the future' },
        { field: 'endpoint.baseUrl', message: 'is refused' },
        { field: 'agencies[0]', message: 'is not an agency in the programme' },
      ],
    });
    expect(inserted).toEqual([]);
  });
});
