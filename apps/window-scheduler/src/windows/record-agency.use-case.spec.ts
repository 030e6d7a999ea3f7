import { OrganisationCreatedV1 } from '@vantage/contracts';
import { AgencyStore } from './agency-store';
import { TX } from './fakes.testing';
import { RecordAgencyUseCase } from './record-agency.use-case';
import { AgencyRow } from './window.entity';

describe('RecordAgencyUseCase', () => {
  it('records an agency with its clearance and the time it joined, and no other kind of organisation', async () => {
    const recorded: AgencyRow[] = [];
    const useCase = new RecordAgencyUseCase({ record: async (_tx: unknown, a: AgencyRow) => void recorded.push(a) } as unknown as AgencyStore);
    const org = (kind: string) => ({ orgId: `${kind}-1`, name: `A ${kind}`, kind, clearance: 'secret', createdAt: '2026-12-01T00:00:00.000Z' }) as OrganisationCreatedV1;
    await useCase.execute({ organisation: org('lab') }, TX);
    await useCase.execute({ organisation: org('agency') }, TX);
    expect(recorded).toEqual([{ orgId: 'agency-1', name: 'A agency', clearance: 'secret', joinedAt: new Date('2026-12-01T00:00:00Z') }]);
  });
});
