import { ConflictError, ForbiddenError, MAX_SUITE_ITEMS, RuleViolationError } from '@vantage/contracts';
import { acceptChunk, assertMayAddSuites, checkItems, checkSealable, contentHash, SuiteItem, suiteView } from './suite';

const item = (id: string, target = '4'): SuiteItem => ({ id, input: `2+2 (${id})`, target });

describe('a suite and its upload', () => {
  it('may be added by operators only', () => {
    expect(() => assertMayAddSuites({ kind: 'operator' })).not.toThrow();
    for (const kind of ['lab', 'agency', 'clearinghouse'] as const) expect(() => assertMayAddSuites({ kind })).toThrow(ForbiddenError);
  });

  it('takes the next chunk, answers a repeat with the count, and refuses one out of order', () => {
    const upload = { scorer: 'numeric' as const, itemCount: 2, nextSeq: 1 };
    expect(acceptChunk(upload, { seq: 1, items: [item('c'), item('d')] })).toEqual({ repeat: false, items: [item('c'), item('d')], firstIndex: 2, itemCount: 4 });
    expect(acceptChunk(upload, { seq: 0, items: [item('a')] })).toEqual({ repeat: true, itemCount: 2 });
    expect(() => acceptChunk(upload, { seq: 2, items: [item('e')] })).toThrow(ConflictError);
  });

  it('keeps only the fields of an item', () => {
    const chunk = acceptChunk({ scorer: 'exact', itemCount: 0, nextSeq: 0 }, { seq: 0, items: [{ ...item('a'), extra: 1 } as SuiteItem] });
    expect(chunk).toMatchObject({ items: [item('a')] });
  });

  it('refuses items it could not score, naming them by label or place', () => {
    const refused = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return (e as RuleViolationError & { errors: { field: string }[] }).errors.map((p) => p.field);
      }
      return [];
    };
    const upload = { scorer: 'numeric' as const, itemCount: 5, nextSeq: 0 };
    expect(refused(() => acceptChunk(upload, { seq: 0, items: [item('a'), item('b', 'eighty')] }))).toEqual(['items[6].target']);
    expect(refused(() => acceptChunk(upload, { seq: 0, items: [item('a'), item('a')], labels: ['line 2', 'line 3'] }))).toEqual(['line 3.id']);
    expect(refused(() => checkItems('exact', [{ ...item('a'), choices: ['x', 'y'] }]))).toEqual(['items[0].choices']);
  });

  it('refuses a chunk that would make the suite too large', () => {
    expect(() => acceptChunk({ scorer: 'exact', itemCount: MAX_SUITE_ITEMS, nextSeq: 3 }, { seq: 3, items: [item('z')] }))
      .toThrow(expect.objectContaining({ code: 'suite_too_large' }));
  });

  it('is sealed only with what the uploader sent, every id once', () => {
    const items = [item('a'), item('b')];
    expect(checkSealable(items, { itemCount: 2, contentHash: contentHash(items) })).toEqual({ itemCount: 2, contentHash: contentHash(items) });
    expect(() => checkSealable(items, { itemCount: 3, contentHash: contentHash(items) })).toThrow(expect.objectContaining({ code: 'upload_incomplete' }));
    expect(() => checkSealable(items, { itemCount: 2, contentHash: contentHash([item('a')]) })).toThrow(ConflictError);
    expect(() => checkSealable([item('a'), item('a')], { itemCount: 2, contentHash: 'x' })).toThrow(expect.objectContaining({ code: 'suite_items_invalid' }));
  });

  it('is shown without a threshold it does not have', () => {
    const row = {
      id: 'id', name: 'n', version: '1', classification: 'secret' as const, scorer: 'exact' as const, threshold: null, epochs: 2, item_count: 3,
      content_hash: 'h', active: true, created_at: new Date('2026-11-26T00:00:00Z'),
    };
    expect(suiteView(row)).toEqual({
      id: 'id', name: 'n', version: '1', classification: 'secret', scorer: 'exact', epochs: 2, itemCount: 3, contentHash: 'h', active: true,
      createdAt: '2026-11-26T00:00:00.000Z',
    });
    expect(suiteView({ ...row, threshold: 0.6 }).threshold).toBe(0.6);
  });
});
