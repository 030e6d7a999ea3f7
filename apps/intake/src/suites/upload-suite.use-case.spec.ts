import { Principal } from '@vantage/auth';
import {
  AppendSuiteItems, DiscardSuiteUpload, RpcDefinition, SealSuiteUpload, StartSuiteUpload, SUITE_CHUNK_MAX_ITEMS, SuiteItemInput, SuiteMetadataInput,
} from '@vantage/contracts';
import { Forwarder } from '../http/forwarder';
import { LabelledItem, UploadSuiteUseCase } from './upload-suite.use-case';

const operator: Principal = { orgId: 'op', kind: 'operator', keyId: 'k1' };
const metadata = { name: 'suite' } as unknown as SuiteMetadataInput;
const item = (id: string) => ({ id, input: 'q' }) as unknown as SuiteItemInput;
const labelled = (ids: string[]): LabelledItem[] => ids.map((id, i) => ({ item: item(id), label: `items[${i}]` }));

/** A plain-object runner: records what was forwarded, answers each request; `failOn` fails that request. */
const STEPS = new Map<unknown, string>([[StartSuiteUpload, 'start'], [AppendSuiteItems, 'append'], [SealSuiteUpload, 'seal'], [DiscardSuiteUpload, 'discard']]);

function setUp(failOn?: RpcDefinition<object, unknown>) {
  const sent: { subject: string; request: Record<string, unknown>; idempotency?: unknown }[] = [];
  const forwarder = {
    forward: async (definition: RpcDefinition<object, unknown>, request: Record<string, unknown>, _caller: Principal, idempotency?: unknown) => {
      sent.push({ subject: STEPS.get(definition)!, request, idempotency });
      if (definition === failOn) throw new Error('the runner refused');
      if (definition === StartSuiteUpload) return { uploadId: 'u1' };
      if (definition === SealSuiteUpload) return { id: 'suite-1' };
      return {};
    },
  };
  return { useCase: new UploadSuiteUseCase(forwarder as unknown as Forwarder), sent };
}

describe('UploadSuiteUseCase', () => {
  it('starts an upload, appends the items and seals it with their count and content hash', async () => {
    const { useCase, sent } = setUp();
    expect(await useCase.execute({ caller: operator, metadata, items: labelled(['a', 'b']), idempotencyKey: 'key-1' })).toEqual({ id: 'suite-1' });
    expect(sent.map((s) => s.subject)).toEqual(['start', 'append', 'seal']);
    expect(sent[1].request).toEqual({ uploadId: 'u1', seq: 0, items: [item('a'), item('b')], labels: ['items[0]', 'items[1]'] });
    expect(sent[2].request).toMatchObject({ uploadId: 'u1', itemCount: 2, contentHash: expect.any(String) });
    expect(sent[0].idempotency).toMatchObject({ key: 'key-1' });
    expect(sent[2].idempotency).toMatchObject({ key: 'key-1' });
  });

  it('sends the items in chunks of at most SUITE_CHUNK_MAX_ITEMS', async () => {
    const { useCase, sent } = setUp();
    const ids = Array.from({ length: SUITE_CHUNK_MAX_ITEMS + 1 }, (_, i) => `i${i}`);
    await useCase.execute({ caller: operator, metadata, items: labelled(ids) });
    const appends = sent.filter((s) => s.subject === 'append').map((s) => (s.request.items as unknown[]).length);
    expect(appends).toEqual([SUITE_CHUNK_MAX_ITEMS, 1]);
  });

  it('discards the upload when an item repeats an id, the suite is empty, or the runner fails part-way', async () => {
    const duplicate = setUp();
    await expect(duplicate.useCase.execute({ caller: operator, metadata, items: labelled(['a', 'a']) })).rejects.toMatchObject({
      code: 'suite_items_invalid', errors: [{ field: 'items[1].id', message: 'is used by items[0]' }],
    });
    expect(duplicate.sent.map((s) => s.subject)).toEqual(['start', 'discard']);

    const empty = setUp();
    await expect(empty.useCase.execute({ caller: operator, metadata, items: [] })).rejects.toMatchObject({ status: 400 });
    expect(empty.sent.map((s) => s.subject)).toEqual(['start', 'discard']);

    const failing = setUp(SealSuiteUpload as RpcDefinition<object, unknown>);
    await expect(failing.useCase.execute({ caller: operator, metadata, items: labelled(['a']) })).rejects.toThrow('the runner refused');
    expect(failing.sent.map((s) => s.subject).at(-1)).toBe('discard');
  });
});
