import { EntityManager } from 'typeorm';
import { SecretBox } from '@vantage/crypto';
import { Submission } from '../submissions/submission.entity';
import { SubmissionStore } from '../submissions/submission-store';
import { AccessStore } from './access-store';
import { AuthoriseAccessUseCase } from './authorise-access.use-case';
import { AccessStanding } from './brokered-access';

const tx = {} as EntityManager;
const agency = { orgId: 'a1', kind: 'agency' as const };

function setUp(standing: AccessStanding | undefined) {
  const s = { id: 's1', endpointBaseUrl: 'https://lab.example/v1//', endpointModelId: 'm', endpointApiKeySealed: 'sealed' } as Submission;
  const access = { standing: async (_tx: EntityManager, submissionId: string, agencyId: string) => (submissionId === 's1' && agencyId === 'a1' ? standing : undefined) };
  const submissions = { find: async () => s };
  const secrets = { open: (sealed: string, context: string) => `open(${sealed},${context})` };
  return new AuthoriseAccessUseCase(access as unknown as AccessStore, submissions as unknown as SubmissionStore, secrets as unknown as SecretBox);
}

describe('AuthoriseAccessUseCase', () => {
  it("answers where an authorised call goes, with the lab's credential opened", async () => {
    const useCase = setUp({ submissionStatus: 'active', windowState: 'open', agencies: null, grantState: 'active' });
    expect(await useCase.execute({ caller: agency, submissionId: 's1' }, tx)).toEqual({
      submissionId: 's1', url: 'https://lab.example/v1/chat/completions', modelId: 'm', apiKey: 'open(sealed,s1)',
    });
  });

  it('refuses an agency with no grant (403) and a closed window (409)', async () => {
    await expect(setUp(undefined).execute({ caller: agency, submissionId: 's1' }, tx)).rejects.toMatchObject({ status: 403 });
    await expect(setUp({ submissionStatus: 'active', windowState: 'closed', agencies: null, grantState: 'revoked' }).execute({ caller: agency, submissionId: 's1' }, tx))
      .rejects.toMatchObject({ status: 409, code: 'window_not_open' });
  });
});
