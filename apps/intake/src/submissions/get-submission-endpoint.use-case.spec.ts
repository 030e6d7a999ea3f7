import { EntityManager } from 'typeorm';
import { SecretBox } from '@vantage/crypto';
import { GetSubmissionEndpointUseCase } from './get-submission-endpoint.use-case';
import { Submission } from './submission.entity';
import { SubmissionStore } from './submission-store';

const tx = {} as EntityManager;

describe('GetSubmissionEndpointUseCase', () => {
  const s = { id: 's1', endpointBaseUrl: 'https://lab.example/v1', endpointModelId: 'm', endpointApiKeySealed: 'sealed', status: 'active' } as Submission;
  const submissions = { find: async (_tx: EntityManager, id: string) => (id === s.id ? s : undefined) };
  const secrets = { open: (sealed: string, context: string) => `open(${sealed},${context})` };
  const useCase = new GetSubmissionEndpointUseCase(submissions as unknown as SubmissionStore, secrets as unknown as SecretBox);

  it('answers the endpoint with its credential opened under the submission id', async () => {
    expect(await useCase.execute({ submissionId: 's1' }, tx)).toEqual({
      submissionId: 's1', baseUrl: 'https://lab.example/v1', modelId: 'm', apiKey: 'open(sealed,s1)', status: 'active',
    });
  });

  it('does not find an unknown submission', async () => {
    await expect(useCase.execute({ submissionId: 'nope' }, tx)).rejects.toMatchObject({ status: 404 });
  });
});
