import { EntityManager } from 'typeorm';
import { ForbiddenError } from '@vantage/contracts';
import { DiscardSuiteUploadUseCase } from './discard-suite-upload.use-case';
import { SuiteStore } from './suite-store';

const tx = {} as EntityManager;

describe('DiscardSuiteUploadUseCase (unit)', () => {
  it('drops the upload with its chunks, for operators only', async () => {
    const dropUpload = jest.fn(async () => undefined);
    const useCase = new DiscardSuiteUploadUseCase({ dropUpload } as unknown as SuiteStore);
    await useCase.execute({ caller: { kind: 'operator', orgId: 'op' }, uploadId: 'upload' }, tx);
    expect(dropUpload).toHaveBeenCalledWith(tx, 'upload');
    await expect(useCase.execute({ caller: { kind: 'lab', orgId: 'lab' }, uploadId: 'upload' }, tx)).rejects.toThrow(ForbiddenError);
    expect(dropUpload).toHaveBeenCalledTimes(1);
  });
});
