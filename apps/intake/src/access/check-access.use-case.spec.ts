import { EntityManager } from 'typeorm';
import { AccessStore } from './access-store';
import { AccessStanding } from './brokered-access';
import { CheckAccessUseCase } from './check-access.use-case';

const tx = {} as EntityManager;
const useCase = (standing: AccessStanding | undefined) => new CheckAccessUseCase({ standing: async () => standing } as unknown as AccessStore);
const open: AccessStanding = { submissionStatus: 'active', windowState: 'open', agencies: null, grantState: 'active' };

describe('CheckAccessUseCase', () => {
  it('holds while the grant is active on an open window of an active submission, and not otherwise', async () => {
    expect(await useCase(open).execute({ submissionId: 's1', agencyId: 'a1' }, tx)).toBe(true);
    expect(await useCase({ ...open, grantState: 'revoked' }).execute({ submissionId: 's1', agencyId: 'a1' }, tx)).toBe(false);
    expect(await useCase({ ...open, windowState: 'closed' }).execute({ submissionId: 's1', agencyId: 'a1' }, tx)).toBe(false);
    expect(await useCase({ ...open, submissionStatus: 'released' }).execute({ submissionId: 's1', agencyId: 'a1' }, tx)).toBe(false);
    expect(await useCase(undefined).execute({ submissionId: 's1', agencyId: 'a1' }, tx)).toBe(false);
  });
});
